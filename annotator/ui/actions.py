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
        "import_files",
        "&Import files…",
        "&File",
        (StandardKey.Open,),
        "Import articles: text, HTML, Word, PDF, JSON/JSONL, CSV/TSV, zip archives",
    ),
    ActionSpec(
        "import_folder",
        "Import &folder…",
        "&File",
        ("Ctrl+Shift+O",),
        "Import every article in a folder and its subfolders",
    ),
    ActionSpec(
        "export",
        "&Export…",
        "&File",
        ("Ctrl+E",),
        "Write documents and annotations in a format other tools read",
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
    ActionSpec("find", "&Find in article…", "&Edit", (StandardKey.Find,)),
    ActionSpec("search", "&Search all articles…", "&Edit", ("Ctrl+Shift+F",)),
    ActionSpec(
        "details",
        "&Details…",
        "&Document",
        ("Ctrl+I",),
        "Edit title, outlet, URL, author, date, language and tags",
    ),
    ActionSpec("status_new", "Mark as &new", "&Document", ()),
    ActionSpec("status_in_progress", "Mark as &in progress", "&Document", ()),
    ActionSpec("status_done", "Mark as &done", "&Document", ("Ctrl+D",)),
    ActionSpec(
        "delete_documents",
        "De&lete documents…",
        "&Document",
        ("Ctrl+Shift+Delete",),
        "Delete the documents selected in the list (undo with Ctrl+Z)",
    ),
    ActionSpec("next_span", "&Next span", "&Go", ("N",), "Select the next span"),
    ActionSpec("previous_span", "&Previous span", "&Go", ("P",), "Select the previous span"),
)

UNDO_SHORTCUTS: tuple[str, ...] = ("Ctrl+Z",)
REDO_SHORTCUTS: tuple[str, ...] = ("Ctrl+Shift+Z", "Ctrl+Y")
