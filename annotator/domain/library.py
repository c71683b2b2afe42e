"""The corpus as a library: statuses, filters, list rows, search queries and hits.

Plain data and pure functions. The search syntax is parsed here, once for every backend, so that
SQLite (FTS5) and PostgreSQL (tsquery) accept and refuse the same queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Document, DocumentMeta, Relation, Span
from annotator.domain.model import DocumentStatus as DocumentStatus


class SearchQueryError(AnnotatorError):
    """A search the user typed that cannot be run (an unclosed quote, only exclusions, ...)."""


@dataclass(frozen=True, slots=True)
class StatusChange:
    """An edit moved one annotator's status of a document (the first span of a new document
    starts it: new -> in progress). The edit's undo takes it back in its own transaction."""

    document_id: int
    annotator_id: int
    before: DocumentStatus
    after: DocumentStatus


class LibrarySort(StrEnum):
    """The columns the library can be sorted by. Ties are always broken by document id."""

    TITLE = "title"
    PUBLISHED = "published"
    SOURCE = "source"
    STATUS = "status"  # workflow order: new, in progress, done; then by title
    SPANS = "spans"
    CREATED = "created"


@dataclass(frozen=True, slots=True)
class LibraryFilter:
    """What the library shows; every field that is set must hold (AND). Empty = everything.

    `label_id`: the document has at least one span with this label, by any annotator.
    `text`: a search in the syntax of `parse_search_query`.
    `assigned_to`: the document is assigned to this annotator id.
    """

    status: DocumentStatus | None = None
    source: str | None = None
    tag: str | None = None
    label_id: int | None = None
    text: str | None = None
    assigned_to: int | None = None


@dataclass(frozen=True, slots=True)
class LibraryRow:
    """One row of the document library, for one annotator: no text."""

    id: int
    title: str
    source: str | None
    published: str | None
    language: str | None
    created: datetime
    span_count: int  # spans by all annotators
    status: DocumentStatus  # this annotator's
    tags: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()  # names of the annotators it is assigned to
    my_span_count: int = 0  # this annotator's spans


class Progress(NamedTuple):
    """`done` of `total` documents are done for one annotator ("37 of 120 done")."""

    done: int
    total: int


@dataclass(frozen=True, slots=True)
class FacetCount:
    """A source or tag with the number of documents that have it."""

    value: str
    count: int


@dataclass(frozen=True, slots=True)
class AddedDocument:
    """A bulk-added item that became a new document."""

    id: int


@dataclass(frozen=True, slots=True)
class DuplicateOf:
    """A bulk-added item whose text is already stored: as `existing_id`, either in the database
    before the call or (`in_batch`) as an earlier item of the same call."""

    existing_id: int
    existing_title: str
    in_batch: bool = False


@dataclass(frozen=True, slots=True)
class StatusEntry:
    annotator_id: int
    status: DocumentStatus
    updated: datetime


@dataclass(frozen=True, slots=True)
class DocumentContents:
    """A stored document with its spans (in reading order: start, longest first), relations,
    tags and each annotator's status (annotator id -> status; not listed is NEW)."""

    document: Document
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    tags: tuple[str, ...]
    statuses: dict[int, DocumentStatus]


@dataclass(frozen=True, slots=True)
class DeletedDocument:
    """A deleted document with everything that hung on it, enough to put it back as it was."""

    document: Document
    tags: tuple[str, ...]
    statuses: tuple[StatusEntry, ...]
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...] = ()
    assignees: tuple[int, ...] = ()  # annotator ids it was assigned to


