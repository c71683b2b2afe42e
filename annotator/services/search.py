"""Finding things: documents by full-text search, annotations by label and quote.

The search syntax (`annotator.domain.library.parse_search_query`) is the same on SQLite and
PostgreSQL: words (all must appear), "a phrase", OR, -word / NOT word, word*.
"""

from __future__ import annotations

from annotator.domain.library import SearchHit, SpanHit, parse_search_query
from annotator.store import Database

__all__ = ["count_search_matches", "search_documents", "search_spans"]


def search_documents(
    db: Database, *, query: str, limit: int = 50, offset: int = 0
) -> list[SearchHit]:
    """The documents that match, best first, each with a plain-text snippet and the ranges of
    the matched words in it. An empty query finds nothing; a query that cannot be understood
    (an unclosed quote) raises SearchQueryError, an AnnotatorError."""
    parsed = parse_search_query(query)
    if parsed.is_empty:
        return []
    with db.reading() as repo:
        return repo.search_documents(parsed, limit=limit, offset=offset)


def count_search_matches(db: Database, *, query: str) -> int:
    """How many documents `search_documents` would find without a limit."""
    parsed = parse_search_query(query)
    if parsed.is_empty:
        return 0
    with db.reading() as repo:
        return repo.count_search_matches(parsed)


def search_spans(
    db: Database,
    *,
    label_id: int | None = None,
    quote_contains: str | None = None,
    limit: int = 200,
) -> list[SpanHit]:
    """Annotations with this label and/or whose quote contains this text (case-insensitive
    for ASCII letters), in document and text order, with their document's title."""
    with db.reading() as repo:
        return repo.search_spans(label_id=label_id, quote_contains=quote_contains, limit=limit)
