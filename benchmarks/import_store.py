"""Bulk adding to the store against the raw sqlite3 floor.

    python benchmarks/import_store.py [--docs 10000] [--size 5000] [--batch 10000] [--pg URL]

Prints one table: the same texts stored by plain sqlite3 `executemany` into a plain table (the
floor), by plain sqlite3 into a table with an FTS5 index (the floor with search), and by
`services.library.add_documents` (Core bulk inserts, SHA-256 duplicate checks, tags, FTS5
triggers), with the WAL and synchronous=FULL settings of the app everywhere. Every run
ends committed and searchable.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figure, Size
from corpus import make_articles

from annotator.services.library import add_documents
from annotator.services.search import count_search_matches
from annotator.store import Database

Items = list[tuple[object, str, tuple[str, ...]]]


def _raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def raw_plain(folder: Path, texts: list[tuple[str, str]]) -> float:
    conn = _raw_connection(folder / "raw.sqlite3")
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, text TEXT)")
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO documents (title, text) VALUES (?, ?)", texts)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def raw_fts(folder: Path, texts: list[tuple[str, str]]) -> float:
    conn = _raw_connection(folder / "raw_fts.sqlite3")
    conn.execute(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, text TEXT, sha256 TEXT UNIQUE)"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO documents (title, text, sha256) VALUES (?, ?, ?)",
        [(t, x, hashlib.sha256(x.encode()).hexdigest()) for t, x in texts],
    )
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def store(target: str | Path, items: Items, batch: int) -> float:
    db = Database(target)
    try:
        t0 = time.perf_counter()
        for start in range(0, len(items), batch):
            add_documents(db, items=items[start : start + batch])  # type: ignore[arg-type]
        elapsed = time.perf_counter() - t0
        assert count_search_matches(db, query="Article") == len(items), "not all searchable"
        return elapsed
    finally:
        db.dispose()


def best_of(runs: int, fn: Callable[[], float]) -> float:
    return min(fn() for _ in range(runs))


def figures(size: Size) -> list[Figure]:
    docs, runs = (10_000, 3) if size == "full" else (100, 1)
    items: Items = make_articles(docs)  # type: ignore[assignment]
    texts = [(meta.title, text) for meta, text, _tags in items]  # type: ignore[attr-defined]

    def fresh(fn: Callable[[Path], float]) -> Callable[[], float]:
        def run() -> float:
            with tempfile.TemporaryDirectory() as folder:
                return fn(Path(folder))

        return run

    floor = best_of(runs, fresh(lambda f: raw_fts(f, texts)))
    ours = best_of(runs, fresh(lambda f: store(f / "store.sqlite3", items, 10_000)))
    return [Figure(f"add_documents, {docs:,} articles (s)", ours, "s", floor, "raw sqlite3 + FTS5")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=5000, help="characters per article")
    parser.add_argument("--batch", type=int, default=10_000, help="documents per call")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    parser.add_argument("--pg", metavar="URL", help="also measure an empty PostgreSQL database")
    args = parser.parse_args()

    items: Items = make_articles(args.docs, size=args.size)  # type: ignore[assignment]
    texts = [(meta.title, text) for meta, text, _tags in items]  # type: ignore[attr-defined]
    mb = sum(len(t.encode()) for _, t in texts) / 1e6
    print(f"{args.docs} articles, {mb:.1f} MB of text, batches of {args.batch}\n")

    rows: list[tuple[str, float]] = []

    def fresh(fn: Callable[[Path], float]) -> Callable[[], float]:
        def run() -> float:
            with tempfile.TemporaryDirectory() as folder:
                return fn(Path(folder))

        return run

    rows.append(
        (
            "raw sqlite3 executemany, plain table",
            best_of(args.runs, fresh(lambda f: raw_plain(f, texts))),
        )
    )
    rows.append(
        (
            "raw sqlite3 executemany + FTS5 rebuild",
            best_of(args.runs, fresh(lambda f: raw_fts(f, texts))),
        )
    )
    rows.append(
        (
            "add_documents (SQLite, searchable)",
            best_of(args.runs, fresh(lambda f: store(f / "store.sqlite3", items, args.batch))),
        )
    )
    if args.pg:
        rows.append(("add_documents (PostgreSQL, searchable)", store(args.pg, items, args.batch)))

    floor = rows[0][1]
    width = max(len(name) for name, _ in rows)
    print(f"{'':{width}}  {'seconds':>8}  {'docs/s':>8}  {'x floor':>7}")
    for name, seconds in rows:
        print(f"{name:{width}}  {seconds:8.3f}  {args.docs / seconds:8.0f}  {seconds / floor:7.1f}")


if __name__ == "__main__":
    main()
