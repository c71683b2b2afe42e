"""Reads for the views across the corpus: claims with their links, dated spans, co-mentions.

Each function runs a handful of set-based SELECTs (never one per claim) on Core tables and
returns the plain records of `annotator.domain.claims`; JSON attribute columns are decoded by
the driver layer once per row. Id lists go into IN (...) a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from sqlalchemy import Select, Table, and_, case, func, select
from sqlalchemy.orm import Session

from annotator.domain.claims import (
    ClaimCorpus,
    ClaimLink,
    ClaimSpan,
    DatedSpan,
    DocumentRef,
    MentionInContext,
)
from annotator.domain.model import Actor
from annotator.domain.schema import CLAIM, DATE, DATE_VALUE, SOURCE, TIME
from annotator.store.batches import chunks
from annotator.store.convert import to_actor
from annotator.store.models import (
    ActorRow,
    DocumentRow,
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


def _label_ids(session: Session) -> dict[str, int]:
    return {name: i for i, name in session.execute(select(labels.c.id, labels.c.name))}


def _type_names(session: Session) -> dict[int, str]:
    return {i: n for i, n in session.execute(select(relation_types.c.id, relation_types.c.name))}


def actors(session: Session) -> dict[int, Actor]:
    return {row.id: to_actor(row) for row in session.scalars(select(ActorRow))}


def claim_corpus(
    session: Session,
    *,
    document_ids: Collection[int] | None = None,
    actor_id: int | None = None,
    annotator_id: int | None = None,
) -> ClaimCorpus:
    """The CLAIM spans (of some documents, or made by one registry actor; of one annotator's
    layer with `annotator_id`) and their links."""
    label_ids = _label_ids(session)
    type_names = _type_names(session)
    claim_label = label_ids.get(CLAIM)
    if claim_label is None:
        return ClaimCorpus([], [], {}, actors(session))
    source_type = next((i for i, n in type_names.items() if n == SOURCE), None)

    query: Select[Any] = select(
        spans.c.id,
        spans.c.document_id,
        spans.c.start,
        spans.c.end,
        spans.c.quote,
        spans.c.attributes,
    ).where(spans.c.label_id == claim_label)
    if annotator_id is not None:
        query = query.where(spans.c.annotator_id == annotator_id)
    if actor_id is not None:
        if source_type is None:
            return ClaimCorpus([], [], {}, actors(session))
        said_by = spans.alias("said_by")
        query = query.where(
            spans.c.id.in_(
                select(relations.c.source_id)
                .join(said_by, said_by.c.id == relations.c.target_id)
                .where(relations.c.type_id == source_type, said_by.c.actor_id == actor_id)
            )
        )
    claims: list[ClaimSpan] = []
    if document_ids is None:
        parts: list[Select[Any]] = [query]
    else:
        wanted = sorted(set(document_ids))
        parts = [query.where(spans.c.document_id.in_(chunk)) for chunk in chunks(wanted)]
    for part in parts:
        claims += [ClaimSpan(*row) for row in session.execute(part).all()]
    claims.sort(key=lambda c: (c.document_id, c.start, c.span_id))

    names = {i: n for n, i in label_ids.items()}
    if document_ids is None and actor_id is None:
        claim_end = spans.alias("claim_end")
        links = _links(
            session,
            [
                _link_query(names, type_names)
                .join(claim_end, claim_end.c.id == relations.c.source_id)
                .where(claim_end.c.label_id == claim_label)
            ],
            names,
            type_names,
        )
    else:
        ids = [c.span_id for c in claims]
        links = _links(
            session,
            [
                _link_query(names, type_names).where(relations.c.source_id.in_(chunk))
                for chunk in chunks(ids)
            ],
            names,
            type_names,
        )
    # The claims that report one of these (REPORTED_IN) may lie outside them: their SOURCE too.
    known = {c.span_id for c in claims}
    reporters = sorted(
        {
            link.target_id
            for link in links
            if link.target_label == CLAIM and link.target_id not in known
        }
    )
    if reporters and source_type is not None:
        links += _links(
            session,
            [
                _link_query(names, type_names).where(
                    relations.c.source_id.in_(chunk), relations.c.type_id == source_type
                )
                for chunk in chunks(reporters)
            ],
            names,
            type_names,
        )
    return ClaimCorpus(
        claims,
        links,
        _documents(session, claims, every=document_ids is None and actor_id is None),
        actors(session),
    )


def _link_query(names: dict[int, str], type_names: dict[int, str]) -> Select[Any]:
    target = spans.alias("target")
    # Only the DATE value of a target is needed: extracted in SQL rather than decoding every
    # target's attributes in Python.
    return select(
        relations.c.source_id,
        relations.c.type_id,
        relations.c.target_id,
        target.c.label_id,
        target.c.quote,
        target.c.start,
        target.c.actor_id,
        target.c.attributes[DATE_VALUE].as_string(),
    ).join(target, target.c.id == relations.c.target_id)


def _links(
    session: Session,
    queries: list[Select[Any]],
    names: dict[int, str],
    type_names: dict[int, str],
) -> list[ClaimLink]:
    found: list[ClaimLink] = []
    for query in queries:
        rows = session.execute(query).all()  # one fetchall, not a fetchone per row
        for source_id, type_id, target_id, label_id, quote, start, actor, value in rows:
            label = names.get(label_id, "")
            found.append(
                ClaimLink(
                    source_id,
                    type_names.get(type_id, ""),
                    target_id,
                    label,
                    quote,
                    start,
                    actor,
                    value if label == DATE and isinstance(value, str) else "",
                )
            )
    return found


def _documents(session: Session, claims: list[ClaimSpan], *, every: bool) -> dict[int, DocumentRef]:
    """The documents of the claims (`every`: all documents, cheaper than a long IN list)."""
    columns = (documents.c.id, documents.c.title, documents.c.source, documents.c.published)
    if every:
        rows = session.execute(select(*columns))
        return {row[0]: DocumentRef(*row) for row in rows}
    ids = sorted({c.document_id for c in claims})
    found: dict[int, DocumentRef] = {}
    for chunk in chunks(ids):
        for row in session.execute(select(*columns).where(documents.c.id.in_(chunk))):
            found[row[0]] = DocumentRef(*row)
    return found


def dated_spans(session: Session, *, annotator_id: int | None = None) -> list[DatedSpan]:
    """DATE spans with a value that no relation of type TIME points at, in document order."""
    label_ids = _label_ids(session)
    date_label = label_ids.get(DATE)
    if date_label is None:
        return []
    time_types = [i for i, n in _type_names(session).items() if n == TIME]
    query = (
        select(
            spans.c.id,
            spans.c.document_id,
            documents.c.title,
            spans.c.start,
            spans.c.quote,
            spans.c.attributes[DATE_VALUE].as_string(),
        )
        .join(documents, documents.c.id == spans.c.document_id)
        .where(spans.c.label_id == date_label)
        .order_by(spans.c.document_id, spans.c.start, spans.c.id)
    )
    if annotator_id is not None:
        query = query.where(spans.c.annotator_id == annotator_id)
    if time_types:
        query = query.where(
            ~spans.c.id.in_(
                select(relations.c.target_id).where(relations.c.type_id.in_(time_types))
            )
        )
    found = []
    for span_id, doc_id, title, start, quote, value in session.execute(query).all():
        if isinstance(value, str) and value:
            found.append(DatedSpan(span_id, doc_id, title, start, quote, value))
    return found


def mention_counts(session: Session, *, annotator_id: int | None = None) -> dict[int, int]:
    """Linked mentions per registry actor (in one annotator's layer, with `annotator_id`)."""
    query = select(spans.c.actor_id, func.count(spans.c.id)).where(spans.c.actor_id.is_not(None))
    if annotator_id is not None:
        query = query.where(spans.c.annotator_id == annotator_id)
    query = query.group_by(spans.c.actor_id)
    return {actor: n for actor, n in session.execute(query)}


def actor_documents(session: Session, *, annotator_id: int | None = None) -> list[tuple[int, int]]:
    """The distinct (document id, actor id) pairs of linked mentions (in one annotator's
    layer, with `annotator_id`)."""
    query = select(spans.c.document_id, spans.c.actor_id).where(spans.c.actor_id.is_not(None))
    if annotator_id is not None:
        query = query.where(spans.c.annotator_id == annotator_id)
    query = query.distinct().order_by(spans.c.document_id, spans.c.actor_id)
    return [(d, a) for d, a in session.execute(query)]


def mentions_in_context(
    session: Session, actor_id: int, *, width: int = 60
) -> list[MentionInContext]:
    """Every mention linked to the actor, with up to `width` characters of text either side.

    The slices are cut in SQL (SUBSTR counts characters on SQLite and PostgreSQL alike), so
    the documents' texts never leave the database.
    """
    first = case((spans.c.start > width, spans.c.start - width + 1), else_=1)
    query = (
        select(
            spans.c.id,
            spans.c.document_id,
            documents.c.title,
            spans.c.start,
            spans.c.end,
            spans.c.quote,
            func.substr(documents.c.text, first, spans.c.start + 1 - first),
            func.substr(documents.c.text, spans.c.end + 1, width),
        )
        .join(documents, and_(documents.c.id == spans.c.document_id))
        .where(spans.c.actor_id == actor_id)
        .order_by(spans.c.document_id, spans.c.start, spans.c.id)
    )
    return [
        MentionInContext(i, d, t, s, e, q, before or "", after or "")
        for i, d, t, s, e, q, before, after in session.execute(query)
    ]
