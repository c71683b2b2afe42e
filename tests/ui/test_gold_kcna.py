"""The whole hand annotation of the KCNA article, entered through the window as a user would,
exported as native JSON Lines: equal to the gold file (../shared/corpus/kcna-car-gift.gold.json).

Spans: select the gold range, Alt+hotkey (exact characters). Actor identities: the registry
dialog (New, key, kind), then each mention linked by typing the actor's key in the Details dock
(which copies the actor's kind to the mention). Date values: proposed by the app when the DATE
is added, and checked here against the gold values. Relations: select the claim, L, type the
target's text in the popup's filter, move to the right row, Enter. Export: the export flow.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from annotator.services.interchange import ExportSelection
from annotator.ui.annotate.linking import LinkPopup
from annotator.ui.annotate.span_details import SpanDetailsPanel
from annotator.ui.corpus.actor_registry import open_actor_registry
from annotator.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)

HOTKEYS = {"ACTOR": Qt.Key.Key_1, "DATE": Qt.Key.Key_2, "CLAIM": Qt.Key.Key_3}
# The name the user gives each registry actor (the gold file has keys only).
NAMES = {
    "kcna": "Korean Central News Agency",
    "putin": "Vladimir Putin",
    "kim-jong-un": "Kim Jong-un",
    "kim-yo-jong": "Kim Yo Jong",
    "russia": "Russia",
    "north-korea": "North Korea",
    "wpk": "Workers’ Party of Korea",
    "park-chong-chon": "Park Chong Chon",
    "wpk-cc": "WPK Central Committee",
    "analysts": "analysts",
    "observers": "observers",
}


def gold_view(spans: list[dict[str, Any]], relations: list[dict[str, Any]]) -> dict[str, Any]:
    """Spans and relations keyed by what they are, not by ids (which differ between files)."""

    def key(span: dict[str, Any]) -> tuple[int, int, str]:
        return (span["start"], span["end"], span["label"])

    by_id = {span["id"]: key(span) for span in spans}
    return {
        "spans": sorted(
            (key(s), s["quote"], json.dumps(s.get("attrs", {}), sort_keys=True)) for s in spans
        ),
        "relations": sorted((r["type"], by_id[r["from"]], by_id[r["to"]]) for r in relations),
    }


def native_as_gold(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The exported document line in the gold file's terms: attrs are the span's attribute
    values plus its actor's key; relations by span id."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    (document,) = [line for line in lines if line.get("type") == "document"]
    spans = []
    for span in document["spans"]:
        attrs = dict(span.get("attributes") or {})
        if span.get("actor"):
            attrs["actor"] = span["actor"]
        spans.append(
            {
                "id": span["id"],
                "start": span["start"],
                "end": span["end"],
                "label": span["label"],
                "quote": span["quote"],
                "attrs": attrs,
            }
        )
    return document, gold_view(spans, document.get("relations") or [])


def answer_import_summary(qtbot, window: MainWindow) -> None:
    dialog = window.import_flow.summary_dialog
    if dialog is not None:
        dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_the_kcna_gold_annotation_entered_in_the_window_exports_equal_to_gold(
    qtbot, window: MainWindow, shared: Path, tmp_path: Path
) -> None:
    gold = json.loads((shared / "corpus" / "kcna-car-gift.gold.json").read_text("utf-8"))
    article = shared / "corpus" / gold["document"]

    # Import the article (File > Import files does this after the file dialog).
    with qtbot.waitSignal(window.import_flow.sig_finished, timeout=60_000) as blocker:
        window.import_paths([article])
    (doc_id,) = blocker.args[0].imported_ids
    answer_import_summary(qtbot, window)
    window.open_document(doc_id)
    assert window.editor.document is not None and window.editor.document.id == doc_id
    assert window.article.text == article.read_text("utf-8")

    # The actor registry: one entry a gold key, with its kind.
    kinds = {
        s["attrs"]["actor"]: s["attrs"]["kind"]
        for s in gold["spans"]
        if "actor" in s.get("attrs", {})
    }
    registry = open_actor_registry(window)
    for key, kind in kinds.items():
        actor = registry.new_actor(NAMES[key])
        assert actor is not None
        registry.select_ids([actor.id])
        registry.key_edit.setText(key)
        registry.kind_combo.setCurrentIndex(registry.kind_combo.findText(kind))
        qtbot.mouseClick(registry.apply_button, Qt.MouseButton.LeftButton)
    registry.close()
    assert {a.key: a.kind for a in window.editor.actors.values()} == kinds
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    panel = window.findChild(SpanDetailsPanel)
    assert panel is not None
    ids: dict[str, int] = {}
    for span in gold["spans"]:
        window.article.setFocus()
        window.article.select_range(span["start"], span["end"])
        qtbot.keyClick(window.article, HOTKEYS[span["label"]], Qt.KeyboardModifier.AltModifier)
        span_id = window.article.selected_span_id
        assert span_id is not None, span
        ids[span["id"]] = span_id
        stored = window.editor.span(span_id)
        assert stored is not None and stored.quote == span["quote"]
        assert panel.span_id == span_id  # the Details dock follows the new span

        if span["label"] == "ACTOR":
            assert panel.actor_box is not None
            line = panel.actor_box.lineEdit()
            assert isinstance(line, QLineEdit)
            line.setFocus()
            line.setText(span["attrs"]["actor"])  # the key, typed
            qtbot.keyClick(line, Qt.Key.Key_Return)
            kind = panel.editors["kind"]
            assert isinstance(kind, QComboBox)
            assert kind.currentText() == span["attrs"]["kind"]  # copied from the registry
        elif span["label"] == "DATE":
            value = panel.editors["value"]
            assert isinstance(value, QLineEdit)
            assert value.text() == span["attrs"]["value"]  # proposed from the text

    # SOURCE and TIME: select the claim, L, filter by the target's text, pick the row, Enter.
    for relation in gold["relations"]:
        target = next(s for s in gold["spans"] if s["id"] == relation["to"])
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.article.setFocus()
        window.select_span(ids[relation["from"]])
        qtbot.keyClick(window.article, Qt.Key.Key_L)
        popup = window.findChild(LinkPopup)
        assert popup is not None and popup.isVisible(), window.statusBar().currentMessage()
        qtbot.keyClicks(popup.filter_edit, target["quote"])
        rows = popup.visible_rows()
        wanted = next(
            row
            for row in rows
            if popup.candidates[row].span.id == ids[relation["to"]]
            and popup.candidates[row].type.name == relation["type"]
        )
        while popup.current_index() != wanted:
            qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Down)
        qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)
        QApplication.processEvents()
    assert len(window.editor.relations) == len(gold["relations"])

    # Export the document as the app's own JSON Lines.
    out = tmp_path / "kcna.jsonl"
    window.export_flow.start("native", out, ExportSelection(document_ids=(doc_id,)), 1)
    qtbot.waitUntil(lambda: window.export_flow.last_report is not None, timeout=30_000)

    document, exported = native_as_gold(out)
    assert document["text"] == article.read_text("utf-8")
    assert exported == gold_view(gold["spans"], gold["relations"])
    # Gold spans without attributes have none in the export either (no empty values stored).
    claims = [s for s in document["spans"] if s["label"] == "CLAIM"]
    assert all(s["attributes"] == {} and s["actor"] is None for s in claims)
