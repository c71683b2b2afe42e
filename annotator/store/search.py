"""Full-text search: FTS5 on SQLite, a stored tsvector with a GIN index on PostgreSQL.

Both take a `SearchQuery` parsed once (annotator.domain.library), so that the two backends
accept the same syntax. User text never becomes query syntax: on SQLite every term is written
as an FTS5 string ("..."), on PostgreSQL every term is a bound parameter of phraseto_tsquery.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from annotator.domain.library import (
    HIT_END,
    HIT_START,
    SearchHit,
    SearchQuery,
    SearchQueryError,
    SearchTerm,
    split_marked_snippet,
)
from annotator.store.models import DocumentRow
from annotator.store.schema_extras import FTS_DEFER, FTS_PENDING, FTS_TABLE, PG_SEARCH_COLUMN

# The stored tsvector (title weighted A, text D) with the GIN index, made by migration 0002.
PG_VECTOR = f"documents.{PG_SEARCH_COLUMN}"
_SIMPLE = "'simple'::regconfig"

SNIPPET_TOKENS = 24  # words of context around the hits in a snippet
# ts_headline: about the same amount of context, up to two fragments.
_PG_HEADLINE_OPTIONS = (
    f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=30, MinWords=12, ShortWord=0, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# SQLite FTS5 ------------------------------------------------------------------------------------


def fts5_expression(query: SearchQuery) -> str:
    """The FTS5 MATCH expression: each term an FTS5 string, so no user text is an operator."""

    def term(t: SearchTerm) -> str:
        quoted = '"' + t.text.replace('"', '""') + '"'
        return quoted + " *" if t.prefix else quoted

    def clause(terms: tuple[SearchTerm, ...]) -> str:
        return term(terms[0]) if len(terms) == 1 else "(" + " OR ".join(map(term, terms)) + ")"

    expression = " AND ".join(clause(c) for c in query.required)
    if query.excluded:
        expression = f"({expression})" + "".join(f" NOT {term(t)}" for t in query.excluded)
    return expression


def _fts5_error(exc: OperationalError) -> SearchQueryError:
    return SearchQueryError(f"the search cannot be run: {exc.orig or exc}")


# Indexing after an import (migration 0007) ------------------------------------------------------

# Documents indexed per transaction of the index pass: a window writing meanwhile waits for
# one batch at most (500 articles of 5 kB: about 0.05 s).
INDEX_BATCH = 500


def set_deferred(session: Session, deferring: bool) -> None:
    """Make the documents inserted from now on in this transaction pending (True) or indexed
    as they are inserted (False, the default). SQLite only; a no-op on PostgreSQL."""
    if _dialect(session) == "sqlite":
        session.execute(text(f"UPDATE {FTS_DEFER} SET deferring = :on"), {"on": int(deferring)})


def pending_count(session: Session) -> int:
    """Documents stored and not yet in the full-text index (always 0 on PostgreSQL)."""
    if _dialect(session) != "sqlite":
        return 0
    return int(session.execute(text(f"SELECT count(*) FROM {FTS_PENDING}")).scalar_one())


def index_pending(session: Session, limit: int | None = None) -> int:
    """Index up to `limit` (INDEX_BATCH) pending documents, the lowest ids first, and take
    them off the list; how many. One INSERT ... SELECT, so FTS5 writes one segment for them."""
    if _dialect(session) != "sqlite":
        return 0
    ids = (
        session.execute(
            text(f"SELECT document_id FROM {FTS_PENDING} ORDER BY document_id LIMIT :n"),
            {"n": limit or INDEX_BATCH},
        )
        .scalars()
        .all()
    )
    if not ids:
        return 0
    bounds = {"first": ids[0], "last": ids[-1]}
    session.execute(
        text(
            f"INSERT INTO {FTS_TABLE}(rowid, title, text) SELECT d.id, d.title, d.text "
            f"FROM {FTS_PENDING} AS p JOIN documents AS d ON d.id = p.document_id "
            "WHERE p.document_id BETWEEN :first AND :last"
        ),
        bounds,
    )
    session.execute(
        text(f"DELETE FROM {FTS_PENDING} WHERE document_id BETWEEN :first AND :last"), bounds
    )
    return len(ids)


# PostgreSQL tsquery -----------------------------------------------------------------------------


def _pg_term(t: SearchTerm) -> ColumnElement[object]:
    if t.prefix:  # the parser only sets prefix on letters and digits: safe inside quotes
        return func.to_tsquery(literal_column(_SIMPLE), bindparam(None, f"'{t.text}':*"))
    return func.phraseto_tsquery(literal_column(_SIMPLE), bindparam(None, t.text))


def pg_tsquery(query: SearchQuery) -> ColumnElement[object]:
    """The query as a tsquery built from bound parameters with tsquery_and/or/not."""
    result: ColumnElement[object] | None = None
    for terms in query.required:
        either = _pg_term(terms[0])
        for t in terms[1:]:
            either = func.tsquery_or(either, _pg_term(t))
        result = either if result is None else func.tsquery_and(result, either)
    assert result is not None, "an empty query is answered before it reaches the database"
    for t in query.excluded:
        result = func.tsquery_and(result, func.tsquery_not(_pg_term(t)))
    return result


def _pg_matches(tsquery: ColumnElement[object]) -> ColumnElement[bool]:
    return literal_column(PG_VECTOR).bool_op("@@")(tsquery)


# Both -------------------------------------------------------------------------------------------


def matching_ids(session: Session, query: SearchQuery) -> Select[Any]:
    """SELECT the ids of the documents the query finds (no ranking)."""
    if _dialect(session) == "sqlite":
        fts = table(FTS_TABLE, column("rowid", Integer()))
        return select(fts.c.rowid).where(
            literal_column(FTS_TABLE).bool_op("MATCH")(bindparam(None, fts5_expression(query)))
        )
    return select(DocumentRow.id).where(_pg_matches(pg_tsquery(query)))


def count_matches(session: Session, query: SearchQuery) -> int:
    if query.is_empty:
        return 0
    if _dialect(session) == "sqlite":
        try:
            return int(
                session.execute(
                    text(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"),
                    {"q": fts5_expression(query)},
                ).scalar_one()
            )
        except OperationalError as exc:
            raise _fts5_error(exc) from exc
    return int(
        session.execute(
            select(func.count()).select_from(matching_ids(session, query).subquery())
        ).scalar_one()
    )


def search_documents(
    session: Session, query: SearchQuery, *, limit: int, offset: int
) -> list[SearchHit]:
    """The best `limit` documents after `offset`, best first (ties by id)."""
    if query.is_empty or limit <= 0:
        return []
    if _dialect(session) == "sqlite":
        return _search_sqlite(session, query, limit=limit, offset=offset)
    return _search_postgresql(session, query, limit=limit, offset=offset)


def _search_sqlite(
    session: Session, query: SearchQuery, *, limit: int, offset: int
) -> list[SearchHit]:
    expression = fts5_expression(query)
    try:
        # FTS5 sorts by its `rank` (bm25 with the title weighted, set in migration 0002) itself;
        # the snippet is made only for the rows of this page.
        found = session.execute(
            text(
                f"SELECT rowid, rank, snippet({FTS_TABLE}, 1, :start, :end, '…', :tokens) "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q "
                "ORDER BY rank, rowid LIMIT :limit OFFSET :offset"
            ),
            {
                "q": expression,
                "start": HIT_START,
                "end": HIT_END,
                "tokens": SNIPPET_TOKENS,
                "limit": limit,
                "offset": max(0, offset),
            },
        ).all()
    except OperationalError as exc:
        raise _fts5_error(exc) from exc
    meta = {
        row.id: row
        for row in session.execute(
            select(
                DocumentRow.id, DocumentRow.title, DocumentRow.source, DocumentRow.published
            ).where(DocumentRow.id.in_([r[0] for r in found]))
        )
    }
    hits = []
    for doc_id, rank, marked in found:
        row = meta[doc_id]
        snippet, ranges = split_marked_snippet(marked or "")
        hits.append(
            SearchHit(
                document_id=doc_id,
                title=row.title,
                source=row.source,
                published=row.published,
                snippet=snippet,
                hits=ranges,
                rank=-float(rank),  # bm25: lower is better
            )
        )
    return hits


def _search_postgresql(
    session: Session, query: SearchQuery, *, limit: int, offset: int
) -> list[SearchHit]:
    tsquery = pg_tsquery(query)
    # Default weights {D 0.1, C 0.2, B 0.4, A 1.0}: a title word weighs ten text words, as on
    # SQLite.
    rank = func.ts_rank(literal_column(PG_VECTOR), tsquery).label("rank")
    page = (
        select(DocumentRow.id, rank)
        .where(_pg_matches(tsquery))
        .order_by(rank.desc(), DocumentRow.id)
        .limit(limit)
        .offset(max(0, offset))
        .subquery()
    )
    headline = func.ts_headline(
        literal_column(_SIMPLE), DocumentRow.text, tsquery, _PG_HEADLINE_OPTIONS
    )
    rows = session.execute(
        select(
            DocumentRow.id,
            DocumentRow.title,
            DocumentRow.source,
            DocumentRow.published,
            headline,
            page.c.rank,
        )
        .join(page, page.c.id == DocumentRow.id)
        .order_by(page.c.rank.desc(), DocumentRow.id)
    ).all()
    hits = []
    for doc_id, title, source, published, marked, score in rows:
        snippet, ranges = split_marked_snippet(marked or "")
        hits.append(
            SearchHit(
                document_id=doc_id,
                title=title,
                source=source,
                published=published,
                snippet=snippet,
                hits=ranges,
                rank=float(score),
            )
        )
    return hits
