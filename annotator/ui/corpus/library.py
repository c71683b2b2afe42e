"""The document library: a lazily fetched, sortable, filterable list of the corpus.

Rows arrive a page at a time through Qt's fetchMore, which the view calls as the user scrolls;
`data()` only reads the rows already fetched. With 100,000 documents the first page is all that
is read at start.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.library import DocumentStatus, LibraryFilter, LibraryRow, LibrarySort
from annotator.domain.model import Label
from annotator.services import Database
from annotator.services.assignments import assigned_count
from annotator.services.library import (
    count_documents,
    list_sources,
    list_tags,
    page_documents,
    progress,
)
from annotator.services.revisions import open_review_counts
from annotator.ui.common.item_models import RowsModel
from annotator.ui.common.keys import opens_on_enter
from annotator.ui.common.labels import refresh_label_choices

PAGE = 200
STATUS_TEXT = {
    DocumentStatus.NEW: "new",
    DocumentStatus.IN_PROGRESS: "in progress",
    DocumentStatus.DONE: "done",
}
_Index = QModelIndex | QPersistentModelIndex


def spans_text(doc: LibraryRow) -> int | str:
    """The Spans column: the annotator's own count (a number, as it always was when one
    person annotates), and everyone's after it when others have spans too ("3 / 12"); the
    list sorts by everyone's."""
    if doc.my_span_count == doc.span_count:
        return doc.span_count
    return f"{doc.my_span_count} / {doc.span_count}"


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)


