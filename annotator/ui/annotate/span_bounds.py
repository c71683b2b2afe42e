"""Adjusting the selected span's bounds: keys that move its start or end, and drag handles.

Alt+Left/Right move the end by a word, Alt+Shift+Left/Right the start; Ctrl as well moves by a
character (the actions are declared in `common/actions.py`). The two handles sit on the selected
span's ends in the article; dragging one moves that bound, snapped to words unless Exact mode is
on or Alt is held. Every move, by key or by drag, is one undoable edit.

The handles are small child widgets of the article's viewport: they draw themselves, carry their
own mouse cursor and take the mouse only where they are, so the article view needs no change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QPointF, QRect, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from annotator.domain.text import Edge, drag_bound
from annotator.ui.annotate.article_view import ArticleView

if TYPE_CHECKING:
    from annotator.ui.common.window import Window

HANDLE_WIDTH = 11
"""Width of a handle in pixels: a thin bar with a round knob, easy to hit."""
_KNOB = 4.0
_OVERHANG = 2 * int(_KNOB) + 1
"""How far the knob reaches past the line: above it for the start, below it for the end."""

# (action key, bound, forward, by word)
KEY_MOVES: tuple[tuple[str, Edge, bool, bool], ...] = (
    ("span_end_right", Edge.END, True, True),
    ("span_end_left", Edge.END, False, True),
    ("span_start_left", Edge.START, False, True),
    ("span_start_right", Edge.START, True, True),
    ("span_end_right_char", Edge.END, True, False),
    ("span_end_left_char", Edge.END, False, False),
    ("span_start_left_char", Edge.START, False, False),
    ("span_start_right_char", Edge.START, True, False),
)


class BoundHandle(QWidget):
    """One end of the selected span, drawn as a bar the height of the line with a knob (above
    the line at the start, below it at the end). Dragging it reports the offset under it."""

    sig_moved = Signal(int, bool)
    """Dragged over a code-point offset: (offset, exact) where exact means Alt is held."""

    sig_released = Signal(int, bool)
    """Let go over a code-point offset: (offset, exact); offset -1 when it was not moved."""

    def __init__(self, view: ArticleView, edge: Edge) -> None:
        super().__init__(view.viewport())
        self.setObjectName(f"spanHandle{edge.value.title()}")
        self.edge = edge
        self._view = view
        self._grab: QPoint | None = None
        self._moved = False
        self.setCursor(Qt.CursorShape.SizeHorCursor)
        self.setToolTip(
            f"Drag to move the span's {edge.value} (snapped to words; Alt or Exact mode: "
            "exact characters)"
        )
        self.hide()

    @property
    def dragging(self) -> bool:
        return self._grab is not None

    def place(self, cursor_rect: QRect) -> None:
        """Stand on a text cursor rectangle (viewport coordinates) of the bound."""
        line = max(cursor_rect.height(), 1)
        top = cursor_rect.top() - (_OVERHANG if self.edge is Edge.START else 0)
        self.setGeometry(
            cursor_rect.center().x() - HANDLE_WIDTH // 2, top, HANDLE_WIDTH, line + _OVERHANG
        )

    def line_centre(self) -> QPoint:
        """The middle of the bound's line, in this handle's coordinates."""
        line = self.height() - _OVERHANG
        top = _OVERHANG if self.edge is Edge.START else 0
        return QPoint(HANDLE_WIDTH // 2, top + line // 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            colour = self.palette().color(QPalette.ColorRole.Highlight)
            x = HANDLE_WIDTH / 2
            line = float(self.height() - _OVERHANG)
            bar_top = float(_OVERHANG) if self.edge is Edge.START else 0.0
            painter.setPen(QPen(colour, 2.0))
            painter.drawLine(QPointF(x, bar_top), QPointF(x, bar_top + line))
            knob_y = _KNOB + 0.5 if self.edge is Edge.START else self.height() - _KNOB - 0.5
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Base), 1.0))
            painter.setBrush(colour)
            painter.drawEllipse(QPointF(x, knob_y), _KNOB, _KNOB)
        finally:
            painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        # Where on the handle it was taken: the bound follows the mouse by the same distance.
        self._grab = event.position().toPoint() - self.line_centre()
        self._moved = False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._grab is None:
            event.ignore()
            return
        self._moved = True
        self.sig_moved.emit(self._offset_at(event), _alt(event))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._grab is None or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        offset = self._offset_at(event)
        self._grab = None
        # A click that did not drag changes nothing (it would snap an exact span otherwise).
        self.sig_released.emit(offset if self._moved else -1, _alt(event))
        event.accept()

    def _offset_at(self, event: QMouseEvent) -> int:
        """The code-point offset nearest to where the dragged bound now is."""
        grab = self._grab or QPoint()
        point = self.mapToParent(event.position().toPoint() - grab)
        position = self._view.cursorForPosition(point).position()
        return self._view.text_index.to_code_point(position)


def _alt(event: QMouseEvent) -> bool:
    return bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)


class SpanBoundHandles(QObject):
    """Keeps two handles on the selected span's ends and turns a drag into one edit."""

    sig_dragged = Signal(int, str, int, bool)
    """A handle was let go: (span id, bound "start"/"end", offset, snap to words)."""

    def __init__(self, view: ArticleView, exact_mode: Callable[[], bool]) -> None:
        super().__init__(view)
        self._view = view
        self._exact_mode = exact_mode
        self.start = BoundHandle(view, Edge.START)
        self.end = BoundHandle(view, Edge.END)
        self._preview: tuple[int, int] | None = None
        for handle in (self.start, self.end):
            handle.sig_moved.connect(lambda offset, alt, h=handle: self._dragged_to(h, offset, alt))
            handle.sig_released.connect(
                lambda offset, alt, h=handle: self._released(h, offset, alt)
            )
        view.sig_span_selected.connect(self.reposition)
        # Scrolling, re-wrapping and new text all come as update requests of the text area.
        view.updateRequest.connect(self.reposition)

    def handle(self, edge: Edge) -> BoundHandle:
        return self.start if edge is Edge.START else self.end

    def reposition(self) -> None:
        """Put the handles on the selected span's ends (or the bounds being dragged), hidden
        when no span is selected or an end is out of view."""
        span = self._view.selected_span
        if span is None:
            self._preview = None
            self.start.hide()
            self.end.hide()
            return
        start, end = self._preview or (span.start, span.end)
        viewport = self._view.viewport().rect()
        for handle, offset in ((self.start, start), (self.end, end)):
            rect = self._view.offset_rect(offset)
            if viewport.intersects(rect) or handle.dragging:
                handle.place(rect)
                handle.show()
                handle.raise_()
            else:
                handle.hide()

    def _bounds(self, handle: BoundHandle, offset: int, alt: bool) -> tuple[int, int] | None:
        span = self._view.selected_span
        if span is None:
            return None
        snap = not (alt or self._exact_mode())
        return drag_bound(
            self._view.text, span.start, span.end, edge=handle.edge, to=offset, snap=snap
        )

    def _dragged_to(self, handle: BoundHandle, offset: int, alt: bool) -> None:
        """Show where the span would go: the text selection previews it, the handle follows."""
        bounds = self._bounds(handle, offset, alt)
        if bounds is None:
            return
        self._preview = bounds
        self._view.select_range(*bounds)
        self.reposition()

    def _released(self, handle: BoundHandle, offset: int, alt: bool) -> None:
        span = self._view.selected_span
        self._preview = None
        self._view.clear_selection()
        if span is not None and offset >= 0:
            snap = not (alt or self._exact_mode())
            self.sig_dragged.emit(span.id, handle.edge.value, offset, snap)
        self.reposition()


def install(window: Window) -> SpanBoundHandles:
    """Wire the bound keys to the selected span and put drag handles on its ends."""
    editor, view = window.editor, window.article

    def move(edge: Edge, forward: bool, by_word: bool) -> None:
        span_id = view.selected_span_id
        if not span_id:
            window.tell("Select a span first: click it, or press N.", 5000)
            return
        editor.step_span_bound(span_id, edge, forward=forward, by_word=by_word)

    for key, edge, forward, by_word in KEY_MOVES:
        window.actions_by_key[key].triggered.connect(
            lambda _=False, e=edge, f=forward, w=by_word: move(e, f, w)
        )
    handles = SpanBoundHandles(view, window.actions_by_key["exact_mode"].isChecked)
    handles.sig_dragged.connect(
        lambda span_id, edge, offset, snap: editor.drag_span_bound(
            span_id, Edge(edge), offset, snap=snap
        )
    )
    return handles
