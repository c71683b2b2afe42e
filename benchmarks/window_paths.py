"""The article's hot paths in the real main window, driven as a user drives them.

    python benchmarks/window_paths.py [--mb 1.0] [--spans 10000] [--runs 7] [--profile PATH]

Builds article B (the text and spans of benchmarks/article_view.py, same seeds) in a fresh
SQLite file beside a short article A, opens the real MainWindow on it and measures, each until
the article's viewport has painted:

- opening B from the document list (select its row, press Enter), coming from A;
- adding one span by hotkey in B (select text, press the label's key), until stored and painted;
- scrolling B page by page (PageDown in the article): the slowest frame;
- the article widget alone showing B, against a bare QPlainTextEdit.

`--profile PATH` writes a cProfile of the open and add paths to PATH (pstats format).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _screen import use_offscreen_screen
from article_view import make_spans, make_text
from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from annotator.domain.model import DocumentMeta, NewSpan
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document, list_labels

ANNOTATOR = "bench"


class PaintWatch(QObject):
    """Counts paint events of one widget; `wait` spins the event loop until one arrives."""

    def __init__(self, target: QObject) -> None:
        super().__init__()
        self.count = 0
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False

    def wait(self, app: QApplication, before: int, limit_s: float = 10.0) -> None:
        end = time.perf_counter() + limit_s
        app.processEvents()
        while self.count <= before and time.perf_counter() < end:
            app.processEvents()


def build(path: Path, mb: float, n: int) -> tuple[int, int]:
    """Article A (short) and B (long, with `n` spans of the bench annotator); their ids."""
    db = open_database(path)
    annotator = ensure_annotator(db, name=ANNOTATOR)
    labels = {label.name: label.id for label in list_labels(db)}
    a = add_document(db, text="A short article about nothing much.\n" * 20, meta=DocumentMeta("A"))
    text = make_text(mb)
    b = add_document(db, text=text, meta=DocumentMeta("B"))
    names = ("ACTOR", "DATE", "CLAIM")
    seen: set[tuple[int, int, int]] = set()
    items = []
    for s in make_spans(text, n):
        key = (s.start, s.end, labels[names[s.label_id - 1]])
        if key not in seen:
            seen.add(key)
            items.append(NewSpan(s.start, s.end, key[2], annotator.id))
    with db.transaction() as repo:
        repo.add_spans(b.id, items)
    db.dispose()
    return a.id, b.id


def median_ms(runs: list[float]) -> float:
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--spans", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", type=Path)
    parser.add_argument(
        "--suggest",
        action="store_true",
        help="let the suggestion engines run on B as they do on a document never suggested "
        "for (some 100,000 suggestions on B); without it they are off",
    )
    parser.add_argument("--only", choices=("open", "add", "page"), help="profile only this path")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="window-paths-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["HOME"] = str(tmp)
    use_offscreen_screen()
    app = QApplication.instance() or QApplication([])
    a_id, b_id = build(tmp / "bench.sqlite3", args.mb, args.spans)

    from annotator.ui.app import create_main_window

    win = create_main_window(str(tmp / "bench.sqlite3"), ANNOTATOR)
    win.resize(1400, 900)
    win.show()
    QTest.qWaitForWindowExposed(win)
    app.processEvents()
    if win.suggestions is not None and not args.suggest:
        win.suggestions.use_engines(())
    view = win.library.view
    article = win.article
    paints = PaintWatch(article.viewport())
    profile = cProfile.Profile() if args.profile else None

    cpu: dict[str, list[float]] = {}

    def settle() -> None:
        """Let the engines that run on a newly opened document finish (in the background,
        once per document) so that they take no CPU from what is measured."""
        app.processEvents()
        suggestions = win.suggestions
        end = time.perf_counter() + 120
        while suggestions is not None and suggestions.busy() and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.01)
        app.processEvents()

    def timed(prepare: Callable[[], None], act: Callable[[], None], name: str = "") -> float:
        """Wall time from the user's action until the article has painted (the CPU time this
        process spent meanwhile goes to `cpu[name]`: other programs on the machine add to
        the wall time, not to it)."""
        prepare()
        settle()
        before = paints.count
        t0, c0 = time.perf_counter(), time.process_time()
        profiled = profile is not None and args.only in (None, name)
        if profiled:
            profile.enable()
        act()
        paints.wait(app, before)
        if profiled:
            profile.disable()
        cpu.setdefault(name, []).append(time.process_time() - c0)
        return time.perf_counter() - t0

    def enter_on(document_id: int) -> None:
        """As a user: move to the document's row (the arrow keys make it current without
        opening it) and press Enter."""
        row = win.documents.row_of(document_id)
        assert row is not None
        view.setFocus()
        selection = view.selectionModel()
        selection.clearSelection()
        selection.setCurrentIndex(
            win.documents.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
        )
        QTest.keyClick(view, Qt.Key.Key_Return)

    def open_a() -> None:
        enter_on(a_id)
        app.processEvents()
        assert win.editor.document is not None and win.editor.document.id == a_id

    def open_b() -> None:
        enter_on(b_id)

    opens = [timed(open_a, open_b, "open") for _ in range(args.runs)]
    assert win.editor.document is not None and win.editor.document.id == b_id
    assert len(win.editor.spans) >= args.spans * 0.99, len(win.editor.spans)

    # Add one span by hotkey: a selection over plain words, then the ACTOR key ("1").
    text = article.text
    spans_before = len(win.editor.spans)
    article.setFocus()
    starts = iter(range(1000, len(text) - 1000, len(text) // (args.runs * 3)))

    def select_some() -> None:
        for start in starts:
            end = start + 7
            if "\n" not in text[start:end]:
                article.scroll_to(start)
                article.select_range(start, end)
                return

    def press_label() -> None:
        QTest.keyClick(article, Qt.Key.Key_1)

    adds = [timed(select_some, press_label, "add") for _ in range(args.runs)]
    added = len(win.editor.spans) - spans_before

    # The change watch's next tick after an edit of one's own (it sees the commit): the work
    # it does on the GUI thread to find that the open document is as shown.
    watches = []
    for _ in range(args.runs):
        select_some()
        press_label()
        t0 = time.perf_counter()
        win._on_change_watch()
        watches.append(time.perf_counter() - t0)

    # Scroll page by page from the top: time each PageDown until painted.
    article.clear_selection()
    article.scroll_to(0)
    app.processEvents()
    article.setFocus()
    frames = [
        timed(lambda: None, lambda: QTest.keyClick(article, Qt.Key.Key_PageDown), "page")
        for _ in range(60)
    ]

    if profile is not None:
        profile.dump_stats(str(args.profile))
    slow = [f"{i}: {f * 1000:.0f}" for i, f in enumerate(frames) if f > 0.016]
    if slow:
        print("slow PageDown frames (number: ms):", ", ".join(slow))

    # The widget alone: ArticleView against a bare QPlainTextEdit (as article_view.py).
    from annotator.ui.annotate.article_view import ArticleView

    doc = win.editor.document
    spans = list(win.editor.spans)
    bare = QPlainTextEdit()
    bare.resize(1000, 800)
    bare.show()
    alone = ArticleView()
    alone.resize(1000, 800)
    alone.set_labels(win.editor.labels)
    alone.show()
    floor_runs, ours_runs = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        bare.setPlainText(text)
        app.processEvents()
        floor_runs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        alone.show_document(doc, spans)
        app.processEvents()
        ours_runs.append(time.perf_counter() - t0)

    print(f"article B: {len(text.encode()) / 1e6:.2f} MB, {spans_before} spans; added {added}")
    print(f"{'path (ms)':<42}{'median':>8}{'max':>8}{'cpu med':>8}{'cpu max':>8}{'target':>15}")

    def line(name: str, runs: list[float], target: str, ok: bool, key: str = "") -> None:
        spent = cpu.get(key, [])
        used = f"{median_ms(spent):>8.1f}{max(spent) * 1000:>8.1f}" if spent else f"{'':>16}"
        print(
            f"{name:<42}{median_ms(runs):>8.1f}{max(runs) * 1000:>8.1f}{used}"
            f"{target + (' ok' if ok else ' MISS'):>15}"
        )

    line("open B from the list, until painted", opens, "<150", median_ms(opens) < 150, "open")
    line("add one span by hotkey, until painted", adds, "<16", median_ms(adds) < 16, "add")
    line("PageDown in B, each frame", frames, "<16 all", max(frames) < 0.016, "page")
    line("change watch tick after an own edit", watches, "<16", max(watches) < 0.016)
    floor, ours = median_ms(floor_runs), median_ms(ours_runs)
    line("widget alone: bare QPlainTextEdit", floor_runs, "", True)
    line(
        "widget alone: ArticleView",
        ours_runs,
        f"<100,<={3 * floor:.0f}",
        ours < 100 and ours <= 3 * floor,
    )
    win.close()
    win.db.dispose()


if __name__ == "__main__":
    main()
