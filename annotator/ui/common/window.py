"""What a feature of the window may use of it.

Features (linking, details, suggestions, the corpus views, the schema editor...) are written
against this Protocol, not against `MainWindow`: an import-linter contract forbids them to import
`annotator.ui.main_window`, so a feature cannot reach into another's widgets or the window's
private methods, and the window can be rearranged without touching them. `MainWindow`
implements it.

Telling the user goes one way: `tell` for information (the status bar, gone after a while),
`warn` for an error the user can act on (a notice that stays until closed, never modal).
Dialogs are for questions only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

if TYPE_CHECKING:
    from annotator.services import Database
    from annotator.ui.annotate.article_view import ArticleView
    from annotator.ui.annotate.editing import DocumentEditor
    from annotator.ui.annotate.suggestions import SuggestionController
    from annotator.ui.common.actions import ActionSpec
    from annotator.ui.corpus.import_flow import ImportFlow


class Window(Protocol):
    @property
    def db(self) -> Database:
        """The open database."""
        ...

    @property
    def editor(self) -> DocumentEditor:
        """The open document, its spans and links, and the undo stack."""
        ...

    @property
    def article(self) -> ArticleView:
        """The article view."""
        ...

    @property
    def import_flow(self) -> ImportFlow:
        """Imports in the background (its `sig_finished` says when documents arrived)."""
        ...

    suggestions: SuggestionController | None
    """The suggestion review, once its feature installed it."""

    actions_by_key: dict[str, QAction]
    """Every action of the window by key ("link", "label:ACTOR", ...)."""

    def widget(self) -> QMainWindow:
        """The window as a Qt widget: the parent of dialogs and docks."""
        ...

    def add_dock(
        self,
        name: str,
        title: str,
        widget: QWidget,
        area: Qt.DockWidgetArea,
        *,
        tab_with: str | None = None,
    ) -> QDockWidget:
        """Add a dock (object name `{name}Dock`); with `tab_with`, as a tab beside that dock."""
        ...

    def menu(self, title: str) -> QMenu:
        """The menu with this title ("&Edit"), added after the others if missing."""
        ...

    def add_action(self, spec: ActionSpec) -> QAction:
        """An action made from its spec, put in its menu and in `actions_by_key`."""
        ...

    def selected_document_ids(self) -> list[int]:
        """The documents selected in the document list."""
        ...

    def select_span(self, span_id: int | None) -> None:
        """Select a span of the open document in the article and the lists (None: none)."""
        ...

    def open_document(self, document_id: int) -> None:
        """Open a document and select it in the document list."""
        ...

    def apply_label(self, label_id: int, *, exact: bool = False) -> None:
        """What a label's hotkey does: label the selection, accept or relabel."""
        ...

    def tell(self, message: str, msecs: int = 8000) -> None:
        """Information: shown in the status bar for a while."""
        ...

    def warn(self, message: str) -> None:
        """An error the user can act on: a notice above the article until it is closed."""
        ...
