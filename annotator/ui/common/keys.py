"""Keys without Ctrl or Alt belong to the focused widget when that widget takes text.

The window's one-key shortcuts (N, P, J, K, L, 1-3, Enter, Backspace) act on the article. In a
text field, combo box or spin box a letter is text and Enter or Backspace edit it; in a list a
letter jumps to a row. Qt asks the focused widget first (a ShortcutOverride event), but only
some widgets claim these keys themselves (a line edit lets Enter through to the shortcuts, a
table lets letters through): the guard claims them on their behalf, for every widget of the
application, so no shortcut fires while the user types somewhere else.

Escape is the way back: anywhere in the window (a dock's field or list, the find bar) it puts
the focus on the article. It is one window shortcut, so whatever claims Escape first keeps it:
a dialog (its own window) cancels, an open popup or completer closes, a cell editor reverts.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_COMMAND = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
_ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
_EDITING_KEYS = _ENTER_KEYS | {Qt.Key.Key_Backspace, Qt.Key.Key_Delete}
_OPENS_ON_ENTER = "opensOnEnter"


def opens_on_enter(view: QAbstractItemView) -> None:
    """Mark a list whose Enter opens its current row (search results, documents): there Enter
    is the list's, not the window's (which would accept a suggestion)."""
    view.setProperty(_OPENS_ON_ENTER, True)


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
    # window (the suggestion table's current row is the current suggestion), except Enter in
    # a list that opens its rows.
    if not isinstance(widget, QAbstractItemView):
        return False
    return printable or (
        Qt.Key(event.key()) in _ENTER_KEYS and widget.property(_OPENS_ON_ENTER) is True
    )


def _top_level(widget: QWidget) -> QWidget:
    """The window a widget belongs to; a floating dock belongs to the window it floats from."""
    window = widget.window()
    while isinstance(window, QDockWidget) and window.parentWidget() is not None:
        parent = window.parentWidget()
        assert parent is not None
        window = parent.window()
    return window


class ShortcutGuard(QObject):
    """Claims keys for the focused text field, combo box, spin box or list (see above)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if (
            event.key() == Qt.Key.Key_Escape
            and isinstance(watched, QWidget)
            and not isinstance(_top_level(watched), QMainWindow)
        ):
            # Escape in a dialog or popup (even one not yet the active window, which the
            # window's shortcut would then match) is that window's: it cancels there.
            event.accept()
            return True
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


class EscapeHome(QObject):
    """Escape anywhere in `window` puts the focus back on `home` (see above)."""

    sig_leaving = Signal(QWidget)
    """Escape was pressed with the focus on this widget, just before the focus goes home
    (the find bar closes when it held the focus)."""

    def __init__(self, window: QWidget, home: QWidget) -> None:
        super().__init__(window)
        self._home = home
        # An action of the window's own (no menu), so the shortcuts list shows it.
        self.action = QAction("Back to the article", window)
        self.action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self._go_home)
        window.addAction(self.action)

    def _go_home(self) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and focus is not self._home:
            self.sig_leaving.emit(focus)
        self._home.setFocus(Qt.FocusReason.ShortcutFocusReason)
