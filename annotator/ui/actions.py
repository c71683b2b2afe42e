"""The window's actions, declared as data; the main window creates and wires them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    key: str
    text: str
    menu: str
    shortcuts: tuple[str | StandardKey, ...] = ()
    tip: str = ""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "open_text", "&Open text file…", "&File", (StandardKey.Open,), "Add a plain-text article"
    ),
    ActionSpec("quit", "&Quit", "&File", (StandardKey.Quit,)),
    ActionSpec(
        "delete_span", "&Delete span", "&Edit", ("Delete", "Backspace"), "Delete the selected span"
    ),
    ActionSpec(
        "exact_mode",
        "&Exact characters",
        "&Edit",
        (),
        "Take selections exactly as selected instead of snapping to whole words",
    ),
    ActionSpec("next_span", "&Next span", "&Go", ("N",), "Select the next span"),
    ActionSpec("previous_span", "&Previous span", "&Go", ("P",), "Select the previous span"),
)

UNDO_SHORTCUTS: tuple[str, ...] = ("Ctrl+Z",)
REDO_SHORTCUTS: tuple[str, ...] = ("Ctrl+Shift+Z", "Ctrl+Y")
