"""Every action in the menus has a key, and no key means two things."""

from __future__ import annotations

from PySide6.QtGui import QAction

from annotator.ui.main_window import MainWindow


def menu_actions(window: MainWindow) -> list[tuple[str, QAction]]:
    found = []
    for entry in window.menuBar().actions():
        menu = entry.menu()
        assert menu is not None
        for action in menu.actions():
            if not action.isSeparator() and action.menu() is None:
                found.append((f"{entry.text()} > {action.text()}", action))
    return found


def test_every_menu_action_has_a_key_of_its_own(window: MainWindow) -> None:
    actions = menu_actions(window)
    assert len(actions) > 40
    without = [name for name, action in actions if not action.shortcuts()]
    assert without == []
    owner: dict[str, str] = {}
    for name, action in actions:
        for shortcut in action.shortcuts():
            key = shortcut.toString()
            assert key not in owner, f"{key} is both {owner[key]} and {name}"
            owner[key] = name
