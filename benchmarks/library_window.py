"""The window on a corpus of 100,000 articles: time to a visible document list, and memory.

    python benchmarks/library_window.py [--n 100000] [--db PATH]

Builds the corpus once in PATH (reused on later runs). Measures, in a fresh process each time,
the time from start to the main window shown with its first page of documents, and the resident
memory after scrolling the list and opening a document. The floor is bare Qt: a QTableView over
an empty model shown in the same process. Targets: under 1 s to the list, under 300 MB RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QTableView
from PySide6.QtGui import QStandardItemModel
app = QApplication([])
if sys.argv[1] == "floor":
    view = QTableView(); view.setModel(QStandardItemModel(0, 5)); view.show(); app.processEvents()
    shown = time.perf_counter() - t0
else:
    from annotator.ui.app import create_main_window
    win = create_main_window(sys.argv[2], "bench")
    win.show(); app.processEvents()
    shown = time.perf_counter() - t0
    rows = win.documents.rowCount()
    bar = win.library.view.verticalScrollBar()
    for _ in range(20):  # scroll to the end of what is fetched, fetching more pages
        bar.setValue(bar.maximum()); app.processEvents()
    win.open_document(win.documents.document_id(win.documents.rowCount() - 1)); app.processEvents()
    assert rows > 0
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"shown": shown, "rss_mb": rss_mb}))
"""


def child(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument(
        "--db", type=Path, default=Path(tempfile.gettempdir()) / "annotator-100k.sqlite3"
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from corpus import open_library

    db = open_library(args.db, args.n)
    db.dispose()
    floor = [child("floor") for _ in range(args.runs)]
    ours = [child("app", str(args.db)) for _ in range(args.runs)]
    best = lambda runs, key: min(r[key] for r in runs)  # noqa: E731
    print(f"{args.n} documents in {args.db} ({args.db.stat().st_size / 1e6:.0f} MB)")
    print(
        f"{f'measure (best of {args.runs})':<38}{'floor (bare Qt)':>16}"
        f"{'annotator':>11}{'target':>10}"
    )
    shown = best(ours, "shown")
    rss = best(ours, "rss_mb")
    print(
        f"{'start to document list shown (s)':<38}{best(floor, 'shown'):>16.2f}{shown:>11.2f}"
        f"{'<1 s ' + ('ok' if shown < 1 else 'MISSED'):>10}"
    )
    print(
        f"{'peak RSS after scrolling, opening (MB)':<38}{best(floor, 'rss_mb'):>16.0f}{rss:>11.0f}"
        f"{'<300 ' + ('ok' if rss < 300 else 'MISSED'):>10}"
    )


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
