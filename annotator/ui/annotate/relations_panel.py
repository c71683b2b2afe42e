"""The Links dock: the open document's relations as a table (type, from, to).

Clicking a row selects and shows the span the link starts from; Delete removes the selected
links (one undo step). Rows of the span selected in the article are drawn bold, or with
"Only links of the selected span" they are the only rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Label, Relation, RelationType, Span
from annotator.ui.annotate.editing import DocumentEditor
from annotator.ui.common.item_models import RowsModel
from annotator.ui.common.tables import setup_row_table
from annotator.ui.common.text import plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.common.window import Window

_Index = QModelIndex
_QUOTE_CHARS = 70
_DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class LinkRow:
    """One relation as the table shows it: plain strings, computed once per change."""

    relation_id: int
    source_id: int
    target_id: int
    type_name: str
    colour: str
    source_label: str
    source_quote: str
    target_label: str
    target_quote: str
    start: int  # where the source span starts, for ordering

    def touches(self, span_id: int) -> bool:
        return span_id in (self.source_id, self.target_id)


def link_rows(
    relations: Sequence[Relation],
    spans: Mapping[int, Span],
    labels: Mapping[int, Label],
    types: Mapping[int, RelationType],
) -> list[LinkRow]:
    """The rows for a document's relations, in text order of their source span."""
    rows = []
    for r in relations:
        source, target = spans.get(r.source_id), spans.get(r.target_id)
        if source is None or target is None:
            continue
        relation_type = types.get(r.type_id)
        source_label, target_label = labels.get(source.label_id), labels.get(target.label_id)
        rows.append(
            LinkRow(
                relation_id=r.id,
                source_id=source.id,
                target_id=target.id,
                type_name=relation_type.name if relation_type else "?",
                colour=relation_type.colour if relation_type else "#888888",
                source_label=source_label.name if source_label else "?",
                source_quote=source.quote,
                target_label=target_label.name if target_label else "?",
                target_quote=target.quote,
                start=source.start,
            )
        )
    rows.sort(key=lambda row: (row.start, row.type_name, row.relation_id))
    return rows


