"""The main window: lays out the views and wires them to the document editor."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Annotator, Label, Span
from annotator.services import Database
from annotator.services.documents import list_documents
from annotator.services.importing import import_text_file
from annotator.ui.actions import ACTIONS, REDO_SHORTCUTS, UNDO_SHORTCUTS
from annotator.ui.article_view import ArticleView
from annotator.ui.editing import DocumentEditor
from annotator.ui.item_models import DocumentListModel, SpanListModel
from annotator.ui.palette import LabelPalette


def _table(parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setHighlightSections(False)
    return view


class MainWindow(QMainWindow):
    def __init__(self, db: Database, annotator: Annotator, labels: list[Label]) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.db = db
        self.editor = DocumentEditor(db, annotator, labels)
        self.resize(1280, 800)

        self.article = ArticleView(self)
        self.article.set_labels(labels)
        self.setCentralWidget(self.article)

        self.documents = DocumentListModel()
        self.document_view = _table(self)
        self.document_view.setModel(self.documents)
        header = self.document_view.horizontalHeader()
        # The title matters most; outlet and date get a fixed share the user can drag.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 80), (2, 78)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self._dock(
            "documents", "Documents", self.document_view, Qt.DockWidgetArea.LeftDockWidgetArea
        )

        self.span_model = SpanListModel()
        self.span_model.set_labels(labels)
        self.span_view = _table(self)
        self.span_view.setModel(self.span_model)
        header = self.span_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._dock(
            "annotations", "Annotations", self.span_view, Qt.DockWidgetArea.RightDockWidgetArea
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
        for widget in (self.status_document, self.status_counts, self.status_annotator):
            widget.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addWidget(self.status_document, 1)
        self.statusBar().addPermanentWidget(self.status_counts)
        self.statusBar().addPermanentWidget(self.status_annotator)
        self.status_annotator.setText(f"Annotator: {annotator.name}")

        self.actions_by_key: dict[str, QAction] = {}
        self._create_actions(labels)
        self._connect()
        self.reload_documents()
        if self.documents.rowCount():
            self.document_view.selectRow(0)

    # Layout ----------------------------------------------------------------------------------
    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}Dock")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        self.resizeDocks([dock], [360 if name == "documents" else 380], Qt.Orientation.Horizontal)

    def _create_actions(self, labels: list[Label]) -> None:
        menus = {}
        for spec in ACTIONS:
            action = QAction(spec.text, self)
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
            action.setStatusTip(spec.tip)
            if spec.menu not in menus:
                menus[spec.menu] = self.menuBar().addMenu(spec.menu)
            menus[spec.menu].addAction(action)
            self.actions_by_key[spec.key] = action
        self.actions_by_key["exact_mode"].setCheckable(True)

        undo = self.editor.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence(s) for s in UNDO_SHORTCUTS])
        redo = self.editor.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence(s) for s in REDO_SHORTCUTS])
        edit_menu = menus["&Edit"]
        edit_menu.insertActions(edit_menu.actions()[0], [undo, redo])
        edit_menu.insertSeparator(edit_menu.actions()[2])
        self.actions_by_key["undo"], self.actions_by_key["redo"] = undo, redo

        label_menu = self.menuBar().addMenu("&Label")
        for label in labels:
            if not label.hotkey:
                continue
            for exact in (False, True):
                text = f"{label.name} (exact characters)" if exact else label.name
                action = QAction(text, self)
                action.setShortcut(QKeySequence(f"Alt+{label.hotkey}" if exact else label.hotkey))
                action.triggered.connect(
                    lambda _=False, lid=label.id, ex=exact: self.apply_label(lid, exact=ex)
                )
                label_menu.addAction(action)
                self.actions_by_key[f"label:{label.name}{':exact' if exact else ''}"] = action

    def _connect(self) -> None:
        a = self.actions_by_key
        a["open_text"].triggered.connect(self._on_open_text)
        a["quit"].triggered.connect(self.close)
        a["delete_span"].triggered.connect(self.delete_selected_span)
        a["next_span"].triggered.connect(lambda: self._step_span(1))
        a["previous_span"].triggered.connect(lambda: self._step_span(-1))
        self.label_palette.sig_label_chosen.connect(
            lambda lid, exact: self.apply_label(lid, exact=exact)
        )
        self.document_view.selectionModel().currentRowChanged.connect(
            self._on_document_view_current_changed
        )
        self.span_view.clicked.connect(self._on_span_view_clicked)
        self.span_view.activated.connect(self._on_span_view_clicked)
        self.article.sig_span_clicked.connect(self._on_article_span_clicked)
        self.editor.sig_document_opened.connect(self._on_editor_document_opened)
        self.editor.sig_spans_changed.connect(self._on_editor_spans_changed)
        self.editor.sig_error.connect(self._on_editor_error)

    # Commands ------------------------------------------------------------------------------
    def reload_documents(self) -> None:
        self.documents.set_documents(list_documents(self.db))

    def open_document(self, document_id: int) -> None:
        row = self.documents.row_of(document_id)
        if row is not None and self.document_view.currentIndex().row() != row:
            self.document_view.selectRow(row)  # opens it through the view's signal
        else:
            self.editor.ensure_open(document_id)

    def apply_label(self, label_id: int, *, exact: bool = False) -> None:
        """A hotkey or palette click: label the text selection, or relabel the selected span."""
        exact = exact or self.actions_by_key["exact_mode"].isChecked()
        selection = self.article.selected_range()
        if selection is not None:
            span = self.editor.add_span(*selection, label_id, snap=not exact)
            if span is not None:
                self.article.clear_selection()
                self._select_span(span.id)
            return
        if self.article.selected_span_id:
            self.editor.relabel_span(self.article.selected_span_id, label_id)
            return
        self.statusBar().showMessage("Select some text first, or click a span to relabel it.", 5000)

    def delete_selected_span(self) -> None:
        span_id = self.article.selected_span_id
        if span_id:
            self.editor.delete_spans([span_id])

    def _select_span(self, span_id: int | None) -> None:
        span = self.editor.span(span_id) if span_id else None
        self.article.select_span(span)
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
        spans = self.editor.spans
        if not spans:
            return
        current = self.span_model.row_of(self.article.selected_span_id or 0)
        row = 0 if current is None and step > 0 else (current or 0) + step
        span = spans[row % len(spans)]
        self.article.scroll_to(span.start)
        self._select_span(span.id)

    # Handlers --------------------------------------------------------------------------------
    def _on_document_view_current_changed(
        self, current: QModelIndex, _previous: QModelIndex
    ) -> None:
        if current.isValid():
            self.editor.ensure_open(self.documents.document_id(current.row()))

    def _on_editor_document_opened(self) -> None:
        doc = self.editor.document
        self.article.show_document(doc, self.editor.spans)
        self.span_model.set_spans(self.editor.spans)
        self.setWindowTitle(f"{doc.title} — annotator" if doc else "annotator")
        self.status_document.setText(doc.title if doc else "No document")
        self._update_counts()

    def _on_editor_spans_changed(self, gone: list[Span], present: list[Span]) -> None:
        self.article.set_spans(self.editor.spans, changed=[*gone, *present])
        self.span_model.set_spans(self.editor.spans)
        if self.editor.document is not None:
            for s in gone:
                self.documents.adjust_count(s.document_id, self.editor.label(s.label_id).name, -1)
            for s in present:
                self.documents.adjust_count(s.document_id, self.editor.label(s.label_id).name, 1)
        if len(present) == 1:
            self._select_span(present[0].id)
        elif self.article.selected_span_id and not self.editor.span(self.article.selected_span_id):
            self._select_span(None)
        self._update_counts()

    def _on_editor_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _on_span_view_clicked(self, index: QModelIndex) -> None:
        span = self.span_model.span_at(index.row())
        self.article.scroll_to(span.start)
        self.article.select_span(span)

    def _on_article_span_clicked(self, span_id: int) -> None:
        self._select_span(span_id or None)

    def _on_open_text(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open text file", "", "Text (*.txt);;All files (*)"
        )
        if not path:
            return
        try:
            doc = import_text_file(self.db, path=Path(path))
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Cannot open this file", str(exc))
            return
        self.reload_documents()
        self.open_document(doc.id)

    def _update_counts(self) -> None:
        counts: dict[str, int] = {}
        for s in self.editor.spans:
            name = self.editor.label(s.label_id).name
            counts[name] = counts.get(name, 0) + 1
        parts = [f"{label.name} {counts.get(label.name, 0)}" for label in self.editor.labels]
        total = len(self.editor.spans)
        self.status_counts.setText(f"{total} span{'s' if total != 1 else ''}: " + ", ".join(parts))
