"""File > Export in the window: the dialog says what a format loses, the export runs off thread."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit
from ui_helpers import find

from annotator.formats.registry import get_format
from annotator.services.interchange import ExportSelection
from annotator.ui.corpus.export_dialog import ExportDialog
from annotator.ui.main_window import MainWindow


def test_export_dialog_shows_what_the_chosen_format_loses(qtbot, window: MainWindow):
    dialog = ExportDialog(window.editor.labels, [], selected_ids=[1], open_id=1, parent=window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    assert dialog.loses.text() == get_format("conll").loses
    assert "tokens" in dialog.carries.text()
    assert dialog.loses.textFormat() == Qt.TextFormat.PlainText
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()  # no target yet
    dialog.path.setText("/tmp/x.conll")
    assert ok.isEnabled()
    dialog.label_boxes["CLAIM"].setChecked(False)
    dialog.scope_open.setChecked(True)
    selection = dialog.selection()
    assert selection.document_ids == (1,) and selection.label_names == ("ACTOR", "DATE")


def test_export_from_the_window_writes_the_file(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
):
    window.article.select_range(*find(window, "Ines Okafor"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    out = tmp_path / "out.jsonl"

    def choose(dialog: ExportDialog) -> int:
        dialog.format.setCurrentIndex(dialog.format.findData("native"))
        dialog.path.setText(str(out))
        return ExportDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", choose)
    window.actions_by_key["export"].trigger()
    assert window.export_flow.task is not None
    qtbot.waitUntil(lambda: window.export_flow.last_report is not None, timeout=30_000)
    report = window.export_flow.last_report
    assert report is not None and report.documents == 1 and report.spans == 1
    quotes = [
        span["quote"]
        for line in out.read_text(encoding="utf-8").splitlines()
        for span in json.loads(line).get("spans", [])
    ]
    assert quotes == ["Ines Okafor"]


def _export_with(monkeypatch, window: MainWindow, name: str, out: Path) -> None:
    def choose(dialog: ExportDialog) -> int:
        dialog.format.setCurrentIndex(dialog.format.findData(name))
        dialog.path.setText(str(out))
        return ExportDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", choose)
    window.actions_by_key["export"].trigger()


def test_spacy_export_from_the_window_loads_in_spacy(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
):
    import spacy
    from spacy.tokens import DocBin

    window.article.select_range(*find(window, "Ines Okafor"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    out = tmp_path / "exports" / "train.spacy"
    out.parent.mkdir()
    _export_with(monkeypatch, window, "spacy", out)
    qtbot.waitUntil(lambda: window.export_flow.last_report is not None, timeout=30_000)
    from PySide6.QtWidgets import QMessageBox

    (box,) = [b for b in window.findChildren(QMessageBox) if b.windowTitle() == "Export finished"]
    assert box.text().startswith(f"Wrote 1 document, 1 span and 0 relations to {out}.")
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)
    assert [(s.text, s.label_) for s in doc.spans["annotator"]] == [("Ines Okafor", "ACTOR")]
    assert sorted(p.name for p in out.parent.iterdir()) == ["train.spacy"]  # no spool left


def test_cancelling_an_export_in_the_window_writes_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
):
    from PySide6.QtWidgets import QProgressDialog

    from annotator.domain.model import DocumentMeta
    from annotator.services.documents import add_document

    for n in range(400):
        add_document(window.db, text=f"Article {n}. " + "Ines Okafor spoke. " * 50,
                     meta=DocumentMeta(f"Article {n}"))  # fmt: skip
    window.reload_documents()
    out = tmp_path / "exports" / "big.spacy"
    out.parent.mkdir()
    seen: list[int] = []

    def cancel_after_some(done: int) -> None:
        seen.append(done)
        if len(seen) == 20:
            window.export_flow.task.cancel()

    _export_with(monkeypatch, window, "spacy", out)
    # In the worker's thread, as progress is reported (a queued slot could come after the end).
    window.export_flow.task.sig_progress.connect(
        cancel_after_some, Qt.ConnectionType.DirectConnection
    )
    (dialog,) = [d for d in window.findChildren(QProgressDialog) if d.windowTitle() == "Export"]
    assert dialog.maximum() == 401  # the bar counts documents
    qtbot.waitUntil(lambda: window.export_flow.last_error is not None, timeout=60_000)
    assert window.export_flow.last_error == "export cancelled; nothing was written"
    assert window.export_flow.last_report is None
    assert 20 <= len(seen) < 401
    assert list(out.parent.iterdir()) == []  # no file, no partial file, no spool


def test_a_tagged_export_counts_its_own_documents_and_names_every_file_it_wrote(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    from annotator.domain.model import DocumentMeta
    from annotator.services.documents import add_document
    from annotator.services.library import update_document_meta

    for n in range(3):
        doc = add_document(window.db, text=f"Article {n} quotes Ines Okafor.",
                           meta=DocumentMeta(f"Article {n}"))  # fmt: skip
        if n:
            update_document_meta(window.db, document_id=doc.id, meta=doc.meta, tags=["flood"])
    window.reload_documents()
    out = tmp_path / "tasks.json"

    def choose(dialog: ExportDialog) -> int:
        dialog.format.setCurrentIndex(dialog.format.findData("label-studio"))
        dialog.tag.setCurrentIndex(dialog.tag.findData("flood"))
        dialog.path.setText(str(out))
        return ExportDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", choose)
    window.actions_by_key["export"].trigger()
    (bar,) = [d for d in window.findChildren(QProgressDialog) if d.windowTitle() == "Export"]
    assert bar.maximum() == 2  # the two tagged articles, not the four in the library
    qtbot.waitUntil(lambda: window.export_flow.last_report is not None, timeout=30_000)
    config = tmp_path / "tasks.label-config.xml"
    (box,) = [b for b in window.findChildren(QMessageBox) if b.windowTitle() == "Export finished"]
    assert box.text().startswith(
        f"Wrote 2 documents, 0 spans and 0 relations to {out} and {config}."
    )
    assert config.read_text(encoding="utf-8").startswith("<View>")


def _fill(qtbot, line: QLineEdit, text: str) -> None:
    """Replace a line edit's text by typing, as a user would."""
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, text)


