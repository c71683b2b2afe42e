"""Reads for inter-annotator agreement: each annotator's spans and SOURCE/TIME links, and the
texts of the documents compared, in a few set-based SELECTs (never one per document)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any, cast

from sqlalchemy import Select, Table, select
from sqlalchemy.orm import Session

from annotator.domain.agreement import QUOTE_TYPE, AgreementLink, AgreementSpan
from annotator.domain.library import DocumentStatus
from annotator.domain.schema import DATE_VALUE, SOURCE, TIME
from annotator.store.batches import chunks
from annotator.store.models import (
    DocumentRow,
    DocumentStatusRow,
    LabelRow,
    RelationRow,
    RelationTypeRow,
    SpanRow,
)

spans = cast(Table, SpanRow.__table__)
relations = cast(Table, RelationRow.__table__)
documents = cast(Table, DocumentRow.__table__)
labels = cast(Table, LabelRow.__table__)
relation_types = cast(Table, RelationTypeRow.__table__)
statuses = cast(Table, DocumentStatusRow.__table__)


def _in_documents(
    query: Select[Any], column: Any, document_ids: Sequence[int] | None
) -> list[Select[Any]]:
    if document_ids is None:
        return [query]
    return [query.where(column.in_(chunk)) for chunk in chunks(document_ids)]


def worked_documents(
    session: Session, annotator_ids: Collection[int], document_ids: Sequence[int] | None
) -> dict[int, set[int]]:
    """Per annotator, the documents they worked on: with a span of theirs, or a status
    other than new (a document read and found to hold nothing is theirs too)."""
    found: dict[int, set[int]] = {a: set() for a in annotator_ids}
    wanted = list(annotator_ids)
    with_spans = (
        select(spans.c.annotator_id, spans.c.document_id)
        .where(spans.c.annotator_id.in_(wanted))
        .distinct()
    )
    with_status = select(statuses.c.annotator_id, statuses.c.document_id).where(
        statuses.c.annotator_id.in_(wanted),
        statuses.c.status != DocumentStatus.NEW.value,
    )
    for part in _in_documents(with_spans, spans.c.document_id, document_ids) + _in_documents(
        with_status, statuses.c.document_id, document_ids
    ):
        for annotator_id, document_id in session.execute(part):
            found[annotator_id].add(document_id)
    return found


def layers(
    session: Session, annotator_ids: Collection[int], document_ids: Sequence[int]
) -> tuple[dict[int, list[AgreementSpan]], dict[int, list[AgreementLink]]]:
    """Per annotator, their spans in these documents and the SOURCE and TIME links from
    their claims."""
    names = {i: n for i, n in session.execute(select(labels.c.id, labels.c.name))}
    wanted = list(annotator_ids)
    found: dict[int, list[AgreementSpan]] = {a: [] for a in annotator_ids}
    owner: dict[int, int] = {}
    # Only the attributes agreement compares, extracted by the database: decoding every
    # span's JSON column costs more than everything else read here.
    query = select(
        spans.c.id,
        spans.c.document_id,
        spans.c.start,
        spans.c.end,
        spans.c.label_id,
        spans.c.quote,
        spans.c.actor_id,
        spans.c.attributes[DATE_VALUE].as_string(),
        spans.c.attributes[QUOTE_TYPE].as_string(),
        spans.c.annotator_id,
    ).where(spans.c.annotator_id.in_(wanted))
    empty: dict[str, str] = {}
    for part in _in_documents(query, spans.c.document_id, document_ids):
        rows = session.execute(part).all()
        for sid, did, start, end, label_id, quote, actor_id, value, quote_type, aid in rows:
            if value is None and quote_type is None:
                attributes = empty
            else:
                attributes = {}
                if value is not None:
                    attributes[DATE_VALUE] = value
                if quote_type is not None:
                    attributes[QUOTE_TYPE] = quote_type
            found[aid].append(
                AgreementSpan(sid, did, start, end, names[label_id], quote, actor_id, attributes)
            )
            owner[sid] = aid
    links: dict[int, list[AgreementLink]] = defaultdict(list)
    types = {
        i: n
        for i, n in session.execute(
            select(relation_types.c.id, relation_types.c.name).where(
                relation_types.c.name.in_([SOURCE, TIME])
            )
        )
    }
    if types:
        link_query = select(
            relations.c.type_id, relations.c.source_id, relations.c.target_id
        ).where(relations.c.type_id.in_(list(types)))
        for part in _in_documents(link_query, relations.c.document_id, document_ids):
            for type_id, source_id, target_id in session.execute(part).all():
                aid = owner.get(source_id)
                if aid is not None:
                    links[aid].append(AgreementLink(types[type_id], source_id, target_id))
    return found, {a: links.get(a, []) for a in annotator_ids}


def texts(session: Session, document_ids: Sequence[int]) -> dict[int, str]:
    """The texts of these documents by id."""
    found: dict[int, str] = {}
    for chunk in chunks(document_ids):
        query = select(documents.c.id, documents.c.text).where(documents.c.id.in_(chunk))
        found.update((i, t) for i, t in session.execute(query))
    return found
