"""Other annotators' layers in the article view: their spans drawn read-only beside one's own.

They are never in the highlighter (whose spans are the ones the user edits, clicks and selects):
a paint draws, for the lines in view only, a dotted bar under each of their spans in the label's
colour, stacked below the text by nesting depth. Found by bisection, as the highlighter finds its
spans, so a 10,000-span layer costs a paint only what is on screen.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from annotator.domain.model import Span

_BAR = 2.0  # thickness of one layer mark
_STEP = 3.0  # distance between stacked marks


class LayerIndex:
    """Spans of other layers sorted by start, for the spans overlapping a range."""

    def __init__(self, spans: Sequence[Span] = (), names: Mapping[int, str] | None = None) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start, -s.end, s.id))
        self._starts = [s.start for s in self.spans]
        self._max_len = max((len(s) for s in self.spans), default=0)
        self.names: dict[int, str] = dict(names or {})
        """Annotator id -> name, for tooltips."""

    def __len__(self) -> int:
        return len(self.spans)

    def overlapping(self, start: int, end: int) -> list[Span]:
        lo = bisect_left(self._starts, start - self._max_len)
        hi = bisect_left(self._starts, end)
        return [s for s in self.spans[lo:hi] if s.end > start]

    def at(self, offset: int) -> list[Span]:
        """Spans covering one code point, innermost first."""
        return sorted(self.overlapping(offset, offset + 1), key=lambda s: (len(s), s.start, s.id))

    def name_of(self, span: Span) -> str:
        return self.names.get(span.annotator_id, "another annotator")


def depths(spans: Sequence[Span]) -> list[tuple[Span, int]]:
    """Each span (sorted by start) with how many earlier spans still cover its start."""
    out: list[tuple[Span, int]] = []
    open_ends: list[int] = []
    for s in spans:
        while open_ends and open_ends[0] <= s.start:
            heapq.heappop(open_ends)
        out.append((s, len(open_ends)))
        heapq.heappush(open_ends, s.end)
    return out


def paint_layer_marks(
    painter: QPainter,
    index: LayerIndex,
    visible: tuple[int, int],
    rects_of: Callable[[int, int], list[QRectF]],
    colour_of: Callable[[Span], QColor],
) -> None:
    """A dotted bar under each visible span of other layers, deeper ones lower."""
    low, high = visible
    for span, depth in depths(index.overlapping(low, high)):
        pen = QPen(colour_of(span), _BAR)
        pen.setStyle(Qt.PenStyle.DotLine)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        offset = 1.0 + min(depth, 3) * _STEP
        for rect in rects_of(max(span.start, low), min(span.end, high)):
            y = rect.bottom() - offset
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
