"""The main window's focus chain, walked with Tab and Shift+Tab as a keyboard user does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar, QWidget
from ui_helpers import find

from annotator.domain.model import DocumentMeta
from annotator.services.documents import add_document
from annotator.ui.main_window import MainWindow


def dock_of(widget: QWidget) -> QDockWidget | None:
    parent: QWidget | None = widget
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    return parent


def walk(qtbot, window: MainWindow, key_modifier: Qt.KeyboardModifier) -> list[QWidget]:
    """Press Tab (or Shift+Tab) from the article until the focus is back there."""
    window.article.setFocus()
    seen: list[QWidget] = []
    for _ in range(80):
        focus = QApplication.focusWidget()
        assert focus is not None
        qtbot.keyClick(focus, Qt.Key.Key_Tab, key_modifier)
        focus = QApplication.focusWidget()
        assert focus is not None
        if focus is window.article:
            return seen
        seen.append(focus)
    raise AssertionError(f"Tab never came back to the article: {[type(w) for w in seen[-8:]]}")


def test_tab_walks_every_shown_part_and_comes_back_to_the_article(qtbot, window: MainWindow):
    # A second document, opened: tabbing through the document list must not open another.
    second = add_document(window.db, text="A second article.", meta=DocumentMeta("Second"))
    window.library.reload()
    window.open_document(second.id)
    window.article.select_range(*find(window, "A second"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)  # a span selected: Details has fields
    assert window.article.selected_span_id is not None
    span_id = window.article.selected_span_id

    forward = walk(qtbot, window, Qt.KeyboardModifier.NoModifier)
    backward = walk(qtbot, window, Qt.KeyboardModifier.ShiftModifier)

    assert window.editor.document is not None and window.editor.document.id == second.id
    assert window.article.selected_span_id == span_id
    # Nothing behind another dock's tab, nothing hidden, nothing outside the window.
    for widget in forward:
        assert widget.isVisible() and widget.window() is window, widget
        dock = dock_of(widget)
        assert dock is None or not dock.visibleRegion().isEmpty(), (widget, dock.objectName())
    # Each shown dock can be reached, and each tabbed dock through its tab bar.
    reached = {dock.objectName() for w in forward if (dock := dock_of(w)) is not None}
    shown = {
        d.objectName()
        for d in window.findChildren(QDockWidget)
        if d.isVisible() and not d.visibleRegion().isEmpty()
    }
    assert shown <= reached, shown - reached
    assert any(isinstance(w, QTabBar) for w in forward)
    assert window.library.view in forward and window.span_view in forward
    # Shift+Tab goes the same way back.
    assert backward == list(reversed(forward))
