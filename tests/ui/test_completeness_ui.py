"""The "To do" dock: lists what is missing, jumps to it, and follows edits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from ui_helpers import find

from annotator.domain.model import DocumentMeta
from annotator.domain.schema import SOURCE
from annotator.services.documents import add_document
from annotator.ui.corpus.completeness import CompletenessPanel
from annotator.ui.main_window import MainWindow

TEXT = "KCNA said on Monday that Kim Yo Jong praised the car."
OTHER = "Observers in Seoul said the car was a gift."


def open_text(window: MainWindow, text: str, title: str) -> int:
    doc = add_document(window.db, text=text, meta=DocumentMeta(title, published="2024-02-20"))
    window.reload_documents()
    window.open_document(doc.id)
    return doc.id


def annotate(qtbot, window: MainWindow, quote: str, hotkey: Qt.Key) -> int:
    window.article.setFocus()
    window.article.select_range(*find(window, quote))
    qtbot.keyClick(window.article, hotkey)
    span_id = window.article.selected_span_id
    assert span_id is not None
    return span_id


def panel_of(window: MainWindow) -> CompletenessPanel:
    panel = window.findChild(CompletenessPanel)
    assert panel is not None
    dock = window.findChild(QDockWidget, "completenessDock")
    assert dock is not None
    dock.show()
    dock.raise_()
    return panel


def rows(panel: CompletenessPanel) -> list[tuple[str, str]]:
    model = panel.model
    return [(model.item(r).problem, model.item(r).quote) for r in range(model.rowCount())]


def click_row(qtbot, panel: CompletenessPanel, row: int) -> None:
    rect = panel.view.visualRect(panel.model.index(row, 1))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_lists_a_claim_without_source_until_it_gets_one(qtbot, window: MainWindow):
    panel = panel_of(window)
    open_text(window, TEXT, "KCNA")
    actor = annotate(qtbot, window, "KCNA", Qt.Key.Key_1)
    claim = annotate(qtbot, window, "Kim Yo Jong praised the car", Qt.Key.Key_3)
    expected = [
        ("actor without identity", "KCNA"),
        ("claim without SOURCE", "Kim Yo Jong praised the car"),
    ]
    qtbot.waitUntil(lambda: rows(panel) == expected)
    assert panel.header.text() == (
        "2 to do: 1 claim without SOURCE, 0 dates without value, 1 actor without identity."
    )

    window.select_span(actor)
    click_row(qtbot, panel, 1)
    assert window.article.selected_span_id == claim

    source = window.editor.schema.relation_type_named(SOURCE)
    assert source is not None
    assert window.editor.add_relation(source.id, claim, actor) is not None
    qtbot.waitUntil(lambda: rows(panel) == [("actor without identity", "KCNA")])


def test_all_documents_opens_the_document_of_the_row(qtbot, window: MainWindow):
    panel = panel_of(window)
    first = open_text(window, OTHER, "Seoul")
    annotate(qtbot, window, "Observers", Qt.Key.Key_1)
    open_text(window, TEXT, "KCNA")
    qtbot.waitUntil(lambda: panel.header.text() == "Nothing missing in this document.")
    assert rows(panel) == []

    panel.scope.setCurrentIndex(CompletenessPanel.ALL_DOCUMENTS)
    assert rows(panel) == [("actor without identity", "Observers")]
    assert not panel.view.isColumnHidden(2)
    click_row(qtbot, panel, 0)
    assert window.editor.document is not None and window.editor.document.id == first
    selected = window.editor.span(window.article.selected_span_id or 0)
    assert selected is not None and selected.quote == "Observers"


def test_a_hidden_corpus_wide_list_waits_until_shown(qtbot, window: MainWindow):
    panel = panel_of(window)
    panel.scope.setCurrentIndex(CompletenessPanel.ALL_DOCUMENTS)
    documents = window.findChild(QDockWidget, "documentsDock")
    assert documents is not None
    documents.raise_()  # the To do tab goes behind the document list
    qtbot.waitUntil(lambda: not panel.shown)
    open_text(window, OTHER, "Seoul")
    annotate(qtbot, window, "Observers", Qt.Key.Key_1)
    qtbot.wait(600)
    assert ("actor without identity", "Observers") not in rows(panel)

    panel_of(window)
    qtbot.waitUntil(lambda: ("actor without identity", "Observers") in rows(panel))


def test_a_hidden_list_of_the_open_document_is_read_again_when_shown(qtbot, window: MainWindow):
    panel = panel_of(window)
    open_text(window, TEXT, "KCNA")
    qtbot.waitUntil(lambda: panel.header.text() == "Nothing missing in this document.")
    documents = window.findChild(QDockWidget, "documentsDock")
    assert documents is not None
    documents.raise_()
    qtbot.waitUntil(lambda: not panel.shown)
    annotate(qtbot, window, "KCNA", Qt.Key.Key_1)
    qtbot.wait(600)
    assert rows(panel) == []  # not re-read while it cannot be seen

    panel_of(window)
    qtbot.waitUntil(lambda: rows(panel) == [("actor without identity", "KCNA")])
    assert panel.header.text() == (
        "1 to do: 0 claims without SOURCE, 0 dates without value, 1 actor without identity."
    )
