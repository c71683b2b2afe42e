"""Table models over plain snapshots: `data()` never touches the database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.domain.model import Label, Span

_Index = QModelIndex | QPersistentModelIndex
_Row = TypeVar("_Row")
_DISPLAY = Qt.ItemDataRole.DisplayRole
_QUOTE_CHARS = 120


def _one_line(text: str, limit: int) -> str:
    # A quote can span paragraphs; a table cell shows it on one line.
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class RowsModel(QAbstractTableModel, Generic[_Row]):
    """A table over a list of frozen rows, with fixed column headers."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[_Row] = []

    def _set_rows(self, rows: Sequence[_Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def _row(self, index: _Index) -> _Row | None:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        return self._rows[index.row()]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.HEADERS[section]
        return None


ANY_ORIGIN = "*"
"""The span list's origin filter that lets every span through."""


class SpanListModel(RowsModel[Span]):
    """The spans of the open document, in text order; all of them, or only those of one
    origin (made by hand, or accepted from one suggestion engine)."""

    HEADERS = ("Label", "Quote", "Position", "Origin")

    def __init__(self) -> None:
        super().__init__()
        self._labels: dict[int, Label] = {}
        self._all: list[Span] = []
        self._origin: str | None = ANY_ORIGIN

    def set_origin_filter(self, origin: str | None) -> None:
        """`ANY_ORIGIN`, None for spans made by hand, or an engine's name."""
        self._origin = origin
        self._set_rows(self._shown())

    @property
    def origin_filter(self) -> str | None:
        return self._origin

    def _shown(self) -> list[Span]:
        if self._origin == ANY_ORIGIN:
            return self._all
        return [s for s in self._all if s.origin == self._origin]

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.id: label for label in labels}
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def set_spans(self, spans: Sequence[Span]) -> None:
        self._all = list(spans)
        self._set_rows(self._shown())

    def span_at(self, row: int) -> Span:
        return self._rows[row]

    def row_of(self, span_id: int) -> int | None:
        for i, s in enumerate(self._rows):
            if s.id == span_id:
                return i
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        span = self._row(index)
        if span is None:
            return None
        label = self._labels.get(span.label_id)
        col = index.column()
        if role == _DISPLAY:
            if col == 0:
                return label.name if label else "?"
            if col == 1:
                return _one_line(span.quote, _QUOTE_CHARS)
            if col == 2:
                return f"{span.start}–{span.end}"
            return span.origin or ""
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and label:
            return QColor(label.colour)
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            if span.origin is None:
                return "Made by hand"
            version = f" (version {span.origin_version})" if span.origin_version else ""
            return f"Accepted from the {span.origin} engine{version}"
        return None
