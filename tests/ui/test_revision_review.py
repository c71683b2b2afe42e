"""A new version of an open article, imported in the window: the Review dock lists what its
spans could not follow, and a span is placed again at a selection, then undone."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from annotator.domain.revisions import ReviewReason
from annotator.services.database import ensure_annotator
from annotator.services.relations import add_relation
from annotator.services.revisions import open_reviews, store_revision
from annotator.services.schema import get_schema
from annotator.services.spans import add_span
from annotator.ui.annotate.revision_review import ReviewPanel
from annotator.ui.main_window import MainWindow

URL = "https://kcnawatch.example/article/car-gift"
CTRL, ALT, SHIFT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ShiftModifier,
)
DELETED = (
    "The gift was received on February 18 by Kim Yo Jong, who serves as a high-ranking official "
    "in the Workers’ Party of Korea and who acts as a key liaison within the North Korean "
    "leadership. "
)


def import_article(qtbot, window: MainWindow, path: Path) -> object:
    with qtbot.waitSignal(window.import_flow.sig_finished, timeout=60_000) as blocker:
        window.import_paths([path])
    dialog = window.import_flow.summary_dialog
    headline = dialog.headline.text() if dialog is not None else ""
    if dialog is not None:
        dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return blocker.args[0], headline


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"title": "Putin's car", "url": URL, "text": text}), "utf-8")
    return path


def test_a_span_of_a_deleted_sentence_is_placed_at_a_selection_and_undone(
    qtbot, window: MainWindow, shared: Path, tmp_path: Path
) -> None:
    corpus = shared / "corpus"
    text = (corpus / "kcna-car-gift.txt").read_text("utf-8")
    gold = json.loads((corpus / "kcna-car-gift.gold.json").read_text("utf-8"))
    report, _ = import_article(qtbot, window, write(tmp_path, "v1", text))
    (doc_id,) = report.imported_ids  # type: ignore[attr-defined]
    schema = get_schema(window.db)
    me = ensure_annotator(window.db, name="tester")
    ids = {
        s["id"]: add_span(
            window.db,
            document_id=doc_id,
            start=s["start"],
            end=s["end"],
            label_id=schema.label_named(s["label"]).id,
            annotator_id=me.id,
        ).id
        for s in gold["spans"]
    }
    for r in gold["relations"]:
        add_relation(
            window.db,
            type_id=schema.relation_type_named(r["type"]).id,
            source_id=ids[r["from"]],
            target_id=ids[r["to"]],
            annotator_id=me.id,
        )
    window.library.reload()
    window.open_document(doc_id)
    assert len(window.editor.spans) == len(gold["spans"])

    new = text.replace(DELETED, "")
    report, headline = import_article(qtbot, window, write(tmp_path, "v2", new))
    assert "1 revised (39 spans placed, 4 to review)" in headline
    # The open document shows the new text and the spans that followed it.
    assert window.article.text == new
    assert len(window.editor.spans) == len(gold["spans"]) - 4
    row = window.documents.row_of(doc_id)
    assert row is not None
    shown = window.documents.index(row, 4).data()
    assert shown == "39 · 4 to review"

    # The dock opens by its key, with the keyboard in its list.
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_R, CTRL | SHIFT)
    panel = window.findChild(ReviewPanel)
    assert panel is not None
    dock = window.findChild(QDockWidget, "reviewDock")
    assert dock is not None and dock.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.view)
    assert panel.model.rowCount() == 4
    assert {panel.model.item(i).reason for i in range(4)} == {"unplaced"}
    # Down to the claim of the deleted sentence; Enter goes to where it was.
    while not panel.current.old_quote.startswith("The gift was received"):  # type: ignore[union-attr]
        qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    entry = panel.current
    assert entry is not None
    # The row shows the old quote in its old context.
    context = panel.model.item(panel.view.currentIndex().row()).now
    assert "Moscow and Pyongyang. [The gift was received" in context
    assert "who serves" in context
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.article

    # The user selects the sentence that now stands there and places the claim on it.
    start = new.index("Also present")
    end = new.index(".", start)
    window.article.select_range(start, end)
    qtbot.keyClick(window.article, Qt.Key.Key_P, CTRL | ALT)
    placed = [s for s in window.editor.spans if (s.start, s.end) == (start, end)]
    assert len(placed) == 1 and placed[0].label_id == schema.label_named("CLAIM").id
    links = window.editor.relations_of(placed[0].id)
    quotes = {s.id: s.quote for s in window.editor.spans}
    assert [quotes[r.target_id] for r in links] == ["Korean Central News Agency"]
    assert panel.model.rowCount() == 3
    qtbot.waitUntil(lambda: not window.updates_pending())
    assert window.documents.index(row, 4).data() == "40 · 3 to review"

    # Undo takes it back out, and the entry is open again.
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert not [s for s in window.editor.spans if (s.start, s.end) == (start, end)]
    assert panel.model.rowCount() == 4
    assert entry.id in {
        e.id
        for e in open_reviews(window.db, document_id=doc_id)
        if e.reason is ReviewReason.UNPLACED
    }
    qtbot.waitUntil(lambda: not window.updates_pending())
    assert window.documents.index(row, 4).data() == "39 · 4 to review"


def test_a_new_version_stored_by_another_program_replaces_the_open_text(
    window: MainWindow,
) -> None:
    document = window.editor.document
    assert document is not None and window.editor.spans == []
    first = document.text.split()[0]
    at = document.text.index(first)
    span = window.editor.add_span(at, at + len(first), window.editor.labels[0].id, snap=False)
    assert span is not None
    new = "A new first paragraph.\n" + document.text

    store_revision(window.db, document_id=document.id, text=new)  # as the CLI would
    assert window.editor.refresh_from_store()

    assert window.article.text == new
    moved = window.editor.span(span.id)
    assert moved is not None and moved.start == at + len("A new first paragraph.\n")
    assert not window.editor.undo_stack.canUndo()  # its steps were about the old text
