"""What a source reader yields: documents found in a file, or the reasons parts were refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.domain.model import DocumentMeta


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """One article read from a file, before it is stored.

    `origin` names where it came from for the import summary: the file, and the archive member,
    line or row where that applies (`news.zip!a.txt`, `tasks.jsonl:12`, `sheet.csv:row 4`).
    """

    text: str
    meta: DocumentMeta
    origin: str
    tags: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A file, member, line or row that could not become a document, and why."""

    origin: str
    reason: str
