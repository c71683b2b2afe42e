"""Table models over plain snapshots: `data()` never touches the database."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
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


def _order(span: Span) -> tuple[int, int, int]:
    """The span list's order (the text's): by start, the longer first, then by id."""
    return (span.start, -span.end, span.id)


class SpanListModel(RowsModel[Span]):
    """The spans of the open document, in text order; all of them, or only those of one
    origin (made by hand, or accepted from one suggestion engine).

    Built for long documents (10,000 spans): a row's texts are made once, when it is first
    drawn; finding a span's row bisects; an edit inserts or removes only its rows."""

    HEADERS = ("Label", "Quote", "Position", "Origin")

    def __init__(self) -> None:
        super().__init__()
        self._labels: dict[int, Label] = {}
        self._all: list[Span] = []
        self._by_id: dict[int, Span] = {}
        self._texts: dict[int, tuple[str, str, str, str]] = {}
        self._origin: str | None = ANY_ORIGIN

    def set_origin_filter(self, origin: str | None) -> None:
        """`ANY_ORIGIN`, None for spans made by hand, or an engine's name."""
        self._origin = origin
        self._set_rows(self._shown())

    @property
    def origin_filter(self) -> str | None:
        return self._origin

    def _passes(self, span: Span) -> bool:
        return self._origin == ANY_ORIGIN or span.origin == self._origin

    def _shown(self) -> list[Span]:
        if self._origin == ANY_ORIGIN:
            return self._all
        return [s for s in self._all if s.origin == self._origin]

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.id: label for label in labels}
        self._texts.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def set_spans(self, spans: Sequence[Span]) -> None:
        """A new list, shown in text order."""
        self._all = sorted(spans, key=_order)
        self._by_id = {s.id: s for s in self._all}
        self._texts.clear()
        self._set_rows(self._shown())

    def update_spans(
        self, spans: Sequence[Span], *, gone: Sequence[Span], present: Sequence[Span]
    ) -> None:
        """The list after a few spans changed: `gone` as they were before (deleted or
        changed), `present` as they are now (added or changed). Only their rows move.
        `spans` is in text order (as the editor keeps it)."""
        self._all = list(spans)
        for s in gone:
            row = self.row_of(s.id)
            self._by_id.pop(s.id, None)
            self._texts.pop(s.id, None)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        for s in present:
            if (row := self.row_of(s.id)) is not None:  # listed already (the list was re-read)
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
            self._by_id[s.id] = s
            self._texts.pop(s.id, None)
            if self._passes(s):
                row = bisect_left(self._rows, _order(s), key=_order)
                self.beginInsertRows(QModelIndex(), row, row)
                self._rows.insert(row, s)
                self.endInsertRows()

    def span_at(self, row: int) -> Span:
        return self._rows[row]

    def row_of(self, span_id: int) -> int | None:
        span = self._by_id.get(span_id)
        if span is None:
            return None
        row = bisect_left(self._rows, _order(span), key=_order)
        if row < len(self._rows) and self._rows[row].id == span_id:
            return row
        return None

    def samples(self, column: int) -> list[str]:
        """Texts as wide as the widest this column shows, to size it without reading every
        row: the label names, the last position, the origins."""
        if column == 0:
            return [label.name for label in self._labels.values()] or ["?"]
        if column == 2:
            end = max((s.end for s in self._all[-50:]), default=0)
            return [f"{end}–{end}"]
        if column == 3:
            return sorted({s.origin or "" for s in self._all}, key=len)[-1:] or [""]
        return []

    def _texts_of(self, span: Span) -> tuple[str, str, str, str]:
        texts = self._texts.get(span.id)
        if texts is None:
            label = self._labels.get(span.label_id)
            texts = (
                label.name if label else "?",
                _one_line(span.quote, _QUOTE_CHARS),
                f"{span.start}–{span.end}",
                span.origin or "",
            )
            self._texts[span.id] = texts
        return texts

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        span = self._rows[row]
        col = index.column()
        if role == _DISPLAY:
            return self._texts_of(span)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            label = self._labels.get(span.label_id)
            return QColor(label.colour) if label else None
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            if span.origin is None:
                return "Made by hand"
            version = f" (version {span.origin_version})" if span.origin_version else ""
            return f"Accepted from the {span.origin} engine{version}"
        return None
