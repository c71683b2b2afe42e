"""Revisions of an article and the spans a new version put up for review (plain data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class ReviewReason(StrEnum):
    CHANGED = "changed"  # placed, but the quote's text changed
    UNPLACED = "unplaced"  # not placed with confidence: kept whole in the review entry


class Resolution(StrEnum):
    KEPT = "kept"  # a changed span accepted where it was placed
    PLACED = "placed"  # an unplaced span put back at a place a person chose
    DISCARDED = "discarded"  # the span is gone for good (undo brings it back)


@dataclass(frozen=True, slots=True)
class PlacedSpan:
    """A span that keeps its row: its new offsets and quote (changed when the text did)."""

    span_id: int
    old_start: int
    old_end: int
    start: int
    end: int
    quote: str
    changed: bool  # the quote differs from the old one: a review entry is made


@dataclass(frozen=True, slots=True)
class RevisionPlan:
    """What storing a new version of document `document_id` does, decided before any write.

    `placed` spans move (and, if changed, get a review entry); `unplaced` span ids leave the
    spans table for review entries that keep them whole, with their links; `hints` is where
    each unplaced span was, mapped into the new text (start, end), for a person to look at.
    `rejections` maps each kept rejection id to its new (start, end); the others are dropped.
    """

    document_id: int
    text: str
    placed: tuple[PlacedSpan, ...]
    unplaced: tuple[int, ...]
    hints: dict[int, tuple[int, int]]
    reasons: dict[int, str]
    rejections: dict[int, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class StoredRevision:
    document_id: int
    number: int  # the number the replaced text got in document_revisions
    placed: int  # spans at the same quote
    changed: int  # spans placed with a changed quote (each has a review entry)
    unplaced: int  # spans moved to review entries
    links_recorded: int  # links kept in the review entries of unplaced spans
    suggestions_dropped: int
    rejections_kept: int
    rejections_dropped: int

    @property
    def to_review(self) -> int:
        return self.changed + self.unplaced


@dataclass(frozen=True, slots=True)
class SpanReview:
    """One review entry. For a changed span `span_id` is the span (its current place is in
    `start`/`end`/`quote`); for an unplaced one `record` keeps the span and its links, and
    `start`/`end` are a hint of where it was (None when nothing maps there)."""

    id: int
    document_id: int
    reason: ReviewReason
    label_id: int
    annotator_id: int
    old_start: int
    old_end: int
    old_quote: str
    span_id: int | None
    start: int | None
    end: int | None
    quote: str | None
    prefix: str  # the old text just before the old quote, within its paragraph
    suffix: str  # and just after
    record: dict[str, Any]
    created: datetime
    resolution: Resolution | None


_DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalise_url(url: str) -> str:
    """The form in which two URLs of one article compare equal.

    Normalised: surrounding space; the scheme and host in lower case; the scheme's default
    port (http 80, https 443) dropped; the fragment dropped; trailing slashes of the path
    dropped. Not touched: the path's case and the query (either can name another article:
    `?id=1` and `?id=2` are two articles), percent-escapes, user names.
    """
    url = url.strip().split("#", 1)[0]
    scheme, sep, rest = url.partition("://")
    if not sep:
        return _strip_slashes(url)
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    netloc, tail = rest[:cut], rest[cut:]
    user, at, hostport = netloc.rpartition("@")
    host, colon, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    if host.startswith("[") and not host.endswith("]"):  # an IPv6 address without a port
        host, colon, port = hostport, "", ""
    scheme = scheme.lower()
    if colon and port in ("", _DEFAULT_PORTS.get(scheme)):
        colon = port = ""
    return f"{scheme}://{user}{at}{host.lower()}{colon}{port}{_strip_slashes(tail)}"


def _strip_slashes(url: str) -> str:
    """Trailing slashes of the path removed (before any query)."""
    path, question, query = url.partition("?")
    return path.rstrip("/") + question + query


def url_variants(url: str) -> list[str]:
    """Common spellings of `url` that `normalise_url` equates with it, for a lookup by
    equality on the (indexed) stored URL before a slower search for rarer spellings."""
    plain = normalise_url(url)
    raw = url.strip()
    path, question, query = plain.partition("?")
    return sorted({plain, path + "/" + question + query, raw, raw.split("#", 1)[0]} - {""})


def url_key(url: str) -> str:
    """A cheap key that is equal for URLs `normalise_url` equates (and for some others): the
    last segment of the path (or the host) in lower case, up to any colon."""
    path = url.strip().split("#", 1)[0].split("?", 1)[0].rstrip("/")
    return path.rsplit("/", 1)[-1].lower().split(":", 1)[0]
