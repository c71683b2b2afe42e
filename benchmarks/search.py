"""Full-text search and library pages on a large corpus, against the bare FTS5 query.

    python benchmarks/search.py [--docs 100000] [--db PATH|URL]

Builds (once; reused when --db already holds that many documents) a library of synthetic
5 KB articles with statuses and spans, then prints two tables of median times over several
runs: `search_documents` for rare, common and very common words, phrases, prefixes and
exclusions (with the bare `SELECT rowid FROM documents_fts WHERE MATCH ... ORDER BY rank LIMIT
50` as the floor on SQLite), and `page_documents` / `count_documents` for every sort order,
near the top and deep into the list, with and without filters.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figure, Size
from corpus import ANNOTATOR, open_library, vocabulary
from sqlalchemy import text

from annotator.domain.library import DocumentStatus, LibraryFilter, LibrarySort
from annotator.services.database import ensure_annotator
from annotator.services.library import count_documents, page_documents, progress
from annotator.services.search import count_search_matches, search_documents
from annotator.store import Database

_VOCAB = vocabulary(30_000, random.Random(0))  # the corpus's own words, most frequent first
QUERIES = [
    ("rare word", _VOCAB[25_000]),
    ("uncommon word", _VOCAB[3_000]),
    ("rare name", "Seoul"),
    ("less common name", "Lavrov"),
    ("common name", "Kim"),
    ("very common word", "minister"),
    ("two common words", "minister talks"),
    ("phrase", '"the minister"'),
    ("either word", "Putin OR Biden"),
    ("prefix", "Pyong*"),
    ("exclusion", "Putin -Moon"),
    ("unicode, diacritics", "Zurich"),
    ("no match", "xqxqxqxq"),
]


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm the cache: the first query after opening reads the index from disk
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def bare_fts(db: Database, query: str) -> Callable[[], object]:
    def run() -> object:
        with db.engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q "
                    "ORDER BY rank LIMIT 50"
                ),
                {"q": query},
            ).all()

    return run


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print(f"\n{title}")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def figures(size: Size, folder: Path | None = None) -> list[Figure]:
    """The median over QUERIES of search_documents against the bare FTS5 query, and a page of
    the library deep into the list (SQLite)."""
    from annotator.domain.library import parse_search_query
    from annotator.store.search import fts5_expression

    docs, runs = (100_000, 15) if size == "full" else (300, 3)
    folder = folder or Path(tempfile.gettempdir())
    db = open_library(folder / f"annotator-bench-{docs}.sqlite3", docs)
    try:
        ours, bare = [], []
        for _name, query in QUERIES:
            ours.append(median_ms(lambda q=query: search_documents(db, query=q, limit=50), runs))
            expression = fts5_expression(parse_search_query(query))
            bare.append(median_ms(bare_fts(db, expression), runs))
        annotator = ensure_annotator(db, name=ANNOTATOR).id
        deep = median_ms(
            lambda: page_documents(db, annotator_id=annotator, offset=docs // 2, limit=100), runs
        )
    finally:
        db.dispose()
    return [
        Figure(
            f"search {docs:,} documents, median of {len(QUERIES)} queries (ms)",
            statistics.median(ours),
            "ms",
            statistics.median(bare),
            "bare FTS5 MATCH",
        ),
        Figure(f"library page of 100 at offset {docs // 2:,} (ms)", deep, "ms"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--db", help="SQLite file or URL (default: a file in the temp folder)")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    target = args.db or str(Path(tempfile.gettempdir()) / f"annotator-bench-{args.docs}.sqlite3")
    db = open_library(target, args.docs)
    sqlite = db.url.get_backend_name() == "sqlite"
    annotator = ensure_annotator(db, name=ANNOTATOR).id
    print(f"{args.docs} documents in {db.display_name}; median of {args.runs} runs, ms")

    rows = []
    all_search: list[float] = []
    for name, query in QUERIES:
        matches = count_search_matches(db, query=query)
        t = median_ms(lambda q=query: search_documents(db, query=q, limit=50), args.runs)
        all_search.append(t)
        count_t = median_ms(lambda q=query: count_search_matches(db, query=q), args.runs)
        page2 = median_ms(
            lambda q=query: search_documents(db, query=q, limit=50, offset=50), args.runs
        )
        row = [f"{name}: {query}", f"{matches}", f"{t:.1f}", f"{page2:.1f}", f"{count_t:.1f}"]
        if sqlite:
            from annotator.domain.library import parse_search_query
            from annotator.store.search import fts5_expression

            expression = fts5_expression(parse_search_query(query))
            row.append(f"{median_ms(bare_fts(db, expression), args.runs):.1f}")
        rows.append(row)
    header = ["search_documents (limit 50)", "matches", "page 1", "page 2", "count"]
    if sqlite:
        header.append("bare FTS5")
    table("Search", header, rows)
    print(f"median over all queries: {statistics.median(all_search):.1f} ms")

    page_rows = []
    middle = args.docs // 2
    for sort in LibrarySort:
        for descending in (False, True):
            top = median_ms(
                lambda s=sort, d=descending: page_documents(
                    db, annotator_id=annotator, sort=s, descending=d, offset=0, limit=100
                ),
                args.runs,
            )
            deep = median_ms(
                lambda s=sort, d=descending: page_documents(
                    db, annotator_id=annotator, sort=s, descending=d, offset=middle, limit=100
                ),
                args.runs,
            )
            page_rows.append(
                [f"{sort.value} {'desc' if descending else 'asc'}", f"{top:.1f}", f"{deep:.1f}"]
            )
    filters = [
        ("status done", LibraryFilter(status=DocumentStatus.DONE)),
        ("status new", LibraryFilter(status=DocumentStatus.NEW)),
        ("source", LibraryFilter(source="KCNA")),
        ("tag", LibraryFilter(tag="sanctions")),
        ("label", LibraryFilter(label_id=1)),
        ("text", LibraryFilter(text="minister")),
        ("text rare + source", LibraryFilter(text="Lavrov", source="Reuters")),
    ]
    for name, f in filters:
        top = median_ms(
            lambda f=f: page_documents(db, annotator_id=annotator, filters=f, limit=100), args.runs
        )
        deep = median_ms(
            lambda f=f: page_documents(
                db, annotator_id=annotator, filters=f, offset=1000, limit=100
            ),
            args.runs,
        )
        counted = median_ms(
            lambda f=f: count_documents(db, annotator_id=annotator, filters=f), args.runs
        )
        page_rows.append(
            [f"title asc, filter {name}", f"{top:.1f}", f"{deep:.1f}", f"{counted:.1f}"]
        )
    for row in page_rows:
        if len(row) == 3:
            row.append("")
    page_rows.append(
        [
            "count_documents, no filter",
            "",
            "",
            f"{median_ms(lambda: count_documents(db, annotator_id=annotator), args.runs):.1f}",
        ]
    )
    page_rows.append(
        [
            "progress",
            "",
            "",
            f"{median_ms(lambda: progress(db, annotator_id=annotator), args.runs):.1f}",
        ]
    )
    table(
        "Library (100 rows a page)",
        ["page_documents", "offset 0", f"offset {middle}/1000", "count"],
        page_rows,
    )
    db.dispose()


if __name__ == "__main__":
    main()
