"""The floor of an import: raw sqlite3 doing the same job, and nothing else.

    python benchmarks/import_floor.py [--deferred] FORMAT FILE DATABASE   (prints seconds, JSON)

What the job is, and so what the floor does too:
- the database is the app's own (`prepare` makes it with the app, untimed): the same tables,
  indexes, constraints and FTS5 triggers, so the same rows cost the same to index;
- the file is parsed as its format demands, with the standard `json` module (a Label Studio
  export is one JSON array, read whole; doccano, native and article files are JSON Lines);
- every text is hashed (SHA-256) and a text already stored is skipped by the unique index
  (INSERT ... ON CONFLICT DO NOTHING RETURNING), the duplicate check the import makes;
- documents go in with multi-row INSERTs (one statement per page: a statement per row would
  make FTS5 write a segment per row), their tags and spans with `executemany`;
- one transaction per batch of at most BATCH_DOCUMENTS documents, BATCH_CHARACTERS characters
  or BATCH_SPANS spans, the limits of the app's imports. Writing in batches is part of the
  job, not overhead: another program (a window annotating meanwhile) must be able to write
  between them, so the import never holds the write lock for the whole file. Each commit is a
  full fsync (WAL, synchronous=FULL), in the floor as in the app.

What it leaves out is the app's own bookkeeping: span counts, checking quotes and offsets
(the floor takes them as they are; the generated files hold only characters of the Basic
Multilingual Plane, so Label Studio's UTF-16 offsets are code points), labels, annotators and
actors by name (the floor's are the two labels and one annotator of the generated files),
revisions by URL, problems and progress.

Only the standard library is imported at module level: as a script it is a fresh Python
process whose start-up is as short as Python's own.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BATCH_DOCUMENTS = 500
BATCH_CHARACTERS = 4_000_000
BATCH_SPANS = 20_000
LABELS = ("ACTOR", "DATE")
ANNOTATOR = "bench"
STAMP = "2024-01-01 00:00:00.000000"

# (title, text, source, published, tags, [(start, end, label, quote)])
Record = tuple[str, str, str | None, str | None, list[str], list[tuple[int, int, str, str]]]


def prepare(database: Path) -> None:
    """An empty database at the app's schema, with the labels and annotator the files use."""
    from annotator.services.database import open_database

    open_database(database, seed=False).dispose()
    conn = sqlite3.connect(database, isolation_level=None)
    conn.executemany(
        "INSERT INTO labels (name, colour, position, style, description, attributes) "
        "VALUES (?, '#777777', ?, 'background', '', '[]')",
        [(name, i) for i, name in enumerate(LABELS)],
    )
    conn.execute("INSERT INTO annotators (name, created) VALUES (?, ?)", (ANNOTATOR, STAMP))
    conn.close()


def _label_studio(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8") as fh:
        tasks = json.load(fh)
    for task in tasks:
        data = task["data"]
        spans = [
            (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0], r["value"]["text"])
            for annotation in task.get("annotations", ())
            for r in annotation["result"]
        ]
        yield data.get("title") or "", data["text"], data.get("source"), None, [], spans