def _choose_format(qtbot, dialog: ExportDialog, name: str) -> None:
    """Pick a format with the keyboard: focus the list and step to it."""
    combo = dialog.format
    combo.setFocus()
    want = combo.findData(name)
    assert want >= 0
    while combo.currentIndex() != want:
        key = Qt.Key.Key_Down if combo.currentIndex() < want else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def test_an_export_error_stays_in_the_dialog_with_every_choice_kept(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
):
    window.article.select_range(*find(window, "Ines Okafor"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    missing = tmp_path / "missing" / "spans.xlsx"
    good = tmp_path / "spans.xlsx"
    seen: dict[str, object] = {}

    def drive(dialog: ExportDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        _choose_format(qtbot, dialog, "xlsx")
        for button in (dialog.scope_open, dialog.label_boxes["CLAIM"]):  # on the indicator
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2))
        _fill(qtbot, dialog.path, str(missing))
        export = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(export, Qt.MouseButton.LeftButton)

        # Still open, saying why, with every choice as it was.
        assert dialog.isVisible() and dialog.result() == 0
        assert dialog.error.isVisible()
        assert dialog.error.text() == f"The folder {missing.parent} does not exist."
        assert dialog.error.textFormat() == Qt.TextFormat.PlainText
        assert dialog.format.currentData() == "xlsx"
        assert dialog.path.text() == str(missing)
        assert dialog.scope_open.isChecked() and not dialog.label_boxes["CLAIM"].isChecked()
        assert window.export_flow.task is None  # nothing started

        _fill(qtbot, dialog.path, str(good))
        assert not dialog.error.isVisible()  # typing clears the old error
        qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        seen["selection"] = dialog.selection()
        return dialog.result()

    monkeypatch.setattr(ExportDialog, "exec", drive)
    window.actions_by_key["export"].trigger()
    qtbot.waitUntil(lambda: window.export_flow.last_report is not None, timeout=30_000)
    assert window.export_flow.last_error is None
    assert zipfile.is_zipfile(good) and not missing.parent.exists()
    selection = seen["selection"]
    assert isinstance(selection, ExportSelection)
    assert selection.label_names == ("ACTOR", "DATE") and len(selection.document_ids) == 1


def test_changing_the_format_keeps_the_path_and_changes_its_suffix(qtbot, window: MainWindow):
    dialog = ExportDialog(window.editor.labels, [], selected_ids=[], open_id=1, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    _choose_format(qtbot, dialog, "csv")
    base = Path("/data/exports/flood.v2")
    _fill(qtbot, dialog.path, f"{base}.csv")
    steps = [
        ("xlsx", f"{base}.xlsx"),
        ("w3c", f"{base}.jsonld"),
        ("claimreview", f"{base}.jsonld"),  # a suffix the new format also uses stays
        ("brat", str(base)),  # a folder: no suffix
        ("native", f"{base}.jsonl"),
    ]
    for name, path in steps:
        _choose_format(qtbot, dialog, name)
        assert dialog.path.text() == path, name


def test_the_dialog_says_truly_what_each_format_writes_and_loses(qtbot, window: MainWindow):
    dialog = ExportDialog(window.editor.labels, [], selected_ids=[], open_id=1, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    _choose_format(qtbot, dialog, "native")
    assert dialog.loses.text().startswith("nothing")
    orange = "#D55E00"
    assert orange not in dialog.loses.styleSheet()  # nothing lost is no warning
    _choose_format(qtbot, dialog, "label-studio")
    assert orange in dialog.loses.styleSheet()
    assert dialog.writes.text() == get_format("label-studio").writes()
    assert "label-config.xml" in dialog.writes.text()
    _choose_format(qtbot, dialog, "brat")
    assert dialog.writes.text().startswith("a folder of a .txt and an .ann file per document")
