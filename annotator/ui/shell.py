"""The window's frame around the features: settings, layout, the last place, and Help.

`install(window, database)` loads the settings file and applies it, fits the window to the
screen (or puts back the saved geometry and docks), reopens the document the user left on this
database at the place they were reading, and adds Edit > Settings and the Help menu. Closing
the window saves where it was.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.domain.errors import NotFoundError
from annotator.ui.common import layout, theme
from annotator.ui.common.help import ShortcutsDialog, UserGuideDialog, about_box
from annotator.ui.common.settings import AppSettings, SettingsFile, Theme
from annotator.ui.common.settings_dialog import SettingsDialog

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

SHORTCUT_KEYS = ("F1", "?")
SETTINGS_KEYS = ("Ctrl+,",)


def database_key(target: str) -> str:
    """The same database named the same way each time: a URL as given, a file by its full path."""
    if "://" in target:
        return target
    return str(Path(target).expanduser().resolve())


def apply_theme(choice: Theme) -> None:
    """The theme the settings choose, for the whole application."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        theme.apply_theme(app, choice)


def top_offset(window: MainWindow) -> int:
    """The code point at the top left of the article view."""
    cursor = window.article.cursorForPosition(QPoint(0, 0))
    return window.article.text_index.to_code_point(cursor.position())


def scroll_to_top(window: MainWindow, offset: int) -> None:
    """Scroll the article so that the line holding `offset` is the first one shown."""
    article = window.article
    offset = max(0, min(offset, len(article.text)))
    bar = article.verticalScrollBar()
    bar.setValue(bar.maximum())  # from below, the line scrolled to comes to rest at the top
    cursor = QTextCursor(article.document())
    cursor.setPosition(article.text_index.to_utf16(offset))
    article.setTextCursor(cursor)
    article.ensureCursorVisible()


