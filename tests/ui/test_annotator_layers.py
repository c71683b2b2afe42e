"""Annotators and their layers, driven through the real window: each annotator sees and edits
only their own spans, switching shows another's layer, other layers are shown read-only on
request, documents are assigned, and the first start asks who is annotating once."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from demo_helpers import add_plain_demo
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from ui_helpers import find

from annotator.domain.model import DocumentMeta, Relation, Span
from annotator.domain.schema import ACTOR, CLAIM, SOURCE
from annotator.services.database import ensure_annotator
from annotator.services.documents import add_document, list_labels
from annotator.services.relations import add_relation, list_relations
from annotator.services.schema import get_schema
from annotator.services.spans import add_span, list_spans
from annotator.ui.app import application, create_main_window
from annotator.ui.common.settings import settings_path
from annotator.ui.corpus.annotators import AnnotatorNameDialog, LayersDialog
from annotator.ui.corpus.completeness import CompletenessPanel
from annotator.ui.main_window import MainWindow
from annotator.ui.views.claims_view import corpus_views_of

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def when_modal(qtbot, act: Callable[[QDialog], None], seen: list[str]) -> None:
    """Run `act` on the next modal dialog once it is open (as the user would answer it)."""

    def attempt(tries: int = 50) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            if tries:
                QTimer.singleShot(20, lambda: attempt(tries - 1))
            return
        seen.append(type(dialog).__name__)
        act(dialog)

    QTimer.singleShot(0, attempt)


def type_name(qtbot, name: str) -> Callable[[QDialog], None]:
    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, AnnotatorNameDialog)
        line = dialog.name.lineEdit()
        assert isinstance(line, QLineEdit)
        line.selectAll()
        qtbot.keyClicks(line, name)
        qtbot.keyClick(line, Qt.Key.Key_Return)

    return act


def add(qtbot, win: MainWindow, needle: str, key: Qt.Key = Qt.Key.Key_1) -> int:
    win.article.select_range(*find(win, needle))
    qtbot.keyClick(win.article, key)
    span_id = win.article.selected_span_id
    assert span_id
    qtbot.waitUntil(lambda: not win.updates_pending())  # the lists follow the article
    return span_id


def switch(qtbot, win: MainWindow, name: str) -> None:
    seen: list[str] = []
    when_modal(qtbot, type_name(qtbot, name), seen)
    qtbot.keyClick(win.article, Qt.Key.Key_U, CTRL_SHIFT)
    assert seen == ["AnnotatorNameDialog"]
    qtbot.waitUntil(lambda: win.editor.annotator.name == name)
    back_in_window(qtbot, win)


def back_in_window(qtbot, win: MainWindow) -> None:
    """After a dialog closes, the user is back in the window (offscreen needs a nudge)."""
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.article.setFocus()


def quotes(win: MainWindow) -> list[str]:
    return [win.span_model.span_at(r).quote for r in range(win.span_model.rowCount())]


def test_two_annotators_on_one_database_each_see_only_their_own(qtbot, window: MainWindow) -> None:
    add(qtbot, window, "Ines Okafor")
    assert window.editor.undo_stack.count() == 1

    switch(qtbot, window, "bob")
    assert window.editor.spans == []
    assert quotes(window) == []
    assert window.editor.undo_stack.count() == 0  # the other annotator's steps are gone
    assert "undo" in window.statusBar().currentMessage()
    assert window.status_annotator.text() == "Annotator: bob"
    add(qtbot, window, "Tomas Reyes")
    assert quotes(window) == ["Tomas Reyes"]
    # Bob's first span started the document for bob, not for tester.
    assert window.library.model.row_at(0).status.value == "in_progress"

    switch(qtbot, window, "tester")
    assert quotes(window) == ["Ines Okafor"]
    assert [s.quote for s in window.editor.spans] == ["Ines Okafor"]
    # Each layer is stored with its annotator.
    doc = window.editor.document
    assert doc is not None
    everyone = list_spans(window.db, document_id=doc.id)
    assert sorted(s.quote for s in everyone) == ["Ines Okafor", "Tomas Reyes"]


def spans_column(win: MainWindow) -> str:
    doc = win.editor.document
    assert doc is not None
    row = win.library.model.row_of(doc.id)
    assert row is not None
    return str(win.library.model.index(row, 4).data())


def test_the_spans_column_counts_ones_own_spans_first(qtbot, window: MainWindow) -> None:
    assert spans_column(window) == "0"
    add(qtbot, window, "Ines Okafor")
    assert spans_column(window) == "1"  # nobody else has spans here: one number

    switch(qtbot, window, "bob")
    assert spans_column(window) == "0 / 1"  # bob's none, of everyone's one
    add(qtbot, window, "Tomas Reyes")
    assert spans_column(window) == "1 / 2"
    window.library.model.reload()  # read from the store, not only counted along
    assert spans_column(window) == "1 / 2"

    switch(qtbot, window, "tester")
    add(qtbot, window, "Tomas Reyes")
    assert spans_column(window) == "2 / 3"
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not window.updates_pending())
    assert spans_column(window) == "1 / 2"


def test_another_layer_is_shown_read_only_and_hidden_by_one_key(qtbot, window: MainWindow) -> None:
    doc = window.editor.document
    assert doc is not None
    bob = ensure_annotator(window.db, name="bob")
    actor = {label.name: label.id for label in list_labels(window.db)}["ACTOR"]
    start, end = find(window, "Tomas Reyes")
    theirs = add_span(
        window.db, document_id=doc.id, start=start, end=end, label_id=actor, annotator_id=bob.id
    )
    window.editor.open(doc.id)
    assert len(window.article.other_layers) == 0  # hidden by default: nobody is biased

    seen: list[str] = []

    def tick_bob(dialog: QDialog) -> None:
        assert isinstance(dialog, LayersDialog)
        assert dialog.list.item(0).text() == "bob"
        dialog.list.setFocus()
        qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    when_modal(qtbot, tick_bob, seen)
    qtbot.keyClick(window.article, Qt.Key.Key_L, CTRL_SHIFT)
    assert seen == ["LayersDialog"]
    back_in_window(qtbot, window)
    assert [s.id for s in window.article.other_layers.spans] == [theirs.id]
    assert window.status_layers.text() == "Showing: bob"
    assert quotes(window) == []  # not in one's own list

    # The mouse on bob's span: a tooltip that names him, and nothing to select.
    rect = window.article.offset_rect(start + 2)
    point = QPoint(rect.center().x() + 2, rect.center().y())
    assert "by bob, read-only" in window.article.tooltip_at(point)
    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.article.selected_span_id is None
    # Keys do nothing to it: Delete, a label key, relabelling.
    window.article.clear_selection()
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    qtbot.keyClick(window.article, Qt.Key.Key_2)
    stored = list_spans(window.db, document_id=doc.id)
    assert [(s.id, s.label_id, s.annotator_id) for s in stored] == [(theirs.id, actor, bob.id)]

    qtbot.keyClick(window.article, Qt.Key.Key_H, CTRL_SHIFT)
    assert len(window.article.other_layers) == 0
    assert window.status_layers.text() == ""


def right_margin(win: MainWindow, y: int) -> QImage:
    """The strip right of the text around one line, as drawn."""
    view = win.article
    gutter = round(view.reading.gutter)
    image = view.viewport().grab().toImage()
    return image.copy(view.viewport().width() - gutter, y - 8, gutter, 16)


def test_another_layers_links_are_marked_read_only_right_of_the_text(
    qtbot, window: MainWindow
) -> None:
    doc = window.editor.document
    assert doc is not None
    bob = ensure_annotator(window.db, name="bob")
    labels = {label.name: label.id for label in list_labels(window.db)}
    claim_text = "the barrier would cut the catch in the estuary by a third"
    spans = {}
    for quote, label in (("Tomas Reyes", ACTOR), (claim_text, CLAIM)):
        start, end = find(window, quote)
        spans[quote] = add_span(
            window.db,
            document_id=doc.id,
            start=start,
            end=end,
            label_id=labels[label],
            annotator_id=bob.id,
        )
    source = get_schema(window.db).relation_type_named(SOURCE).id
    link = add_relation(
        window.db,
        type_id=source,
        source_id=spans[claim_text].id,
        target_id=spans["Tomas Reyes"].id,
        annotator_id=bob.id,
    )
    window.editor.open(doc.id)
    window.article.reveal(spans[claim_text].start, spans[claim_text].end)
    rect = window.article.offset_rect(spans[claim_text].start + 2)
    y = rect.center().y()
    hidden = right_margin(window, y)

    window.editor.show_layers([bob])
    qtbot.waitUntil(lambda: len(window.article.other_layers) == 2)
    assert window.article.other_layers.relations == [link]
    window.article.viewport().repaint()
    shown = right_margin(window, y)
    assert shown != hidden  # a mark beside the claim's line
    point = QPoint(rect.center().x() + 2, y)
    tip = window.article.tooltip_at(point)
    assert "SOURCE → ACTOR “Tomas Reyes”" in tip and "(by bob)" in tip
    assert window.article.links_of(spans[claim_text].id) == []  # not one's own link

    # Read-only: clicking the mark or the span selects nothing, and keys remove nothing.
    gutter_x = window.article.viewport().width() - round(window.article.reading.gutter) + 6
    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(gutter_x, y))
    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.article.selected_span_id is None
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert [r.id for r in list_relations(window.db, document_id=doc.id)] == [link.id]

    qtbot.keyClick(window.article, Qt.Key.Key_H, CTRL_SHIFT)
    window.article.viewport().repaint()
    assert right_margin(window, y) == hidden


def test_marking_other_layers_links_stays_fast_on_a_long_document(
    qtbot, window: MainWindow
) -> None:
    """10,000 spans and 5,000 links of another layer: a paint draws only what is in view."""
    paragraph = "The council voted on Tuesday to build a flood barrier, the mayor said. " * 4
    text = "\n\n".join([paragraph] * 400)
    doc = add_document(window.db, text=text, meta=DocumentMeta("Long"))
    window.editor.open(doc.id)
    view = window.article
    when = datetime(2026, 1, 1, tzinfo=UTC)
    step = len(text) // 10_000
    spans = [
        Span(i + 1, doc.id, i * step, i * step + 3, 1, text[i * step : i * step + 3], 2, when, when)
        for i in range(10_000)
    ]
    relations = [Relation(i + 1, doc.id, 1, 2 * i + 1, 2 * i + 2, 2, when) for i in range(5_000)]

    def paint_time() -> float:
        started = time.perf_counter()
        for _ in range(5):
            view.viewport().repaint()
        return (time.perf_counter() - started) / 5

    view.set_other_layers(spans, {2: "bob"}, ())
    without_links = paint_time()
    view.set_other_layers(spans, {2: "bob"}, relations)
    assert len(view.other_layers.relations) == 5_000
    with_links = paint_time()
    assert with_links < 0.25 and with_links < without_links * 1.5 + 0.02


def test_assigned_documents_are_what_the_library_shows_by_default(
    qtbot, window: MainWindow
) -> None:
    second = add_document(
        window.db,
        text="A second article about the harbour.\n",
        meta=DocumentMeta(title="Second article"),
    )
    window.library.reload()
    assert window.library.model.rowCount() == 2
    assert not window.library.mine.isVisible()

    row = window.library.model.row_of(second.id)
    assert row is not None
    window.library.select_row(row)
    seen: list[str] = []
    when_modal(qtbot, type_name(qtbot, "tester"), seen)
    window.library.view.setFocus()
    qtbot.keyClick(
        window.library.view,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    assert seen == ["AnnotatorNameDialog"]
    back_in_window(qtbot, window)

    model = window.library.model
    assert window.library.mine.isVisible() and window.library.mine.isChecked()
    assert [model.row_at(r).id for r in range(model.rowCount())] == [second.id]
    assert model.data(model.index(0, 5)) == "tester"
    window.library.mine.click()  # the user clears the filter
    assert model.rowCount() == 2

    # Another annotator has nothing assigned: they see everything, without the filter.
    switch(qtbot, window, "bob")
    assert not window.library.mine.isVisible()
    assert window.library.model.rowCount() == 2


def test_the_first_start_asks_once_and_remembers(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANNOTATOR_NAME")
    application()
    add_plain_demo(db_path)
    seen: list[str] = []
    when_modal(qtbot, type_name(qtbot, "Ana"), seen)
    first = create_main_window(str(db_path))
    qtbot.addWidget(first)
    assert seen == ["AnnotatorNameDialog"]
    assert first.editor.annotator.name == "Ana"
    assert json.loads(settings_path().read_text(encoding="utf-8"))["annotator_name"] == "Ana"
    first.close()
    first.db.dispose()

    again = create_main_window(str(db_path))
    qtbot.addWidget(again)
    assert seen == ["AnnotatorNameDialog"]  # not asked again
    assert again.editor.annotator.name == "Ana"
    again.db.dispose()


def test_the_claims_table_and_completeness_follow_the_switch(qtbot, window: MainWindow) -> None:
    views = corpus_views_of(window)
    assert views is not None
    panel = window.findChild(CompletenessPanel)
    assert panel is not None
    add(qtbot, window, "Tomas Reyes, claimed", Qt.Key.Key_3)  # a CLAIM without a SOURCE

    def claims_read() -> int:
        views.controller.reload()
        qtbot.waitUntil(lambda: not views.controller.loader.busy())
        QApplication.processEvents()
        assert views.controller.snapshot is not None
        return len(views.controller.snapshot.views.rows)

    panel.refresh()
    assert [panel.model.item(r).quote for r in range(panel.model.rowCount())] == [
        "Tomas Reyes, claimed"
    ]
    assert claims_read() == 1

    switch(qtbot, window, "bob")
    panel.refresh()
    assert panel.model.rowCount() == 0
    assert claims_read() == 0


def test_the_demo_articles_annotations_show_read_only_to_a_new_annotator(
    qtbot, db_path: Path
) -> None:
    application()
    win = create_main_window(str(db_path), "alice", demo=True)
    qtbot.addWidget(win)
    try:
        assert win.editor.document is not None
        assert win.editor.spans == []  # alice's own layer starts empty
        assert len(win.article.other_layers) > 20  # the example, drawn under the text
        assert win.status_layers.text() == "Showing: demo"
        win.actions_by_key["hide_other_annotators"].trigger()
        assert len(win.article.other_layers) == 0
    finally:
        win.db.dispose()
