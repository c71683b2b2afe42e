"""File > Import asks, once some stored article has a URL, whether an article at its URL with
another text revises it or is kept as a new document (the command line's --as-new)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from test_annotator_layers import back_in_window, when_modal

from annotator.services.documents import open_document
from annotator.services.importing import ImportReport, Outcome
from annotator.ui.corpus.import_options import ImportOptionsDialog
from annotator.ui.main_window import MainWindow

URL = "https://example.org/news/barrier"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"title": name, "url": URL, "text": text}), "utf-8")
    return path


def run(qtbot, window: MainWindow, path: Path, *, ask: bool) -> ImportReport:
    with qtbot.waitSignal(window.import_flow.sig_finished, timeout=60_000) as blocker:
        window.import_paths([path], ask=ask)
    dialog = window.import_flow.summary_dialog
    if dialog is not None:
        dialog.close()
    back_in_window(qtbot, window)
    report = blocker.args[0]
    assert isinstance(report, ImportReport)
    return report


def answer(qtbot, keep_new: bool, seen: list[dict[str, bool]]) -> None:
    """Answer the next import dialog: a click on "Keep it as a new document" if wanted, then
    Enter."""

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportOptionsDialog)
        state = {
            "asks versions": dialog.versions.isVisibleTo(dialog),
            "asks a table": dialog.text_column.isVisibleTo(dialog),
            "revise first": dialog.revise.isChecked(),
        }
        if keep_new:
            qtbot.mouseClick(dialog.keep_new, Qt.MouseButton.LeftButton)
        state["keep new"] = dialog.keep_new.isChecked()
        seen.append(state)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    when_modal(qtbot, act, [])


def test_a_new_version_can_be_kept_as_a_new_document_or_revise_the_stored_one(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    # No stored article has a URL yet: nothing to ask.
    first = run(qtbot, window, write(tmp_path, "v1", "The barrier was approved."), ask=True)
    (stored,) = first.imported_ids

    seen: list[dict[str, bool]] = []
    answer(qtbot, True, seen)
    kept = run(
        qtbot, window, write(tmp_path, "v2", "The barrier was approved on Tuesday."), ask=True
    )
    assert seen == [
        {"asks versions": True, "asks a table": False, "revise first": True, "keep new": True}
    ]
    assert [r.outcome for r in kept.results] == [Outcome.IMPORTED]
    assert kept.results[0].document_id != stored
    document, _ = open_document(window.db, document_id=stored)
    assert document.text == "The barrier was approved."

    answer(qtbot, False, seen)
    revised = run(
        qtbot, window, write(tmp_path, "v3", "The barrier was approved, again."), ask=True
    )
    assert len(seen) == 2 and not seen[1]["keep new"]
    assert [r.outcome for r in revised.results] == [Outcome.REVISED]
    assert revised.results[0].document_id == kept.results[0].document_id  # the latest at the URL
