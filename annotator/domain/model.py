"""The annotation data model as frozen dataclasses, handed from services to the UI and CLI.

Offsets are Python string indices into `Document.text`: Unicode code points, 0-based, end
exclusive. Every span carries its quote, `text[start:end]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


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

    def __len__(self) -> int:
        return self.end - self.start

    def covers(self, offset: int) -> bool:
        return self.start <= offset < self.end
