"""What interchange formats read and write: documents with their spans, independent of storage.

Writers get `AnnotatedDocument`s (stored documents with their spans, the relations between those
spans, and the labels, annotators, relation types and registry actors those refer to). Readers
yield `ImportedDocument`s, whose spans name their label, annotator and actor instead of pointing
at database rows and whose relations name their ends by the file's own span ids (`ref`), and
`FormatProblem`s for what they could not take. Offsets are always code points here; each format
converts to and from its own unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from annotator.domain.fast_init import fast_init
from annotator.domain.model import (
    Actor,
    Annotator,
    Document,
    DocumentMeta,
    Label,
    Relation,
    RelationType,
    Span,
)


@dataclass(frozen=True, slots=True)
class AnnotatedDocument:
    """A stored document as a writer sees it.

    `relations` link spans of `spans` only (the exporter leaves out those whose ends the
    selection left out); `relation_types` is the whole relation type table and `actors` holds
    the registry entries the spans link to (`Span.actor_id`). `statuses` are the annotators'
    workflow statuses of the document (annotator id -> "in_progress" or "done"; none is "new").
    """

    document: Document
    spans: tuple[Span, ...]
    labels: Mapping[int, Label]
    annotators: Mapping[int, Annotator]
    tags: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    relation_types: Mapping[int, RelationType] = field(default_factory=dict)
    actors: Mapping[int, Actor] = field(default_factory=dict)
    statuses: Mapping[int, str] = field(default_factory=dict)

    def label_name(self, span: Span) -> str:
        return self.labels[span.label_id].name

    def annotator_name(self, span: Span) -> str:
        return self.annotators[span.annotator_id].name

    def relation_type_name(self, relation: Relation) -> str:
        return self.relation_types[relation.type_id].name

    def actor_of(self, span: Span) -> Actor | None:
        """The registry entry the span links to, if it links to one this document carries."""
        return None if span.actor_id is None else self.actors.get(span.actor_id)


@fast_init  # one per span read: see annotator/domain/fast_init.py
@dataclass(frozen=True, slots=True)
class ImportedSpan:
    """A span read from a file: code-point offsets into the document's text, end exclusive.

    `quote` is what the file says the span covers, when it says so; the importer checks it
    against the text and reports a mismatch instead of storing a wrong span.
    """

    start: int
    end: int
    label: str
    quote: str | None = None
    annotator: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    note: str | None = None
    origin: str = ""  # file and line, element or row, for messages
    actor: str | None = None  # the key of the registry actor this mention refers to
    ref: str | None = None  # the file's own id of the span (brat "T3"), which relations name
    created: datetime | None = None  # when the file says it was made; None: at import
    updated: datetime | None = None
    engine: str | None = None  # the suggestion engine it was accepted from (provenance)
    engine_version: str | None = None


@dataclass(frozen=True, slots=True)
class ImportedRelation:
    """A link read from a file: its type by name, its ends by the spans' `ref`s."""

    type: str
    source: str
    target: str
    origin: str = ""
    annotator: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class ImportedActor:
    """A registry entry carried by a file (the native format carries the registry)."""

    key: str
    name: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """A document read from an interchange file, with its spans and the links between them.

    `actors` are the registry entries the file defines for the keys its spans use (empty for
    formats that carry only the keys). `statuses` are annotator name -> workflow status, and
    `created` when the document was first added to the library the file came from.
    """

    text: str
    meta: DocumentMeta
    spans: tuple[ImportedSpan, ...]
    origin: str
    tags: tuple[str, ...] = ()
    relations: tuple[ImportedRelation, ...] = ()
    actors: tuple[ImportedActor, ...] = ()
    statuses: Mapping[str, str] = field(default_factory=dict)
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class FormatProblem:
    """Something a reader or writer could not carry, said where: a file and line, element or row.

    Writers report what the format loses (a nested span in BIO, an attribute brat cannot type);
    readers report what they refuse (a discontinuous brat span, a quote that does not match).
    """

    origin: str
    message: str


@dataclass(slots=True)
class WriteReport:
    """What a writer wrote: counts, the files, and the problems it met."""

    documents: int = 0
    spans: int = 0
    relations: int = 0
    files: list[str] = field(default_factory=list)
    problems: list[FormatProblem] = field(default_factory=list)

    def destination(self, out: Path) -> str:
        """Where the export went, for a message: `out`, "out (12 files)" for a folder, or
        "out and the files beside it" (Label Studio's labeling config)."""
        out = out.expanduser()
        others = [f for f in self.files if Path(f) != out]
        if not others:
            return str(out)
        if all(Path(f).is_relative_to(out) for f in others):
            return f"{out} ({len(self.files)} files)"
        return f"{out} and {', '.join(others)}"
