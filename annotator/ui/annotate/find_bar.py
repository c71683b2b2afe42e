"""Ctrl+F: find text in the open article, case-insensitively, with every match marked."""

from __future__ import annotations

import regex
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

MAX_MATCHES = 10_000


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Code-point ranges of `needle` in `text`, ignoring case, at most MAX_MATCHES."""
    if not needle:
        return []
    pattern = regex.compile(regex.escape(needle), regex.IGNORECASE | regex.V1)
    found = []
    for m in pattern.finditer(text):
        found.append((m.start(), m.end()))
        if len(found) >= MAX_MATCHES:
            break
    return found


class FindBar(QWidget):
    """A line under the article; Enter goes to the next match, Shift+Enter to the previous.

    Escape closes it through the window's one Escape rule (common.keys.EscapeHome), which also
    puts the focus back on the article."""

    sig_matches_changed = Signal(list, int)
    """All matches (code-point ranges) and the index of the current one (-1 for none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in this article")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        previous = QToolButton(self)
        previous.setText("↑")
        previous.setToolTip("Previous match (Shift+Enter)")
        following = QToolButton(self)
        following.setText("↓")
        following.setToolTip("Next match (Enter)")
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        find_label = QLabel("Find:")
        find_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(find_label)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self._text = ""
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self.edit.textChanged.connect(self._refresh)
        following.clicked.connect(lambda: self.step(1))
        previous.clicked.connect(lambda: self.step(-1))
        close.clicked.connect(self.close_bar)
        self.hide()

    def set_text(self, text: str) -> None:
        self._text = text
        if self.isVisible():
            self._refresh()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self._refresh()

    def close_bar(self) -> None:
        self.hide()
        self.matches, self.current = [], -1
        self.sig_matches_changed.emit([], -1)

    def close_if_holding(self, widget: QWidget) -> None:
        """Escape with the focus in the bar (the window then focuses the article): close it."""
        if self.isVisible() and self.isAncestorOf(widget):
            self.close_bar()

    def step(self, direction: int) -> None:
        if not self.matches:
            return
        self.current = (self.current + direction) % len(self.matches)
        self._announce()

    def _refresh(self) -> None:
        self.matches = find_all(self._text, self.edit.text())
        self.current = 0 if self.matches else -1
        self._announce()

    def _announce(self) -> None:
        if not self.edit.text():
            self.count.setText("")
        elif not self.matches:
            self.count.setText("no match")
        else:
            more = "+" if len(self.matches) >= MAX_MATCHES else ""
            self.count.setText(f"{self.current + 1} of {len(self.matches)}{more}")
        self.sig_matches_changed.emit(self.matches, self.current)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
        else:
            super().keyPressEvent(event)
