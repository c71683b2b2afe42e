"""Finding things: documents by full-text search, annotations by label and quote.

The search syntax (`annotator.domain.library.parse_search_query`) is the same on SQLite and
PostgreSQL: words (all must appear), "a phrase", OR, -word / NOT word, word*.

Imports store their documents without indexing them for search (on SQLite; see migration
0007): `index_for_search` indexes what they left, and the searches here do it first unless told
not to (the window indexes in the background and searches what is indexed meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.domain.library import SearchHit, SpanHit, parse_search_query
from annotator.store import Database

__all__ = [
    "count_search_matches",
    "index_for_search",
    "pending_search_count",
    "search_documents",
    "search_spans",
]


def pending_search_count(db: Database) -> int:
    """Documents stored by an import that searches do not find yet (0 on PostgreSQL)."""
    with db.reading() as repo:
        return repo.pending_search_count()


def index_for_search(
    db: Database,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Index every document an import left out of the full-text index, a batch per
    transaction (another program writing meanwhile waits for one batch at most), reporting
    (indexed, total) after each; how many. A cancel stops it between batches: what was indexed
    stays indexed, the rest stays pending. Documents imported meanwhile are indexed too."""
    total = pending_search_count(db)
    done = 0
    while total and not (cancelled is not None and cancelled()):
        with db.transaction() as repo:
            indexed = repo.index_pending_search()
        if not indexed:
            break
        done += indexed
        total = max(total, done)
        if progress is not None:
            progress(done, total)
    return done


def search_documents(
    db: Database, *, query: str, limit: int = 50, offset: int = 0, index_first: bool = True
) -> list[SearchHit]:
    """The documents that match, best first, each with a plain-text snippet and the ranges of
    the matched words in it. An empty query finds nothing; a query that cannot be understood
    (an unclosed quote) raises SearchQueryError, an AnnotatorError. With `index_first`,
    documents an import left unindexed are indexed first (`index_for_search`); without, they
    are not searched (`pending_search_count` says how many)."""
    parsed = parse_search_query(query)
    if parsed.is_empty:
        return []
    if index_first:
        index_for_search(db)
    with db.reading() as repo:
        return repo.search_documents(parsed, limit=limit, offset=offset)


def count_search_matches(db: Database, *, query: str, index_first: bool = True) -> int:
    """How many documents `search_documents` would find without a limit."""
    parsed = parse_search_query(query)
    if parsed.is_empty:
        return 0
    if index_first:
        index_for_search(db)
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
