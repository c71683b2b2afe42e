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
        "delete_span",
        "&Delete span",
        "&Edit",
        ("Delete",),
        "Delete the selected span (with a suggestion current: reject it)",
    ),
    ActionSpec(
        "exact_mode",
        "&Exact characters",
        "&Edit",
        (),
        "Take selections exactly as selected instead of snapping to whole words",
    ),
    # Span bounds: Alt+arrows move the selected span's end, Alt+Shift+arrows its start, the
    # way the arrow points; with Ctrl as well, by one character instead of one word. Shift+arrows
    # alone stay text selection.
    ActionSpec(
        "span_end_right",
        "Span end: grow by a word",
        "&Edit",
        ("Alt+Right",),
        "Move the selected span's end one word to the right",
    ),
    ActionSpec(
        "span_end_left",
        "Span end: shrink by a word",
        "&Edit",
        ("Alt+Left",),
        "Move the selected span's end one word to the left",
    ),
    ActionSpec(
        "span_start_left",
        "Span start: grow by a word",
        "&Edit",
        ("Alt+Shift+Left",),
        "Move the selected span's start one word to the left",
    ),
    ActionSpec(
        "span_start_right",
        "Span start: shrink by a word",
        "&Edit",
        ("Alt+Shift+Right",),
        "Move the selected span's start one word to the right",
    ),
    ActionSpec(
        "span_end_right_char",
        "Span end: grow by a character",
        "&Edit",
        ("Ctrl+Alt+Right",),
        "Move the selected span's end one character to the right",
    ),
    ActionSpec(
        "span_end_left_char",
        "Span end: shrink by a character",
        "&Edit",
        ("Ctrl+Alt+Left",),
        "Move the selected span's end one character to the left",
    ),
    ActionSpec(
        "span_start_left_char",
        "Span start: grow by a character",
        "&Edit",
        ("Ctrl+Alt+Shift+Left",),
        "Move the selected span's start one character to the left",
    ),
    ActionSpec(
        "span_start_right_char",
        "Span start: shrink by a character",
        "&Edit",
        ("Ctrl+Alt+Shift+Right",),
        "Move the selected span's start one character to the right",
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
    ActionSpec(
        "status_done",
        "Mark as &done, open next unfinished",
        "&Document",
        ("Ctrl+D",),
        "Mark the open document done and open the next one in the list that is not done",
    ),
    ActionSpec(
        "delete_documents",
        "De&lete documents…",
        "&Document",
        ("Ctrl+Shift+Delete",),
        "Delete the documents selected in the list (undo with Ctrl+Z)",
    ),
    ActionSpec("next_span", "&Next span", "&Go", ("N",), "Select the next span"),
    ActionSpec("previous_span", "&Previous span", "&Go", ("P",), "Select the previous span"),
    # Documents in the list's order (its sort and filters). Ctrl+PgDown/PgUp, as between tabs
    # in browsers and editors; plain PgDown and PgUp scroll the article.
    ActionSpec(
        "next_document",
        "Next &document",
        "&Go",
        ("Ctrl+PgDown",),
        "Open the document after this one in the document list",
    ),
    ActionSpec(
        "previous_document",
        "Previous d&ocument",
        "&Go",
        ("Ctrl+PgUp",),
        "Open the document before this one in the document list",
    ),
    ActionSpec(
        "next_unfinished",
        "Next &unfinished document",
        "&Go",
        ("Ctrl+Shift+PgDown",),
        "Open the next document in the list that is not marked done",
    ),
    # J and K step through suggestions: N and P stay with spans, and J/K sit on the home row
    # under the hand that also presses Enter and Backspace, so a document can be reviewed
    # without moving it ([ and ] need AltGr on many European layouts).
    ActionSpec(
        "next_suggestion",
        "Ne&xt suggestion",
        "&Go",
        ("J",),
        "Make the next suggestion current (Enter accepts it, Backspace rejects it)",
    ),
    ActionSpec(
        "previous_suggestion",
        "Pre&vious suggestion",
        "&Go",
        ("K",),
        "Make the previous suggestion current",
    ),
    ActionSpec(
        "accept_suggestion",
        "&Accept suggestion",
        "&Annotate",
        ("Return", "Enter"),
        "Make the current suggestion an annotation, with the links it proposes "
        "(a label's hotkey accepts it as that label)",
    ),
    ActionSpec(
        "reject_suggestion",
        "&Reject suggestion",
        "&Annotate",
        ("Backspace",),
        "Turn the current suggestion down; it is no longer shown to you here "
        "(with no suggestion current: delete the selected span)",
    ),
    ActionSpec(
        "accept_all_of_label",
        "Accept all of this la&bel",
        "&Annotate",
        ("Shift+Return", "Shift+Enter"),
        "Accept every suggestion in this document with the current suggestion's label",
    ),
    ActionSpec(
        "suggest_document",
        "Suggest in this &document",
        "&Annotate",
        (),
        "Run the switched-on engines over the open document",
    ),
    ActionSpec(
        "suggest_all",
        "Suggest in all doc&uments",
        "&Annotate",
        (),
        "Run the switched-on engines over every document, in the background",
    ),
    ActionSpec(
        "zoom_in",
        "Zoom &in",
        "&Views",
        (StandardKey.ZoomIn, "Ctrl+="),
        "Make the article's text larger",
    ),
    ActionSpec(
        "zoom_out", "Zoom &out", "&Views", (StandardKey.ZoomOut,), "Make the article's text smaller"
    ),
    ActionSpec(
        "zoom_reset",
        "&Reset zoom",
        "&Views",
        ("Ctrl+0",),
        "Show the article's text at the chosen font size",
    ),
    ActionSpec(
        "suggestion_settings",
        "Suggestion se&ttings…",
        "&Annotate",
        (),
        "Engines on or off, a spaCy pipeline, a gazetteer, the learned actor model",
    ),
)

