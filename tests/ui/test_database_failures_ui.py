"""A database failure while labelling in the window: a notice naming the file, no traceback.

Every failure the user can act on is the same kind of error (`DatabaseError`); a lock held by
another program is the one a window meets most."""

from __future__ import annotations

from pathlib import Path

import pytest
from db_faults import short_busy_timeout, write_lock_held
from PySide6.QtCore import Qt
from ui_helpers import find, stored_spans

from annotator.ui.main_window import MainWindow


def label_tomas(qtbot, window: MainWindow) -> None:
    window.article.select_range(*find(window, "Tomas Reyes"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)


def test_labelling_while_another_program_holds_the_lock_says_so_then_works(
    qtbot, window: MainWindow, db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    short_busy_timeout(monkeypatch)
    window.db.engine.pool.dispose()  # connections from now on wait only briefly
    with write_lock_held(db_path):
        label_tomas(qtbot, window)
        assert f"the database file {db_path} is busy" in window.notice.text()
        assert window.article.hasFocus()
    assert stored_spans(db_path) == []
    label_tomas(qtbot, window)
    assert [span.quote for span in stored_spans(db_path)] == ["Tomas Reyes"]
