"""Start on a big database: 100,000 documents and 5 million spans, until the window is usable.

    python benchmarks/big_start.py [--documents 100000] [--spans 5000000] [--db PATH] [--runs 3]
                                   [--profile]

Builds the database once in PATH (reused on later runs): the schema through the app, then the
documents, spans (all of one annotator, the benchmark's user) and that user's statuses with raw
sqlite3 `executemany` from a fixed seed, which takes minutes rather than the hours the import
path would; then its first backup, as a first start of the window makes. Measures, in a fresh
process each time, what `library_window.py` measures: the time from start to the main window
shown with its first page of documents, and the peak memory after scrolling the list and
opening a document. Targets: under 1.5 s, under 300 MB. With --profile, one start runs under
cProfile and the 30 costliest functions (cumulative) print.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from library_window import CHILD, backed_up

WORDS = [
    "the",
    "minister",
    "said",
    "on",
    "Tuesday",
    "that",
    "talks",
    "in",
    "Geneva",
    "went",
    "well",
    "and",
    "officials",
    "of",
    "the",
    "party",
    "met",
    "leaders",
    "from",
    "Seoul",
    "Moscow",
    "and",
    "Washington",
    "to",
    "discuss",
    "sanctions",
    "trade",
    "and",
    "a",
    "ceasefire",
]
ANNOTATOR = "bench"

# library_window's measurement, ended with os._exit: a backup thread still copying the big
# file would make Qt abort at an ordinary exit ("QThread: Destroyed while thread is still
# running"); the window's quit path waits for it, this measurement does not.
START = (
    CHILD.replace("print(json.dumps(", "print(json.dumps(").rstrip()
    + "\nsys.stdout.flush(); os._exit(0)\n"
)


def child(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", START, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


PROFILE = r"""
import cProfile, os, pstats, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication([])
profile = cProfile.Profile()
profile.enable()
from annotator.ui.app import create_main_window
win = create_main_window(sys.argv[1], "bench")
win.show(); app.processEvents()
profile.disable()
pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
"""


def build(path: Path, documents: int, spans: int) -> None:
    """The schema through the app, then the rows with raw sqlite3 (fixed seed)."""
    from annotator.services.database import ensure_annotator, open_database

    db = open_database(path)
    annotator_id = ensure_annotator(db, name=ANNOTATOR).id
    db.dispose()
    rng = random.Random(5)
    conn = sqlite3.connect(path)
    labels = [row[0] for row in conn.execute("SELECT id FROM labels ORDER BY position")][:3]
    per_doc = spans // documents
    stamp = datetime(2025, 3, 1, tzinfo=UTC)
    created = stamp.strftime("%Y-%m-%d %H:%M:%S.%f")
    span_id = 0
    with conn:
        for first in range(0, documents, 1000):
            doc_rows = []
            span_rows = []
            status_rows = []
            for d in range(first, min(first + 1000, documents)):
                words = [rng.choice(WORDS) for _ in range(per_doc * 4)]
                text = f"Article {d}. " + " ".join(words) + "."
                doc_id = d + 1
                doc_rows.append(
                    (
                        doc_id,
                        f"Article {d} {words[0]} {words[1]}",
                        rng.choice(("Wire", "Agency", None)),
                        f"https://example.org/{d}",
                        f"20{rng.randint(10, 25):02d}-{rng.randint(1, 12):02d}-01",
                        "en",
                        hashlib.sha256(text.encode()).hexdigest(),
                        created,
                        text,
                        per_doc,
                    )
                )
                # Spans on every fourth word, one label each in turn.
                offset = len(f"Article {d}. ")
                for k, word in enumerate(words):
                    if k % 4 == 0:
                        span_id += 1
                        label = labels[(k // 4) % len(labels)]
                        span_rows.append((span_id, doc_id, offset, offset + len(word), label, word))
                    offset += len(word) + 1
                if d % 3 == 0:
                    status_rows.append((doc_id, "done" if d % 2 else "in_progress"))
            conn.executemany(
                "INSERT INTO documents (id, title, source, url, published, language, sha256, "
                "created, text, span_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                doc_rows,
            )
            conn.executemany(
                'INSERT INTO spans (id, document_id, start, "end", label_id, quote, '
                "annotator_id, created, updated, attributes) "
                f"VALUES (?, ?, ?, ?, ?, ?, {annotator_id}, '{created}', '{created}', '{{}}')",
                span_rows,
            )
            conn.executemany(
                "INSERT INTO document_status (document_id, annotator_id, status, updated) "
                f"VALUES (?, {annotator_id}, ?, '{created}')",
                status_rows,
            )
    conn.execute("ANALYZE")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--spans", type=int, default=5_000_000)
    parser.add_argument(
        "--db", type=Path, default=Path(tempfile.gettempdir()) / "annotator-5m-spans.sqlite3"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"building {args.documents} documents, {args.spans} spans in {args.db} ...")
        build(args.db, args.documents, args.spans)
    backed_up(args.db)
    if args.profile:
        done = subprocess.run(
            [sys.executable, "-c", PROFILE, str(args.db)], capture_output=True, text=True
        )
        print(done.stdout or done.stderr[-3000:])
        return
    runs = [child("app", str(args.db)) for _ in range(args.runs)]
    shown = min(r["shown"] for r in runs)
    rss = min(r["rss_mb"] for r in runs)
    print(f"{args.db} ({args.db.stat().st_size / 1e6:.0f} MB)")
    print(f"{'measure (best of ' + str(args.runs) + ')':<38}{'annotator':>11}{'target':>12}")
    print(
        f"{'start to document list shown (s)':<38}{shown:>11.2f}"
        f"{'<1.5 s ' + ('ok' if shown < 1.5 else 'MISSED'):>12}"
    )
    print(
        f"{'peak RSS after scrolling, opening (MB)':<38}{rss:>11.0f}"
        f"{'<300 ' + ('ok' if rss < 300 else 'MISSED'):>12}"
    )


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
