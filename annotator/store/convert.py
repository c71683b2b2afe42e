"""ORM rows to domain dataclasses: nothing else leaves annotator.store.

Documents, spans and relations also come from Core rows of their tables (bulk reads such as the
export's), which have the same attribute names.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from annotator.domain.attributes import AttributeDef
from annotator.domain.model import (
    Actor,
    Document,
    DocumentMeta,
    HighlightStyle,
    Label,
    Relation,
    RelationType,
    Span,
)
from annotator.store.models import (
    ActorRow,
    DocumentRow,
    LabelRow,
    RelationRow,
    RelationTypeRow,
    SpanRow,
)


def to_label(row: LabelRow) -> Label:
    return Label(
        id=row.id,
        name=row.name,
        colour=row.colour,
        hotkey=row.hotkey,
        position=row.position,
        style=HighlightStyle(row.style),
        description=row.description,
        attributes=tuple(AttributeDef.from_dict(a) for a in row.attributes or ()),
    )


def to_document(row: DocumentRow | Row[Any]) -> Document:
    meta = DocumentMeta(
        title=row.title,
        source=row.source,
        url=row.url,
        author=row.author,
        published=row.published,
        language=row.language,
    )
    return Document(id=row.id, meta=meta, text=row.text, sha256=row.sha256, created=row.created)


def to_span(row: SpanRow | Row[Any]) -> Span:
    return Span(
        id=row.id,
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        label_id=row.label_id,
        quote=row.quote,
        annotator_id=row.annotator_id,
        created=row.created,
        updated=row.updated,
        attributes=dict(row.attributes or {}),
        note=row.note,
        actor_id=row.actor_id,
        origin=row.origin,
        origin_version=row.origin_version,
    )


def to_relation_type(row: RelationTypeRow) -> RelationType:
    return RelationType(
        id=row.id,
        name=row.name,
        source_label_id=row.source_label_id,
        target_label_id=row.target_label_id,
        colour=row.colour,
        position=row.position,
        description=row.description,
    )


def to_relation(row: RelationRow | Row[Any]) -> Relation:
    return Relation(
        id=row.id,
        document_id=row.document_id,
        type_id=row.type_id,
        source_id=row.source_id,
        target_id=row.target_id,
        annotator_id=row.annotator_id,
        created=row.created,
    )


def to_actor(row: ActorRow) -> Actor:
    return Actor(
        id=row.id,
        key=row.key,
        name=row.name,
        kind=row.kind,
        aliases=tuple(row.aliases or ()),
        description=row.description,
        external_id=row.external_id,
    )
