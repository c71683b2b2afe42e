"""The article: read-only plain text, selectable by mouse and keyboard, with span highlights.

Links between spans are painted in the gutter left of the text, never over it: bows from the
selected span's line to the lines of the spans it is linked with (those spans outlined), and a
small mark beside every other linked span in view. Ctrl+drag from one span to another asks for a
link (`sig_link_dragged`); what it becomes is decided outside the view.

Suggestions (proposed, not yet annotations) are painted over the text too, as dashed outlines of
the lines they cover; one of them can be current (drawn stronger, with its proposed links), and
resting the mouse on one says so (`sig_suggestion_rested`) for the card that offers it.
"""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import ceil, floor
from typing import NamedTuple, Protocol

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QRegion,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.domain.model import Document, Label, Relation, RelationType, Span
from annotator.domain.suggestions import Suggestion
from annotator.ui.annotate.highlighter import SpanHighlighter
from annotator.ui.annotate.layers import LayerIndex, paint_layer_links, paint_layer_marks
from annotator.ui.annotate.offsets import Utf16Index
from annotator.ui.annotate.reading import Reading, install_layout
from annotator.ui.annotate.suggestion_marks import (
    SuggestionIndex,
    add_outline_boxes,
    nesting_depths,
    outline_colour,
    paint_outline,
    stroke_outlines,
)
from annotator.ui.common.theme import strong_span_colours

_ARC_ALPHA = 215
_MARK_ALPHA = 190
_REPAINT_MARGIN = 4
"""Pixels above and below a changed line repainted with it: outlines and wave underlines are
drawn a little outside the line's box."""
REST_MS = 450
"""How long the mouse rests on a suggestion before its card is offered."""
_OUTLINE_REACH = 3.0  # pixels a suggestion's outline may reach past its line's box


def _line_x(line: QTextLine, position: int) -> float:
    """The x of a cursor position in a laid-out line (PySide returns it with the position)."""
    found = line.cursorToX(position)
    return float(found[0] if isinstance(found, tuple) else found)  # type: ignore[arg-type]


class _Line(NamedTuple):
    """A laid-out line in view: its Qt positions, its block's, and where it is drawn."""

    start: int
    end: int
    base: int
    line: QTextLine
    x: float
    top: float
    height: float


@dataclass
class _SuggestionLayer:
    """The outlines of the suggestions in view, drawn into an image (see
    `ArticleView._paint_suggestions`): what they were drawn from, the suggestions' revision
    and the current suggestion (left out) as drawn."""

    key: tuple[object, ...]
    image: QImage
    revision: int
    current: Suggestion | None


