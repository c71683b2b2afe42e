"""ORM rows to domain dataclasses: nothing else leaves annotator.store.

Documents, spans and relations also come from Core rows of their tables (bulk reads such as the
export's), which have the same attribute names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Row, String, Table, type_coerce

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

_SPANS = cast(Table, SpanRow.__table__)
SPAN_COLUMNS = (
    *(_SPANS.c[name] for name in ("id", "document_id", "start", "end", "label_id", "quote")),
    _SPANS.c.annotator_id,
    type_coerce(_SPANS.c.created, String).label("created"),
    type_coerce(_SPANS.c.updated, String).label("updated"),
    type_coerce(_SPANS.c.attributes, String).label("attributes"),
    *(_SPANS.c[name] for name in ("note", "actor_id", "origin", "origin_version")),
)
"""The spans table's columns in `Span`'s field order, for `plain_span`: the timestamps and the
attributes as stored, parsed by `utc` and `_attributes` (SQLAlchemy's SQLite date parser took
half of reading 10,000 spans)."""


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


def utc(value: datetime | str) -> datetime:
    """A timestamp read as plain text (SQLite) or a datetime (PostgreSQL), in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _attributes(value: str | dict[str, Any] | None) -> dict[str, Any]:
    """Attributes read as JSON text (SQLite) or already decoded (PostgreSQL's driver)."""
    if isinstance(value, dict):
        return dict(value)
    if value is None or value == "{}":
        return {}
    loaded = json.loads(value)
    return dict(loaded) if isinstance(loaded, dict) else {}


def plain_span(row: Sequence[Any]) -> Span:
    """A span from a row of `SPAN_COLUMNS` (timestamps read as text, see `utc`)."""
    return Span(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        utc(row[7]),
        utc(row[8]),
        _attributes(row[9]),
        row[10],
        row[11],
        row[12],
        row[13],
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
