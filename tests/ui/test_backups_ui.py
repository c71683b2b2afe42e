"""Backups from the window: made when it opens and while spans change; File > Restore from
backup… puts an earlier state back and the window shows it."""

from __future__ import annotations

from pathlib import Path

from demo_helpers import add_plain_demo
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QListWidget
from ui_helpers import find, stored_spans

from annotator.services.backups import backup_if_changed, list_backups
from annotator.ui.app import run_gui
from annotator.ui.corpus.backups import BackupDialog, Backups
from annotator.ui.main_window import MainWindow


def test_backups_on_open_and_after_changes_and_restore_from_the_menu(
    qtbot, window: MainWindow, db_path: Path
) -> None:
    at_open = list_backups(db_path)
    assert len(at_open) == 1  # the database was new: backed up when the window opened it

    window.article.select_range(*find(window, "Ines Okafor"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    assert [r.quote for r in stored_spans(db_path)] == ["Ines Okafor"]
    backups = window.findChild(Backups)
    assert backups is not None
    backups.timer.timeout.emit()  # the timer's tick, minutes later
    assert len(list_backups(db_path)) == 2
    backups.timer.timeout.emit()  # nothing changed since
    assert len(list_backups(db_path)) == 2

    shown: list[str] = []

    def choose_the_older() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, BackupDialog)
        listing = dialog.findChild(QListWidget)
        assert listing is not None
        shown.extend(listing.item(i).text() for i in range(listing.count()))
        qtbot.keyClick(listing, Qt.Key.Key_Down)
        qtbot.keyClick(listing, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose_the_older)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.article, Qt.Key.Key_B, ctrl_shift)

    assert len(shown) == 2
    assert stored_spans(db_path) == []  # the state at open is back
    assert window.editor.spans == [] and window.documents.rowCount() == 1
    assert "Restored the backup" in window.statusBar().currentMessage()
    # The state replaced is kept: three backups now, the newest holding the span.
    assert len(list_backups(db_path)) == 3


def test_a_damaged_database_at_start_names_its_newest_backup(db_path: Path, capsys) -> None:
    add_plain_demo(db_path)
    newest = backup_if_changed(db_path)
    assert newest is not None
    db_path.write_bytes(b"nothing SQLite could read" * 200)
    assert run_gui(db_target=str(db_path), exec_=False) == 2
    err = capsys.readouterr().err
    assert str(newest.path) in err and "annotator backup restore latest" in err