@dataclass(frozen=True, slots=True)
class DeletedDocuments:
    documents: tuple[DeletedDocument, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(d.document.id for d in self.documents)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A document found by a search.

    `snippet` is plain text (never markup); `hits` are the (start, end) ranges of matched words
    within it, as Python string offsets. `rank` is higher for better matches; it only orders hits
    of one query and is not comparable between backends.
    """

    document_id: int
    title: str
    source: str | None
    published: str | None
    snippet: str
    hits: tuple[tuple[int, int], ...]
    rank: float


@dataclass(frozen=True, slots=True)
class SpanHit:
    """An annotation found by label and/or quote text, with its document's title."""

    span_id: int
    document_id: int
    document_title: str
    label_id: int
    annotator_id: int
    start: int
    end: int
    quote: str


def normalise_tags(tags: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Tags as stored: surrounding and repeated inner spaces removed, empties and repeats
    dropped, first spelling and order kept. Refuses a tag longer than MAX_TAG_LENGTH."""
    seen: dict[str, None] = {}
    for raw in tags:
        tag = " ".join(raw.split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise AnnotatorError(
                f"the tag {tag[:40]!r}... is longer than {MAX_TAG_LENGTH} characters"
            )
        seen.setdefault(tag, None)
    return tuple(seen)


MAX_TAG_LENGTH = 100

# Column sizes of the metadata, checked before writing so that SQLite (which would store any
# length) and PostgreSQL (which would refuse with a driver error) behave the same.
META_LIMITS = {"title": 500, "source": 500, "author": 500, "published": 40, "language": 35}


def check_meta(meta: DocumentMeta) -> None:
    """Refuse metadata that does not fit the columns, naming the field."""
    if not meta.title.strip():
        raise AnnotatorError("a document needs a title")
    for name, limit in META_LIMITS.items():
        value = getattr(meta, name)
        if value is not None and len(value) > limit:
            raise AnnotatorError(f"the {name} {value[:40]!r}... is longer than {limit} characters")


def check_new_documents(
    items: Sequence[tuple[DocumentMeta, str, tuple[str, ...]]],
) -> list[tuple[str, ...]]:
    """Refuse items (meta, text, tags) that cannot be added as documents, naming the first
    that cannot (by its place, from 1, and its title); each item's tags as stored."""
    tags: list[tuple[str, ...]] = []
    for i, (meta, text, item_tags) in enumerate(items, start=1):
        if "\r" in text:
            raise ValueError(f"item {i}: line ends must be normalised before adding")
        try:
            check_meta(meta)
            tags.append(normalise_tags(item_tags))
        except AnnotatorError as exc:
            raise AnnotatorError(f"item {i} ({meta.title[:60]!r}): {exc}") from exc
    return tags


# Search syntax ---------------------------------------------------------------------------------

MAX_QUERY_LENGTH = 1000

# Snippets come back from the database with these around each matched word; they are private-use
# code points, removed again by `split_marked_snippet`, so the snippet reaches the UI as plain text.
HIT_START = "\ue000"
HIT_END = "\ue001"


@dataclass(frozen=True, slots=True)
class SearchTerm:
    """A word or a quoted phrase. `prefix`: a word typed with a trailing `*` (`Korea*`)."""

    text: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """All of `required` (each clause: any of its terms) and none of `excluded`."""

    required: tuple[tuple[SearchTerm, ...], ...] = ()
    excluded: tuple[SearchTerm, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.required


def _has_word(text: str) -> bool:
    # Full-text indexes drop punctuation and symbols; a term of nothing else finds nothing.
    return any(ch.isalnum() for ch in text)


def parse_search_query(text: str) -> SearchQuery:
    """Parse what the user typed into the search box.

    Words must all appear, in any order and case (`kim car`). `"a phrase"` must appear as typed.
    `OR` between terms accepts either; `-word` or `NOT word` excludes; `word*` matches words that
    start with it. `AND` is accepted and changes nothing. Anything else, including FTS5 or tsquery
    operators (`NEAR(`, `^`, `:`, `&`), is searched for as text. An empty query finds nothing.
    Raises `SearchQueryError` for an unclosed quote or a query that only excludes.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"the search is longer than {MAX_QUERY_LENGTH} characters")
    # Control characters (NUL included, which PostgreSQL refuses in text) separate words.
    text = "".join(" " if (ch.isspace() or ord(ch) < 32 or ord(ch) == 127) else ch for ch in text)
    if text.count('"') % 2:
        raise SearchQueryError(
            'the search has an unclosed quote: put a " at the end of the phrase, or remove it'
        )
    required: list[list[SearchTerm]] = []
    excluded: list[SearchTerm] = []
    pending_or = False
    negate = False
    pos, n = 0, len(text)
    while pos < n:
        ch = text[pos]
        if ch == " ":
            pos += 1
            continue
        minus = False
        if ch == "-" and pos + 1 < n and text[pos + 1] != " ":
            minus, pos = True, pos + 1
            ch = text[pos]
        if ch == '"':
            close = text.index('"', pos + 1)
            term: SearchTerm | None = SearchTerm(" ".join(text[pos + 1 : close].split()), True)
            pos = close + 1
        else:
            end = pos
            while end < n and text[end] not in ' "':
                end += 1
            word = text[pos:end]
            pos = end
            if not minus and word in ("OR", "AND", "NOT"):
                if word == "OR":
                    pending_or = bool(required)
                elif word == "NOT":
                    negate = True
                continue
            stem = word.rstrip("*")
            prefix = stem != word and stem.isalnum()
            term = SearchTerm(stem if prefix else word, prefix=prefix)
        if term is None or not _has_word(term.text):
            pending_or = negate = False
            continue
        if minus or negate:
            excluded.append(term)
        elif pending_or:
            required[-1].append(term)
        else:
            required.append([term])
        pending_or = negate = False
    if excluded and not required:
        raise SearchQueryError(
            "the search only excludes words: add at least one word that must appear"
        )
    return SearchQuery(tuple(tuple(c) for c in required), tuple(excluded))


def split_marked_snippet(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Remove HIT_START/HIT_END markers; return the plain text and the marked ranges in it.

    Unpaired markers (a document that itself contains these private-use characters) are
    dropped without a range.
    """
    plain: list[str] = []
    hits: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for ch in marked:
        if ch == HIT_START:
            start = length
        elif ch == HIT_END:
            if start is not None and length > start:
                hits.append((start, length))
            start = None
        else:
            plain.append(ch)
            length += 1
    return "".join(plain), tuple(hits)


@dataclass(frozen=True, slots=True)
class Assignment:
    """A document given to an annotator to annotate."""

    document_id: int
    title: str
    annotator: str
