"""Backups from the window: made when it opens and while spans change; File > Restore from
backup… puts an earlier state back and the window shows it."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from demo_helpers import add_plain_demo
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QListWidget
from ui_helpers import find, stored_spans

import annotator.services.backups as backup_service
import annotator.ui.corpus.backups as backup_ui
from annotator.services.backups import Backup, backup_folder, backup_if_changed, list_backups
from annotator.ui.app import application, create_main_window, run_gui
from annotator.ui.corpus.backups import BackupDialog, Backups
from annotator.ui.main_window import MainWindow


def test_backups_on_open_and_after_changes_and_restore_from_the_menu(
    qtbot, window: MainWindow, db_path: Path
) -> None:
    backups = window.findChild(Backups)
    assert backups is not None
    qtbot.waitUntil(lambda: not backups.busy())
    at_open = list_backups(db_path)
    assert len(at_open) == 1  # the database was new: backed up when the window opened it

    window.article.select_range(*find(window, "Ines Okafor"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    assert [r.quote for r in stored_spans(db_path)] == ["Ines Okafor"]
    with qtbot.waitSignal(backups.sig_finished):
        backups.timer.timeout.emit()  # the timer's tick, minutes later
    assert len(list_backups(db_path)) == 2
    with qtbot.waitSignal(backups.sig_finished):
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


class HeldBackup:
    """Stands in for `backup_if_changed` in the window: the real backup, one page a step, held
    after its first step (its snapshot open) until the test lets it go; it notes its thread."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.holding = threading.Event()
        self.release = threading.Event()

    def __call__(
        self, db: object, now: object = None, *, cancelled: Callable[[], bool]
    ) -> Backup | None:
        self.threads.append(threading.current_thread())

        def hold() -> bool:
            self.holding.set()
            self.release.wait(10)
            return cancelled()

        return backup_if_changed(db, cancelled=hold)  # type: ignore[arg-type]


def test_the_backup_copies_in_the_background_while_the_user_edits(
    qtbot, window: MainWindow, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups = window.findChild(Backups)
    assert backups is not None
    qtbot.waitUntil(lambda: not backups.busy())
    window.article.select_range(*find(window, "Ines Okafor"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    held = HeldBackup()
    monkeypatch.setattr(backup_ui, "backup_if_changed", held)
    monkeypatch.setattr(backup_service, "STEP_PAGES", 1)

    backups.timer.timeout.emit()
    assert held.holding.wait(5)  # copying, its snapshot open
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: ticks == [1])  # the event loop goes on
    # An edit while the copy is under way is stored at once, not after the copy.
    window.article.select_range(*find(window, "Tomas Reyes"))
    qtbot.keyClick(window.article, Qt.Key.Key_2)
    assert sorted(r.quote for r in stored_spans(db_path)) == ["Ines Okafor", "Tomas Reyes"]
    assert backups.busy()
    with qtbot.waitSignal(backups.sig_finished) as done:
        held.release.set()
    made = done.args[0]
    assert isinstance(made, Backup)
    assert held.threads and threading.main_thread() not in held.threads
    # The backup is the snapshot taken when it started; the edit made meanwhile goes into
    # the next one.
    assert _quotes(made.path) == ["Ines Okafor"]
    with qtbot.waitSignal(backups.sig_finished) as done:
        backups.timer.timeout.emit()
    assert _quotes(done.args[0].path) == ["Ines Okafor", "Tomas Reyes"]


def _quotes(backup: Path) -> list[str]:
    conn = sqlite3.connect(backup)
    try:
        return sorted(str(r[0]) for r in conn.execute("SELECT quote FROM spans"))
    finally:
        conn.close()


def test_the_window_paints_before_the_backup_at_open_is_done(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    application()
    add_plain_demo(db_path)
    held = HeldBackup()
    monkeypatch.setattr(backup_ui, "backup_if_changed", held)
    monkeypatch.setattr(backup_service, "STEP_PAGES", 1)
    win = create_main_window(str(db_path), "tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert held.holding.wait(5)
    assert list_backups(db_path) == []  # shown while the backup at open is still copying
    backups = win.findChild(Backups)
    assert backups is not None and backups.busy()
    with qtbot.waitSignal(backups.sig_finished):
        held.release.set()
    assert len(list_backups(db_path)) == 1
    assert threading.main_thread() not in held.threads
    win.db.dispose()


def test_a_backup_that_fails_says_so_once_in_a_notice(
    qtbot, window: MainWindow, db_path: Path
) -> None:
    backups = window.findChild(Backups)
    assert backups is not None
    qtbot.waitUntil(lambda: not backups.busy())
    # The backup folder cannot be made: a file is in its way (as a read-only or full disk).
    shutil.rmtree(backup_folder(db_path))
    backup_folder(db_path).write_text("in the way", encoding="utf-8")
    window.article.select_range(*find(window, "Ines Okafor"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    with qtbot.waitSignal(backups.sig_finished):
        backups.timer.timeout.emit()
    said = window.notice.text()
    assert said.startswith("The database could not be backed up: cannot create the backup")
    assert QApplication.activeModalWidget() is None
    window.notice.hide()  # the user closes it
    with qtbot.waitSignal(backups.sig_finished):
        backups.timer.timeout.emit()
    assert window.notice.text() == ""  # not said again every few minutes
    assert [r.quote for r in stored_spans(db_path)] == ["Ines Okafor"]
