"""How suggestions look in the article: hollow dashed outlines, unlike the filled backgrounds and
solid underlines of annotations.

The article keeps its suggestions in a `SuggestionIndex` (sorted by start, found by bisection,
as the highlighter finds spans) and paints only those in view, once per paint, from the lines
of the blocks' text layouts. Nothing here reads the database.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from annotator.domain.suggestions import Suggestion
from annotator.ui.common.theme import underline_colour

# A pen of 1 pixel: Qt strokes it on its fast path, about 70 times faster than the 1.3 pixels
# it was (a screenful of outlines took 17 ms a frame to stroke, more than the rest of a page
# scroll). The pattern is in pen widths: dashes of 3.9 and gaps of 3.25 pixels, as before.
_PEN = 1.0
_DASH = [3.9, 3.25]
_CURRENT_DASH = [4.0, 2.0]
_NEST_STEP = 2.5  # pixels each nesting level draws inside the one around it
_FILL_ALPHA = 48
_CHANGES_KEPT = 2000  # suggestions taken out or put in that `changed_since` still knows


class SuggestionIndex:
    """A document's suggestions in text order, with lookups by range, point and id."""

    def __init__(self, suggestions: Sequence[Suggestion] = ()) -> None:
        self.items = sorted(suggestions, key=_order)
        self._starts = [s.start for s in self.items]
        self._max_len = max((len(s) for s in self.items), default=0)
        self.by_id = {s.id: s for s in self.items}
        self.revision = 0
        """How many suggestions `update` has taken out or put in (a paint's cache compares it)."""
        self._changed: list[Suggestion] = []
        self._changed_from = 0  # the revision of `_changed[0]`

    def __len__(self) -> int:
        return len(self.items)

    def update(self, removed: Iterable[int], added: Iterable[Suggestion]) -> None:
        """Take suggestions out by id and put others in, each found by bisection: an
        annotation made where one lies hides it without sorting the thousands again."""
        for suggestion_id in removed:
            suggestion = self.by_id.pop(suggestion_id, None)
            if suggestion is None:
                continue
            at = bisect_left(self.items, _order(suggestion), key=_order)
            if at >= len(self.items) or self.items[at].id != suggestion_id:
                at = self.items.index(suggestion)
            del self.items[at]
            del self._starts[at]
            self._log(suggestion)
        for suggestion in added:
            if suggestion.id in self.by_id:
                continue
            at = bisect_left(self.items, _order(suggestion), key=_order)
            self.items.insert(at, suggestion)
            self._starts.insert(at, suggestion.start)
            self.by_id[suggestion.id] = suggestion
            self._log(suggestion)
            # Kept as an upper bound when one goes: `overlapping` only looks further back.
            self._max_len = max(self._max_len, len(suggestion))

    def _log(self, suggestion: Suggestion) -> None:
        self.revision += 1
        self._changed.append(suggestion)
        if len(self._changed) > _CHANGES_KEPT:
            drop = len(self._changed) - _CHANGES_KEPT // 2
            del self._changed[:drop]
            self._changed_from += drop

    def changed_since(self, revision: int) -> list[Suggestion] | None:
        """The suggestions taken out or put in since `revision`; None when no longer known."""
        if revision < self._changed_from or revision > self.revision:
            return None
        return self._changed[revision - self._changed_from :]

    def overlapping(self, start: int, end: int) -> list[Suggestion]:
        """Suggestions sharing a code point with `start`..`end`, in text order."""
        lo = bisect_left(self._starts, start - self._max_len)
        hi = bisect_left(self._starts, end)
        return [s for s in self.items[lo:hi] if s.end > start]

    def at(self, offset: int) -> list[Suggestion]:
        """Suggestions covering one code point, innermost first."""
        return sorted(self.overlapping(offset, offset + 1), key=lambda s: (len(s), s.start, s.id))


def _order(suggestion: Suggestion) -> tuple[int, int, int]:
    return (suggestion.start, -suggestion.end, suggestion.id)


def nesting_depths(suggestions: Iterable[Suggestion]) -> list[tuple[Suggestion, int]]:
    """Each suggestion (in text order) with how many earlier ones are still open where it
    starts: a sweep with a heap of ends, so a dense screen costs k log k, not k²."""
    ordered = sorted(suggestions, key=lambda s: (s.start, -s.end, s.id))
    open_ends: list[int] = []
    out = []
    for s in ordered:
        while open_ends and open_ends[0] <= s.start:
            heapq.heappop(open_ends)
        out.append((s, len(open_ends)))
        heapq.heappush(open_ends, s.end)
    return out


def outline_colour(label_colour: str, base: QColor | None = None) -> QColor:
    """The label colour moved away from the background `base` (white when not given): label
    colours are pastels that vanish as thin lines on white, and dark lines vanish on black."""
    return underline_colour(label_colour, base if base is not None else QColor("#ffffff"))


def paint_outline(
    painter: QPainter,
    rects: Sequence[QRectF],
    colour: QColor,
    *,
    depth: int = 0,
    current: bool = False,
) -> None:
    """One suggestion: a dashed box per line fragment, open where it runs on to the next line,
    drawn inside the boxes of the suggestions around it (`depth`)."""
    if not rects:
        return
    if current:
        inset = min(depth, 3) * _NEST_STEP
        fill = QColor(colour)
        fill.setAlpha(_FILL_ALPHA)
        for rect in rects:
            box = rect.adjusted(-1.5 + inset, 0.5 + inset, 1.5 - inset, -0.5 - inset)
            painter.fillRect(box, fill)
    path = QPainterPath()
    add_outline(path, rects, depth)
    stroke_outlines(painter, path, colour, current=current)


def add_outline(path: QPainterPath, rects: Sequence[QRectF], depth: int = 0) -> None:
    """Add one suggestion's outline to `path` (see `paint_outline`): outlines of one colour
    and nesting are stroked together, one call for a screenful."""
    add_outline_boxes(path, [(r.left(), r.top(), r.right(), r.bottom()) for r in rects], depth)


def add_outline_boxes(
    path: QPainterPath, boxes: Sequence[tuple[float, float, float, float]], depth: int = 0
) -> None:
    """`add_outline` from (left, top, right, bottom) boxes in plain numbers: a screen while
    scrolling draws hundreds of outlines, and a rectangle object made, moved and read corner
    by corner for each line of each was most of their cost."""
    inset = min(depth, 3) * _NEST_STEP
    last = len(boxes) - 1
    for i, (left, top, right, bottom) in enumerate(boxes):
        left, top = left - 1.5 + inset, top + 0.5 + inset
        right, bottom = right + 1.5 - inset, bottom - 0.5 - inset
        if i == 0:
            path.moveTo(left, bottom)
            path.lineTo(left, top)
        else:
            path.moveTo(left, top)
        path.lineTo(right, top)
        if i == last:
            path.lineTo(right, bottom)
        else:
            path.moveTo(right, bottom)
        path.lineTo(left, bottom)


def stroke_outlines(
    painter: QPainter, path: QPainterPath, colour: QColor, *, current: bool = False
) -> None:
    """Stroke outlines added by `add_outline` with the dashed pen of suggestions."""
    pen = QPen(colour, 2.4 if current else _PEN)
    pen.setDashPattern(_CURRENT_DASH if current else _DASH)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(pen)
    painter.drawPath(path)
