"""The annotation data model as frozen dataclasses, handed from services to the UI and CLI.

Offsets are Python string indices into `Document.text`: Unicode code points, 0-based, end
exclusive. Every span carries its quote, `text[start:end]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from annotator.domain.attributes import AttributeDef
from annotator.domain.fast_init import fast_init


class HighlightStyle(StrEnum):
    """How a label is drawn, so that nested spans of different labels stay readable."""

    BACKGROUND = "background"
    UNDERLINE = "underline"


@dataclass(frozen=True, slots=True)
class Label:
    id: int
    name: str
    colour: str
    hotkey: str | None
    position: int
    style: HighlightStyle = HighlightStyle.BACKGROUND
    description: str = ""
    attributes: tuple[AttributeDef, ...] = ()

    def attribute(self, name: str) -> AttributeDef | None:
        return next((a for a in self.attributes if a.name == name), None)


@dataclass(frozen=True, slots=True)
class Annotator:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What describes an article besides its text."""

    title: str
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date or date-time, as precise as known
    language: str | None = None


# The fields of DocumentMeta (plus the document's tags) that a metadata column or key can fill.
META_FIELDS = ("title", "source", "url", "author", "published", "language", "tags")


class DocumentStatus(StrEnum):
    """Where one annotator stands with one document. No stored status means NEW."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def rank(self) -> int:
        """Workflow order, used when the library is sorted by status."""
        return _STATUS_RANK[self]


_STATUS_RANK = {DocumentStatus.NEW: 0, DocumentStatus.IN_PROGRESS: 1, DocumentStatus.DONE: 2}


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    meta: DocumentMeta
    text: str
    sha256: str
    created: datetime

    @property
    def title(self) -> str:
        return self.meta.title


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A row of the document list: no text, span counts per label name."""

    id: int
    title: str
    source: str | None
    published: str | None
    length: int
    span_counts: dict[str, int] = field(default_factory=dict)

    @property
    def span_total(self) -> int:
        return sum(self.span_counts.values())


@dataclass(frozen=True, slots=True)
class Span:
    id: int
    document_id: int
    start: int
    end: int
    label_id: int
    quote: str
    annotator_id: int
    created: datetime
    updated: datetime
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    actor_id: int | None = None  # the registry entry an ACTOR mention refers to
    origin: str | None = None  # the suggestion engine it was accepted from, if any
    origin_version: str | None = None  # that engine's model version

    def __len__(self) -> int:
        return self.end - self.start

    def covers(self, offset: int) -> bool:
        return self.start <= offset < self.end


@fast_init  # one per span imported: see annotator/domain/fast_init.py
@dataclass(frozen=True, slots=True)
class NewSpan:
    """A span to store in bulk (`Repository.add_spans`): a `Span` before it has an id.

    `quote`, when given, must be the text's slice; `created`/`updated` default to now.
    """

    start: int
    end: int
    label_id: int
    annotator_id: int
    quote: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    actor_id: int | None = None
    created: datetime | None = None
    updated: datetime | None = None
    origin: str | None = None
    origin_version: str | None = None


@dataclass(frozen=True, slots=True)
class NewRelation:
    """A relation to store in bulk (`Repository.add_relations`): a `Relation` before it has an
    id. `created` defaults to now."""

    type_id: int
    source_id: int
    target_id: int
    annotator_id: int
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class RelationType:
    """A kind of link between two spans, such as SOURCE (claim -> actor who makes it).

    `source_label_id`/`target_label_id` restrict which labels it may link; None allows any.
    """

    id: int
    name: str
    source_label_id: int | None
    target_label_id: int | None
    colour: str
    position: int
    description: str = ""

    def allows(self, source_label_id: int, target_label_id: int) -> bool:
        return self.source_label_id in (None, source_label_id) and self.target_label_id in (
            None,
            target_label_id,
        )


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, directed link from one span to another span of the same document."""

    id: int
    document_id: int
    type_id: int
    source_id: int
    target_id: int
    annotator_id: int
    created: datetime

    def touches(self, span_id: int) -> bool:
        return span_id in (self.source_id, self.target_id)


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor of the registry, which ACTOR mentions across the corpus refer to.

    `key` is a short stable identifier chosen by the user ("kim-yo-jong"), used in exports;
    `external_id` is an identifier elsewhere, typed in (a Wikidata QID such as "Q7338"); nothing
    is fetched.
    """

    id: int
    key: str
    name: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    external_id: str | None = None

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Schema:
    """The labels with their attributes and the relation types: what can be annotated."""

    labels: tuple[Label, ...]
    relation_types: tuple[RelationType, ...]

    def label(self, label_id: int) -> Label:
        for label in self.labels:
            if label.id == label_id:
                return label
        raise KeyError(label_id)

    def label_named(self, name: str) -> Label | None:
        return next((label for label in self.labels if label.name == name), None)

    def relation_type(self, type_id: int) -> RelationType:
        for relation_type in self.relation_types:
            if relation_type.id == type_id:
                return relation_type
        raise KeyError(type_id)

    def relation_type_named(self, name: str) -> RelationType | None:
        return next((t for t in self.relation_types if t.name == name), None)

    def relation_types_between(
        self, source_label_id: int, target_label_id: int
    ) -> list[RelationType]:
        return [t for t in self.relation_types if t.allows(source_label_id, target_label_id)]


@dataclass(frozen=True, slots=True)
class DeletedSpans:
    """Spans deleted together with the relations that went with them: enough to undo."""

    spans: tuple[Span, ...]
    relations: tuple[Relation, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.spans)


@dataclass(frozen=True)
class DocumentFingerprint:
    """A document's text, spans and links in brief: equal fingerprints mean nobody stored a
    new version of the text (`sha256`) nor added, edited or deleted a span or link (edits bump
    a span's `updated`; links are added and deleted, never edited)."""

    sha256: str | None  # None: the document is gone
    spans: int
    last_span_id: int | None
    last_span_update: datetime | None
    links: int
    last_link_id: int | None

    @classmethod
    def of(
        cls, document: Document, spans: Sequence[Span], relations: Sequence[Relation]
    ) -> DocumentFingerprint:
        return cls(
            document.sha256,
            len(spans),
            max((s.id for s in spans), default=None),
            max((s.updated for s in spans), default=None),
            len(relations),
            max((r.id for r in relations), default=None),
        )