def _doccano(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = record["text"]
            spans = [
                (start, end, e["label"], text[start:end])
                for e in record.get("entities", ())
                for start, end in ((e["start_offset"], e["end_offset"]),)
            ]
            yield record.get("title") or "", text, None, None, [], spans


def _native(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8") as fh:
        next(fh)  # the header
        for line in fh:
            doc = json.loads(line)
            spans = [(s["start"], s["end"], s["label"], s["quote"]) for s in doc["spans"]]
            yield doc["title"], doc["text"], doc["source"], doc["published"], doc["tags"], spans


def _articles(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            yield r["title"], r["text"], r.get("source"), r.get("published"), r["tags"], []


READERS = {
    "label-studio": _label_studio,
    "doccano": _doccano,
    "native": _native,
    "articles": _articles,
}


def _store(
    conn: sqlite3.Connection, batch: list[Record], labels: dict[str, int], deferred: bool
) -> None:
    conn.execute("BEGIN IMMEDIATE")
    if deferred:
        conn.execute("UPDATE documents_fts_defer SET deferring = 1")
    rows: list[Any] = []
    for title, text, source, published, _tags, _spans in batch:
        digest = hashlib.sha256(text.encode()).hexdigest()
        rows.extend((title, source, published, digest, STAMP, text))
    ids: dict[str, int] = {}
    page = 500
    for start in range(0, len(batch), page):
        n = min(page, len(batch) - start)
        values = ", ".join(["(?, ?, ?, ?, ?, 0, ?)"] * n)
        ids.update(
            (digest, i)
            for digest, i in conn.execute(
                "INSERT INTO documents (title, source, published, sha256, created, span_count, "
                f"text) VALUES {values} ON CONFLICT (sha256) DO NOTHING RETURNING sha256, id",
                rows[start * 6 : (start + n) * 6],
            )
        )
    if deferred:
        conn.execute("UPDATE documents_fts_defer SET deferring = 0")
    tag_rows = []
    span_rows = []
    for k, (_title, _text, _source, _published, tags, spans) in enumerate(batch):
        doc_id = ids.get(rows[k * 6 + 3])
        if doc_id is None:
            continue  # a duplicate
        tag_rows.extend((doc_id, tag) for tag in tags)
        span_rows.extend(
            (doc_id, start, end, labels[label], quote, STAMP, STAMP)
            for start, end, label, quote in spans
        )
    conn.executemany("INSERT INTO document_tags (document_id, tag) VALUES (?, ?)", tag_rows)
    conn.executemany(
        'INSERT INTO spans (document_id, start, "end", label_id, quote, annotator_id, created, '
        "updated, attributes) VALUES (?, ?, ?, ?, ?, 1, ?, ?, '{}')",
        span_rows,
    )
    conn.execute("COMMIT")


def floor(format_name: str, path: Path, database: Path, *, deferred: bool = False) -> float:
    """Seconds to import `path` into `database` (made by `prepare`) with raw sqlite3; with
    `deferred`, the documents are left out of the FTS5 index and listed as pending, as the
    app's imports do (migration 0007), through the same flag and triggers."""
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    labels = dict(conn.execute("SELECT name, id FROM labels"))
    t0 = time.perf_counter()
    batch: list[Record] = []
    characters = spans = 0
    for record in READERS[format_name](path):
        batch.append(record)
        characters += len(record[1])
        spans += len(record[5])
        if len(batch) >= BATCH_DOCUMENTS or characters >= BATCH_CHARACTERS or spans >= BATCH_SPANS:
            _store(conn, batch, labels, deferred)
            batch, characters, spans = [], 0, 0
    if batch:
        _store(conn, batch, labels, deferred)
    seconds = time.perf_counter() - t0
    conn.close()
    return seconds


def index_floor(database: Path) -> float:
    """Seconds to index what a deferred floor left pending, with raw sqlite3: the app's index
    pass (annotator/store/search.py), 500 documents a transaction."""
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    t0 = time.perf_counter()
    while True:
        conn.execute("BEGIN IMMEDIATE")
        ids = [
            i
            for (i,) in conn.execute(
                "SELECT document_id FROM documents_fts_pending ORDER BY document_id LIMIT 500"
            )
        ]
        if ids:
            conn.execute(
                "INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text "
                "FROM documents WHERE id BETWEEN ? AND ? AND id IN "
                "(SELECT document_id FROM documents_fts_pending)",
                (ids[0], ids[-1]),
            )
            conn.execute(
                "DELETE FROM documents_fts_pending WHERE document_id BETWEEN ? AND ?",
                (ids[0], ids[-1]),
            )
        conn.execute("COMMIT")
        if not ids:
            break
    seconds = time.perf_counter() - t0
    conn.close()
    return seconds


if __name__ == "__main__":
    args = sys.argv[1:]
    deferred = args[:1] == ["--deferred"]
    name, path, database = args[1:] if deferred else args
    print(json.dumps({"seconds": floor(name, Path(path), Path(database), deferred=deferred)}))
