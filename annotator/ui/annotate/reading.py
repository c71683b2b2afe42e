"""The article as something to read: paragraph spacing, a readable column, a heading, the
reading font and zoom, and span colours that follow the theme.

None of it touches the text: the document holds exactly the document's text, one block per
paragraph, so offsets are never moved.

- Paragraph spacing: `ParagraphLayout` adds a gap under every block but the last (a plain-text
  layout ignores block margins). Hit testing, cursor rectangles and scrolling all read the
  block heights from the layout, so they stay consistent.
- Line length: when the view is wider than about `COLUMN_CHARACTERS` characters, viewport margins
  centre a column of that width, and lines keep their breaks whatever happens around the view
  (docks opening, panels growing).
- The heading: a plain-text label in the top viewport margin, outside the text.
- A gutter (the document margin) on the left of the column is where link marks are drawn.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QPalette, QTextBlock, QTextDocument
from PySide6.QtWidgets import QLabel, QPlainTextDocumentLayout, QPlainTextEdit, QSizePolicy

from annotator.ui.common.text import plain_tooltip

COLUMN_CHARACTERS = 76
"""The text column's width in characters of running text (typography's 60-80)."""

_SAMPLE = (
    "Officials said on Tuesday that the talks in Geneva would go on, and the minister agreed. "
)
"""Running text, whose mean advance stands for a character's (a font's own average is wider)."""

PARAGRAPH_GAP = 0.6
"""The space between paragraphs, in lines of the reading font."""

DEFAULT_POINT_SIZE = 12
MIN_POINT_SIZE = 6
MAX_POINT_SIZE = 48


class ParagraphLayout(QPlainTextDocumentLayout):
    """A plain-text layout with `gap` pixels of space under every block but the last."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.gap = 0.0

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        if self.gap and block.length() > 1:
            following = block.next()
            # A blank line between paragraphs is space enough already.
            if following.isValid() and following.length() > 1:
                rect.setHeight(rect.height() + self.gap)
        return rect


def install_layout(view: QPlainTextEdit) -> ParagraphLayout:
    """Give the view a fresh document laid out with paragraph gaps (before anything uses it)."""
    document = QTextDocument(view)
    layout = ParagraphLayout(document)
    document.setDocumentLayout(layout)
    document.setUndoRedoEnabled(False)
    view.setDocument(document)
    return layout


class Reading(QObject):
    """Keeps one view readable: font, zoom, spacing, the column and the heading.

    It follows the view's resizes and font changes through an event filter, so the view only
    has to create it.
    """

    sig_palette_changed = Signal()
    """The view's palette changed (the theme): colours worked out from it are stale."""

    def __init__(self, view: QPlainTextEdit, layout: ParagraphLayout) -> None:
        super().__init__(view)
        self._view = view
        self._layout = layout
        self._family = view.font().family()
        self._size = DEFAULT_POINT_SIZE
        self._zoom = 0
        self._title = ""
        self._margins = (-1, -1, -1)
        self.heading = QLabel(view)
        self.heading.setObjectName("articleHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.heading.hide()
        # The margins around the column are part of the page, not of the window around it.
        view.setBackgroundRole(QPalette.ColorRole.Base)
        view.setAutoFillBackground(True)
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        self._apply_font()

    # Font and zoom ------------------------------------------------------------------------------
    @property
    def family(self) -> str:
        return self._family

    @property
    def point_size(self) -> int:
        """The chosen size, before zoom."""
        return self._size

    @property
    def zoom_steps(self) -> int:
        return self._zoom

    @property
    def effective_size(self) -> int:
        return max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, self._size + self._zoom))

    def set_font(self, family: str, size: int) -> bool:
        """Choose the reading font; True when it changed anything."""
        size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, size))
        if (family, size) == (self._family, self._size):
            return False
        self._family, self._size = family, size
        self._apply_font()
        return True

    def zoom(self, steps: int) -> bool:
        """Grow (or shrink) the text by `steps` points; True when the size changed."""
        before = self.effective_size
        wanted = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, before + steps))
        self._zoom = wanted - self._size
        if self.effective_size == before:
            return False
        self._apply_font()
        return True

    def reset_zoom(self) -> bool:
        if self._zoom == 0:
            return False
        self._zoom = 0
        self._apply_font()
        return True

    def _apply_font(self) -> None:
        font = QFont(self._view.font())
        if self._family:
            font.setFamily(self._family)
        font.setPointSize(self.effective_size)
        self._view.setFont(font)  # the FontChange event lays the column out again

    # Heading --------------------------------------------------------------------------------
    def set_title(self, title: str) -> None:
        self._title = " ".join(title.split())
        self._place()

    @property
    def title(self) -> str:
        return self._title

    # Geometry -------------------------------------------------------------------------------
    @property
    def gutter(self) -> float:
        """The width of the strip left of the text where link marks go (viewport pixels)."""
        return self._view.document().documentMargin()

    def column_width(self) -> int:
        """The widest the text column gets, gutters included."""
        metrics = QFontMetricsF(self._view.font())
        per_character = metrics.horizontalAdvance(_SAMPLE) / len(_SAMPLE)
        return round(per_character * COLUMN_CHARACTERS + 2 * self.gutter)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        view = self.__dict__.get("_view")
        if view is None:
            # The view is being torn down: the cycle collector can clear this object's
            # attributes while Qt, which still has it as a filter, delivers the last events.
            return False
        kind = event.type()
        if watched is view and kind == QEvent.Type.FontChange:
            self._font_changed()
        elif watched is view and kind == QEvent.Type.PaletteChange:
            self.sig_palette_changed.emit()
        elif kind == QEvent.Type.Resize:
            self._place()
        return False

    def _font_changed(self) -> None:
        metrics = QFontMetricsF(self._view.font())
        line = metrics.lineSpacing()
        document = self._view.document()
        document.setDocumentMargin(max(14.0, round(line * 0.9)))
        gap = round(line * PARAGRAPH_GAP)
        if gap != self._layout.gap:
            self._layout.gap = gap
            document.markContentsDirty(0, document.characterCount())
        heading = QFont(self._view.font())
        heading.setPointSizeF(self._view.font().pointSizeF() * 1.3)
        heading.setBold(True)
        self.heading.setFont(heading)
        self._margins = (-1, -1, -1)
        self._place()

    def _place(self) -> None:
        """Centre the column and put the heading above it."""
        view = self._view
        area = view.contentsRect()
        bar = view.verticalScrollBar()
        available = area.width() - (bar.width() if bar.isVisible() else 0)
        column = self.column_width()
        side = max(0, (available - column) // 2)
        height = 0
        if self._title:
            metrics = QFontMetricsF(self.heading.font())
            height = round(metrics.height() * 1.5)
        margins = (side, height, side)
        if margins != self._margins:
            self._margins = margins
            view.setViewportMargins(side, height, side, 0)
        if not self._title:
            self.heading.hide()
            return
        gutter = round(self.gutter)
        width = max(0, min(column, available) - 2 * gutter)
        self.heading.setGeometry(QRect(area.left() + side + gutter, area.top(), width, height))
        metrics = QFontMetricsF(self.heading.font())
        shown = metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, width)
        self.heading.setText(shown)
        self.heading.setToolTip(plain_tooltip(self._title) if shown != self._title else "")
        self.heading.show()