class RelationListModel(RowsModel[LinkRow]):
    """The links of the open document; rows touching the emphasised span are bold."""

    HEADERS = ("Type", "From", "To")

    def __init__(self) -> None:
        super().__init__()
        self._emphasis: int | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[LinkRow]) -> None:
        self._set_rows(rows)

    def set_emphasis(self, span_id: int | None) -> None:
        if span_id == self._emphasis:
            return
        self._emphasis = span_id
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(self.HEADERS) - 1),
                [Qt.ItemDataRole.FontRole],
            )

    def row_at(self, row: int) -> LinkRow:
        return self._rows[row]

    def row_of(self, relation_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.relation_id == relation_id), None)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # type: ignore[override]
        row = self._row(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.type_name
            if column == 1:
                return f"{row.source_label} “{_one_line(row.source_quote, _QUOTE_CHARS)}”"
            return f"{row.target_label} “{_one_line(row.target_quote, _QUOTE_CHARS)}”"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(row.colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(
                f"{row.type_name}\n{row.source_label}: {row.source_quote}\n"
                f"→ {row.target_label}: {row.target_quote}"
            )
        if role == Qt.ItemDataRole.FontRole and self._emphasis is not None:
            return self._bold if row.touches(self._emphasis) else None
        if role == Qt.ItemDataRole.UserRole:
            return row.relation_id
        return None


class _LinksTable(QTableView):
    """The table takes Delete/Backspace for itself (the window uses them to delete spans)."""

    sig_delete = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in _DELETE_KEYS
            and self.selectionModel().hasSelection()
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _DELETE_KEYS and self.selectionModel().hasSelection():
            self.sig_delete.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class RelationsPanel(QWidget):
    """Lists the open document's links; follows the editor, never reads the database itself."""

    sig_span_chosen = Signal(int)
    """A row was clicked: the id of the span its link starts from."""

    def __init__(self, editor: DocumentEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relationsPanel")
        self.editor = editor
        self._selected: int | None = None
        self._all: list[LinkRow] = []
        self.model = RelationListModel()
        self.only_selected = QCheckBox("Only links of the selected span")
        self.only_selected.setObjectName("onlySelectedLinks")
        self.remove = QPushButton("Remove")
        self.remove.setToolTip(
            plain_tooltip("Remove the selected links (Delete; Ctrl+Z undoes it)")
        )
        self.remove.setEnabled(False)
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.view = _LinksTable(self)
        self.view.setObjectName("relationsView")
        self.view.setModel(self.model)
        setup_row_table(self.view, mode=QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.only_selected, 1)
        top.addWidget(self.count)
        top.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

        self.only_selected.toggled.connect(lambda _on: self._show_rows())
        self.remove.clicked.connect(self.delete_selected)
        self.view.sig_delete.connect(self.delete_selected)
        self.view.clicked.connect(self._on_clicked)
        self.view.activated.connect(self._on_clicked)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        editor.sig_relations_changed.connect(self.refresh)
        editor.sig_spans_changed.connect(lambda _gone, _present: self.refresh())
        editor.sig_document_opened.connect(self.refresh)
        editor.sig_schema_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the rows from the editor's relations and spans (no database call)."""
        editor = self.editor
        labels = {label.id: label for label in editor.schema.labels}
        labels.update({label.id: label for label in editor.labels})
        # Only the spans the relations join are looked up (the editor keeps them by id), not
        # a long document's every span at each edit.
        ends = {i for r in editor.relations for i in (r.source_id, r.target_id)}
        spans = {i: s for i in ends if (s := editor.span(i)) is not None}
        self._all = link_rows(
            editor.relations,
            spans,
            labels,
            {t.id: t for t in editor.schema.relation_types},
        )
        self._show_rows()

    def set_selected_span(self, span_id: int) -> None:
        """The article's selected span (0: none): its rows are bold, or the only ones."""
        self._selected = span_id or None
        self.model.set_emphasis(self._selected)
        if self.only_selected.isChecked():
            self._show_rows()

    def selected_relation_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.row_at(r).relation_id for r in rows]

    def delete_selected(self) -> None:
        ids = self.selected_relation_ids()
        if ids:
            self.editor.delete_relations(ids)

    def _show_rows(self) -> None:
        keep = set(self.selected_relation_ids()) if self.model.rowCount() else set()
        rows = self._all
        if self.only_selected.isChecked():
            rows = [r for r in rows if self._selected is not None and r.touches(self._selected)]
        self.model.set_rows(rows)
        self.model.set_emphasis(self._selected)
        selection = self.view.selectionModel()
        for relation_id in keep:
            row = self.model.row_of(relation_id)
            if row is not None:
                selection.select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        total = len(self._all)
        shown = len(rows)
        self.count.setText(
            f"{total} link{'s' if total != 1 else ''}"
            if shown == total
            else f"{shown} of {total} links"
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove.setEnabled(self.view.selectionModel().hasSelection())

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.sig_span_chosen.emit(self.model.row_at(index.row()).source_id)


def install_panel(window: Window) -> RelationsPanel:
    """The Links dock on the right, tabbed with the Annotations dock when there is one."""
    panel = RelationsPanel(window.editor, window.widget())
    window.add_dock(
        "links", "Links", panel, Qt.DockWidgetArea.RightDockWidgetArea, tab_with="annotations"
    )
    window.article.sig_span_selected.connect(panel.set_selected_span)

    def show_span(span_id: int) -> None:
        span = window.editor.span(span_id)
        if span is None:
            return
        window.article.scroll_to(span.start)
        window.select_span(span_id)

    panel.sig_span_chosen.connect(show_span)
    return panel
