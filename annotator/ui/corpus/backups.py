"""Backups from the window: one when it opens an SQLite database that changed since its last
backup, one every few minutes while something changes, one when the app quits, and
File > Restore from backup… (annotator/services/backups.py does the work)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.services.backups import (
    Backup,
    BackupCancelledError,
    backup_folder,
    backup_if_changed,
    list_backups,
    restore_backup,
    sqlite_file,
)
from annotator.services.database import ensure_annotator
from annotator.ui.common.tasks import RepeatingTask

if TYPE_CHECKING:
    from pathlib import Path

    from annotator.ui.common.window import Window

INTERVAL_MS = 5 * 60 * 1000


class BackupDialog(QDialog):
    """The backups of a database, newest first; Restore puts the chosen one back."""

    def __init__(self, backups: list[Backup], folder: Path, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Backups in {folder}. Restoring keeps the current database as a backup too, so a "
            "restore can be undone by restoring that one.",
            self,
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        for backup in reversed(backups):
            size = f"{backup.size / 1024:,.0f} KB"
            item = QListWidgetItem(f"{backup.when.astimezone():%Y-%m-%d %H:%M:%S}   {size}")
            item.setData(Qt.ItemDataRole.UserRole, backup)
            item.setToolTip(str(backup.path))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Restore")
        ok.setEnabled(bool(backups))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> Backup | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)  # type: ignore[no-any-return]


class Backups(QObject):
    """Makes the window's backups and restores one.

    A backup copies the whole database, seconds for a big one: it runs in the background, one
    at a time (a tick while one runs makes one more afterwards), on a connection of its own
    that reads one snapshot, so the window's edits are neither held up nor lost from the next
    backup. Only the backup at quit, when the window is gone, runs in the foreground."""

    sig_finished = Signal(object)
    """The backup made (a Backup), or None when nothing had changed or it failed."""

    def __init__(self, window: Window) -> None:
        super().__init__(window.widget())
        self.window = window
        self._warned = False
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.request)
        db = window.db

        def work(_progress: Callable[[Any], None], cancelled: Callable[[], bool]) -> object:
            try:
                return backup_if_changed(db, cancelled=cancelled)
            except BackupCancelledError:
                return None

        self.task = RepeatingTask(work, self)
        self.task.sig_finished.connect(self.sig_finished)
        self.task.sig_failed.connect(self._on_failed)
        self.task.sig_failed.connect(lambda _message: self.sig_finished.emit(None))
        window.widget().installEventFilter(self)

    def request(self) -> None:
        """A backup in the background when the database changed since the last one."""
        self.task.request()

    def busy(self) -> bool:
        return self.task.busy()

    def backup(self) -> Backup | None:
        """A backup now, in the foreground (after the one under way, if any)."""
        self.task.wait()
        try:
            return backup_if_changed(self.window.db)
        except AnnotatorError as exc:
            self._on_failed(str(exc))
            return None

    def _on_failed(self, message: str) -> None:
        # Said once: a full disk would otherwise bring the same notice every few minutes.
        if not self._warned:
            self._warned = True
            self.window.warn(f"The database could not be backed up: {message}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window.widget() and event.type() == QEvent.Type.Close:
            # The thread must not outlive the window; the backup at quit makes up for it.
            self.timer.stop()
            self.task.stop()
        return False

    def choose_and_restore(self) -> None:
        db_file = sqlite_file(self.window.db)
        if db_file is None:
            self.window.warn(
                "This database is on a server: the app backs up only SQLite files; its "
                "administrator keeps its backups (pg_dump)."
            )
            return
        self.timer.stop()  # no backup may copy the file while it is being replaced
        try:
            self.backup()  # what is there now, if it is not backed up yet
            dialog = BackupDialog(
                list_backups(db_file), backup_folder(db_file), self.window.widget()
            )
            if dialog.exec() != QDialog.DialogCode.Accepted or (chosen := dialog.chosen()) is None:
                return
            self.task.wait()
            try:
                kept = restore_backup(db_file, chosen.path)
            except AnnotatorError as exc:
                self.window.warn(str(exc))
                return
        finally:
            self.timer.start()
        self.reload()
        when = f"{chosen.when.astimezone():%Y-%m-%d %H:%M:%S}"
        undo = f" The replaced database is kept as the backup {kept.path.name}." if kept else ""
        self.window.tell(f"Restored the backup of {when}.{undo}", 15000)

    def reload(self) -> None:
        """Show the restored database: the open document, schema, actors and list again."""
        editor = self.window.editor
        editor.undo_stack.clear()  # its commands name rows of the replaced database
        editor.open(None)
        editor.reload_schema()
        editor.reload_actors()
        editor.sig_documents_changed.emit((), ())
        if ensure_annotator(self.window.db, name=editor.annotator.name).id != editor.annotator.id:
            self.window.warn(
                "The restored database knows you under another number: restart the app before "
                "annotating."
            )


def install(window: Window) -> Backups:
    """A backup in the background now (the database just opened) and every few minutes, one at
    quit; File > Restore from backup…."""
    backups = Backups(window)
    backups.request()  # its thread starts now; the window paints meanwhile
    backups.timer.start()
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(backups.backup)
    action = QAction("Restore from &backup…", window.widget())
    menu = window.menu("&File")
    quit_action = window.actions_by_key.get("quit")
    if quit_action is not None:  # above Quit, with the other things done to the database
        menu.insertAction(quit_action, action)
    else:
        menu.addAction(action)
    action.setStatusTip("Put back an earlier state of the database; the current one is kept")
    action.triggered.connect(backups.choose_and_restore)
    window.actions_by_key["restore_backup"] = action
    return backups


__all__ = ["BackupDialog", "Backups", "install"]
