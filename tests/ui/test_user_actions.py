"""User actions that are one transaction each, read back from the database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from ui_helpers import find, stored_spans

from annotator.domain.library import DocumentStatus
from annotator.ui.main_window import MainWindow


def stored_status(path: Path, document_id: int) -> str:
    """The tester's status of a document as the file holds it ('new' when no row)."""
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT s.status FROM document_status s JOIN annotators a ON a.id = s.annotator_id "
            "WHERE s.document_id = ? AND a.name = 'tester'",
            (document_id,),
        ).fetchone()
    return row[0] if row else "new"


def test_first_span_starts_the_document_and_undo_makes_it_new_again(
    qtbot, window: MainWindow, db_path: Path
):
    doc = window.editor.document
    assert doc is not None and stored_status(db_path, doc.id) == "new"
    start, _ = find(window, "Ines Okafor")
    cursor = window.article.textCursor()
    cursor.setPosition(window.article.text_index.to_utf16(start))
    window.article.setTextCursor(cursor)
    for _ in range(len("Ines")):
        qtbot.keyClick(window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.article, Qt.Key.Key_1)

    assert [r.quote for r in stored_spans(db_path)] == ["Ines"]
    assert stored_status(db_path, doc.id) == "in_progress"
    assert window.documents.row_data(doc.id).status is DocumentStatus.IN_PROGRESS

    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_spans(db_path) == []
    assert stored_status(db_path, doc.id) == "new"
    assert window.documents.row_data(doc.id).status is DocumentStatus.NEW

    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.article, Qt.Key.Key_Z, redo)
    assert [r.quote for r in stored_spans(db_path)] == ["Ines"]
    assert stored_status(db_path, doc.id) == "in_progress"
    assert window.documents.row_data(doc.id).status is DocumentStatus.IN_PROGRESS