class _Ranged(Protocol):
    """Anything with code-point offsets: a span or a suggestion."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def _elide(text: str, limit: int) -> str:
    """One line of at most `limit` characters (quotes can span paragraphs)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class ArticleView(QPlainTextEdit):
    """Shows one document. Offsets in and out are code points; Qt positions stay inside."""

    sig_span_clicked = Signal(int)
    """A span was clicked (its id); repeated clicks on nested spans walk outwards."""

    sig_selection_changed = Signal()
    """The text selection changed (for actions that need a selection)."""

    sig_span_selected = Signal(int)
    """`select_span` made this span the current one (0: none)."""

    sig_link_dragged = Signal(int, int, QPoint)
    """Ctrl+drag ended: (span id dragged from, code point released over or -1, global point)."""

    sig_suggestion_selected = Signal(int)
    """`select_suggestion` made this suggestion the current one (0: none)."""

    sig_suggestion_clicked = Signal(int)
    """A suggestion was clicked where no shorter span lies (its id)."""

    sig_suggestion_rested = Signal(int, QPoint)
    """The mouse rested on a suggestion: (its id, the viewport point)."""

    sig_suggestion_left = Signal()
    """The mouse is no longer over the suggestion it rested on."""

    sig_reading_changed = Signal()
    """The reading font or the zoom changed (`reading_font`, `zoom_steps` say to what)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reading = Reading(self, install_layout(self))
        self.setObjectName("articleView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setMouseTracking(True)
        self.setCenterOnScroll(False)
        self._text = ""
        self._index = Utf16Index("")
        self._labels: dict[int, Label] = {}
        self._selected: int | None = None
        self._selected_span: Span | None = None
        self._find: list[tuple[int, int]] = []
        self._find_current = -1
        self._last_click: tuple[int, list[int]] | None = None
        self._span_by_id: dict[int, Span] = {}
        self._relation_types: dict[int, RelationType] = {}
        self._relations: list[Relation] = []
        self._links: dict[int, list[Relation]] = {}
        self._preview: Span | None = None
        self._preview_outgoing = True
        self._drag_from: Span | None = None
        self._drag_to: QPoint | None = None
        self._suggestions = SuggestionIndex()
        self._layers = LayerIndex()
        self._lines: list[_Line] | None = None
        """While a paint draws over the text: the lines in view (see `_rects_from_lines`)."""
        self._line_starts: list[int] = []
        self._xs: dict[int, float] = {}  # while a paint draws: the x of each position read
        self._visible: tuple[tuple[float, ...], list[QTextBlock]] = ((), [])
        self._current_suggestion: Suggestion | None = None
        self._suggestion_layer: _SuggestionLayer | None = None
        """The outlines of the suggestions in view as last drawn, and what they were drawn
        from (see `_paint_suggestions`)."""
        self._hovered: int | None = None
        self._rest_point = QPoint()
        self._rest_timer = QTimer(self)
        self._rest_timer.setSingleShot(True)
        self._rest_timer.setInterval(REST_MS)
        self._rest_timer.timeout.connect(self._rested)
        self.highlighter = SpanHighlighter(self.document())
        self.highlighter.sig_stale.connect(self._highlight_visible)
        self.reading.sig_palette_changed.connect(self._theme_changed)
        self._theme_changed()
        self.selectionChanged.connect(self.sig_selection_changed)
        # Scrolling moves the drawn pixels; arcs to an end out of view must be drawn anew.
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    # Content ---------------------------------------------------------------------------------
    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.id: label for label in labels}
        self.highlighter.set_labels(labels)

    def show_document(self, document: Document | None, spans: Sequence[Span]) -> None:
        """Replace the text and spans. The text goes in once; it is never read back."""
        self._text = document.text if document else ""
        self._index = Utf16Index(self._text)
        self._selected = None
        self._selected_span = None
        self._find, self._find_current = [], -1
        self._last_click = None
        self._preview = None
        self._drag_from = self._drag_to = None
        self._span_by_id = {s.id: s for s in spans}
        self._set_links([])
        self._suggestions = SuggestionIndex()
        self._current_suggestion = None
        self._hovered = None
        self._rest_timer.stop()
        self.reading.set_title(document.title if document else "")
        self.highlighter.set_text_index(self._index)
        self.highlighter.set_spans(spans, rehighlight=False)
        # setPlainText lays out and highlights every block once, with the spans in place; a long
        # text is highlighted where it is seen (first here, then as it scrolls into view).
        self.highlighter.set_plain_text(self, self._text)
        self._refresh_extra_selections()
        self._highlight_visible()

    def set_spans(self, spans: Sequence[Span], *, changed: Sequence[Span] = ()) -> None:
        """New span list; with `changed`, only the blocks under those spans are re-highlighted."""
        self._span_by_id = {s.id: s for s in spans}
        if self._preview is not None:
            self._preview = self._span_by_id.get(self._preview.id)
        self.highlighter.set_spans(spans, rehighlight=not changed)
        self._after_change(changed)

    def update_spans(
        self, spans: Sequence[Span], *, gone: Sequence[Span], present: Sequence[Span]
    ) -> None:
        """Like `set_spans`, but for a few spans changed in a long list: `spans` is the list as
        it is now, `gone` the spans as they were before (deleted or changed) and `present`
        those added or changed. Only what changed is touched, and only its blocks are
        re-highlighted; an edit in a document of 10,000 spans costs no more than in one of ten."""
        if not self.highlighter.replace_spans(gone, present) or (
            self.highlighter.span_count != len(spans)
        ):
            self.set_spans(spans, changed=[*gone, *present])
            return
        for s in gone:
            self._span_by_id.pop(s.id, None)
        for s in present:
            self._span_by_id[s.id] = s
        if self._preview is not None:
            self._preview = self._span_by_id.get(self._preview.id)
        self._after_change([*gone, *present])

    def _after_change(self, changed: Sequence[Span]) -> None:
        # Qt's plain-text layout repaints the whole viewport after any change to the document,
        # a new format included ("optimization potential", says its source): a span added to
        # a dense screen cost a frame of painting. Formats change no line's size, so the
        # layout's signals are held while the spans' blocks are formatted again, and only
        # their lines are repainted; should the document's size change after all, the view
        # hears of it and repaints everything.
        layout = self.document().documentLayout()
        size = layout.documentSize()
        held = layout.blockSignals(True)
        try:
            for s in changed:
                self.highlighter.rehighlight_range(s.start, s.end)
        finally:
            layout.blockSignals(held)
        if layout.documentSize() != size:
            layout.documentSizeChanged.emit(layout.documentSize())
            self.viewport().update()
        else:
            self._repaint_around(changed)
        if self._selected is not None:
            # The selected span again only when it changed or went (a span added elsewhere
            # leaves it as it was, and the one added is selected next anyway).
            span = self._span_by_id.get(self._selected)
            if span is not self._selected_span:
                self.select_span(span)

    @property
    def text(self) -> str:
        return self._text

    @property
    def text_index(self) -> Utf16Index:
        return self._index

    # Reading ------------------------------------------------------------------------------
    def set_reading_font(self, family: str, size: int) -> None:
        """The font to read in (points, before zoom); an empty family keeps the current one."""
        if self.reading.set_font(family or self.reading.family, size):
            self.sig_reading_changed.emit()

    def reading_font(self) -> tuple[str, int]:
        """The chosen (family, point size), before zoom."""
        return self.reading.family, self.reading.point_size

    def zoom(self, steps: int) -> None:
        """Make the text `steps` points larger (smaller when negative), within limits."""
        if self.reading.zoom(steps):
            self.sig_reading_changed.emit()

    def reset_zoom(self) -> None:
        if self.reading.reset_zoom():
            self.sig_reading_changed.emit()

    @property
    def zoom_steps(self) -> int:
        """Points added to the reading font's size by zooming (0: none)."""
        return self.reading.zoom_steps

    def _theme_changed(self) -> None:
        palette = self.palette()
        self.highlighter.set_theme(
            palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        )
        self._refresh_extra_selections()
        self.viewport().update()

    # Selection ----------------------------------------------------------------------------
    def selected_range(self) -> tuple[int, int] | None:
        """The text selection in code points, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._index.to_code_point(cursor.selectionStart())
        end = self._index.to_code_point_ceil(cursor.selectionEnd())
        return (start, end) if start < end else None

    def select_range(self, start: int, end: int) -> None:
        """Select code points `start`..`end` as the user would, and show them."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._index.to_utf16(start))
        cursor.setPosition(self._index.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def select_span(self, span: Span | None) -> None:
        """Mark one span as the current one (drawn strongly in its colour), or none. A current
        suggestion stops being current: one thing at a time is what keys act on."""
        if self._current_suggestion is not None:
            self._current_suggestion = None
            self.sig_suggestion_selected.emit(0)
        before = self._selected_span
        self._selected = span.id if span else None
        self._selected_span = span
        self._refresh_extra_selections()
        self._repaint_around([s for s in (before, span) if s is not None])
        self.sig_span_selected.emit(span.id if span else 0)

    @property
    def selected_span(self) -> Span | None:
        return self._selected_span

    # Other annotators' layers -------------------------------------------------------------------
    def set_other_layers(
        self, spans: Sequence[Span], names: dict[int, str], relations: Sequence[Relation] = ()
    ) -> None:
        """Other annotators' spans and links to draw read-only (`names`: annotator id ->
        name); they are never selected, clicked or edited here."""
        self._layers = LayerIndex(spans, names, relations)
        self.viewport().update()

    @property
    def other_layers(self) -> LayerIndex:
        return self._layers

    # Suggestions -------------------------------------------------------------------------------
    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        """The suggestions to draw (sorted once here; a paint draws only those in view)."""
        self._suggestions = SuggestionIndex(suggestions)
        current = self._current_suggestion
        if current is not None:
            self._current_suggestion = self._suggestions.by_id.get(current.id)
        self.viewport().update()

    def update_suggestions(self, removed: Sequence[int], added: Sequence[Suggestion]) -> None:
        """Stop drawing some suggestions (by id) and draw others, without indexing the rest
        again (see `set_suggestions`)."""
        by_id = self._suggestions.by_id
        changed: list[_Ranged] = [by_id[i] for i in removed if i in by_id]
        self._suggestions.update(removed, added)
        changed += added
        current = self._current_suggestion
        if current is not None:
            self._current_suggestion = self._suggestions.by_id.get(current.id)
        if self._current_suggestion is not current:
            self.viewport().update()  # its proposed links may reach across the screen
        else:
            self._repaint_around(changed)

    @property
    def suggestions(self) -> SuggestionIndex:
        return self._suggestions

    def suggestions_at(self, offset: int) -> list[Suggestion]:
        """Suggestions covering one code point, innermost first."""
        return self._suggestions.at(offset)

    def select_suggestion(self, suggestion: Suggestion | None) -> None:
        """Make a suggestion the current one (the keys accept or reject it), or none. The
        selected span and the text selection give way to it."""
        if suggestion is not None:
            if self._selected is not None:
                self._selected = None
                self._selected_span = None
                self._refresh_extra_selections()
                self.sig_span_selected.emit(0)
            if self.textCursor().hasSelection():
                self.clear_selection()
        self._current_suggestion = suggestion
        self.viewport().update()
        self.sig_suggestion_selected.emit(suggestion.id if suggestion else 0)

    @property
    def current_suggestion(self) -> Suggestion | None:
        return self._current_suggestion

    def reveal(self, start: int, end: int) -> None:
        """Scroll so that code points `start`..`end` are seen, only if they are not yet: going
        from one suggestion to the next should not make the text jump."""
        low, high = self.visible_range()
        rects = self.range_rects(start, min(end, start + 1)) if low <= start < high else []
        height = self.viewport().height()
        if rects and rects[0].top() >= 0 and rects[0].bottom() <= height:
            return
        self.scroll_to(start)

    def range_rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles of the line fragments that `start`..`end` covers, for the lines
        in view only (read from the blocks' text layouts)."""
        a = self._index.to_utf16(start)
        b = self._index.to_utf16(end)
        if self._lines is not None:
            return self._rects_from_lines(a, b)
        block = self.document().findBlock(a)
        offset = self.contentOffset()
        height = self.viewport().height()
        rects: list[QRectF] = []
        while block.isValid() and block.position() < b:
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            layout = block.layout()
            if geometry.bottom() >= 0 and block.isVisible() and layout is not None:
                base = block.position()
                origin = geometry.topLeft() + layout.position()
                for i in range(layout.lineCount()):
                    line = layout.lineAt(i)
                    line_start = base + line.textStart()
                    lo = max(a, line_start)
                    hi = min(b, line_start + line.textLength())
                    if lo >= hi:
                        continue
                    x1 = _line_x(line, lo - base)
                    x2 = _line_x(line, hi - base)
                    top = origin.y() + line.y()
                    if top > height:
                        break
                    rects.append(QRectF(origin.x() + min(x1, x2), top, abs(x2 - x1), line.height()))
            block = block.next()
        return rects

    def _lines_in_view(self) -> list[_Line]:
        """Every laid-out line of the blocks in view, in text order."""
        offset = self.contentOffset()
        height = self.viewport().height()
        lines: list[_Line] = []
        for block in self._visible_blocks():
            layout = block.layout()
            if not block.isVisible() or layout is None:
                continue
            geometry = self.blockBoundingGeometry(block).translated(offset)
            origin = geometry.topLeft() + layout.position()
            base = block.position()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                top = origin.y() + line.y()
                if top > height:
                    break
                start = base + line.textStart()
                end = start + line.textLength()
                lines.append(_Line(start, end, base, line, origin.x(), top, line.height()))
        return lines

    def _repaint_around(self, changed: Sequence[_Ranged]) -> None:
        """Repaint the lines these spans or suggestions are on, the viewport's whole width (the
        gutter and the outlines too), not the whole viewport: a span added or selected changes
        only its lines, and a full repaint of a dense screen is most of an edit's frame. The
        links of a selected span are arcs that can reach anywhere in view: when one of these
        has links (or a link is being drawn), everything is repainted."""
        if self._drag_from is not None or self._preview is not None or self._lines is not None:
            self.viewport().update()
            return
        if any(s.id in self._links for s in changed if isinstance(s, Span)):
            self.viewport().update()
            return
        low, high = self.visible_range()
        width = self.viewport().width()
        region = QRegion()
        for item in changed:
            if item.end <= low or item.start >= high:
                continue
            rects = self.range_rects(max(item.start, low), min(item.end, high))
            if not rects:
                self.viewport().update()  # in view but not laid out: be safe
                return
            top = floor(min(r.top() for r in rects)) - _REPAINT_MARGIN
            bottom = ceil(max(r.bottom() for r in rects)) + _REPAINT_MARGIN
            region += QRect(0, top, width, bottom - top)
        if not region.isEmpty():
            self.viewport().update(region)

    def _boxes_from_lines(self, a: int, b: int) -> list[tuple[float, float, float, float]]:
        """`_rects_from_lines` as (left, top, right, bottom) numbers, with each position's x
        read once a paint (suggestions nest and share their ends)."""
        lines = self._lines
        assert lines is not None
        xs = self._xs
        boxes = []
        i = max(0, bisect_right(self._line_starts, a) - 1)
        while i < len(lines) and lines[i].start < b:
            line = lines[i]
            lo, hi = max(a, line.start), min(b, line.end)
            if lo < hi:
                x1 = xs.get(lo)
                if x1 is None:
                    x1 = xs[lo] = line.x + _line_x(line.line, lo - line.base)
                x2 = xs.get(hi)
                if x2 is None or hi == line.end:  # a line's end is also the next one's start
                    x2 = line.x + _line_x(line.line, hi - line.base)
                    if hi != line.end:
                        xs[hi] = x2
                top = line.top
                boxes.append((min(x1, x2), top, max(x1, x2), top + line.height))
            i += 1
        return boxes

    def _rects_from_lines(self, a: int, b: int) -> list[QRectF]:
        """`range_rects` from the lines in view, found by bisection (one paint draws hundreds
        of suggestions: walking the blocks for each was most of a frame)."""
        assert self._lines is not None
        lines = self._lines
        rects: list[QRectF] = []
        i = max(0, bisect_right(self._line_starts, a) - 1)
        while i < len(lines) and lines[i].start < b:
            line = lines[i]
            lo, hi = max(a, line.start), min(b, line.end)
            if lo < hi:
                x1 = _line_x(line.line, lo - line.base)
                x2 = _line_x(line.line, hi - line.base)
                rects.append(
                    QRectF(line.x + min(x1, x2), line.top, abs(x2 - x1), line.line.height())
                )
            i += 1
        return rects

    def _visible_blocks(self) -> list[QTextBlock]:
        """The blocks drawn in the viewport. A frame asks several times (the scroll, the paint
        and its lines): each block's geometry is a call into the paragraph layout's Python
        override, so the answer is kept while the view shows the same place of the same
        layout."""
        first = self.firstVisibleBlock()
        offset = self.contentOffset()
        viewport = self.viewport()
        height = viewport.height()
        key: tuple[float, ...] = (
            first.blockNumber(),
            offset.y(),
            viewport.width(),
            height,
            self.document().documentLayout().documentSize().height(),
            self.document().revision(),
        )
        if self._visible[0] == key:
            return self._visible[1]
        blocks = []
        block = first
        while block.isValid():
            if self.blockBoundingGeometry(block).translated(offset).top() > height:
                break
            blocks.append(block)
            block = block.next()
        self._visible = (key, blocks)
        return blocks

    def _highlight_visible(self) -> bool:
        """Highlight the blocks in view that a long document has not highlighted yet."""
        if self.highlighter.pending is None:
            return False
        return self.highlighter.highlight_blocks(self._visible_blocks())

    def _scrolled(self) -> None:
        self._highlight_visible()
        selected = self._selected
        if self._drag_from is not None or (selected is not None and selected in self._links):
            self.viewport().update()

    def set_preview_span(self, span: Span | None, *, outgoing: bool = True) -> None:
        """Show a span the user is about to link with (a candidate under the keyboard/mouse).

        A dashed arrow joins it to the selected span: towards it when the link would go out
        of the selected span, from it otherwise.
        """
        self._preview = span
        self._preview_outgoing = outgoing
        self._refresh_extra_selections()
        self.viewport().update()

    # Links -----------------------------------------------------------------------------------
    def set_relations(
        self, relations: Sequence[Relation], relation_types: Sequence[RelationType]
    ) -> None:
        """The open document's links and the types that name and colour them."""
        self._relation_types = {t.id: t for t in relation_types}
        self._set_links(relations)
        self.viewport().update()

    def _set_links(self, relations: Sequence[Relation]) -> None:
        self._relations = list(relations)
        self._links = {}
        for r in self._relations:
            self._links.setdefault(r.source_id, []).append(r)
            if r.target_id != r.source_id:
                self._links.setdefault(r.target_id, []).append(r)

    def links_of(self, span_id: int) -> list[Relation]:
        """The links that start or end at a span, among those shown."""
        return list(self._links.get(span_id, ()))

    def relation_colour(self, type_id: int) -> QColor:
        relation_type = self._relation_types.get(type_id)
        return QColor(relation_type.colour if relation_type else "#555555")

    def link_text(
        self, relation: Relation, span_id: int, spans: Mapping[int, Span] | None = None
    ) -> str:
        """One link seen from one of its spans, plain: 'SOURCE → ACTOR “KCNA”' (its other
        end looked up in `spans`, by default one's own)."""
        relation_type = self._relation_types.get(relation.type_id)
        name = relation_type.name if relation_type else "?"
        outgoing = relation.source_id == span_id
        other = (self._span_by_id if spans is None else spans).get(
            relation.target_id if outgoing else relation.source_id
        )
        if other is None:
            return f"{name} {'→' if outgoing else '←'} ?"
        label = self._labels.get(other.label_id)
        return (
            f"{name} {'→' if outgoing else '←'} {label.name if label else '?'} "
            f"“{_elide(other.quote, 50)}”"
        )

    def set_find_matches(self, matches: list[tuple[int, int]], current: int) -> None:
        """Mark find matches (code-point ranges); the current one stronger, and scrolled to."""
        self._find = matches
        self._find_current = current
        self._refresh_extra_selections()
        if 0 <= current < len(matches):
            cursor = self._cursor(*matches[current])
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def _cursor(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._index.to_utf16(start))
        cursor.setPosition(self._index.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _refresh_extra_selections(self) -> None:
        extras = []
        # Only the matches near the current one are drawn: ExtraSelections are laid out on
        # every paint, and thousands of them would make scrolling stutter.
        low = max(0, self._find_current - 500)
        for i, (start, end) in enumerate(self._find[low : low + 1000], start=low):
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#E69F00" if i == self._find_current else "#F0E442"))
            fmt.setForeground(QColor("black"))  # light marks: dark text in either theme
            extra = QTextEdit.ExtraSelection()
            extra.cursor = self._cursor(start, end)
            extra.format = fmt
            extras.append(extra)
        span = self._selected_span
        if span is not None:
            label = self._labels.get(span.label_id)
            fmt = QTextCharFormat()
            fill, ink = strong_span_colours(
                label.colour if label else "#888888", self.palette().color(QPalette.ColorRole.Base)
            )
            fmt.setBackground(fill)
            fmt.setForeground(ink)
            extra = QTextEdit.ExtraSelection()
            extra.cursor = self._cursor(span.start, span.end)
            extra.format = fmt
            extras.append(extra)
        # The candidate goes on top: it is often inside the selected claim.
        preview = self._preview
        if preview is not None and preview.id != self._selected:
            label = self._labels.get(preview.label_id)
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(label.colour if label else "#888888"))
            fmt.setForeground(QColor("black"))
            extra = QTextEdit.ExtraSelection()
            extra.cursor = self._cursor(preview.start, preview.end)
            extra.format = fmt
            extras.append(extra)
        self.setExtraSelections(extras)

    def scroll_to(self, offset: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._index.to_utf16(offset))
        self.setTextCursor(cursor)
        self.centerCursor()

    @property
    def selected_span_id(self) -> int | None:
        return self._selected

    # Hit testing -----------------------------------------------------------------------------
    def offset_at(self, point: QPoint) -> int | None:
        """The code point under a viewport point, or None past the end of a line."""
        cursor = self.cursorForPosition(point)
        pos = cursor.position()
        rect = self.cursorRect(cursor)
        rtl = cursor.block().textDirection() == Qt.LayoutDirection.RightToLeft
        # The cursor sits between characters; the one under the mouse is after it on the side
        # the text runs towards.
        before = point.x() > rect.x() if rtl else point.x() < rect.x()
        if before:
            pos -= 1
        if pos < 0 or pos >= self._index.length_u16:
            return None
        offset = self._index.to_code_point(pos)
        return offset if offset < len(self._text) and self._text[offset] != "\n" else None

    def spans_at(self, offset: int) -> list[Span]:
        """Spans covering one code point, innermost first."""
        return sorted(
            (s for s in self.highlighter.spans_in(offset, offset + 1)),
            key=lambda s: (len(s), s.start, s.id),
        )

    # Events ------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if event.button() == Qt.MouseButton.LeftButton and ctrl:
            offset = self.offset_at(event.position().toPoint())
            spans = self.spans_at(offset) if offset is not None else []
            if spans:
                # Start from the selected span when it is under the mouse (click walks out to
                # a claim around an actor, then Ctrl+drag links the claim), else the innermost.
                chosen = self._selected_span
                if chosen is None or chosen.id not in {s.id for s in spans}:
                    chosen = spans[0]
                self._drag_from = chosen
                self._drag_to = event.position().toPoint()
                self.viewport().setCursor(Qt.CursorShape.CrossCursor)
                self.viewport().update()
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self._drag_to = event.position().toPoint()
            self.viewport().update()
            event.accept()
            return
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton:
            self._track_hover(event.position().toPoint())

    def _track_hover(self, point: QPoint) -> None:
        """Start the rest timer over a suggestion; say when the mouse has left it."""
        offset = self.offset_at(point) if len(self._suggestions) else None
        under = self.suggestions_at(offset) if offset is not None else []
        if under:
            self._rest_point = point
            if self._hovered != under[0].id:
                self._hovered = under[0].id
                self._rest_timer.start()
            return
        self._rest_timer.stop()
        if self._hovered is not None:
            self._hovered = None
            self.sig_suggestion_left.emit()

    def _rested(self) -> None:
        if self._hovered is not None and self._hovered in self._suggestions.by_id:
            self.sig_suggestion_rested.emit(self._hovered, self._rest_point)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        source = self._drag_from
        if source is not None:
            self._drag_from = self._drag_to = None
            self.viewport().unsetCursor()
            self.viewport().update()
            event.accept()
            if event.button() == Qt.MouseButton.LeftButton:
                point = event.position().toPoint()
                offset = self.offset_at(point)
                self.sig_link_dragged.emit(
                    source.id,
                    -1 if offset is None else offset,
                    self.viewport().mapToGlobal(point),
                )
            return
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        offset = self.offset_at(event.position().toPoint())
        spans = self.spans_at(offset) if offset is not None else []
        proposed = self.suggestions_at(offset) if offset is not None else []
        if proposed and (not spans or len(proposed[0]) < len(spans[0])):
            # The innermost thing under the mouse is a suggestion: it becomes current.
            self._last_click = None
            self.sig_suggestion_clicked.emit(proposed[0].id)
            return
        if not spans:
            self._last_click = None
            self.sig_span_clicked.emit(0)
            return
        ids = [s.id for s in spans]
        # Clicking again on the same spot walks from the innermost span outwards.
        if self._last_click and self._last_click[1] == ids and self._selected in ids:
            chosen = ids[(ids.index(self._selected) + 1) % len(ids)]
        else:
            chosen = ids[0]
        self._last_click = (offset or 0, ids)
        self.sig_span_clicked.emit(chosen)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            if self._hovered is not None:
                QToolTip.hideText()  # the suggestion's card speaks for this point
            else:
                self._show_tooltip(event)
            return True
        if event.type() == QEvent.Type.Leave:
            self._rest_timer.stop()
            if self._hovered is not None:
                self._hovered = None
                self.sig_suggestion_left.emit()
        return super().viewportEvent(event)

    def _show_tooltip(self, event: QHelpEvent) -> None:
        text = self.tooltip_at(event.pos())
        if text:
            QToolTip.showText(event.globalPos(), text, self.viewport())
        else:
            QToolTip.hideText()

    def tooltip_at(self, point: QPoint) -> str:
        """Every span at a point, as escaped rich text (quotes are untrusted text)."""
        offset = self.offset_at(point)
        if offset is None:
            return ""
        rows = []
        for s in self.spans_at(offset):
            label = self._labels.get(s.label_id)
            name = html.escape(label.name if label else "?")
            colour = html.escape(label.colour if label else "#888")
            quote = " ".join(s.quote.split())
            quote = quote if len(quote) <= 60 else quote[:59] + "…"
            rows.append(
                f"<tr><td style='white-space:nowrap'><b style='color:{colour}'>■</b> {name}</td>"
                f"<td style='white-space:nowrap'>“{html.escape(quote)}”</td>"
                f"<td style='white-space:nowrap'>{s.start}–{s.end}</td></tr>"
            )
            for relation in self._links.get(s.id, ()):
                colour = html.escape(self.relation_colour(relation.type_id).name())
                rows.append(
                    f"<tr><td></td><td colspan='2' style='white-space:nowrap'>"
                    f"<span style='color:{colour}'>⤷</span> "
                    f"{html.escape(self.link_text(relation, s.id))}</td></tr>"
                )
        for s in self._layers.at(offset) if len(self._layers) else ():
            label = self._labels.get(s.label_id)
            name = html.escape(label.name if label else "?")
            colour = html.escape(label.colour if label else "#888")
            quote = " ".join(s.quote.split())
            quote = quote if len(quote) <= 60 else quote[:59] + "…"
            who = html.escape(self._layers.name_of(s))
            rows.append(
                f"<tr><td style='white-space:nowrap'><b style='color:{colour}'>┄</b> {name}</td>"
                f"<td style='white-space:nowrap'>“{html.escape(quote)}”</td>"
                f"<td style='white-space:nowrap'><i>by {who}, read-only</i></td></tr>"
            )
            for relation in self._layers.links_of(s.id):
                colour = html.escape(self.relation_colour(relation.type_id).name())
                rows.append(
                    f"<tr><td></td><td colspan='2' style='white-space:nowrap'>"
                    f"<span style='color:{colour}'>⤷</span> "
                    f"{html.escape(self.link_text(relation, s.id, self._layers.by_id))}"
                    f" <i>(by {who})</i></td></tr>"
                )
        return f"<qt><table>{''.join(rows)}</table></qt>" if rows else ""

    # Painting links ----------------------------------------------------------------------------
    def visible_range(self) -> tuple[int, int]:
        """Code points of the blocks drawn in the viewport (start, end exclusive)."""
        block = self.firstVisibleBlock()
        if not block.isValid():
            return (0, 0)
        first = block.position()
        last = first
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid():
            if self.blockBoundingGeometry(block).translated(offset).top() > height:
                break
            last = block.position() + block.length()
            block = block.next()
        last = min(last, self._index.length_u16)
        return self._index.to_code_point(first), self._index.to_code_point_ceil(last)

    def offset_rect(self, offset: int) -> QRect:
        """The cursor rectangle (viewport coordinates) before a code point."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._index.to_utf16(offset))
        return self.cursorRect(cursor)

    def span_anchor(self, span: Span) -> QPointF:
        """Where links attach to a span: the top of its first line, centred on a short span."""
        return self._anchors(span)[0]

    def _anchors(self, span: _Ranged) -> tuple[QPointF, QPointF]:
        """Link ends of a span: top of its first line and bottom of its last line."""
        first = self.offset_rect(span.start)
        last = self.offset_rect(span.end)
        if last.top() == first.top() and last.left() > first.left():
            x = (first.left() + last.left()) / 2
            return QPointF(x, first.top() + 1.0), QPointF(x, first.bottom())
        return (
            QPointF(first.left() + 8.0, first.top() + 1.0),
            QPointF(max(2.0, last.left() - 8.0), last.bottom()),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        # Blocks that came into view otherwise than by scrolling (a larger window, zoom).
        self._highlight_visible()
        super().paintEvent(event)
        if (
            not self._relations
            and self._drag_from is None
            and self._preview is None
            and not len(self._suggestions)
            and not len(self._layers)
        ):
            return
        painter = QPainter(self.viewport())
        self._lines = self._lines_in_view()
        self._line_starts = [line.start for line in self._lines]
        self._xs = {}
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            if len(self._layers):
                paint_layer_marks(
                    painter,
                    self._layers,
                    self.visible_range(),
                    self.range_rects,
                    lambda span: self._outline_of(span.label_id),
                )
            if len(self._suggestions):
                self._paint_suggestions(painter)
            self._paint_links(painter)
            if self._layers.relations:
                width = float(self.viewport().width())
                paint_layer_links(
                    painter,
                    self._layers,
                    self.visible_range(),
                    self._line_band,
                    width - self.reading.gutter,
                    float(self.viewport().height()),
                    lambda relation: self.relation_colour(relation.type_id),
                )
        finally:
            self._lines = None
            painter.end()

    def _paint_suggestions(self, painter: QPainter) -> None:
        low, high = self.visible_range()
        current = self._current_suggestion
        # The outlines are drawn into an image, and the image is drawn again while what they
        # depend on stays the same: a dense screen's dashed outlines take longer to stroke than
        # the rest of a frame, and adding a span or moving the text cursor changes neither the
        # suggestions nor the lines in view. When a few suggestions go or come (a span added
        # where one lay) or another one becomes current, only their lines are drawn again.
        ratio = self.viewport().devicePixelRatioF()
        index = self._suggestions
        key = (
            index,
            self._labels,
            self.palette().color(QPalette.ColorRole.Base).rgba(),
            self.viewport().size().toTuple(),
            ratio,
            self.document().defaultFont().toString(),
            low,
            high,
            tuple(
                (line.start, line.end, line.x, line.top, line.line.naturalTextWidth())
                for line in self._lines or ()
            ),
        )
        layer = self._suggestion_layer
        if layer is None or layer.key != key:
            layer = self._suggestion_layer = self._new_suggestion_layer(key, ratio)
            self._stroke_suggestions(layer.image, low, high, current, None)
        elif layer.revision != index.revision or layer.current is not current:
            changed = index.changed_since(layer.revision)
            if changed is None:
                layer.image.fill(Qt.GlobalColor.transparent)
                self._stroke_suggestions(layer.image, low, high, current, None)
            else:
                ranges = [(s.start, s.end) for s in changed]
                ranges += [(s.start, s.end) for s in (layer.current, current) if s is not None]
                self._stroke_suggestions(layer.image, low, high, current, ranges)
        layer.revision, layer.current = index.revision, current
        painter.drawImage(QPointF(0.0, 0.0), layer.image)
        if current is not None and current.end > low and current.start < high:
            rects = self.range_rects(max(current.start, low), min(current.end, high))
            paint_outline(painter, rects, self._outline(current), current=True)
            self._paint_proposed_links(painter, current, (low, high))

    def _new_suggestion_layer(self, key: tuple[object, ...], ratio: float) -> _SuggestionLayer:
        size = self.viewport().size()
        image = QImage(
            max(1, round(size.width() * ratio)),
            max(1, round(size.height() * ratio)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        return _SuggestionLayer(key, image, self._suggestions.revision, self._current_suggestion)

    def _stroke_suggestions(
        self,
        image: QImage,
        low: int,
        high: int,
        current: Suggestion | None,
        ranges: Sequence[tuple[int, int]] | None,
    ) -> None:
        """Draw the outlines of the suggestions in `low`..`high` but the current one into
        `image`; with `ranges`, only the lines those code points are on, drawn anew."""
        assert self._lines is not None
        lines = self._lines
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            only: list[tuple[int, int]] = []  # with `ranges`: where outlines are drawn
            if ranges is not None:
                # Only these lines are cleared and drawn again, with the outlines on them and
                # on the lines around (a dashed pen's pattern starts again at each outline, so
                # they come out as in a whole drawing).
                width = ceil(image.width() / image.devicePixelRatio())
                clip = QRegion()
                for start, end in ranges:
                    if end <= low or start >= high or not lines:
                        continue
                    # The lines are in Qt's positions (UTF-16), the suggestions in code points.
                    a, b = self._index.to_utf16(start), self._index.to_utf16(end)
                    first = max(0, bisect_right(self._line_starts, a) - 1)
                    last = max(first, bisect_left(self._line_starts, b) - 1)
                    # An outline reaches a little past its line's box (all are drawn again in
                    # the clip, those of the lines around too).
                    top = lines[first].top - _OUTLINE_REACH
                    bottom = lines[last].top + lines[last].line.height() + _OUTLINE_REACH
                    clip += QRect(0, floor(top), width, ceil(bottom) - floor(top))
                    near = (lines[max(0, first - 1)], lines[min(len(lines) - 1, last + 1)])
                    only.append(
                        (
                            self._index.to_code_point(near[0].start),
                            self._index.to_code_point_ceil(near[1].end),
                        )
                    )
                if clip.isEmpty():
                    return
                painter.setClipRegion(clip)
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
                painter.fillRect(clip.boundingRect(), Qt.GlobalColor.transparent)
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
            # Outlines of one label and nesting depth are stroked together: one call each.
            paths: dict[tuple[int, int], QPainterPath] = {}
            to_utf16 = self._index.to_utf16
            for suggestion, depth in nesting_depths(self._suggestions.overlapping(low, high)):
                if current is not None and suggestion.id == current.id:
                    continue  # drawn last, over the others
                key = (suggestion.label_id, min(depth, 3))
                path = paths.get(key)
                if path is None:  # in the same order whether all are drawn or a few lines
                    path = paths[key] = QPainterPath()
                if only and not any(suggestion.start < b and suggestion.end > a for a, b in only):
                    continue
                a = to_utf16(max(suggestion.start, low))
                boxes = self._boxes_from_lines(a, to_utf16(min(suggestion.end, high)))
                if boxes:
                    add_outline_boxes(path, boxes, key[1])
            for (label_id, _depth), path in paths.items():
                if not path.isEmpty():
                    stroke_outlines(painter, path, self._outline_of(label_id))
        finally:
            painter.end()

    def _outline(self, suggestion: Suggestion) -> QColor:
        return self._outline_of(suggestion.label_id)

    def _outline_of(self, label_id: int) -> QColor:
        label = self._labels.get(label_id)
        base = self.palette().color(QPalette.ColorRole.Base)
        return outline_colour(label.colour if label else "#888888", base)

    def _paint_proposed_links(
        self, painter: QPainter, suggestion: Suggestion, visible: tuple[int, int]
    ) -> None:
        """The current suggestion's proposed links, as dashed arcs in the relation's colour."""
        for link in suggestion.links:
            target: _Ranged | None = (
                self._span_by_id.get(link.target_span_id)
                if link.target_span_id is not None
                else self._suggestions.by_id.get(link.target_suggestion_id or 0)
            )
            if target is not None:
                self._paint_arc(
                    painter, suggestion, target, None, True, visible, proposed=link.type_id
                )

    def _paint_links(self, painter: QPainter) -> None:
        low, high = self.visible_range()
        selected = self._selected_span
        # Ticks on every linked span in view, except the links of the selected span (arcs).
        ticks: dict[int, int] = {}
        for span in self.highlighter.spans_in(low, high):
            for relation in self._links.get(span.id, ()):
                if selected is not None and relation.touches(selected.id):
                    continue
                n = ticks.get(span.id, 0)
                ticks[span.id] = n + 1
                self._paint_tick(painter, span, relation, n)
        if selected is not None and selected.id in self._span_by_id:
            for relation in self._links.get(selected.id, ()):
                outgoing = relation.source_id == selected.id
                other = self._span_by_id.get(relation.target_id if outgoing else relation.source_id)
                if other is not None:
                    self._paint_arc(painter, selected, other, relation, outgoing, (low, high))
        preview = self._preview
        if selected is not None and preview is not None and preview.id != selected.id:
            self._paint_arc(painter, selected, preview, None, self._preview_outgoing, (low, high))
        if self._drag_from is not None and self._drag_to is not None:
            pen = QPen(QColor(40, 40, 40, 200), 1.6, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            start = self.span_anchor(self._drag_from)
            painter.drawLine(start, QPointF(self._drag_to))
            painter.setBrush(QColor(40, 40, 40, 200))
            painter.drawEllipse(start, 3.0, 3.0)

    def _paint_tick(self, painter: QPainter, span: Span, relation: Relation, n: int) -> None:
        """A mark in the gutter beside the span's first line, never over the text: a wedge
        pointing at the line for a link that ends at the span, a dot for one that leaves it."""
        top, bottom = self._line_band(span.start)
        x = self.reading.gutter - 4.0 - 7.0 * n
        if x < 6.0 or bottom < 0 or top > self.viewport().height():
            return  # as many marks as the gutter holds; the tool tip lists them all
        colour = self.relation_colour(relation.type_id)
        colour.setAlpha(_MARK_ALPHA)
        y = (top + bottom) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        if relation.target_id == span.id:
            painter.drawPolygon(
                QPolygonF([QPointF(x - 5, y - 3.5), QPointF(x, y), QPointF(x - 5, y + 3.5)])
            )
        else:
            painter.drawEllipse(QPointF(x - 2.5, y), 2.5, 2.5)

    def _line_band(self, offset: int) -> tuple[float, float]:
        """The top and bottom (viewport y) of the line that holds a code point."""
        rect = self.offset_rect(offset)
        return float(rect.top()), float(rect.top() + rect.height())

    def _paint_arc(
        self,
        painter: QPainter,
        selected: _Ranged,
        other: _Ranged,
        relation: Relation | None,
        outgoing: bool,
        visible: tuple[int, int],
        *,
        proposed: int | None = None,
    ) -> None:
        """A link between two spans, drawn in the gutter left of the text so no word is
        covered: a bow from one span's line to the other's, its arrow head pointing at the
        target's line, and the other span outlined along its line edges. `proposed` (a
        relation type id) draws a link a suggestion proposes: dashed, in the type's colour."""
        height = float(self.viewport().height())
        here = self._gutter_y(selected, visible, height)
        there = self._gutter_y(other, visible, height)
        if here is None or there is None or not (0 <= here <= height or 0 <= there <= height):
            return
        if proposed is not None:
            colour, style = self.relation_colour(proposed), Qt.PenStyle.DashLine
        elif relation is None:
            colour = self.palette().color(QPalette.ColorRole.Text)
            style = Qt.PenStyle.DashLine
        else:
            colour, style = self.relation_colour(relation.type_id), Qt.PenStyle.SolidLine
        line = QColor(colour)
        line.setAlpha(_ARC_ALPHA)
        gutter = self.reading.gutter
        edge = gutter - 3.0
        source_y, target_y = (here, there) if outgoing else (there, here)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(line, 1.8, style, Qt.PenCapStyle.RoundCap))
        path = QPainterPath(QPointF(edge, source_y))
        if abs(target_y - source_y) < 3:
            # The same line (a claim and an actor inside it): a small loop out and back.
            bulge = max(2.0, edge - 8.0)
            path.cubicTo(
                QPointF(bulge, source_y - 7), QPointF(bulge, source_y + 7), QPointF(edge, target_y)
            )
            target_y = source_y + 3
        else:
            bulge = max(2.0, edge - min(edge - 2.0, 4.0 + abs(target_y - source_y) / 25))
            path.cubicTo(
                QPointF(bulge, source_y), QPointF(bulge, target_y), QPointF(edge, target_y)
            )
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(line)
        painter.drawEllipse(QPointF(edge, source_y), 2.0, 2.0)
        # The arrow head points at the target's line, from inside the gutter.
        tip = QPointF(gutter - 1.0, target_y)
        painter.drawPolygon(
            QPolygonF(
                [
                    tip,
                    QPointF(tip.x() - 5.5, target_y - 3.5),
                    QPointF(tip.x() - 5.5, target_y + 3.5),
                ]
            )
        )
        low, high = visible
        if other.end > low and other.start < high:
            rects = self.range_rects(max(other.start, low), min(other.end, high))
            pen = QPen(line, 1.2, style)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(pen)
            for rect in rects:
                # Rules along the line box's top and bottom edges: above and below the glyphs,
                # never across them.
                box = rect.adjusted(0, 0.5, 0, -0.5)
                painter.drawLine(box.topLeft(), box.topRight())
                painter.drawLine(box.bottomLeft(), box.bottomRight())

    def _gutter_y(self, span: _Ranged, visible: tuple[int, int], height: float) -> float | None:
        """Where a link meets a span in the gutter: the middle of its first line in view, or
        just past the edge it lies beyond (None when the link would not show)."""
        low, high = visible
        if span.end <= low:
            return -2.0
        if span.start >= high:
            return height + 2.0
        top, bottom = self._line_band(max(span.start, low))
        if bottom < 0:
            return -2.0
        if top > height:
            return height + 2.0
        return (top + bottom) / 2
