"""The window on a corpus of 100,000 articles: time to a visible document list, and memory.

    python benchmarks/library_window.py [--n 100000] [--spans 5000000] [--db PATH]

Builds the corpus once in PATH (reused on later runs). Measures, in a fresh process each time,
the time from start to the main window shown with its first page of documents, and the resident
memory after scrolling the list and opening a document. `--spans` adds spans (the same number
to every document, quotes cut from the text) until the corpus holds that many. The floor is
bare Qt: a QTableView over an empty model shown in the same process. Targets: under 1.5 s to
the list, under 300 MB RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figure, Size, user_env

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
t0 = time.perf_counter()
if sys.argv[1] != "floor":
    # As `annotator gui` loads: the app's modules, which load Qt after the Qt-free layers.
    from annotator.ui.app import create_main_window
from PySide6.QtWidgets import QApplication, QTableView
from PySide6.QtGui import QStandardItemModel
app = QApplication([])
if sys.argv[1] == "floor":
    view = QTableView(); view.setModel(QStandardItemModel(0, 5)); view.show(); app.processEvents()
    shown = time.perf_counter() - t0
else:
    win = create_main_window(sys.argv[2], "bench")
    win.show(); app.processEvents()
    shown = time.perf_counter() - t0
    rows = win.documents.rowCount()
    bar = win.library.view.verticalScrollBar()
    for _ in range(20):  # scroll to the end of what is fetched, fetching more pages
        bar.setValue(bar.maximum()); app.processEvents()
    win.open_document(win.documents.document_id(win.documents.rowCount() - 1)); app.processEvents()
    assert rows > 0
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would report its
# parent's peak when that was higher.
with open("/proc/self/status") as status:
    rss_mb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024
print(json.dumps({"shown": shown, "rss_mb": rss_mb}), flush=True)
# Measured: leave without tearing the window down, as background tasks (the list's counts)
# may still run, and Qt aborts on a thread destroyed while running.
os._exit(0)
"""


# Each run has a home of its own (the user's settings, such as the last document open, stay
# out of it); they share the bytecode cache that the first run fills.
_HOME = tempfile.TemporaryDirectory()


def child(*args: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        env = user_env(Path(home))
        env["PYTHONPYCACHEPREFIX"] = str(Path(_HOME.name) / "pycache")
        out = subprocess.run(
            [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, env=env
        )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def add_spans(target: Path, total: int) -> None:
    """Spans until the corpus holds `total`: the same number in every document, with Core bulk
    inserts (the span_count of each document kept in step)."""
    from sqlalchemy import func, insert, select, update

    from annotator.services.database import ensure_annotator
    from annotator.services.documents import list_labels
    from annotator.store import Database
    from annotator.store.models import DocumentRow, SpanRow

    db = Database(target)
    try:
        with db.engine.connect() as conn:
            have = conn.execute(select(func.count()).select_from(SpanRow)).scalar_one()
            docs = conn.execute(select(func.count()).select_from(DocumentRow)).scalar_one()
        if have >= total or not docs:
            return
        print(f"adding {total - have:,} spans to {target} ...", flush=True)
        per_doc = (total - have + docs - 1) // docs
        me = ensure_annotator(db, name="bench").id
        labels = [label.id for label in list_labels(db)]
        now = datetime.now(UTC)
        documents = DocumentRow.__table__
        last = 0
        while True:
            with db.engine.begin() as conn:
                batch = conn.execute(
                    select(documents.c.id, documents.c.text)
                    .where(documents.c.id > last)
                    .order_by(documents.c.id)
                    .limit(2000)
                ).all()
                if not batch:
                    break
                rows = []
                for doc_id, text in batch:
                    for k in range(per_doc):
                        start = (60 * k + 3) % max(1, len(text) - 10)
                        rows.append(
                            {
                                "document_id": doc_id,
                                "start": start,
                                "end": start + 8,
                                "label_id": labels[k % len(labels)],
                                "quote": text[start : start + 8],
                                "annotator_id": me,
                                "created": now,
                                "updated": now,
                                "attributes": {},
                            }
                        )
                conn.execute(insert(SpanRow.__table__), rows)
                conn.execute(
                    update(documents)
                    .where(documents.c.id.in_([doc_id for doc_id, _ in batch]))
                    .values(span_count=documents.c.span_count + per_doc)
                )
                last = batch[-1][0]
    finally:
        db.dispose()


def backed_up(target: Path) -> None:
    """The backup an earlier start of the window made: each start is then a user's ordinary
    start on their database, which has nothing new to back up. (The measured starts end before
    their backup could finish: without it, every one would copy the whole file again.)"""
    from annotator.services.backups import backup_if_changed

    backup_if_changed(target)


def measure(target: Path, n: int, spans: int, runs: int) -> tuple[dict[str, float], ...]:
    """Best-of-`runs` figures of bare Qt and of the window, each in a fresh process."""
    from corpus import open_library

    db = open_library(target, n)
    db.dispose()
    add_spans(target, spans)
    backed_up(target)
    if runs > 1:
        child("app", str(target))  # compiles every module once, as installing does
    floor = [child("floor") for _ in range(runs)]
    ours = [child("app", str(target)) for _ in range(runs)]
    best = {key: min(r[key] for r in floor) for key in floor[0]}
    mine = {key: min(r[key] for r in ours) for key in ours[0]}
    return best, mine


def figures(size: Size, folder: Path | None = None) -> list[Figure]:
    n, spans, runs = (100_000, 5_000_000, 3) if size == "full" else (300, 3_000, 1)
    folder = folder or Path(tempfile.gettempdir())
    target = folder / f"annotator-bench-{n}.sqlite3"
    floor, ours = measure(target, n, spans, runs)
    what = f"{n:,} documents, {spans:,} spans"
    return [
        Figure(
            f"start on {what} until the list shows (s)",
            ours["shown"],
            "s",
            floor["shown"],
            "bare Qt table",
            max_value=1.5,
        ),
        Figure(
            f"start on {what}: peak RSS after scrolling, opening (MB)",
            ours["rss_mb"],
            "MB",
            floor["rss_mb"],
            "bare Qt table",
            max_value=300,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--spans", type=int, default=5_000_000)
    parser.add_argument(
        "--db", type=Path, default=Path(tempfile.gettempdir()) / "annotator-bench-100000.sqlite3"
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    floor_best, ours_best = measure(args.db, args.n, args.spans, args.runs)
    best = lambda runs, key: runs[key]  # noqa: E731
    floor, ours = floor_best, ours_best
    print(
        f"{args.n} documents, {args.spans} spans in {args.db} "
        f"({args.db.stat().st_size / 1e6:.0f} MB)"
    )
    print(
        f"{f'measure (best of {args.runs})':<38}{'floor (bare Qt)':>16}"
        f"{'annotator':>11}{'target':>10}"
    )
    shown = best(ours, "shown")
    rss = best(ours, "rss_mb")
    print(
        f"{'start to document list shown (s)':<38}{best(floor, 'shown'):>16.2f}{shown:>11.2f}"
        f"{'<1.5 s ' + ('ok' if shown < 1.5 else 'MISSED'):>10}"
    )
    print(
        f"{'peak RSS after scrolling, opening (MB)':<38}{best(floor, 'rss_mb'):>16.0f}{rss:>11.0f}"
        f"{'<300 ' + ('ok' if rss < 300 else 'MISSED'):>10}"
    )


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
