"""End-to-end import speed: 10,000 articles from one JSONL file and from a folder of text files.

    python benchmarks/import_corpus.py [--n 10000] [--size 5000]

The floor of `main` is raw sqlite3 inserting the same texts into a plain table in one
transaction. Targets on a 2-core machine, searchable when done: JSONL under 2.5 s, folder in
mixed encodings under 10 s.

`figures()` (for benchmarks/run) measures the JSONL import against raw sqlite3 doing the same
job (benchmarks/import_floor.py; target 1.5x): parsing each line with `json.loads`, hashing the
text, skipping stored texts by the unique index, inserting the documents and their tags into a
database of the app's schema (same indexes and FTS5 index), one transaction per 500 documents
(or 4 million characters). The import writes in such batches on purpose, so that a window
annotating meanwhile can write between them (two writers on one SQLite file); that is part of
the job, so the floor writes in the same batches: a floor that writes everything in one
transaction (and builds the FTS5 index in one pass after) is not doing the same job, and its
difference to the import (a commit, a full fsync, per batch) is the two-writer requirement,
not overhead. The folder import is shown against the older floor (one transaction, FTS5 index
rebuilt at the end), for information.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figure, Size
from corpus import make_articles
from import_floor import floor as same_job
from import_floor import prepare
from import_store import raw_fts

from annotator.services.database import open_database
from annotator.services.importing import Outcome, import_paths
from annotator.services.search import count_search_matches, index_for_search

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252")


def floor(folder: Path, texts: list[str]) -> float:
    conn = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, text TEXT)")
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO docs (text) VALUES (?)", ((t,) for t in texts))
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def timed_import(folder: Path, name: str, path: Path, expected: int) -> tuple[float, float]:
    """Seconds to import, and to import and index for search (the pass the window runs in the
    background after an import, or a search before it searches: migration 0007)."""
    db = open_database(folder / f"{name}.sqlite3", seed=False)
    start = time.perf_counter()
    report = import_paths(db, paths=[path])
    elapsed = time.perf_counter() - start
    index_for_search(db)
    searchable = time.perf_counter() - start
    imported = report.count(Outcome.IMPORTED)
    if imported != expected:
        raise SystemExit(f"{name}: imported {imported}, expected {expected}: {report.summary()}")
    if count_search_matches(db, query="Article", index_first=False) < expected:
        raise SystemExit(f"{name}: not every article is searchable after the import")
    db.dispose()
    return elapsed, searchable


def write_inputs(folder: Path, n: int, size: int) -> tuple[list[str], list[str], Path, Path]:
    """The articles as one JSONL file and as a folder of text files in four encodings."""
    items = make_articles(n, size=size)
    # Accented words, so that the legacy-encoded files need real decoding.
    texts = [f"{text}\nLe président a déclaré ({i})." for i, (_, text, _) in enumerate(items)]
    jsonl = folder / "articles.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for (meta, _, tags), text in zip(items, texts, strict=True):
            record = {
                "text": text,
                "title": meta.title,
                "source": meta.source,
                "published": meta.published,
                "tags": list(tags),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    texts_dir = folder / "texts"
    texts_dir.mkdir()
    for i, text in enumerate(texts):
        encoding = ENCODINGS[i % len(ENCODINGS)]
        (texts_dir / f"{i:05}.txt").write_bytes(text.encode(encoding))
    return [meta.title for meta, _, _ in items], texts, jsonl, texts_dir


def figures(size: Size) -> list[Figure]:
    n = 10_000 if size == "full" else 100
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        titles, texts, jsonl, texts_dir = write_inputs(folder, n, 5000)
        prepare(folder / "same-job.sqlite3")
        batched = same_job("articles", jsonl, folder / "same-job.sqlite3")
        prepare(folder / "same-job-later.sqlite3")
        later = same_job("articles", jsonl, folder / "same-job-later.sqlite3", deferred=True)
        floor = raw_fts(folder, list(zip(titles, texts, strict=True)))
        alone, searchable = timed_import(folder, "jsonl", jsonl, n)
        return [
            Figure(
                f"import {n:,} articles, one JSONL file (s)",
                alone,
                "s",
                later,
                "raw sqlite3, same job and batches (FTS5 indexing left for later, as ours)",
            ),
            Figure(
                f"import and index {n:,} articles, one JSONL file (s)",
                searchable,
                "s",
                batched,
                "raw sqlite3 + FTS5 as it inserts, same job and batches",
                max_ratio=1.5,
            ),
            Figure(
                f"import {n:,} articles (one JSONL file) and index, against one transaction (s)",
                searchable,
                "s",
                floor,
                "raw sqlite3 + FTS5, one transaction",
            ),
            Figure(
                f"import {n:,} articles, folder of 4 encodings, and index (s)",
                timed_import(folder, "folder", texts_dir, n)[1],
                "s",
                floor,
                "raw sqlite3 + FTS5, one transaction",
            ),
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _titles, texts, jsonl, texts_dir = write_inputs(folder, args.n, args.size)
        megabytes = sum(len(t.encode()) for t in texts) / 1e6
        prepare(folder / "same-job.sqlite3")
        rows = [
            ("raw sqlite3 executemany (floor)", floor(folder, texts), None),
            (
                "raw sqlite3, same job and batches",
                same_job("articles", jsonl, folder / "same-job.sqlite3"),
                None,
            ),
            (
                "annotator import + index, one JSONL file",
                timed_import(folder, "jsonl", jsonl, args.n)[1],
                2.5,
            ),
            (
                "annotator import + index, folder",
                timed_import(folder, "folder", texts_dir, args.n)[1],
                10.0,
            ),
        ]
    print(f"{args.n} articles, {megabytes:.1f} MB of text")
    print(f"{'run':<40}{'seconds':>9}{'articles/s':>12}{'MB/s':>8}{'x floor':>9}{'target':>9}")
    base = rows[0][1]
    for name, seconds, target in rows:
        verdict = (
            "" if target is None else (f"<{target:g} s " + ("ok" if seconds < target else "MISSED"))
        )
        print(
            f"{name:<40}{seconds:>9.2f}{args.n / seconds:>12.0f}{megabytes / seconds:>8.1f}"
            f"{seconds / base:>9.1f}  {verdict}"
        )


if __name__ == "__main__":
    main()
