"""The Guidelines dock: the database's annotation guidelines, rendered from Markdown safely
(annotator/ui/common/markdown_view.py).

The text may come from anyone who edits a shared database or a schema file, so the view loads
nothing: no images, no style sheets, no links followed (a QTextBrowser would otherwise read
`<img src="file:///dev/zero">`, which crashed one here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from annotator.services.guidelines import guidelines_text
from annotator.ui.common.markdown_view import MarkdownView

if TYPE_CHECKING:
    from annotator.ui.common.window import Window


def install(window: Window) -> None:
    """The Guidelines dock (hidden until asked for) and Help > Annotation guidelines."""
    view = MarkdownView(window.widget())
    # The full height, a tab beside the span list.
    dock = window.add_dock(
        "guidelines",
        "Guidelines",
        view,
        Qt.DockWidgetArea.RightDockWidgetArea,
        tab_with="annotations",
    )
    dock.hide()

    def show() -> None:
        view.show_markdown(guidelines_text(window.db))
        dock.show()
        # A tab shown again comes up behind the current one until the event loop has run.
        QTimer.singleShot(0, dock.raise_)

    def refresh() -> None:
        # The guidelines are saved with the schema: show the saved text.
        if dock.isVisible():
            view.show_markdown(guidelines_text(window.db))

    window.editor.sig_schema_changed.connect(refresh)

    action = QAction("Annotation &guidelines", window.widget())
    action.setShortcut(QKeySequence("Shift+F1"))
    action.setStatusTip("What to mark and how: labels, links, boundaries, date values")
    action.triggered.connect(show)
    window.menu("&Help").addAction(action)
    window.actions_by_key["guidelines"] = action


__all__ = ["install"]
