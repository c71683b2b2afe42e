"""The "To do" dock: what is missing (claims without SOURCE, dates without value, actors without
identity) in the open document or the whole corpus; a click goes to the span."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.services import Database
from annotator.services.completeness import Missing, MissingKind, count_missing, list_missing
from annotator.ui.annotate.editing import DocumentEditor
from annotator.ui.common.tables import setup_row_table
from annotator.ui.common.text import plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.common.window import Window

LIMIT = 1000
DEBOUNCE_MS = 400
_QUOTE_MAX = 120

ModelIndex = QModelIndex | QPersistentModelIndex


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class MissingModel(QAbstractTableModel):
    """Rows of Missing, held as plain data: what is missing, the text, the document."""

    HEADERS = ("Missing", "Text", "Document")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Missing] = []

    def set_rows(self, rows: list[Missing]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def item(self, row: int) -> Missing:
        return self._rows[row]

    def row_of(self, span_id: int) -> int | None:
        return next((i for i, m in enumerate(self._rows) if m.span_id == span_id), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        m = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return m.problem
            if column == 1:
                return _one_line(m.quote, _QUOTE_MAX)
            return _one_line(m.document_title, 80)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return plain_tooltip(m.quote)
            if column == 2:
                return plain_tooltip(m.document_title)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class CompletenessPanel(QWidget):
    """The list, its scope switch and the counts; `refresh()` reads the database again."""

    sig_go_to = Signal(object)
    """The user picked a row (a Missing): show that span."""

    THIS_DOCUMENT, ALL_DOCUMENTS = 0, 1

    def __init__(self, db: Database, editor: DocumentEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("completeness")
        self._db = db
        self._editor = editor
        self._stale = True
        self.shown = True
        """Whether the dock can be seen: the list is re-read only then."""

        self.scope = QComboBox()
        self.scope.addItems(["This document", "All documents"])
        self.scope.setToolTip("List what is missing in the open document or in every document")
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.model = MissingModel(self)
        self.view = setup_row_table(QTableView())
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        scope_label = QLabel("Show:")
        scope_label.setTextFormat(Qt.TextFormat.PlainText)
        scope_label.setBuddy(self.scope)
        top.addWidget(scope_label)
        top.addWidget(self.scope, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)
        self.scope.currentIndexChanged.connect(self._on_scope_changed)
        self.view.clicked.connect(self._on_row_chosen)
        self.view.activated.connect(self._on_row_chosen)
        editor.sig_corpus_changed.connect(self.schedule)
        editor.sig_schema_changed.connect(self.schedule)
        editor.sig_document_opened.connect(self._on_document_opened)
        editor.sig_annotator_switched.connect(self.schedule)
        self._update_columns()

    @property
    def corpus_wide(self) -> bool:
        return self.scope.currentIndex() == self.ALL_DOCUMENTS

    def schedule(self) -> None:
        """Something changed: re-read soon (once for a burst of edits); a list that cannot be
        seen waits until it is shown (re-reading a long article's list takes the window's
        time, a pause after each burst of edits, for nothing anyone sees)."""
        self._stale = True
        if not self.shown:
            return
        self.timer.start()

    def set_shown(self, shown: bool) -> None:
        self.shown = shown
        if not shown and self.timer.isActive():
            self.timer.stop()  # re-read when shown again
        elif shown and self._stale:
            self.timer.start()

    def refresh(self) -> None:
        self.timer.stop()
        self._stale = False
        document = self._editor.document
        if not self.corpus_wide and document is None:
            self.model.set_rows([])
            self.header.setText("No document is open.")
            return
        document_id = None if self.corpus_wide else document.id if document else None
        selected = self._selected_span_id()
        try:
            me = self._editor.annotator.id
            rows = list_missing(self._db, document_id=document_id, limit=LIMIT, annotator_id=me)
            counts = count_missing(self._db, document_id=document_id, annotator_id=me)
        except AnnotatorError as exc:
            self.header.setText(f"Cannot list what is missing: {exc}")
            return
        self.model.set_rows(rows)
        self.header.setText(self._summary(counts))
        row = self.model.row_of(selected) if selected is not None else None
        if row is not None:
            self.view.selectRow(row)

    def _summary(self, counts: dict[MissingKind, int]) -> str:
        total = sum(counts.values())
        where = "in any document" if self.corpus_wide else "in this document"
        if not total:
            return f"Nothing missing {where}."
        parts = [f"{n} {kind.plural if n != 1 else kind.problem}" for kind, n in counts.items()]
        text = f"{total} to do: " + ", ".join(parts) + "."
        if total > self.model.rowCount():
            text += f" The first {self.model.rowCount()} are listed."
        return text

    def _selected_span_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.item(index.row()).span_id

    def _update_columns(self) -> None:
        self.view.setColumnHidden(2, not self.corpus_wide)

    def _on_scope_changed(self) -> None:
        self._update_columns()
        self.refresh()

    def _on_document_opened(self) -> None:
        if not self.corpus_wide:
            self.schedule()

    def _on_row_chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_go_to.emit(self.model.item(index.row()))


def go_to(window: Window, missing: Missing) -> None:
    """Open the span's document, scroll to the span and select it."""
    window.open_document(missing.document_id)
    document = window.editor.document
    if document is None or document.id != missing.document_id:
        window.warn(f"Cannot open “{missing.document_title}”.")
        return
    window.article.scroll_to(missing.start)
    if window.editor.span(missing.span_id) is None:
        window.select_span(None)
        window.tell("That span is gone; the list is being updated.", 5000)
        return
    window.select_span(missing.span_id)


def install(window: Window) -> None:
    """The "To do" dock, tabbed with the document list."""
    panel = CompletenessPanel(window.db, window.editor, window.widget())
    dock = window.add_dock(
        "completeness", "To do", panel, Qt.DockWidgetArea.LeftDockWidgetArea, tab_with="documents"
    )
    panel.set_shown(False)
    dock.visibilityChanged.connect(panel.set_shown)
    panel.sig_go_to.connect(lambda missing: go_to(window, missing))
    panel.refresh()


__all__ = ["CompletenessPanel", "MissingModel", "go_to", "install"]
