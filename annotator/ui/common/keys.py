"""Keys without Ctrl or Alt belong to the focused widget when that widget takes text.

The window's one-key shortcuts (N, P, J, K, L, 1-3, Enter, Backspace) act on the article. In a
text field, combo box or spin box a letter is text and Enter or Backspace edit it; in a list a
letter jumps to a row. Qt asks the focused widget first (a ShortcutOverride event), but only
some widgets claim these keys themselves (a line edit lets Enter through to the shortcuts, a
table lets letters through): the guard claims them on their behalf, for every widget of the
application, so no shortcut fires while the user types somewhere else.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_COMMAND = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
_EDITING_KEYS = frozenset(
    {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace, Qt.Key.Key_Delete}
)


def takes_key(widget: QWidget, event: QKeyEvent) -> bool:
    """Whether `widget` should get this key rather than a window shortcut."""
    if event.modifiers() & _COMMAND:
        return False
    text = event.text()
    printable = bool(text) and text.isprintable()
    typing = isinstance(widget, QLineEdit | QAbstractSpinBox | QComboBox) or (
        isinstance(widget, QTextEdit | QPlainTextEdit) and not widget.isReadOnly()
    )
    if typing:
        return printable or Qt.Key(event.key()) in _EDITING_KEYS
    # Lists and tables: letters jump to a row. Enter, Backspace and Delete still act on the
    # window (the suggestion table's current row is the current suggestion).
    return isinstance(widget, QAbstractItemView) and printable


class ShortcutGuard(QObject):
    """Claims keys for the focused text field, combo box, spin box or list (see above)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        focus = QApplication.focusWidget()
        # The key goes to the focused widget, or to a widget around it that handles what the
        # focused one lets through (a find bar's Enter): either way the focused one decides.
        if (
            focus is not None
            and isinstance(watched, QWidget)
            and (watched is focus or watched.isAncestorOf(focus))
            and takes_key(focus, event)
        ):
            event.accept()
            return True
        return False


def install_shortcut_guard(owner: QObject) -> ShortcutGuard:
    """Guard every widget of the application for as long as `owner` lives."""
    guard = ShortcutGuard(owner)
    app = QApplication.instance()
    if app is not None:
        app.installEventFilter(guard)
    return guard