MENU_ORDER: tuple[str, ...] = ("&File", "&Edit", "&Document", "&Go", "&Label", "&Annotate")
"""The menus in the menu bar's order; feature modules add theirs (Views...) after these."""

UNDO_SHORTCUTS: tuple[str, ...] = ("Ctrl+Z",)
REDO_SHORTCUTS: tuple[str, ...] = ("Ctrl+Shift+Z", "Ctrl+Y")

FEATURE_SHORTCUTS: dict[str, tuple[str, ...]] = {
    "exact_mode": ("Ctrl+Shift+E",),
    "restore_backup": ("Ctrl+Shift+B",),
    "status_new": ("Ctrl+Shift+N",),
    "status_in_progress": ("Ctrl+Shift+I",),
    "schema_editor": ("Ctrl+Shift+S",),
    "actor_registry": ("Ctrl+Shift+A",),
    "suggest_document": ("Ctrl+J",),
    "suggest_all": ("Ctrl+Shift+J",),
    "suggestion_settings": ("Ctrl+Shift+K",),
    "view_claims": ("Ctrl+1",),
    "view_timeline": ("Ctrl+2",),
    "view_network": ("Ctrl+3",),
    "view_actor": ("Ctrl+4",),
    "view_suggestion_quality": ("Ctrl+5",),
    "view_curation": ("Ctrl+Shift+G",),
    "view_agreement": ("Ctrl+6",),
    "curate_merge": ("Ctrl+Shift+M",),
    "bundle_export": ("Ctrl+Alt+E",),
    "bundle_import": ("Ctrl+Alt+I",),
    "review_changes": ("Ctrl+Shift+R",),
    "review_keep": ("Ctrl+Alt+K",),
    "review_place": ("Ctrl+Alt+P",),
    "review_discard": ("Ctrl+Alt+D",),
    "user_guide": ("Ctrl+F1",),
    "about": ("Ctrl+Shift+F1",),
    "switch_annotator": ("Ctrl+Shift+U",),
    "other_annotators": ("Ctrl+Shift+L",),
    "hide_other_annotators": ("Ctrl+Shift+H",),
    "assign_documents": ("Ctrl+Alt+A",),
}
"""Keys for the actions the feature modules and the window's shell add (they are made there,
with their menus); the window gives each its keys once every feature is installed, so that
every action has a key and all of them are chosen in this one file."""