class Shell(QObject):
    """What `install` adds; lives as long as the window."""

    def __init__(self, window: MainWindow, database: str, store: SettingsFile) -> None:
        super().__init__(window)
        self.window = window
        self.database = database_key(database)
        self.store = store
        self.settings = store.settings
        self.shortcuts: ShortcutsDialog | None = None
        self._place: int | None = None
        """The reading position to put back once the window is shown and laid out."""
        self._shown = False
        window.installEventFilter(self)
        window.editor.sig_annotator_switched.connect(self._on_annotator_switched)

    # Start and close ---------------------------------------------------------------------
    def start(self) -> None:
        window, settings = self.window, self.settings
        window.apply_settings(settings)
        if window.suggestions is not None:
            if settings.engines is not None:
                window.suggestions.use_engines(settings.engines)
            window.suggestions.sig_engines_chosen.connect(self._on_engines_chosen)
        apply_theme(settings.theme)
        layout.fit_to_screen(window)
        # After the features' own dock arrangements, which run from the event loop too.
        QTimer.singleShot(0, self, self._restore_layout)
        last = settings.last_document_id
        if settings.last_database == self.database and last is not None:
            try:
                window.open_document(last)
            except NotFoundError:
                last = None  # deleted since; the first document stays open
            if last is not None and window.editor.document is not None:
                self._place = settings.last_position if window.editor.document.id == last else None
        if self.store.problem:
            window.warn(self.store.problem)

    def _on_annotator_switched(self) -> None:
        # Remembered at once: the next start annotates as the same person.
        name = self.window.editor.annotator.name
        self._write(replace(self.current_settings(), annotator_name=name))

    def _on_engines_chosen(self, engines: tuple[str, ...]) -> None:
        self._write(replace(self.current_settings(), engines=tuple(engines)))

    def _restore_layout(self) -> None:
        if not layout.restore_layout(self.window):
            layout.arrange_docks(self.window)
        if self._shown:
            layout.keep_on_screen(self.window)

    def _on_shown(self) -> None:
        layout.keep_on_screen(self.window)
        if self._place is not None:
            scroll_to_top(self.window, self._place)
            self._place = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() == QEvent.Type.Show and not self._shown:
                self._shown = True
                # Once the first layout has given the article its size.
                QTimer.singleShot(0, self, self._on_shown)
            elif event.type() == QEvent.Type.Close:
                self.save()
        return False

    def current_settings(self) -> AppSettings:
        """The settings with where the user is now: document, reading place, exact mode."""
        window = self.window
        doc = window.editor.document
        return replace(
            self.settings,
            exact_mode=window.actions_by_key["exact_mode"].isChecked(),
            zoom=window.article.zoom_steps,
            last_database=self.database,
            last_document_id=doc.id if doc is not None else None,
            last_position=top_offset(window) if doc is not None else 0,
        )

    def save(self) -> None:
        """Save the layout and the settings (on close)."""
        layout.save_layout(self.window)
        self._write(self.current_settings())

    def _write(self, settings: AppSettings) -> bool:
        try:
            self.store.save(settings)
        except OSError as exc:
            self.window.warn(f"Cannot save settings to {self.store.path}: {exc.strerror or exc}")
            return False
        self.settings = settings
        return True

    # Menus ----------------------------------------------------------------------------------
    def add_actions(self) -> None:
        window = self.window
        settings_action = QAction("Se&ttings…", window)
        settings_action.setShortcuts([QKeySequence(k) for k in SETTINGS_KEYS])
        settings_action.setStatusTip("Theme, the article's font and size, exact selections")
        settings_action.triggered.connect(self.edit_settings)
        edit = window.menu("&Edit")
        edit.addSeparator()
        edit.addAction(settings_action)

        shortcuts = QAction("&Keyboard shortcuts", window)
        shortcuts.setShortcuts([QKeySequence(k) for k in SHORTCUT_KEYS])
        shortcuts.setStatusTip("Every shortcut of this window, by menu")
        shortcuts.triggered.connect(self.show_shortcuts)
        guide = QAction("&User guide", window)
        guide.setStatusTip("How to import, annotate, link, review suggestions and export")
        guide.triggered.connect(self.show_user_guide)
        about = QAction("&About annotator", window)
        about.triggered.connect(self.show_about)
        help_menu = window.menu("&Help")
        existing = help_menu.actions()
        if existing:
            help_menu.insertActions(existing[0], [shortcuts, guide])
            help_menu.insertSeparator(existing[0])
        else:
            help_menu.addActions([shortcuts, guide])
        help_menu.addSeparator()
        help_menu.addAction(about)
        keys = window.actions_by_key
        keys["settings"], keys["shortcuts"] = settings_action, shortcuts
        keys["user_guide"], keys["about"] = guide, about

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.current_settings(), self.window)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        chosen = dialog.settings()
        if self._write(chosen):
            self.window.tell("Settings saved.", 5000)
        self.window.apply_settings(chosen)
        apply_theme(chosen.theme)

    def show_shortcuts(self) -> None:
        if self.shortcuts is None:
            self.shortcuts = ShortcutsDialog(self.window)
        else:
            self.shortcuts.reload(self.window)
        if self.shortcuts.isVisible():
            self.shortcuts.raise_()  # from behind the window, where a click may have put it
        self.shortcuts.show()
        self.shortcuts.activateWindow()
        self.shortcuts.filter.setFocus()

    def show_user_guide(self) -> None:
        UserGuideDialog(self.window).exec()

    def show_about(self) -> None:
        about_box(self.window, self.window.db.display_name, str(self.store.path)).exec()


def install(window: MainWindow, database: str, store: SettingsFile | None = None) -> Shell:
    """Settings, layout, the last place and Help for `window`, opened on `database`."""
    if store is None:
        store = SettingsFile()
        store.load()
    shell = Shell(window, database, store)
    shell.add_actions()
    shell.start()
    return shell


__all__ = ["Shell", "apply_theme", "database_key", "install", "scroll_to_top", "top_offset"]
