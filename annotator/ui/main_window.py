"""The main window: lays out the views and wires them to the document editor."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.assist.base import ENGINES
from annotator.domain import collector
from annotator.domain.errors import AnnotatorError, DatabaseError
from annotator.domain.library import DocumentStatus
from annotator.domain.model import Annotator, Label, Relation, Span
from annotator.formats.sources import SOURCE_KINDS
from annotator.services import Database
from annotator.services.database import watch_changes
from annotator.services.documents import list_annotators
from annotator.services.importing import ImportReport
from annotator.services.interchange import count_export_documents
from annotator.services.library import (
    document_status,
    document_tags,
    list_tags,
    set_status,
    update_document_meta,
)
from annotator.services.search import index_for_search
from annotator.ui.annotate import linking, revision_review, span_bounds, span_details, suggestions
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.editing import (
    DocumentEditor,
    FingerprintRequest,
    StoredFingerprints,
    read_fingerprints,
)
from annotator.ui.annotate.find_bar import FindBar
from annotator.ui.annotate.palette import LabelPalette
from annotator.ui.common.actions import (
    ACTIONS,
    FEATURE_SHORTCUTS,
    MENU_ORDER,
    REDO_SHORTCUTS,
    UNDO_SHORTCUTS,
    ActionSpec,
)
from annotator.ui.common.item_models import ANY_ORIGIN, SpanListModel
from annotator.ui.common.keys import EscapeHome, install_shortcut_guard
from annotator.ui.common.notice import Notice
from annotator.ui.common.settings import AppSettings
from annotator.ui.common.settings_dialog import article_font
from annotator.ui.common.tables import setup_row_table
from annotator.ui.common.tasks import RepeatingTask
from annotator.ui.common.text import message_box
from annotator.ui.corpus import (
    actor_registry,
    annotators,
    backups,
    completeness,
    layer_bundles,
)
from annotator.ui.corpus.export_dialog import ExportDialog, ExportFlow
from annotator.ui.corpus.import_flow import ImportFlow
from annotator.ui.corpus.import_options import ask_import_options
from annotator.ui.corpus.library import LibraryPanel
from annotator.ui.corpus.metadata_dialog import MetadataDialog
from annotator.ui.corpus.search_panel import SearchPanel
from annotator.ui.schema import guidelines, schema_editor
from annotator.ui.views import agreement, claims_view, curation

if TYPE_CHECKING:
    from annotator.ui.annotate.suggestions import SuggestionController


def _table(parent: QWidget) -> QTableView:
    return setup_row_table(QTableView(parent))


def _behind_a_tab(widget: QWidget) -> bool:
    """Whether the widget sits in a dock that another dock's tab covers."""
    parent: QWidget | None = widget
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    return parent is not None and not parent.isFloating() and parent.visibleRegion().isEmpty()


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _file_filter() -> str:
    patterns = " ".join(f"*{ext}" for kind in SOURCE_KINDS for ext in kind.extensions)
    kinds = ";;".join(
        f"{kind.description} ({' '.join('*' + e for e in kind.extensions)})"
        for kind in SOURCE_KINDS
    )
    return f"Articles ({patterns} *.zip);;{kinds};;Zip archives (*.zip);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, db: Database, annotator: Annotator, labels: list[Label]) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.db = db
        self.editor = DocumentEditor(db, annotator, labels)

        self.article = ArticleView(self)
        self.article.set_labels(labels)
        self.find_bar = FindBar(self)
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        self.notice = Notice(centre)
        centre_layout.addWidget(self.notice)
        # Shown while the database server cannot be reached (see _on_change_watch).
        self.connection_banner = Notice(centre)
        self.connection_banner.setObjectName("connectionBanner")
        centre_layout.addWidget(self.connection_banner)
        self._connection_lost = False
        centre_layout.addWidget(self.article, 1)
        centre_layout.addWidget(self.find_bar)
        self.setCentralWidget(centre)

        self.library = LibraryPanel(db, annotator.id, labels, self)
        self.documents = self.library.model
        # What an edit changes beside the article, done after its paint (`_after_paint`).
        self._after_paint_jobs: dict[str, Callable[[], None]] = {}
        self._after_paint_timer = QTimer(self)
        self._after_paint_timer.setSingleShot(True)
        self._after_paint_timer.setInterval(0)
        self._after_paint_timer.timeout.connect(self._run_after_paint)
        self._row_deltas: dict[int, int] = {}  # document id -> spans added less deleted
        # A list read again holds the counts as stored: the edits' deltas are in them.
        self.documents.modelReset.connect(self._row_deltas.clear)
        docs_dock = self.add_dock(
            "documents", "Documents", self.library, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.search_panel = SearchPanel(db, labels, self)
        search_dock = self.add_dock(
            "search", "Search", self.search_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.tabifyDockWidget(docs_dock, search_dock)
        docs_dock.raise_()
        self._search_dock = search_dock

        self.span_model = SpanListModel()
        self.span_model.set_labels(labels)
        annotations = QWidget(self)
        self.span_view = _table(annotations)
        self.span_view.setModel(self.span_model)
        header = self.span_view.horizontalHeader()
        # Never resized to contents: that reads every row, 10,000 of them in a long article,
        # at each change. The columns are sized from samples (`_size_span_columns`).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.span_origin = QComboBox(annotations)
        self.span_origin.setObjectName("spanOrigin")
        self.span_origin.setToolTip(
            "Show every annotation, those made by hand, or those "
            "accepted from one suggestion engine"
        )
        self.span_origin.addItem("All annotations", ANY_ORIGIN)
        self.span_origin.addItem("Made by hand", None)
        for engine in ENGINES:
            self.span_origin.addItem(f"Accepted from {engine}", engine)
        annotations_layout = QVBoxLayout(annotations)
        annotations_layout.setContentsMargins(0, 0, 0, 0)
        annotations_layout.setSpacing(2)
        annotations_layout.addWidget(self.span_origin)
        annotations_layout.addWidget(self.span_view, 1)
        self.add_dock(
            "annotations", "Annotations", annotations, Qt.DockWidgetArea.RightDockWidgetArea
        )

        self.palette_bar = self.addToolBar("Labels")
        self.palette_bar.setObjectName("labelsToolbar")
        self.palette_bar.setMovable(False)
        self.label_palette = LabelPalette(self)
        self.label_palette.set_labels(labels)
        self.palette_bar.addWidget(self.label_palette)

        self.status_document = QLabel()
        self.status_counts = QLabel()
        self.status_annotator = QLabel()
        self.status_layers = QLabel()
        self.status_layers.setObjectName("statusLayers")
        for widget in (
            self.status_document,
            self.status_counts,
            self.status_annotator,
            self.status_layers,
        ):
            widget.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addWidget(self.status_document, 1)
        self.statusBar().addPermanentWidget(self.status_layers)
        self.statusBar().addPermanentWidget(self.status_counts)
        self.statusBar().addPermanentWidget(self.status_annotator)
        self.status_annotator.setText(f"Annotator: {annotator.name}")

        self.import_flow = ImportFlow(db, annotator.name, self)
        self.export_flow = ExportFlow(db, self)
        self.suggestions: SuggestionController | None = None
        """The suggestion review, once `suggestions.install` added it."""
        self.actions_by_key: dict[str, QAction] = {}
        self._shortcut_guard = install_shortcut_guard(self)
        self.escape_home = EscapeHome(self, self.article)
        self._create_actions()
        self._connect()
        # Feature modules add their docks, menus and shortcuts here (one line each, each
        # module's install(window) owns what it adds).
        linking.install(self)
        span_details.install(self)
        span_bounds.install(self)
        completeness.install(self)
        revision_review.install(self)
        schema_editor.install(self)
        actor_registry.install(self)
        claims_view.install(self)
        guidelines.install(self)
        suggestions.install(self)
        backups.install(self)
        curation.install(self)
        agreement.install(self)
        layer_bundles.install(self)
        annotators.install(self)
        # Tab moves between the parts of the window, arrows move inside a list or table (a
        # table's own Tab walks its cells and never lets the keyboard out).
        for view in self.findChildren(QAbstractItemView):
            view.setTabKeyNavigation(False)
        self.article.setTabChangesFocus(True)
        # What other programs write to the same database (a second window, an import from
        # the command line, a colleague on the server) shows here within a second or two.
        self._changes = watch_changes(db)
        # After a commit seen by the watch, the open document's fingerprints are read off the
        # GUI thread (`read_fingerprints`); the editor compares them when they come.
        self._fingerprint_for: FingerprintRequest | None = None
        self._fingerprints = RepeatingTask(self._read_fingerprints, self)
        self._fingerprints.sig_finished.connect(self._on_fingerprints)
        # Documents an import stored without indexing them for search (annotator/services/
        # search.py) are indexed here, off the GUI thread: after the window's own imports, at
        # start (an import from the command line) and when another program has written.
        self._indexer = RepeatingTask(self._index_for_search, self)
        self._indexer.sig_finished.connect(self._on_indexed)
        QTimer.singleShot(1000, self, self._request_indexing)
        if self._changes.active:
            watch = QTimer(self)
            watch.setObjectName("changeWatch")
            watch.setInterval(self._changes.interval_ms)
            watch.timeout.connect(self._on_change_watch)
            watch.start()
        self.library.reload()
        if self.documents.rowCount():
            self.library.select_row(0)

    # Layout ----------------------------------------------------------------------------------
    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab skips the docks that sit behind another dock's tab: Qt counts them as visible,
        so the keyboard would land in fields nobody can see. Their tab bar is in the chain."""
        start = QApplication.focusWidget()
        for _ in range(500):
            if not super().focusNextPrevChild(next):
                return False
            focus = QApplication.focusWidget()
            if focus is None or focus is start or not _behind_a_tab(focus):
                return True
        return True

    def widget(self) -> QMainWindow:
        return self

    def add_dock(
        self,
        name: str,
        title: str,
        widget: QWidget,
        area: Qt.DockWidgetArea,
        *,
        tab_with: str | None = None,
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}Dock")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        self.resizeDocks([dock], [400 if name != "annotations" else 380], Qt.Orientation.Horizontal)
        beside = self.findChild(QDockWidget, f"{tab_with}Dock") if tab_with else None
        if isinstance(beside, QDockWidget):

            def tabify() -> None:
                hidden = dock.isHidden()
                self.tabifyDockWidget(beside, dock)
                dock.setHidden(hidden)  # a dock hidden until asked for stays hidden
                beside.raise_()

            # Tabbing while the window's dock layout is being built leaves a stray second tab
            # bar on screen (seen with Qt 6 here); from the event loop it does not.
            QTimer.singleShot(0, self, tabify)
        return dock

    def apply_settings(self, settings: AppSettings) -> None:
        """Exact mode and the article's font as the settings have them (the theme is the
        application's, see `shell.apply_theme`)."""
        self.actions_by_key["exact_mode"].setChecked(settings.exact_mode)
        font = article_font(replace(settings, zoom=0))
        self.article.set_reading_font(font.family(), font.pointSize())
        self.article.reset_zoom()
        self.article.zoom(settings.zoom)

    def menu(self, title: str) -> QMenu:
        """The menu with this title ("&Edit"), added at the end of the menu bar if missing;
        feature modules put their actions in menus through this."""
        for action in self.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu) and action.text() == title:
                return menu
        return self.menuBar().addMenu(title)

    def add_action(self, spec: ActionSpec) -> QAction:
        action = QAction(spec.text, self)
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setStatusTip(spec.tip)
        if spec.tip:
            action.setToolTip(spec.tip)
        self.menu(spec.menu).addAction(action)
        self.actions_by_key[spec.key] = action
        return action

    def _create_actions(self) -> None:
        for title in MENU_ORDER:
            self.menu(title)
        for spec in ACTIONS:
            self.add_action(spec)
        self.actions_by_key["exact_mode"].setCheckable(True)

        undo = self.editor.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence(s) for s in UNDO_SHORTCUTS])
        redo = self.editor.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence(s) for s in REDO_SHORTCUTS])
        edit_menu = self.menu("&Edit")
        edit_menu.insertActions(edit_menu.actions()[0], [undo, redo])
        edit_menu.insertSeparator(edit_menu.actions()[2])
        self.actions_by_key["undo"], self.actions_by_key["redo"] = undo, redo
        self._build_label_menu()

    def assign_feature_shortcuts(self) -> None:
        """Keys for the actions the features added (annotator/ui/common/actions.py)."""
        for key, shortcuts in FEATURE_SHORTCUTS.items():
            action = self.actions_by_key.get(key)
            if action is not None and not action.shortcuts():
                action.setShortcuts([QKeySequence(s) for s in shortcuts])

    def _build_label_menu(self) -> None:
        """The Label menu: each label's hotkey, and Alt with it for exact characters; built again
        when the schema changes."""
        menu = self.menu("&Label")
        for key in [k for k in self.actions_by_key if k.startswith("label:")]:
            action = self.actions_by_key.pop(key)
            menu.removeAction(action)
            # Gone now, not at the next event loop turn: its shortcut must not count as taken.
            action.setParent(None)
        for label in self.editor.labels:
            if not label.hotkey:
                continue
            for exact in (False, True):
                text = f"{label.name} (exact characters)" if exact else label.name
                action = QAction(text, self)
                action.setShortcut(QKeySequence(f"Alt+{label.hotkey}" if exact else label.hotkey))
                if label.description:
                    action.setStatusTip(label.description)
                action.triggered.connect(
                    lambda _=False, lid=label.id, ex=exact: self.apply_label(lid, exact=ex)
                )
                menu.addAction(action)
                self.actions_by_key[f"label:{label.name}{':exact' if exact else ''}"] = action

    def _connect(self) -> None:
        a = self.actions_by_key
        a["import_files"].triggered.connect(self._on_import_files)
        a["import_folder"].triggered.connect(self._on_import_folder)
        a["export"].triggered.connect(self.export)
        a["quit"].triggered.connect(self.close)
        a["delete_span"].triggered.connect(self.delete_or_reject)
        a["reject_suggestion"].triggered.connect(self.delete_or_reject)
        a["find"].triggered.connect(self.find_bar.open_bar)
        a["search"].triggered.connect(self._on_search_action)
        a["details"].triggered.connect(self.edit_details)
        a["status_new"].triggered.connect(lambda: self.set_status(DocumentStatus.NEW))
        a["status_in_progress"].triggered.connect(
            lambda: self.set_status(DocumentStatus.IN_PROGRESS)
        )
        a["status_done"].triggered.connect(self.mark_done_and_move_on)
        a["next_document"].triggered.connect(lambda: self._go_to_document(1))
        a["previous_document"].triggered.connect(lambda: self._go_to_document(-1))
        a["next_unfinished"].triggered.connect(self._go_to_unfinished)
        a["delete_documents"].triggered.connect(self.delete_documents)
        a["next_span"].triggered.connect(lambda: self._step_span(1))
        a["previous_span"].triggered.connect(lambda: self._step_span(-1))
        a["zoom_in"].triggered.connect(lambda: self.article.zoom(1))
        a["zoom_out"].triggered.connect(lambda: self.article.zoom(-1))
        a["zoom_reset"].triggered.connect(self.article.reset_zoom)
        self.label_palette.sig_label_chosen.connect(
            lambda lid, exact: self.apply_label(lid, exact=exact)
        )
        self.library.sig_document_chosen.connect(self.editor.ensure_open)
        self.search_panel.sig_open.connect(self._on_search_panel_open)
        self.find_bar.sig_matches_changed.connect(self.article.set_find_matches)
        self.escape_home.sig_leaving.connect(self.find_bar.close_if_holding)
        self.span_origin.currentIndexChanged.connect(self._on_span_origin_chosen)
        self.span_view.clicked.connect(self._on_span_view_clicked)
        self.span_view.activated.connect(self._on_span_view_clicked)
        self.article.sig_span_clicked.connect(self._on_article_span_clicked)
        self.editor.sig_document_opened.connect(self._on_editor_document_opened)
        self.editor.sig_spans_changed.connect(self._on_editor_spans_changed)
        self.editor.sig_documents_changed.connect(self._on_editor_documents_changed)
        self.editor.sig_status_changed.connect(self._on_editor_status_changed)
        self.editor.sig_error.connect(self._on_editor_error)
        self.editor.sig_schema_changed.connect(self._on_schema_changed)
        self.import_flow.sig_finished.connect(self._on_import_flow_finished)

    # Commands ------------------------------------------------------------------------------
    def reload_documents(self) -> None:
        self.library.reload()

    def open_document(self, document_id: int) -> None:
        """Open a document, and select it in the list when the list shows it."""
        if not self.library.select_document(document_id):
            self.editor.ensure_open(document_id)

    def import_paths(self, paths: list[Path], *, ask: bool = False) -> None:
        """Import files and folders; with `ask`, first let the user choose a table's columns
        and whether new versions of stored articles revise them or become new documents."""
        options, as_new = None, False
        if ask:
            chosen = ask_import_options(self.db, paths, self)
            if chosen is None:
                return
            options, as_new = chosen
        self.import_flow.start(paths, options, as_new=as_new)

    def export(self) -> None:
        """File > Export: the dialog, then the export in the background."""
        dialog = ExportDialog(
            self.editor.labels,
            list_annotators(self.db),
            selected_ids=self.library.selected_ids(),
            open_id=self.editor.document.id if self.editor.document else None,
            tags=[facet.value for facet in list_tags(self.db)],
            me=self.editor.annotator.name,
            parent=self,
        )
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        selection = dialog.selection()
        total = count_export_documents(self.db, selection)
        self.export_flow.start(dialog.info().name, dialog.target(), selection, total)

    def apply_label(self, label_id: int, *, exact: bool = False) -> None:
        """A hotkey or palette click: label the text selection, accept the current suggestion
        as this label, or relabel the selected span."""
        exact = exact or self.actions_by_key["exact_mode"].isChecked()
        selection = self.article.selected_range()
        if selection is not None:
            span = self.editor.add_span(*selection, label_id, snap=not exact)
            if span is not None:
                self.article.clear_selection()
                if self.article.selected_span_id != span.id:  # the new span is selected already
                    self.select_span(span.id)
            return
        if self.suggestions is not None and self.article.current_suggestion is not None:
            self.suggestions.accept_current(label_id)
            return
        if self.article.selected_span_id:
            self.editor.relabel_span(self.article.selected_span_id, label_id)
            return
        self.tell("Select some text first, or click a span to relabel it.", 5000)

    def delete_or_reject(self) -> None:
        """Delete or Backspace: reject the current suggestion if there is one, else delete the
        selected span (one dispatcher, so the keys never mean two things at once)."""
        if self.suggestions is not None and self.article.current_suggestion is not None:
            self.suggestions.reject_current()
            return
        self.delete_selected_span()

    def delete_selected_span(self) -> None:
        """Delete the selected span; first say which links go with it, if any."""
        span_id = self.article.selected_span_id
        if not span_id:
            return
        links = self.editor.relations_of(span_id)
        if links and not self._confirm_unlink(span_id, links):
            return
        self.editor.delete_spans([span_id])

    def _confirm_unlink(self, span_id: int, links: list[Relation]) -> bool:
        span = self.editor.span(span_id)
        if span is None:
            return False
        lines = []
        for relation in links:
            other_id = relation.target_id if relation.source_id == span_id else relation.source_id
            other = self.editor.span(other_id)
            name = self.editor.schema.relation_type(relation.type_id).name
            arrow = "→" if relation.source_id == span_id else "←"
            if other is not None:
                other_label = self.editor.label(other.label_id).name
                lines.append(f"  {name} {arrow} {other_label} “{_short(other.quote)}”")
        label = self.editor.label(span.label_id).name
        n = len(links)
        what = f"{n} link{'s' if n != 1 else ''}"
        box = message_box(
            QMessageBox.Icon.Question,
            "Delete a linked span",
            f"Deleting {label} “{_short(span.quote)}” also removes {what}:\n"
            + "\n".join(lines)
            + "\n\nUndo (Ctrl+Z) restores the span and its links.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirmUnlink")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return box.exec() == QMessageBox.StandardButton.Yes

    def set_status(self, status: DocumentStatus) -> bool:
        """Set the open document's status; whether it was set."""
        doc = self.editor.document
        if doc is None:
            return False
        try:
            set_status(
                self.db, document_id=doc.id, annotator_id=self.editor.annotator.id, status=status
            )
        except AnnotatorError as exc:
            self._on_editor_error(str(exc))
            return False
        self.documents.update_row(doc.id, status=status)
        self.library.update_progress()
        return True

    def mark_done_and_move_on(self) -> None:
        """Ctrl+D: the open document is done; open the next unfinished one in the list."""
        doc = self.editor.document
        if doc is None or not self.set_status(DocumentStatus.DONE):
            return
        done = f"Marked “{_short(doc.title)}” done"
        following = self.library.next_unfinished()
        if following is None:
            self.tell(f"{done}. No unfinished document is left in the list.", 10000)
            return
        self.open_document(following)
        title = self.editor.document.title if self.editor.document else ""
        self.tell(f"{done}; next unfinished: “{_short(title)}”.", 10000)

    def _go_to_document(self, step: int) -> None:
        target = self.library.neighbour(step)
        if target is None:
            where = "last" if step > 0 else "first"
            self.tell(f"This is the {where} document in the list.", 5000)
        else:
            self.open_document(target)

    def _go_to_unfinished(self) -> None:
        target = self.library.next_unfinished()
        if target is None:
            self.tell("No unfinished document is left in the list.", 5000)
        else:
            self.open_document(target)

    def edit_details(self) -> None:
        doc = self.editor.document
        if doc is None:
            return
        dialog = MetadataDialog(doc.meta, document_tags(self.db, document_id=doc.id), self)
        if dialog.exec() != MetadataDialog.DialogCode.Accepted:
            return
        try:
            updated = update_document_meta(
                self.db, document_id=doc.id, meta=dialog.meta(), tags=dialog.tag_list()
            )
        except AnnotatorError as exc:
            self.warn(f"Cannot save the details: {exc}")
            return
        self.editor.document = updated
        self._show_document_title()
        self.library.reload()
        self.library.select_document(doc.id)

    def delete_documents(self) -> None:
        ids = self.library.selected_ids() or (
            [self.editor.document.id] if self.editor.document else []
        )
        if not ids:
            return
        rows = [self.documents.row_data(i) for i in ids]
        spans = sum(r.span_count for r in rows if r is not None)
        first = rows[0].title if rows and rows[0] else ""
        what = f"“{first}”" if len(ids) == 1 else f"{len(ids)} documents"
        box = message_box(
            QMessageBox.Icon.Question,
            "Delete documents",
            f"Delete {what} with {spans} annotation{'s' if spans != 1 else ''}? "
            "Undo (Ctrl+Z) brings them back until you close the app.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.editor.delete_documents(ids)

    def selected_document_ids(self) -> list[int]:
        return self.library.selected_ids()

    def select_span(self, span_id: int | None, *, list_later: bool = False) -> None:
        """Make a span the selected one in the article and in the span list. `list_later`: the
        list follows after the next paint (see `_after_paint`)."""
        span = self.editor.span(span_id) if span_id else None
        self.article.select_span(span)
        if list_later:
            self._after_paint("span list row", lambda: self._select_span_row(span_id))
        else:
            self._select_span_row(span_id)

    def _select_span_row(self, span_id: int | None) -> None:
        row = self.span_model.row_of(span_id) if span_id else None
        selection = self.span_view.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.span_model.index(row, 0)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.span_view.scrollTo(index)

    def _step_span(self, step: int) -> None:
        # Through the spans the list shows (all, or those of the origin chosen there).
        count = self.span_model.rowCount()
        if not count:
            return
        current = self.span_model.row_of(self.article.selected_span_id or 0)
        row = 0 if current is None and step > 0 else (current or 0) + step
        span = self.span_model.span_at(row % count)
        self.article.scroll_to(span.start)
        self.select_span(span.id)

    def _show_document_title(self) -> None:
        doc = self.editor.document
        self.setWindowTitle(f"{doc.title} — annotator" if doc else "annotator")
        self.status_document.setText(doc.title if doc else "No document")

    # Handlers --------------------------------------------------------------------------------
    def _on_import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import articles", "", _file_filter())
        if paths:
            self.import_paths([Path(p) for p in paths], ask=True)

    def _on_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles")
        if folder:
            self.import_paths([Path(folder)], ask=True)

    def _on_import_flow_finished(self, report: ImportReport) -> None:
        self._request_indexing()
        self.library.reload()
        new = report.imported_ids
        if new and self.editor.document is None:
            self.open_document(new[0])
        self.tell(f"Import: {report.summary()}", 10000)

    def _on_search_action(self) -> None:
        self._search_dock.show()
        self._search_dock.raise_()
        self.search_panel.query.setFocus()
        self.search_panel.query.selectAll()

    def _on_search_panel_open(self, document_id: int, start: int, end: int) -> None:
        self.open_document(document_id)
        if start >= 0:
            span = next((s for s in self.editor.spans if (s.start, s.end) == (start, end)), None)
            self.article.scroll_to(start)
            self.select_span(span.id if span else None)
        elif self.search_panel.query.text().strip():
            # Show the words searched for, as the find bar would.
            self.find_bar.edit.setText(self.search_panel.query.text().strip().strip('"').split()[0])
            self.find_bar.open_bar()

    def _on_editor_document_opened(self) -> None:
        doc = self.editor.document
        self.article.show_document(doc, self.editor.spans)
        self.span_model.set_spans(self.editor.spans)
        self._size_span_columns()
        self.find_bar.set_text(doc.text if doc else "")
        self._show_document_title()
        self._update_counts()
        self.library.show_open(doc.id if doc else None)

    def _after_paint(self, what: str, job: Callable[[], None]) -> None:
        """Do `job` once the window has painted what is pending, the latest job per `what`.

        An edit shows first where it was made: the article's few changed lines are painted
        alone, and the span list's selection, the document list's row and the status bar's
        counts follow in the next frame. Painted with them, the edit's frame took half as long
        again (a table of spans scrolled and repainted, the status bar laid out again). A
        zero timer fires after the posted events, the paint among them; a queued call would
        run before the paint, which Qt posts at a low priority."""
        self._after_paint_jobs[what] = job
        if not self._after_paint_timer.isActive():
            self._after_paint_timer.start()

    def updates_pending(self) -> bool:
        """Whether parts of the window have yet to follow the last edit (`_after_paint`)."""
        return bool(self._after_paint_jobs)

    def _run_after_paint(self) -> None:
        jobs, self._after_paint_jobs = self._after_paint_jobs, {}
        for job in jobs.values():
            job()

    def _on_editor_spans_changed(self, gone: list[Span], present: list[Span]) -> None:
        self.article.update_spans(self.editor.spans, gone=gone, present=present)
        self.span_model.update_spans(self.editor.spans, gone=gone, present=present)
        if (doc := self.editor.document) is not None:
            delta = len(present) - len(gone)  # the editor's spans are this annotator's
            self._row_deltas[doc.id] = self._row_deltas.get(doc.id, 0) + delta
            self._after_paint("document rows", self._count_in_document_rows)
        if len(present) == 1 and not self.editor.changed_elsewhere:
            self.select_span(present[0].id, list_later=True)
        elif self.article.selected_span_id and not self.editor.span(self.article.selected_span_id):
            self.select_span(None)
        self._after_paint("counts", self._update_counts)

    def _count_in_document_rows(self) -> None:
        """The edits' changes to the documents' span counts, on their rows in the list."""
        deltas, self._row_deltas = self._row_deltas, {}
        for doc_id, delta in deltas.items():
            row = self.documents.row_data(doc_id)
            if row is None:
                continue
            if delta:
                self.documents.update_row(
                    doc_id,
                    span_count=max(0, row.span_count + delta),
                    my_span_count=max(0, row.my_span_count + delta),
                )
            # Entries to review come only with a new version of the article (which reloads the
            # list): a document without any gets none from an edit, and needs no query.
            if self.documents.to_review.get(doc_id):
                self.documents.refresh_review_count(doc_id)

    def _on_editor_status_changed(self, document_id: int) -> None:
        # The edit stored the status in its own transaction: show what is stored.
        status = document_status(
            self.db, document_id=document_id, annotator_id=self.editor.annotator.id
        )
        self.documents.update_row(document_id, status=status)
        self.library.update_progress()

    def _on_editor_documents_changed(
        self, removed: tuple[int, ...], restored: tuple[int, ...]
    ) -> None:
        self.library.reload()
        if restored:
            self.open_document(restored[0])
        elif self.editor.document is None and self.documents.rowCount():
            self.library.select_row(0)
        if removed:
            plural = "s" if len(removed) != 1 else ""
            self.tell(f"Deleted {len(removed)} document{plural}; Ctrl+Z undoes it.", 8000)

    def _on_editor_error(self, message: str) -> None:
        self.warn(message)

    def _on_change_watch(self) -> None:
        changed = self._changes.changed()
        if self._changes.lost != self._connection_lost:
            self._connection_lost = self._changes.lost
            if self._connection_lost:
                self.connection_banner.show_message(
                    f"Cannot reach {self.db.described}: trying again every few seconds. "
                    "Edits made meanwhile are not saved; each one that fails says so."
                )
            else:
                self.connection_banner.hide()
                self.tell("Connected to the database again.")
        if changed:
            self._request_indexing()
            self._fingerprint_for = self.editor.fingerprint_request()
            if self._fingerprint_for is not None:
                self._fingerprints.request()

    def _read_fingerprints(
        self, _progress: Callable[[object], None], _cancelled: Callable[[], bool]
    ) -> StoredFingerprints | None:
        request = self._fingerprint_for  # set on the GUI thread before each request
        if request is None:
            return None
        try:
            return read_fingerprints(self.db, request)
        except DatabaseError:
            return None  # the server went again: the banner says so, the next poll retries

    def _on_fingerprints(self, found: object) -> None:
        if isinstance(found, StoredFingerprints):
            # The server may go again meanwhile: the banner says so, and the next poll retries.
            with contextlib.suppress(DatabaseError):
                self.editor.refresh_from_store(found)

    def _request_indexing(self) -> None:
        """PostgreSQL indexes as it writes: nothing is ever pending there, no thread started."""
        if not self.db.postgresql:
            self._indexer.request()

    def _index_for_search(
        self, _progress: Callable[[object], None], cancelled: Callable[[], bool]
    ) -> int:
        try:
            return index_for_search(self.db, cancelled=cancelled)
        except DatabaseError:
            return 0  # busy or unreachable: the next request (import, change seen) tries again

    def _on_indexed(self, indexed: object) -> None:
        if indexed:
            self.search_panel.indexed()
            if self.library.search.text().strip():
                self.library.reload()  # its search filter finds them now

    def closeEvent(self, event: QCloseEvent) -> None:
        self._indexer.stop()  # between two batches: the rest stays pending, for next time
        self._fingerprints.stop()
        self._changes.close()
        collector.release()  # what the open document kept out of collections goes with it
        super().closeEvent(event)

    def _on_schema_changed(self) -> None:
        """Show the editor's (new) schema everywhere in the window that names or draws labels."""
        labels = self.editor.labels
        self.label_palette.set_labels(labels)
        self.article.set_labels(labels)
        self.article.highlighter.rehighlight()  # colours and styles may have changed
        self.span_model.set_labels(labels)
        self._size_span_columns()
        self.library.set_labels(labels)
        self.search_panel.set_labels(labels)
        self._build_label_menu()
        self._update_counts()

    # Telling the user ------------------------------------------------------------------------
    def tell(self, message: str, msecs: int = 8000) -> None:
        self.statusBar().showMessage(message, msecs)

    def warn(self, message: str) -> None:
        self.notice.show_message(message)

    def _on_span_view_clicked(self, index: QModelIndex) -> None:
        span = self.span_model.span_at(index.row())
        self.article.scroll_to(span.start)
        self.article.select_span(span)

    def _on_span_origin_chosen(self) -> None:
        self.span_model.set_origin_filter(self.span_origin.currentData())
        if self.article.selected_span_id:
            self.select_span(self.article.selected_span_id)

    def _on_article_span_clicked(self, span_id: int) -> None:
        self.select_span(span_id or None)

    def _size_span_columns(self) -> None:
        """Label, position and origin columns as wide as their widest sample needs."""
        metrics = self.span_view.fontMetrics()
        header = self.span_view.horizontalHeader()
        for column in (0, 2, 3):
            texts = [*self.span_model.samples(column), str(self.span_model.HEADERS[column])]
            icon = self.span_view.iconSize().width() + 8 if column == 0 else 0
            widest = max(metrics.horizontalAdvance(t) for t in texts)
            header.resizeSection(column, widest + icon + 24)

    def _update_counts(self) -> None:
        by_label = self.editor.counts_by_label()
        counts: dict[str, int] = {}
        for label in self.editor.labels:
            counts[label.name] = counts.get(label.name, 0) + by_label.get(label.id, 0)
        parts = [f"{label.name} {counts.get(label.name, 0)}" for label in self.editor.labels]
        total = len(self.editor.spans)
        self.status_counts.setText(f"{total} span{'s' if total != 1 else ''}: " + ", ".join(parts))
