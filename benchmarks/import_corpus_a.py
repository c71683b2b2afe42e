"""`annotator import` of corpus A (2,000 articles of about 5 kB) as a Label Studio task file and
as a doccano JSONL file, timed as the whole command (start-up included), against raw sqlite3
storing the same texts with an FTS5 index in one transaction (the floor with search).

    python benchmarks/import_corpus_a.py [--n 2000] [--size 5000] [--spans 10]

Each article carries `--spans` annotations (0 for bare tasks). Every run imports into a new
SQLite file with the app's settings (WAL, synchronous=FULL). Targets: the whole command under
1 s, the import inside it within 1.5x the floor.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_articles

from annotator.domain.interchange import AnnotatedDocument
from annotator.domain.model import Annotator, Document, Label, Span
from annotator.domain.text import sha256_of
from annotator.formats.registry import get_format

ROOT = Path(__file__).resolve().parent.parent
TIMED = r"""
import sys, time
from pathlib import Path
from annotator.services.database import open_database
from annotator.services.interchange import import_annotations
db = open_database(Path(sys.argv[2]), seed=False)
t0 = time.perf_counter()
report = import_annotations(db, paths=[Path(sys.argv[3])], format_name=sys.argv[1],
                            annotator_name="bench")
print(time.perf_counter() - t0)
assert not report.problems, report.problems[:3]
"""


def documents(n: int, size: int, spans: int) -> list[AnnotatedDocument]:
    labels = {1: Label(1, "ACTOR", "#56B4E9", "1", 0), 2: Label(2, "DATE", "#E69F00", "2", 1)}
    annotators = {1: Annotator(1, "bench")}
    now = datetime.now(UTC)
    out = []
    for d, (meta, text, _tags) in enumerate(make_articles(n, size=size)):
        doc = Document(d + 1, meta, text, sha256_of(text), now)
        made = []
        step = max(1, (len(text) - 20) // max(spans, 1))
        for k in range(spans):
            start = 20 + k * step
            made.append(
                Span(d * spans + k + 1, d + 1, start, start + 5, 1 + k % 2,
                     text[start : start + 5], 1, now, now)
            )  # fmt: skip
        out.append(AnnotatedDocument(doc, tuple(made), labels, annotators))
    return out


def floor_fts(path: Path, docs: list[AnnotatedDocument]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, text TEXT, sha256 TEXT UNIQUE)"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    rows = [(d.document.meta.title, d.document.text) for d in docs]
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO documents (title, text, sha256) VALUES (?, ?, ?)",
        [(t, x, hashlib.sha256(x.encode()).hexdigest()) for t, x in rows],
    )
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--spans", type=int, default=10, help="annotations per article")
    parser.add_argument("--formats", default="label-studio,doccano")
    args = parser.parse_args()
    docs = documents(args.n, args.size, args.spans)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Compiled bytecode, as an installed app has it: without it (PYTHONDONTWRITEBYTECODE)
        # every start compiles SQLAlchemy and the app again, seconds on a slow machine. The
        # first command (creating the database) writes it.
        env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        floor = floor_fts(folder / "floor.sqlite3", docs)
        print(
            f"corpus A: {args.n} articles of about {args.size} characters, {args.spans} spans each"
        )
        print(f"{'run':<36}{'seconds':>9}{'x floor':>9}")
        print(f"{'raw sqlite3 + FTS5 (floor)':<36}{floor:>9.2f}{1:>9.1f}")
        for name in args.formats.split(","):
            path = folder / f"corpus-a-{name}{'.json' if name == 'label-studio' else '.jsonl'}"
            get_format(name).load().write(iter(docs), path)
            db = folder / f"{name}.sqlite3"
            # Create the database first, so that the command's time is the import's.
            cmd = [sys.executable, "-m", "annotator", "--db", str(db), "list"]
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            t0 = time.perf_counter()
            cmd = [sys.executable, "-m", "annotator", "--db", str(db), "import", "--quiet",
                   "--format", name, str(path)]  # fmt: skip
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            whole = time.perf_counter() - t0
            if done.returncode != 0:
                raise SystemExit(done.stdout[-1000:] + done.stderr[-2000:])
            db2 = folder / f"{name}-2.sqlite3"
            timed = subprocess.run(
                [sys.executable, "-c", TIMED, name, str(db2), str(path)],
                env=env, capture_output=True, text=True, check=True,
            )  # fmt: skip
            inner = float(timed.stdout.strip().splitlines()[-1])
            run = f"annotator import, {name} (command)"
            print(f"{run:<36}{whole:>9.2f}{whole / floor:>9.1f}")
            print(f"{'  the import alone':<36}{inner:>9.2f}{inner / floor:>9.1f}")


if __name__ == "__main__":
    main()
