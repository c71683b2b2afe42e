"""Article view speed on long, densely annotated text, against bare Qt as the floor.

    python benchmarks/article_view.py [--mb 1.0] [--spans 10000]

Prints one table: showing the text (bare QPlainTextEdit vs ArticleView with every span
highlighted), re-highlighting after one added span, and the span lookup behind hover and click.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from PySide6.QtWidgets import QApplication, QPlainTextEdit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figure, Size

from annotator.domain.model import Document, DocumentMeta, HighlightStyle, Label, Span
from annotator.ui.annotate.article_view import ArticleView

SENTENCE = "the minister said on Tuesday that talks with 👩\u200d⚖️ officials in Geneva would go on"
WORDS = SENTENCE.split(" ")


def make_text(mb: float) -> str:
    rng = random.Random(1)
    paragraphs, size = [], 0
    while size < mb * 1_000_000:
        para = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 160))) + "."
        paragraphs.append(para)
        size += len(para.encode()) + 1
    return "\n".join(paragraphs)


def make_spans(text: str, n: int) -> list[Span]:
    rng = random.Random(2)
    now = datetime.now(UTC)
    spans = []
    for i in range(n):
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randint(3, 150 if i % 5 == 0 else 20)
        spans.append(Span(i + 1, 1, start, end, 1 + i % 3, text[start:end], 1, now, now))
    return spans


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs) * 1000


LABELS = [
    Label(1, "ACTOR", "#56B4E9", "1", 0),
    Label(2, "DATE", "#E69F00", "2", 1),
    Label(3, "CLAIM", "#CC79A7", "3", 2, HighlightStyle.UNDERLINE),
]


def measure(mb: float, n_spans: int) -> dict[str, float]:
    """Milliseconds: bare Qt showing the text, ArticleView showing it with every span, one
    added span re-highlighted, and (µs) the span lookup at a point."""
    app = QApplication.instance() or QApplication([])
    text = make_text(mb)
    spans = make_spans(text, n_spans)
    doc = Document(1, DocumentMeta("bench"), text, "0" * 64, datetime.now(UTC))

    bare = QPlainTextEdit()
    bare.resize(1000, 800)
    bare.show()

    def show_bare() -> None:
        bare.setPlainText(text)
        app.processEvents()

    view = ArticleView()
    view.resize(1000, 800)
    view.set_labels(LABELS)
    view.show()

    def show_ours() -> None:
        view.show_document(doc, spans)
        app.processEvents()

    floor = timed(show_bare)
    ours = timed(show_ours)

    extra = spans[len(spans) // 2]
    added = Span(
        10**6,
        1,
        extra.start,
        extra.end + 1,
        2,
        text[extra.start : extra.end + 1],
        1,
        extra.created,
        extra.updated,
    )

    def add_one() -> None:
        view.set_spans([*spans, added], changed=[added])
        app.processEvents()

    add_ms = timed(add_one)
    probes = [random.Random(3).randrange(len(text)) for _ in range(1000)]
    lookup_us = timed(lambda: [view.spans_at(p) for p in probes]) / len(probes) * 1000

    view.close()
    bare.close()
    return {
        "floor_ms": floor,
        "ours_ms": ours,
        "add_ms": add_ms,
        "lookup_us": lookup_us,
        "mb": len(text.encode()) / 1e6,
        "paragraphs": text.count("\n") + 1,
        "spans": len(spans),
    }


def figures(size: Size) -> list[Figure]:
    mb, spans = (1.0, 10_000) if size == "full" else (0.05, 500)
    got = measure(mb, spans)
    return [
        Figure(
            f"article B ({mb:g} MB, {spans:,} spans), widget alone (ms)",
            got["ours_ms"],
            "ms",
            got["floor_ms"],
            "bare QPlainTextEdit",
            max_ratio=3,
            max_value=100,
        ),
        Figure("article B, widget alone: re-highlight one added span (ms)", got["add_ms"], "ms"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--spans", type=int, default=10_000)
    args = parser.parse_args()
    got = measure(args.mb, args.spans)
    floor, ours, add_ms, lookup_us = (
        got["floor_ms"],
        got["ours_ms"],
        got["add_ms"],
        got["lookup_us"],
    )
    print(
        f"text {got['mb']:.2f} MB in {got['paragraphs']:.0f} paragraphs, {got['spans']:.0f} spans"
    )
    print(f"{'measure':<42}{'floor (bare Qt)':>16}{'annotator':>12}{'ratio':>8}")
    print(f"{'show text (ms, median of 5)':<42}{floor:>16.1f}{ours:>12.1f}{ours / floor:>8.2f}")
    print(f"{'add one span and re-highlight (ms)':<42}{'-':>16}{add_ms:>12.1f}{'':>8}")
    print(f"{'spans at a point, hover/click (µs)':<42}{'-':>16}{lookup_us:>12.1f}{'':>8}")


if __name__ == "__main__":
    main()
