"""The article: read-only plain text, selectable by mouse and keyboard, with span highlights."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.domain.model import Document, Label, Span
from annotator.ui.highlighter import SpanHighlighter
from annotator.ui.offsets import Utf16Index


class ArticleView(QPlainTextEdit):
    """Shows one document. Offsets in and out are code points; Qt positions stay inside."""

    sig_span_clicked = Signal(int)
    """A span was clicked (its id); repeated clicks on nested spans walk outwards."""

    sig_selection_changed = Signal()
    """The text selection changed (for actions that need a selection)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.highlighter = SpanHighlighter(self.document())
        self.selectionChanged.connect(self.sig_selection_changed)

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
        self.highlighter.set_text_index(self._index)
        self.highlighter.set_spans(spans, rehighlight=False)
        # setPlainText lays out and highlights every block once; one pass, with spans in place.
        self.setPlainText(self._text)
        self._refresh_extra_selections()

    def set_spans(self, spans: Sequence[Span], *, changed: Sequence[Span] = ()) -> None:
        """New span list; with `changed`, only the blocks under those spans are re-highlighted."""
        self.highlighter.set_spans(spans, rehighlight=not changed)
        for s in changed:
            self.highlighter.rehighlight_range(s.start, s.end)
        if self._selected is not None and not any(s.id == self._selected for s in spans):
            self.select_span(None)
        elif self._selected is not None:
            self.select_span(next(s for s in spans if s.id == self._selected))

    @property
    def text(self) -> str:
        return self._text

    @property
    def text_index(self) -> Utf16Index:
        return self._index

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
        """Mark one span as the current one (drawn strongly in its colour), or none."""
        self._selected = span.id if span else None
        self._selected_span = span
        self._refresh_extra_selections()

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
            extra = QTextEdit.ExtraSelection()
            extra.cursor = self._cursor(start, end)
            extra.format = fmt
            extras.append(extra)
        span = self._selected_span
        if span is not None:
            label = self._labels.get(span.label_id)
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(label.colour if label else "#888888").darker(130))
            fmt.setForeground(QColor("white"))
            extra = QTextEdit.ExtraSelection()
            extra.cursor = self._cursor(span.start, span.end)
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
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        offset = self.offset_at(event.position().toPoint())
        spans = self.spans_at(offset) if offset is not None else []
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
            self._show_tooltip(event)
            return True
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
        return f"<qt><table>{''.join(rows)}</table></qt>" if rows else ""
