"""Other annotators' layers in the article view: their spans drawn read-only beside one's own.

They are never in the highlighter (whose spans are the ones the user edits, clicks and selects):
a paint draws, for the lines in view only, a dotted bar under each of their spans in the label's
colour, stacked below the text by nesting depth. Their links are marked in the margin right of
the text (one's own are marked left of it), as hollow dashed wedges and rings in the link type's
colour. Found by bisection, as the highlighter finds its spans, so a 10,000-span layer costs a
paint only what is on screen.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

from annotator.domain.model import Relation, Span

_BAR = 2.0  # thickness of one layer mark
_STEP = 3.0  # distance between stacked marks


class LayerIndex:
    """Spans of other layers sorted by start, for the spans overlapping a range."""

    def __init__(
        self,
        spans: Sequence[Span] = (),
        names: Mapping[int, str] | None = None,
        relations: Sequence[Relation] = (),
    ) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start, -s.end, s.id))
        self._starts = [s.start for s in self.spans]
        self._max_len = max((len(s) for s in self.spans), default=0)
        self.names: dict[int, str] = dict(names or {})
        """Annotator id -> name, for tooltips."""
        self.by_id: dict[int, Span] = {s.id: s for s in self.spans}
        self.relations = [
            r for r in relations if r.source_id in self.by_id and r.target_id in self.by_id
        ]
        self._links: dict[int, list[Relation]] = {}
        for r in self.relations:
            self._links.setdefault(r.source_id, []).append(r)
            if r.target_id != r.source_id:
                self._links.setdefault(r.target_id, []).append(r)

    def links_of(self, span_id: int) -> list[Relation]:
        """The links of that layer starting or ending at one of its spans."""
        return self._links.get(span_id, [])

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


def paint_layer_links(
    painter: QPainter,
    index: LayerIndex,
    visible: tuple[int, int],
    band_of: Callable[[int], tuple[float, float]],
    left: float,
    height: float,
    colour_of: Callable[[Relation], QColor],
) -> None:
    """A hollow dashed mark for each link of other layers at a span in view, in the margin
    right of the text from `left` on: a wedge pointing at the line where the link ends, a ring
    where it leaves. Read-only: nothing here is hit-tested. Marks on one line sit side by side,
    as many as the margin holds."""
    if not index.relations:
        return
    low, high = visible
    used: dict[int, int] = {}
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for span in index.overlapping(low, high):
        links = index.links_of(span.id)
        if not links:
            continue
        top, bottom = band_of(max(span.start, low))
        if bottom < 0 or top > height:
            continue
        y = (top + bottom) / 2
        for relation in links:
            n = used.get(round(top), 0)
            used[round(top)] = n + 1
            x = left + 4.0 + 7.0 * n
            if n > 3:
                break  # the tool tip lists them all
            pen = QPen(colour_of(relation), 1.0, Qt.PenStyle.DashLine)
            pen.setDashPattern([2.0, 1.5])
            painter.setPen(pen)
            if relation.target_id == span.id:
                painter.drawPolygon(
                    QPolygonF([QPointF(x + 5, y - 3.5), QPointF(x, y), QPointF(x + 5, y + 3.5)])
                )
            else:
                painter.drawEllipse(QPointF(x + 2.5, y), 2.5, 2.5)
