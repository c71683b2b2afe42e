"""A paragraph of the KCNA article annotated with the keyboard alone, exported equal to its gold.

No mouse event and no call that selects or labels on the user's behalf: Ctrl+F finds a span's
text, Escape hands the found text to the article, a label's hotkey marks it; F2 goes to the
Details dock, where the actor's kind is typed and the actor's key typed into the actor box;
N steps to a claim, L opens the link popup, typing filters it, Down and Enter link; Ctrl+E
opens the export dialog, Tab walks to the path, Enter exports. The test only reads state to
decide how many times to press a key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from test_gold_kcna import gold_view, native_as_gold

from annotator.domain.model import DocumentMeta
from annotator.services.documents import add_document
from annotator.ui.annotate.linking import LinkPopup
from annotator.ui.annotate.span_details import SpanDetailsPanel
from annotator.ui.corpus.export_dialog import ExportDialog
from annotator.ui.main_window import MainWindow

# The offscreen platform cannot raise windows or grab the keyboard for the link popup.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)

HOTKEYS = {"ACTOR": Qt.Key.Key_1, "DATE": Qt.Key.Key_2, "CLAIM": Qt.Key.Key_3}
NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def key(qtbot, k: Qt.Key, modifier: Qt.KeyboardModifier = NO) -> None:
    qtbot.keyClick(focus(), k, modifier)


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type text as key presses; a character QTest cannot name (’) comes as a layout sends
    it, a key event carrying its text."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, NO, char))


def first_paragraph(gold: dict[str, Any], text: str) -> tuple[list[dict], list[dict]]:
    end = text.index("\n")
    spans = [s for s in gold["spans"] if s["end"] <= end]
    ids = {s["id"] for s in spans}
    relations = [r for r in gold["relations"] if r["from"] in ids and r["to"] in ids]
    return spans, relations


def test_a_paragraph_annotated_by_keyboard_alone_exports_equal_to_its_gold(
    qtbot, window: MainWindow, shared: Path, tmp_path: Path
) -> None:
    gold = json.loads((shared / "corpus" / "kcna-car-gift.gold.json").read_text("utf-8"))
    full = (shared / "corpus" / gold["document"]).read_text("utf-8")
    paragraph = full[: full.index("\n") + 1]
    spans, relations = first_paragraph(gold, full)
    assert len(spans) == 20 and len(relations) == 6
    doc = add_document(window.db, text=paragraph, meta=DocumentMeta("KCNA: the car"))
    window.library.reload()
    window.open_document(doc.id)  # as the document list's Enter does
    window.article.setFocus()
    panel = window.findChild(SpanDetailsPanel)
    assert panel is not None

    made: dict[str, int] = {}
    for span in spans:
        quote = span["quote"]
        occurrence = paragraph.count(quote, 0, span["start"])
        key(qtbot, Qt.Key.Key_F, CTRL)
        assert focus() is window.find_bar.edit
        type_text(qtbot, focus(), quote)
        for _ in range(occurrence):
            key(qtbot, Qt.Key.Key_Return)
        key(qtbot, Qt.Key.Key_Escape)
        assert focus() is window.article, type(focus())
        key(qtbot, HOTKEYS[span["label"]])
        span_id = window.article.selected_span_id
        assert span_id is not None, span
        stored = window.editor.span(span_id)
        assert stored is not None and (stored.start, stored.end) == (span["start"], span["end"])
        made[span["id"]] = span_id
        if span["label"] == "ACTOR":
            key(qtbot, Qt.Key.Key_F2)  # Details: the first field, the actor's kind
            kind = focus()
            assert isinstance(kind, QComboBox) and kind.objectName() == "attribute:kind"
            qtbot.keyClicks(kind, span["attrs"]["kind"])
            assert kind.currentText() == span["attrs"]["kind"]
            key(qtbot, Qt.Key.Key_Tab)
            assert focus() is panel.actor_box or focus().parent() is panel.actor_box
            qtbot.keyClicks(focus(), span["attrs"]["actor"])
            key(qtbot, Qt.Key.Key_Return)
            key(qtbot, Qt.Key.Key_Escape)
            assert focus() is window.article
            stored = window.editor.span(span_id)
            assert stored is not None and stored.actor_id is not None

    by_id = {made[s["id"]]: s for s in spans}
    for relation in relations:
        # N until the claim is the selected span.
        for _ in range(len(spans) + 1):
            if window.article.selected_span_id == made[relation["from"]]:
                break
            key(qtbot, Qt.Key.Key_N)
        assert window.article.selected_span_id == made[relation["from"]]
        key(qtbot, Qt.Key.Key_L)
        popup = window.findChild(LinkPopup)
        assert popup is not None and popup.isVisible()
        type_text(qtbot, focus(), by_id[made[relation["to"]]]["quote"])
        for _ in range(len(popup.candidates)):
            row = popup.current_index()
            candidate = popup.candidates[row] if row is not None and row >= 0 else None
            if (
                candidate is not None
                and candidate.span.id == made[relation["to"]]
                and candidate.type.name == relation["type"]
            ):
                break
            key(qtbot, Qt.Key.Key_Down)
        key(qtbot, Qt.Key.Key_Return)
        QApplication.processEvents()
        assert focus() is window.article  # back in the article for the next key
    assert len(window.editor.relations) == len(relations)

    # File > Export with the keyboard: the format by typing, Tab to the path, Enter.
    out = tmp_path / "paragraph.jsonl"

    failures: list[BaseException] = []

    def fill_export_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportDialog)
        try:
            drive(dialog)
        except BaseException as exc:  # the dialog must not stay open and hang the test
            failures.append(exc)
            dialog.reject()

    def drive(dialog: ExportDialog) -> None:
        dialog.activateWindow()  # what the window manager does for a new dialog
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.format)
        qtbot.keyClicks(dialog.format, "annotator")  # a space would open the list
        assert dialog.format.currentData() == "native"
        key(qtbot, Qt.Key.Key_Tab)  # to the documents: arrows choose the open one
        assert focus() is dialog.scope_all
        for _ in range(3):
            if dialog.scope_open.isChecked():
                break
            key(qtbot, Qt.Key.Key_Down)
        assert dialog.scope_open.isChecked()
        for _ in range(30):
            if focus() is dialog.path:
                break
            key(qtbot, Qt.Key.Key_Tab)
        assert focus() is dialog.path
        qtbot.keyClick(dialog.path, Qt.Key.Key_A, CTRL)
        qtbot.keyClicks(dialog.path, str(out))
        key(qtbot, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill_export_dialog)
    key(qtbot, Qt.Key.Key_E, CTRL)
    if failures:
        raise failures[0]
    qtbot.waitUntil(lambda: window.export_flow.last_report is not None, timeout=30_000)

    document, exported = native_as_gold(out)
    assert document["text"] == paragraph
    assert exported == gold_view(spans, relations)
