"""Help: the keyboard shortcuts (read from the window's actions), the user guide and About.

Nothing here lists a shortcut by hand: the shortcuts dialog reads every action of the menu bar
(the action table, the label hotkeys, undo and redo, and what features add), so it cannot
drift from what the keys do.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__, resources
from annotator.ui.common.markdown_view import MarkdownView
from annotator.ui.common.text import message_box

LICENCE = "MIT"
OTHER_GROUP = "Other"


@dataclass(frozen=True)
class ShortcutEntry:
    group: str
    """The menu the action is in, without its mnemonic ("Edit")."""
    text: str
    keys: str
    """The action's shortcuts as the platform writes them, comma separated."""


def _plain(text: str) -> str:
    # "&Edit" -> "Edit", "Save && close" -> "Save & close", "Find…" stays.
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _keys(action: QAction) -> str:
    return ", ".join(
        s.toString(QKeySequence.SequenceFormat.NativeText)
        for s in action.shortcuts()
        if not s.isEmpty()
    )


def shortcut_entries(window: QMainWindow) -> list[ShortcutEntry]:
    """Every action of the window that has a shortcut, grouped by menu in menu-bar order
    (submenus under their menu); actions outside the menus come last as "Other"."""
    entries: list[ShortcutEntry] = []
    seen: set[QAction] = set()

    def walk(menu: QMenu, group: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, group)
                continue
            seen.add(action)
            keys = _keys(action)
            if keys and not action.isSeparator():
                entries.append(ShortcutEntry(group, _plain(action.text()), keys))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, _plain(top.text()))
    for action in window.actions():
        keys = _keys(action)
        if action not in seen and keys and action.text():
            entries.append(ShortcutEntry(OTHER_GROUP, _plain(action.text()), keys))
    return entries


class ShortcutsDialog(QDialog):
    """The shortcuts, grouped by menu, with a filter; Escape closes it."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.filter = QLineEdit(self)
        self.filter.setObjectName("shortcutsFilter")
        self.filter.setPlaceholderText("Filter by action or key")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutsTree")
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.resize(520, 560)
        self.reload(window)

    def reload(self, window: QMainWindow) -> None:
        """Read the window's actions again (a schema edit changes the label hotkeys)."""
        self.tree.clear()
        self._groups: dict[str, tuple[QTreeWidgetItem, list[QTreeWidgetItem]]] = {}
        for entry in shortcut_entries(window):
            if entry.group not in self._groups:
                group = QTreeWidgetItem(self.tree, [entry.group])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
                self._groups[entry.group] = (group, [])
            group, rows = self._groups[entry.group]
            rows.append(QTreeWidgetItem(group, [entry.text, entry.keys]))
        self.tree.expandAll()
        self._filter(self.filter.text())

    def entries(self) -> dict[str, list[tuple[str, str]]]:
        """What the dialog shows: group -> (action, keys), only rows the filter lets through."""
        shown: dict[str, list[tuple[str, str]]] = {}
        for name, (_group, rows) in self._groups.items():
            visible = [(row.text(0), row.text(1)) for row in rows if not row.isHidden()]
            if visible:
                shown[name] = visible
        return shown

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for group, rows in self._groups.values():
            any_shown = False
            for row in rows:
                hit = not needle or any(needle in row.text(c).casefold() for c in (0, 1))
                row.setHidden(not hit)
                any_shown = any_shown or hit
            group.setHidden(not any_shown)


class UserGuideDialog(QDialog):
    """The user guide shipped with the package, rendered as the guidelines are: nothing loaded
    from outside."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuideDialog")
        self.setWindowTitle("User guide")
        self.view = MarkdownView(self)
        self.view.setObjectName("userGuideView")
        self.view.show_markdown(resources.read_text("user-guide.md"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(640, 600)


def about_text(database: str, settings_file: str) -> str:
    """What Help > About says, as plain text."""
    return "\n".join(
        (
            f"annotator {__version__}",
            "Annotate news articles: actors, dates and claims, and who said what, when.",
            "",
            f"Licence: {LICENCE}",
            f"Qt {qVersion()}, PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}",
            f"Database: {database}",
            f"Settings: {settings_file}",
        )
    )


def about_box(parent: QWidget, database: str, settings_file: str) -> QMessageBox:
    box = message_box(
        QMessageBox.Icon.Information,
        "About annotator",
        about_text(database, settings_file),
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setObjectName("aboutBox")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box


__all__ = [
    "ShortcutEntry",
    "ShortcutsDialog",
    "UserGuideDialog",
    "about_box",
    "about_text",
    "shortcut_entries",
]
