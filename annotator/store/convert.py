"""ORM rows to domain dataclasses: nothing else leaves annotator.store.

Documents, spans and relations also come from Core rows of their tables (bulk reads such as the
export's), which have the same attribute names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, Protocol, cast

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
"""The spans table's columns in `Span`'s field order, for `RawDecoder.span`: the timestamps and
the attributes as stored (SQLAlchemy's SQLite date parser took half of reading 10,000 spans)."""


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


class _MetaColumns(Protocol):
    title: str
    source: str | None
    url: str | None
    author: str | None
    published: str | None
    language: str | None


def to_meta(row: _MetaColumns) -> DocumentMeta:
    """A document row's metadata (a row of the documents table, or of a select of its
    title, source, url, author, published and language columns)."""
    return DocumentMeta(
        title=row.title,
        source=row.source,
        url=row.url,
        author=row.author,
        published=row.published,
        language=row.language,
    )


def to_document(row: DocumentRow | Row[Any]) -> Document:
    meta = to_meta(row)
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


# A Span filled in field by field through its slots, as unpickling does: a frozen dataclass's
# __init__ sets each field through object.__setattr__, which took half the time of reading a
# span. The order of the setters is the order of the fields (checked below).
_new = object.__new__
(
    _set_id,
    _set_document_id,
    _set_start,
    _set_end,
    _set_label_id,
    _set_quote,
    _set_annotator_id,
    _set_created,
    _set_updated,
    _set_attributes,
    _set_note,
    _set_actor_id,
    _set_origin,
    _set_origin_version,
) = (cast(Any, Span).__dict__[f.name].__set__ for f in fields(Span))
assert [f.name for f in fields(Span)] == [
    *("id", "document_id", "start", "end", "label_id", "quote", "annotator_id", "created"),
    *("updated", "attributes", "note", "actor_id", "origin", "origin_version"),
]


class RawDecoder:
    """Spans and relations from rows whose timestamp and JSON columns came back undecoded
    (`type_coerce(column, String)`): the bulk read path of exports.

    SQLAlchemy's SQLite DateTime type parses each value with a regular expression and the JSON
    type calls json.loads on every "{}"; for a million spans that was most of an export. Here a
    stored timestamp is parsed once per distinct text (spans made or imported together share
    them, and an unedited span's `updated` is its `created`) and an empty attribute object is
    not parsed at all. PostgreSQL's driver decodes both types itself: its values pass through
    the same checks as `UTCDateTime` would make.
    """

    __slots__ = ("_times",)

    def __init__(self) -> None:
        self._times: dict[object, datetime] = {}

    def time(self, raw: object) -> datetime:
        found = self._times.get(raw)
        if found is None:
            found = self._times[raw] = _utc(raw)
        return found

    def span(self, row: Sequence[Any]) -> Span:
        span: Span = _new(Span)
        _set_id(span, row[0])
        _set_document_id(span, row[1])
        _set_start(span, row[2])
        _set_end(span, row[3])
        _set_label_id(span, row[4])
        _set_quote(span, row[5])
        _set_annotator_id(span, row[6])
        _set_created(span, self.time(row[7]))
        _set_updated(span, self.time(row[8]))
        _set_attributes(span, _attributes(row[9]))
        _set_note(span, row[10])
        _set_actor_id(span, row[11])
        _set_origin(span, row[12])
        _set_origin_version(span, row[13])
        return span

    def relation(self, row: Sequence[Any]) -> Relation:
        return Relation(row[0], row[1], row[2], row[3], row[4], row[5], self.time(row[6]))


def _utc(raw: object) -> datetime:
    """A stored timestamp as an aware UTC datetime, like `UTCDateTime.process_result_value`."""
    if isinstance(raw, str):
        try:  # SQLite text as SQLAlchemy writes it, "YYYY-MM-DD HH:MM:SS.ffffff" in UTC
            return datetime.fromisoformat(raw + "+00:00")
        except ValueError:
            value = datetime.fromisoformat(raw)
    elif isinstance(raw, datetime):
        value = raw
    else:
        raise TypeError(f"not a stored timestamp: {raw!r}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _attributes(raw: object) -> dict[str, Any]:
    if raw is None or raw == "{}":
        return {}
    if isinstance(raw, str):
        value = json.loads(raw)
        return value if isinstance(value, dict) else {}
    return dict(cast(dict[str, Any], raw))
