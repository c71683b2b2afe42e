"""File > Export layer bundle… / Import layer bundle…: the window's side of offline teams.

Export writes the window's annotator's layer (every document it touches); import reads another
person's bundle into this database (see annotator/services/bundles.py and docs/teams.md). A
refused file or a conflict is shown as a notice the user can act on; nothing is overwritten.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from annotator.domain.errors import AnnotatorError
from annotator.services.bundles import export_bundle, import_bundle

if TYPE_CHECKING:
    from annotator.ui.common.window import Window

_FILTER = "Layer bundles (*.json);;All files (*)"


def ask_save_path(window: Window, suggested: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        window.widget(), "Export layer bundle", suggested, _FILTER
    )
    return Path(name) if name else None


def ask_open_path(window: Window) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(window.widget(), "Import layer bundle", "", _FILTER)
    return Path(name) if name else None


def export_layer(window: Window) -> None:
    name = window.editor.annotator.name
    path = ask_save_path(window, f"{name}.bundle.json")
    if path is None:
        return
    try:
        done = export_bundle(window.db, annotator=name, out=path)
    except AnnotatorError as exc:
        window.warn(f"The layer bundle was not written: {exc}")
        return
    window.tell(
        f"Wrote the layer of {done.annotator}: {_count(done.documents, 'document')}, "
        f"{_count(done.spans, 'span')}, {_count(done.relations, 'link')} to {path.name}"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def import_layer(window: Window) -> None:
    path = ask_open_path(window)
    if path is None:
        return
    try:
        report = import_bundle(window.db, path=path)
    except AnnotatorError as exc:
        window.warn(f"The layer bundle was not imported: {exc}")
        return
    editor = window.editor
    editor.reload_actors()
    editor.sig_documents_changed.emit((), ())  # the library shows added documents
    editor.refresh_from_store()
    if report.conflicts:
        window.warn(
            f"{report.summary()}. "
            + " ".join(c.describe(report.annotator) + "." for c in report.conflicts[:3])
            + (f" And {len(report.conflicts) - 3} more." if len(report.conflicts) > 3 else "")
        )
    else:
        window.tell(report.summary())


def install(window: Window) -> None:
    menu = window.menu("&File")
    quit_action = window.actions_by_key.get("quit")
    for key, text, tip, slot in (
        (
            "bundle_export",
            "Export layer &bundle…",
            "Write your annotations (your layer) to carry to another database",
            export_layer,
        ),
        (
            "bundle_import",
            "Import layer b&undle…",
            "Add another annotator's layer from a bundle; documents are matched by their text",
            import_layer,
        ),
    ):
        action = QAction(text, window.widget())
        action.setStatusTip(tip)
        action.triggered.connect(lambda _=False, slot=slot: slot(window))
        if quit_action is not None:
            menu.insertAction(quit_action, action)
        else:
            menu.addAction(action)
        window.actions_by_key[key] = action


__all__ = ["export_layer", "import_layer", "install"]
