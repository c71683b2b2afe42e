"""The look of the app's read-only row tables (span list, links, to do, actor page)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView

_Mode = QAbstractItemView.SelectionMode


def setup_row_table(view: QTableView, *, mode: _Mode = _Mode.SingleSelection) -> QTableView:
    """Whole rows selected, nothing edited in place, no row numbers, one line a row."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(mode)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setHighlightSections(False)
    return view
