"""What interchange formats read and write: documents with their spans, independent of storage.

Writers get `AnnotatedDocument`s (stored documents with their spans and the labels and annotators
those refer to). Readers yield `ImportedDocument`s, whose spans name their label and annotator
instead of pointing at database rows, and `FormatProblem`s for what they could not take.
Offsets are always code points here; each format converts to and from its own unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.domain.model import Annotator, Document, DocumentMeta, Label, Span


@dataclass(frozen=True, slots=True)
class AnnotatedDocument:
    """A stored document as a writer sees it."""

    document: Document
    spans: tuple[Span, ...]
    labels: Mapping[int, Label]
    annotators: Mapping[int, Annotator]
    tags: tuple[str, ...] = ()

    def label_name(self, span: Span) -> str:
        return self.labels[span.label_id].name

    def annotator_name(self, span: Span) -> str:
        return self.annotators[span.annotator_id].name


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


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """A document read from an interchange file, with its spans."""

    text: str
    meta: DocumentMeta
    spans: tuple[ImportedSpan, ...]
    origin: str
    tags: tuple[str, ...] = ()


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
    files: list[str] = field(default_factory=list)
    problems: list[FormatProblem] = field(default_factory=list)
