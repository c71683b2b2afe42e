"""The composition root and the `annotator` entry point as a user starts them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from annotator.services.database import default_database_path
from annotator.ui.app import run_gui
from annotator.ui.main_window import MainWindow


@pytest.fixture
def opened_windows(qtbot):
    before = set(QApplication.topLevelWidgets())
    found: list[MainWindow] = []
    yield found
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow) and w not in before:
            w.db.dispose()
            w.close()
            w.deleteLater()


def _new_main_windows(before: set) -> list[MainWindow]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w not in before
    ]


def test_first_start_opens_window_on_default_database_with_demo(qtbot, opened_windows) -> None:
    before = set(QApplication.topLevelWidgets())
    assert run_gui(db_target=str(default_database_path()), exec_=False) == 0
    windows = _new_main_windows(before)
    assert len(windows) == 1 and windows[0].isVisible()
    assert default_database_path().is_file()
    assert windows[0].documents.rowCount() == 1
    assert windows[0].status_annotator.text() == "Annotator: tester"


def test_unusable_database_is_reported_not_raised(qtbot, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert run_gui(db_target=str(folder), exec_=False) == 2
    err = capsys.readouterr().err
    assert err.startswith("annotator: error: ") and str(folder) in err
    assert "Traceback" not in err
