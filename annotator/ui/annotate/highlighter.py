"""Span highlighting per text block: the fast path for long, densely annotated articles.

QSyntaxHighlighter formats one block (paragraph) at a time, only when Qt lays it out; each block
finds its spans by bisecting the start-sorted span list. Background labels (actors, dates) fill,
underline labels (claims) underline, so nested spans of different kinds stay readable; nested
spans of the same kind deepen the shade or switch to a wave underline. The shades are worked out
against the theme's background and text colours (annotator.ui.common.theme), so text on them
keeps its contrast in light and dark.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import pairwise

from PySide6.QtCore import Signal
from PySide6.QtGui import (
    QColor,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit

from annotator.domain.model import HighlightStyle, Label, Span
from annotator.ui.annotate.offsets import Utf16Index
from annotator.ui.common.theme import LIGHT_COLOURS, highlight_background, underline_colour


def _order(span: Span) -> tuple[int, int, int]:
    """Spans in text order: by start, the longer first, then by id."""
    return (span.start, -span.end, span.id)


LAZY_BLOCKS = 400
"""Documents of more blocks (paragraphs) than this are highlighted as they come into view."""


class SpanHighlighter(QSyntaxHighlighter):
    """Draws the spans of one document; `set_spans` replaces them and re-highlights."""

    sig_stale = Signal()
    """A long document's highlights must be made again; those in view first."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._index = Utf16Index("")
        self._spans: list[Span] = []
        self._starts: list[int] = []
        self._max_len = 0
        self._labels: dict[int, Label] = {}
        self._formats: dict[tuple[str | None, int, str | None, int], QTextCharFormat] = {}
        self._base = QColor(LIGHT_COLOURS[QPalette.ColorRole.Base])
        self._text = QColor(LIGHT_COLOURS[QPalette.ColorRole.Text])
        self._quiet = False
        self.pending: bytearray | None = None
        """In a long document (`set_plain_text`), 1 for each block (by number) still to be
        highlighted; the view highlights those it shows (`highlight_blocks`). None: every block
        is highlighted whenever the text or the spans change (short documents)."""

    def set_plain_text(self, view: QPlainTextEdit, text: str) -> None:
        """Put the text in the view. A long one is not highlighted here, block after block
        (a 1 MB article has some 10,000): its blocks are highlighted as they come into view."""
        if text.count("\n") < LAZY_BLOCKS:
            self.pending = None
            view.setPlainText(text)
            return
        self._quiet = True
        try:
            view.setPlainText(text)
        finally:
            self._quiet = False
        self.pending = bytearray(b"\x01") * self.document().blockCount()

    def rehighlight(self) -> None:
        """Highlight every block again; in a long document, mark them all to be highlighted
        when they are seen (the view's next paint highlights those in view)."""
        if self.pending is None:
            super().rehighlight()
            return
        self.pending = bytearray(b"\x01") * self.document().blockCount()
        self.sig_stale.emit()

    def highlight_blocks(self, blocks: Iterable[QTextBlock]) -> bool:
        """Highlight those of these blocks still to be; whether there were any."""
        pending = self.pending
        if pending is None:
            return False
        done = False
        for block in blocks:
            number = block.blockNumber()
            if 0 <= number < len(pending) and pending[number]:
                self.rehighlightBlock(block)
                done = True
        return done

    def set_theme(self, base: QColor, text: QColor) -> None:
        """The view's background and text colours; highlights are worked out against them."""
        if (base, text) == (self._base, self._text):
            return
        self._base, self._text = QColor(base), QColor(text)
        self._formats.clear()
        if self._spans:
            self.rehighlight()

    def set_text_index(self, index: Utf16Index) -> None:
        self._index = index

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.id: label for label in labels}
        self._formats.clear()

    def set_spans(self, spans: Sequence[Span], *, rehighlight: bool = True) -> None:
        self._spans = sorted(spans, key=_order)
        self._starts = [s.start for s in self._spans]
        self._max_len = max((len(s) for s in self._spans), default=0)
        if rehighlight:
            self.rehighlight()

    def replace_spans(self, gone: Iterable[Span], present: Iterable[Span]) -> bool:
        """Take out the `gone` spans (as they were given before) and put in the `present` ones,
        by bisection, without re-highlighting; False (nothing changed) when one of `gone` is
        not here as given, and `set_spans` must be used instead."""
        spans, starts = self._spans, self._starts
        where = []
        for s in gone:
            i = bisect_left(spans, _order(s), key=_order)
            if i >= len(spans) or spans[i] != s:
                return False
            where.append(i)
        for i in sorted(set(where), reverse=True):
            del spans[i], starts[i]
        for s in present:
            i = bisect_left(spans, _order(s), key=_order)
            spans.insert(i, s)
            starts.insert(i, s.start)
            # An upper bound is all `spans_in` needs: a span taken out leaves it as it is.
            self._max_len = max(self._max_len, len(s))
        return True

    @property
    def span_count(self) -> int:
        return len(self._spans)

    def rehighlight_range(self, start: int, end: int) -> None:
        """Re-highlight only the blocks that hold code-point offsets `start`..`end`."""
        doc = self.document()
        first = doc.findBlock(self._index.to_utf16(start))
        last = doc.findBlock(self._index.to_utf16(max(start, end - 1)))
        block = first
        while block.isValid():
            self.rehighlightBlock(block)
            if block == last:
                break
            block = block.next()

    def spans_in(self, start: int, end: int) -> list[Span]:
        """Spans that overlap code points `start`..`end` (end exclusive), by bisection."""
        lo = bisect_left(self._starts, start - self._max_len)
        hi = bisect_left(self._starts, end)
        return [s for s in self._spans[lo:hi] if s.end > start]

    def _format(
        self, bg: str | None, bg_depth: int, ul: str | None, ul_depth: int
    ) -> QTextCharFormat:
        key = (bg, bg_depth, ul, ul_depth)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            if bg is not None:
                fmt.setBackground(highlight_background(bg, bg_depth, self._base, self._text))
            if ul is not None:
                fmt.setFontUnderline(True)
                fmt.setUnderlineColor(underline_colour(ul, self._base))
                style = QTextCharFormat.UnderlineStyle
                fmt.setUnderlineStyle(
                    style.SingleUnderline if ul_depth == 1 else style.WaveUnderline
                )
            self._formats[key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:
        if self._quiet:
            return
        pending = self.pending
        if pending is not None:
            number = self.currentBlock().blockNumber()
            if 0 <= number < len(pending):
                pending[number] = 0
        if not self._spans:
            return
        block_u16 = self.currentBlock().position()
        block_start = self._index.to_code_point(block_u16)
        block_end = block_start + len(text)
        spans = self.spans_in(block_start, block_end)
        if not spans:
            return
        # Sweep the span edges; between two edges the covering set is constant. Cost is
        # O(k log k) for k spans in the block, plus the (small) nesting depth per segment.
        opening = sorted(spans, key=lambda s: max(s.start, block_start))
        closing = sorted(spans, key=lambda s: min(s.end, block_end))
        edges = sorted(
            {block_start, block_end}
            | {s.start for s in spans if s.start > block_start}
            | {s.end for s in spans if s.end < block_end}
        )
        active: dict[int, Span] = {}
        i_open = i_close = 0
        for seg_start, seg_end in pairwise(edges):
            while i_close < len(closing) and min(closing[i_close].end, block_end) <= seg_start:
                active.pop(closing[i_close].id, None)
                i_close += 1
            while i_open < len(opening) and max(opening[i_open].start, block_start) <= seg_start:
                if opening[i_open].end > seg_start:
                    active[opening[i_open].id] = opening[i_open]
                i_open += 1
            if active:
                self._paint_segment(block_u16, seg_start, seg_end, active.values())

    def _paint_segment(
        self, block_u16: int, seg_start: int, seg_end: int, covering: Iterable[Span]
    ) -> None:
        bg: Span | None = None
        ul: Span | None = None
        bg_depth = ul_depth = 0
        for s in covering:
            label = self._labels.get(s.label_id)
            if label is None:
                continue
            if label.style is HighlightStyle.UNDERLINE:
                ul_depth += 1
                if ul is None or len(s) < len(ul):
                    ul = s
            else:
                bg_depth += 1
                if bg is None or len(s) < len(bg):
                    bg = s
        if bg is None and ul is None:
            return
        fmt = self._format(
            self._labels[bg.label_id].colour if bg else None,
            min(bg_depth, 3),
            self._labels[ul.label_id].colour if ul else None,
            min(ul_depth, 2),
        )
        u_start = self._index.to_utf16(seg_start) - block_u16
        u_end = self._index.to_utf16(seg_end) - block_u16
        self.setFormat(u_start, u_end - u_start, fmt)