class LibraryModel(RowsModel[LibraryRow]):
    """Documents for one annotator, fetched a page at a time in the chosen order."""

    HEADERS = ("Title", "Outlet", "Published", "Status", "Spans", "Assigned to")
    SORTS = (
        LibrarySort.TITLE,
        LibrarySort.SOURCE,
        LibrarySort.PUBLISHED,
        LibrarySort.STATUS,
        LibrarySort.SPANS,
    )

    def __init__(self, db: Database, annotator_id: int) -> None:
        super().__init__()
        self._db = db
        self._annotator_id = annotator_id
        self._sort = LibrarySort.CREATED
        self._descending = False
        self.filters = LibraryFilter()
        self.total = 0
        self.to_review: dict[int, int] = {}
        """Open review entries per fetched document (a new version moved their spans)."""
        self._loaded = False  # the view sets a sort order while it is built: no query yet
        self._row_index: dict[int, int] = {}
        """Each fetched document's row: an edit updates the open document's row at once."""

    # Loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the count and the first page (after import, delete, a filter or sort)."""
        self.total = count_documents(
            self._db, annotator_id=self._annotator_id, filters=self.filters
        )
        first = self._page(0)
        self._set_rows(first)
        self._row_index = {r.id: i for i, r in enumerate(self._rows)}
        self._loaded = True

    def _page(self, offset: int) -> list[LibraryRow]:
        rows = page_documents(
            self._db,
            annotator_id=self._annotator_id,
            sort=self._sort,
            descending=self._descending,
            filters=self.filters,
            offset=offset,
            limit=PAGE,
        )
        if offset == 0:
            self.to_review = {}
        self.to_review.update(open_review_counts(self._db, document_ids=[r.id for r in rows]))
        return rows

    def refresh_review_count(self, document_id: int) -> None:
        """Read the document's open review entries again (after a decision)."""
        row = self.row_of(document_id)
        if row is None:
            return
        count = open_review_counts(self._db, document_ids=[document_id]).get(document_id, 0)
        if count != self.to_review.get(document_id, 0):
            self.to_review[document_id] = count
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._page(len(self._rows))
        if not more:
            self.total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._row_index.update((r.id, i) for i, r in enumerate(more, start=len(self._rows)))
        self._rows.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = self.SORTS[column] if 0 <= column < len(self.SORTS) else LibrarySort.CREATED
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded:
            self.reload()

    def set_annotator(self, annotator_id: int) -> None:
        """Show statuses as this annotator has them (after a switch); re-read by the panel."""
        self._annotator_id = annotator_id

    def set_filters(self, filters: LibraryFilter) -> None:
        self.filters = filters
        self.reload()

    # Rows ----------------------------------------------------------------------------------
    def document_id(self, row: int) -> int:
        return self._rows[row].id

    def row_at(self, row: int) -> LibraryRow:
        return self._rows[row]

    def row_of(self, document_id: int) -> int | None:
        return self._row_index.get(document_id)

    def fetch_until(self, document_id: int) -> int | None:
        """The row of a document, fetching further pages until it is found or all are read."""
        while (row := self.row_of(document_id)) is None and self.canFetchMore():
            self.fetchMore()
        return row

    def update_row(self, document_id: int, **changes: Any) -> None:
        """Change a fetched row in place (span count, status, metadata) without a query."""
        row = self.row_of(document_id)
        if row is None:
            return
        self._rows[row] = replace(self._rows[row], **changes)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def row_data(self, document_id: int) -> LibraryRow | None:
        row = self.row_of(document_id)
        return self._rows[row] if row is not None else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks for a dozen roles of every cell of the two columns it sizes to their
        # contents, for each of the 200 rows of a page, at every layout: the roles answered
        # here are told apart before anything else is looked at.
        if role not in _ROLES:
            return None
        doc = self._row(index)
        if doc is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return " ".join(doc.title.split())[:200]
            if col == 1:
                return doc.source or ""
            if col == 2:
                return doc.published or ""
            if col == 3:
                return STATUS_TEXT[doc.status]
            if col == 4:
                review = self.to_review.get(doc.id)
                return f"{spans_text(doc)} · {review} to review" if review else spans_text(doc)
            return ", ".join(doc.assignees)
        if role == Qt.ItemDataRole.ToolTipRole and col == 4 and doc.span_count:
            return f"Yours: {doc.my_span_count}; all annotators: {doc.span_count}" + (
                f"; {self.to_review[doc.id]} to review after a new version"
                if self.to_review.get(doc.id)
                else ""
            )
        if role == Qt.ItemDataRole.ToolTipRole and self.to_review.get(doc.id):
            return (
                f"A new version of this article left {self.to_review[doc.id]} spans to review "
                "(Document > Review changed article)"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class LibraryPanel(QWidget):
    """The documents dock: filters, the lazy list and the progress line.

    A document opens when the user selects its row (a click, arrow keys) or presses Enter on
    it, never because the list took the focus: tabbing into the list makes its first row
    current without selecting it, and that opens nothing. The open document's row stays
    selected, also after the list is filtered and the filter cleared.
    """

    sig_document_chosen = Signal(int)
    """The user picked a document (its id)."""

    def __init__(
        self, db: Database, annotator_id: int, labels: list[Label], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._annotator_id = annotator_id
        self.model = LibraryModel(db, annotator_id)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Filter by words in the text…")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox(self)
        self.status.addItem("Any status", None)
        for status, text in STATUS_TEXT.items():
            self.status.addItem(text, status)
        self.source = QComboBox(self)
        self.tag = QComboBox(self)
        self.label = QComboBox(self)
        self.label.addItem("Any label", None)
        for label in labels:
            self.label.addItem(f"has {label.name}", label.id)
        self.mine = QCheckBox("Assigned to me", self)
        self.mine.setObjectName("assignedToMe")
        self.mine.setToolTip("Show only the documents assigned to you")
        self.mine.setVisible(False)

        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 80), (2, 78), (3, 70)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.progress_line = QLabel(self)
        self.progress_line.setTextFormat(Qt.TextFormat.PlainText)

        filters = QHBoxLayout()
        for combo in (self.status, self.source, self.tag, self.label):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            filters.addWidget(combo)
        filters.addWidget(self.mine)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.progress_line)

        # Typing re-filters after a pause, not on every key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        for combo in (self.status, self.source, self.tag, self.label):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.mine.toggled.connect(self.apply_filters)
        opens_on_enter(self.view)
        selection = self.view.selectionModel()
        selection.currentRowChanged.connect(self._open_current_if_selected)
        selection.selectionChanged.connect(self._open_current_if_selected)
        self.view.activated.connect(self._on_view_activated)
        self.error_message = ""
        self._open_id: int | None = None

    def add_context_action(self, action: QAction) -> None:
        """An action of the list's right-click menu (it works on the selected documents)."""
        self.view.addAction(action)

    def set_annotator(self, annotator_id: int) -> None:
        """Show the library as this annotator sees it: their statuses, progress and, when
        documents are assigned to them, only those (the check box clears that)."""
        self._annotator_id = annotator_id
        self.model.set_annotator(annotator_id)
        self._mine_checked = False
        self.reload()

    _mine_checked = False
    """Whether the "assigned to me" filter was set up for the current annotator yet."""

    def _update_mine(self) -> None:
        # Shown once anything is assigned to the annotator, and on by default the first time.
        has = assigned_count(self._db, annotator_id=self._annotator_id) > 0
        self.mine.blockSignals(True)
        self.mine.setVisible(has)
        if not has:
            self.mine.setChecked(False)
        elif not self._mine_checked:
            self.mine.setChecked(True)
            self._mine_checked = True
        self.mine.blockSignals(False)

    def set_labels(self, labels: list[Label]) -> None:
        """The schema changed: the label filter lists its labels."""
        refresh_label_choices(self.label, labels, "Any label", "has {}")

    def reload(self) -> None:
        """Re-read facets, rows and progress, keeping the chosen filters."""
        for combo, facets, everything in (
            (self.source, list_sources(self._db), "Any outlet"),
            (self.tag, list_tags(self._db), "Any tag"),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for facet in facets:
                combo.addItem(f"{facet.value} ({facet.count})", facet.value)
            at = combo.findData(chosen)
            combo.setCurrentIndex(max(at, 0))
            combo.blockSignals(False)
        self._update_mine()
        self.apply_filters()

    def apply_filters(self) -> None:
        filters = LibraryFilter(
            status=self.status.currentData(),
            source=self.source.currentData(),
            tag=self.tag.currentData(),
            label_id=self.label.currentData(),
            text=self.search.text().strip() or None,
            assigned_to=self._annotator_id if self.mine.isChecked() else None,
        )
        try:
            self.model.set_filters(filters)
            self.error_message = ""
        except AnnotatorError as exc:
            # A search the user is still typing (an open quote): say so, keep the old rows.
            self.error_message = str(exc)
        self.update_progress()
        self._select_open(fetch=self.model.filters == LibraryFilter())

    def update_progress(self) -> None:
        done, total = progress(self._db, annotator_id=self._annotator_id)
        shown = f"{self.model.total} shown · " if self.model.filters != LibraryFilter() else ""
        line = f"{shown}{done} of {total} done"
        self.progress_line.setText(f"{line} · {self.error_message}" if self.error_message else line)

    def select_document(self, document_id: int) -> bool:
        row = self.model.fetch_until(document_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def select_row(self, row: int) -> None:
        """Select this row alone (which opens its document) and show it.

        Not QTableView.selectRow: with extended selection that reads the modifier keys held at
        the time, and with Ctrl held (Ctrl+D, Ctrl+PgDown) it toggles the row instead.
        """
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)

    def show_open(self, document_id: int | None) -> None:
        """The editor opened this document: select its row (when the list shows it)."""
        self._open_id = document_id
        self._select_open(fetch=True)

    def neighbour(self, step: int) -> int | None:
        """The document `step` rows after (before, when negative) the open one, in the list's
        order; None past either end. With the open document not in the list, the first."""
        row = self.model.row_of(self._open_id) if self._open_id is not None else None
        if row is None:
            return self.model.document_id(0) if self.model.rowCount() else None
        target = row + step
        while target >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        if not 0 <= target < self.model.rowCount():
            return None
        return self.model.document_id(target)

    def next_unfinished(self) -> int | None:
        """The first document after the open one in the list's order whose status is not
        done, going round to the top; None when every other one in the list is done."""
        model = self.model
        open_row = model.row_of(self._open_id) if self._open_id is not None else None
        row = 0 if open_row is None else open_row + 1
        while row < model.rowCount() or model.canFetchMore():
            if row >= model.rowCount():
                model.fetchMore()
                continue
            if model.row_at(row).status is not DocumentStatus.DONE:
                return model.document_id(row)
            row += 1
        for row in range(open_row or 0):  # round to the top
            if model.row_at(row).status is not DocumentStatus.DONE:
                return model.document_id(row)
        return None

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.document_id(r) for r in rows]

    def _select_open(self, *, fetch: bool) -> None:
        # Unfiltered, the open document is in the list: read on until its row. Filtered, only
        # the rows read already are looked at (a filter may leave it out, and reading every
        # page to find that out would cost a query per page at each keystroke).
        if self._open_id is None:
            return
        row = self.model.fetch_until(self._open_id) if fetch else self.model.row_of(self._open_id)
        if row is None or self.view.selectionModel().isRowSelected(row, QModelIndex()):
            return  # not shown, or selected already (perhaps with others the user picked)
        self.select_row(row)

    def _open_current_if_selected(self, *_args: object) -> None:
        current = self.view.currentIndex()
        if current.isValid() and self.view.selectionModel().isRowSelected(
            current.row(), QModelIndex()
        ):
            self.sig_document_chosen.emit(self.model.document_id(current.row()))

    def _on_view_activated(self, index: QModelIndex) -> None:
        # Enter on the current row (made current by Tab, not selected): open it.
        if index.isValid() and not self.view.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            self.select_row(index.row())
