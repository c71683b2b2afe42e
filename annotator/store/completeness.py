"""What is missing from the annotations: set-based queries over spans, one statement per list.

Three kinds, each found with NOT EXISTS or a JSON lookup in SQL (never one query per span):

- `NO_SOURCE`: a CLAIM span that is not the source of any SOURCE relation;
- `NO_VALUE`: a DATE span whose `value` attribute is unset;
- `NO_ACTOR`: an ACTOR span not linked to a registry actor.

Labels and the relation type are matched by their schema names; a database whose schema lacks
one of them simply has nothing of that kind to report.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Subquery, and_, exists, func, literal, select, union_all
from sqlalchemy.orm import Session

from annotator.domain.model import Span
from annotator.domain.schema import ACTOR, CLAIM, DATE, DATE_VALUE, SOURCE
from annotator.store.convert import to_span
from annotator.store.models import DocumentRow, LabelRow, RelationRow, RelationTypeRow, SpanRow

NO_SOURCE = "no_source"
NO_VALUE = "no_value"
NO_ACTOR = "no_actor"
KINDS = (NO_SOURCE, NO_VALUE, NO_ACTOR)


def _label(name: str) -> ColumnElement[bool]:
    """The span's label is the one named `name` (a scalar subquery, resolved once)."""
    label_id = select(LabelRow.id).where(LabelRow.name == name).scalar_subquery()
    return SpanRow.label_id == label_id


def _kinds(document_id: int | None, annotator_id: int | None) -> Subquery:
    """(span_id, kind) of every incomplete span (of one annotator's layer, with
    `annotator_id`), as one UNION ALL."""
    without_source = ~exists(
        select(literal(1))
        .select_from(RelationRow)
        .join(RelationTypeRow, RelationTypeRow.id == RelationRow.type_id)
        .where(RelationRow.source_id == SpanRow.id, RelationTypeRow.name == SOURCE)
    )
    value = SpanRow.attributes[DATE_VALUE].as_string()
    without_value = func.coalesce(value, "") == ""
    parts = [
        (NO_SOURCE, and_(_label(CLAIM), without_source)),
        (NO_VALUE, and_(_label(DATE), without_value)),
        (NO_ACTOR, and_(_label(ACTOR), SpanRow.actor_id.is_(None))),
    ]
    selects = []
    for kind, condition in parts:
        query = select(SpanRow.id.label("span_id"), literal(kind).label("kind")).where(condition)
        if document_id is not None:
            query = query.where(SpanRow.document_id == document_id)
        if annotator_id is not None:
            query = query.where(SpanRow.annotator_id == annotator_id)
        selects.append(query)
    return union_all(*selects).subquery("missing")


def list_missing(
    session: Session, *, document_id: int | None, limit: int, annotator_id: int | None = None
) -> list[tuple[str, Span, str]]:
    """(kind, span, document title) of incomplete spans in document then text order, at most
    `limit` of them; for one document or, with None, the whole corpus."""
    kinds = _kinds(document_id, annotator_id)
    rows = session.execute(
        select(kinds.c.kind, SpanRow, DocumentRow.title)
        .join(SpanRow, SpanRow.id == kinds.c.span_id)
        .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
        .order_by(SpanRow.document_id, SpanRow.start, SpanRow.end.desc(), SpanRow.id)
        .limit(limit)
    )
    return [(kind, to_span(span), title) for kind, span, title in rows]


def count_missing(
    session: Session, *, document_id: int | None, annotator_id: int | None = None
) -> dict[str, int]:
    """How many incomplete spans of each kind (every kind is a key, 0 when none)."""
    kinds = _kinds(document_id, annotator_id)
    counts = dict.fromkeys(KINDS, 0)
    for kind, n in session.execute(select(kinds.c.kind, func.count()).group_by(kinds.c.kind)).all():
        counts[kind] = n
    return counts
