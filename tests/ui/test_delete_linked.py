"""Deleting a span that others link to says what will be unlinked; undo restores all of it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_helpers import find

from annotator.domain.schema import SOURCE
from annotator.ui.main_window import MainWindow


def stored_links(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT t.name, s.quote, o.quote FROM relations r "
            "JOIN relation_types t ON t.id = r.type_id "
            "JOIN spans s ON s.id = r.source_id JOIN spans o ON o.id = r.target_id "
            "ORDER BY r.id"
        ).fetchall()


def add(qtbot, win: MainWindow, needle: str, key: Qt.Key) -> int:
    win.article.select_range(*find(win, needle))
    qtbot.keyClick(win.article, key)
    span_id = win.article.selected_span_id
    assert span_id
    return span_id


def answer_next_box(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, answer)


def back_in_window(qtbot, win: MainWindow) -> None:
    """After a message box closes, the user is back in the window (offscreen needs a nudge)."""
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.article.setFocus()


def test_delete_warns_about_links_and_undo_restores_them(qtbot, window: MainWindow, db_path):
    claim_text = window.article.text.split(".")[0]
    actor_text = claim_text.split()[0]
    actor = add(qtbot, window, actor_text, Qt.Key.Key_1)
    claim = add(qtbot, window, claim_text, Qt.Key.Key_3)
    source = window.editor.schema.relation_type_named(SOURCE)
    window.editor.add_relation(source.id, claim, actor)
    links = stored_links(db_path)
    assert len(links) == 1

    window.select_span(actor)
    seen: list[str] = []
    answer_next_box(QMessageBox.StandardButton.Cancel, seen)
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert "also removes 1 link" in seen[0]
    assert f"SOURCE ← CLAIM “{claim_text[:20]}" in seen[0]
    assert stored_links(db_path) == links  # cancelled: nothing deleted

    back_in_window(qtbot, window)
    answer_next_box(QMessageBox.StandardButton.Yes, seen)
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert stored_links(db_path) == []
    assert window.editor.relations == []

    back_in_window(qtbot, window)
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_links(db_path) == links
    assert [(r.source_id, r.target_id) for r in window.editor.relations] == [(claim, actor)]


def test_deleting_an_unlinked_span_asks_nothing(qtbot, window: MainWindow, db_path):
    word = window.article.text.split()[0]
    add(qtbot, window, word, Qt.Key.Key_1)
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)  # a box would block here
    assert window.editor.spans == []
