"""Suggestions in the real window, driven with keys and the mouse; what was decided is read back
from the database file with plain sqlite3."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QDialogButtonBox
from test_annotator_layers import switch
from ui_helpers import stored_spans

from annotator.domain.model import DocumentMeta
from annotator.domain.suggestions import Suggestion
from annotator.services.assignments import assign_documents
from annotator.services.documents import add_document
from annotator.ui.annotate.suggestion_marks import outline_colour
from annotator.ui.annotate.suggestion_settings import SuggestionSettingsDialog
from annotator.ui.annotate.suggestions import SuggestionController
from annotator.ui.app import create_main_window
from annotator.ui.main_window import MainWindow

NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


# Helpers ----------------------------------------------------------------------------------------


def controller(window: MainWindow) -> SuggestionController:
    assert window.suggestions is not None
    return window.suggestions


def settle(qtbot, window: MainWindow) -> None:
    """Wait until the engines and the trainer have finished in the background."""
    qtbot.waitUntil(lambda: not controller(window).busy(), timeout=30000)


def press(qtbot, window: MainWindow, key: Qt.Key, modifier=NO) -> None:
    qtbot.keyClick(window.article, key, modifier)


def rows(path: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, args).fetchall()


def stored_suggestions(path: Path, document_id: int | None = None) -> list[tuple]:
    """(start, end, label, quote, engine, rule) of the suggestions in the file, in text order."""
    where = "" if document_id is None else f"WHERE s.document_id = {int(document_id)}"
    return rows(
        path,
        'SELECT s.start, s."end", l.name, s.quote, s.engine, s.rule FROM suggestions s '
        f"JOIN labels l ON l.id = s.label_id {where} ORDER BY s.document_id, s.start, s.id",
    )


def span_origins(path: Path) -> list[tuple]:
    return rows(
        path,
        'SELECT s.start, s."end", l.name, s.origin FROM spans s '
        "JOIN labels l ON l.id = s.label_id ORDER BY s.start",
    )


def rejected(path: Path) -> list[tuple]:
    return rows(path, 'SELECT start, "end", quote FROM rejections ORDER BY start')


def current(window: MainWindow) -> Suggestion:
    found = window.article.current_suggestion
    assert found is not None
    return found


def label_name(window: MainWindow, suggestion: Suggestion) -> str:
    return window.editor.label(suggestion.label_id).name


def step_to(qtbot, window: MainWindow, label: str) -> Suggestion:
    """Press J until the current suggestion has this label."""
    for _ in range(len(controller(window).shown()) + 1):
        press(qtbot, window, Qt.Key.Key_J)
        if label_name(window, current(window)) == label:
            return current(window)
    raise AssertionError(f"no {label} suggestion")


def point_in(window: MainWindow, offset: int) -> QPoint:
    """The viewport point in the middle of the character at a code-point offset."""
    view = window.article
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.text_index.to_utf16(offset))
    left = view.cursorRect(cursor)
    cursor.setPosition(view.text_index.to_utf16(offset + 1))
    right = view.cursorRect(cursor)
    return QPoint((left.x() + right.x()) // 2, left.center().y())


def open_text(qtbot, window: MainWindow, text: str, title: str) -> int:
    doc = add_document(window.db, text=text, meta=DocumentMeta(title, published="2025-03-05"))
    window.reload_documents()
    window.open_document(doc.id)
    settle(qtbot, window)
    return doc.id


# Tests ------------------------------------------------------------------------------------------


def test_a_new_document_gets_suggestions_drawn_as_dashed_outlines_not_annotations(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    stored = stored_suggestions(db_path)
    assert len(stored) >= 10 and {engine for *_, engine, _rule in stored} == {
        "actors",
        "dates",
        "claims",
    }
    assert stored_spans(db_path) == []  # suggestions are not annotations
    panel = controller(window).panel
    assert panel.model.rowCount() == len(stored)
    assert [panel.model.row_at(r).quote for r in range(panel.model.rowCount())] == [
        quote for _s, _e, _l, quote, _en, _r in stored
    ]
    assert controller(window).dock.windowTitle() == f"Suggestions ({len(stored)})"

    # The first DATE in view is outlined in its label's colour, with gaps: a dashed line.
    view = window.article
    date = next(s for s in controller(window).shown() if label_name(window, s) == "DATE")
    (rect,) = view.range_rects(date.start, date.end)
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    want = outline_colour(window.editor.label(date.label_id).colour)

    def near(colour: QColor) -> bool:
        return (
            abs(colour.red() - want.red())
            + abs(colour.green() - want.green())
            + abs(colour.blue() - want.blue())
            < 90
        )

    edge = [
        near(image.pixelColor(int(x * ratio), int((rect.top() + 0.6) * ratio)))
        for x in range(int(rect.left()) + 2, int(rect.right()) - 2)
    ]
    assert any(edge) and not all(edge)


def test_j_and_k_step_and_enter_accepts_with_the_engine_as_origin(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    first, second = stored_suggestions(db_path)[:2]
    press(qtbot, window, Qt.Key.Key_J)
    assert (current(window).start, current(window).end) == first[:2]
    press(qtbot, window, Qt.Key.Key_J)
    assert (current(window).start, current(window).end) == second[:2]
    press(qtbot, window, Qt.Key.Key_K)
    assert (current(window).start, current(window).end) == first[:2]

    press(qtbot, window, Qt.Key.Key_Return)
    start, end, label, _quote, engine, _rule = first
    assert span_origins(db_path) == [(start, end, label, engine)]
    assert (start, end) not in [(s.start, s.end) for s in controller(window).shown()]
    # The next one is current at once: Enter, Enter goes through the document.
    assert (current(window).start, current(window).end) == second[:2]

    # The Annotations list says where the span came from, and filters by it.
    assert window.span_model.data(window.span_model.index(0, 3)) == engine
    window.span_origin.setCurrentIndex(window.span_origin.findData(None))  # made by hand
    assert window.span_model.rowCount() == 0
    window.span_origin.setCurrentIndex(window.span_origin.findData(engine))
    assert window.span_model.rowCount() == 1


def test_a_label_hotkey_accepts_the_suggestion_as_that_label(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    date = step_to(qtbot, window, "DATE")
    press(qtbot, window, Qt.Key.Key_3)  # CLAIM
    assert span_origins(db_path) == [(date.start, date.end, "CLAIM", "dates")]


def test_backspace_rejects_and_the_suggestion_does_not_come_back(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    press(qtbot, window, Qt.Key.Key_J)
    gone = current(window)
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert rejected(db_path) == [(gone.start, gone.end, gone.quote)]
    assert current(window).start > gone.start
    window.actions_by_key["suggest_document"].trigger()
    settle(qtbot, window)
    assert (gone.start, gone.end) not in [(s, e) for s, e, *_ in stored_suggestions(db_path)]
    assert stored_spans(db_path) == []

    # With no suggestion current, Backspace deletes the selected span as it always did.
    press(qtbot, window, Qt.Key.Key_Return)
    (made,) = stored_spans(db_path)
    qtbot.mouseClick(
        window.article.viewport(), Qt.MouseButton.LeftButton, pos=point_in(window, made.start)
    )
    assert window.article.current_suggestion is None
    assert window.article.selected_span_id == made.id
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert stored_spans(db_path) == []


def test_accept_and_reject_are_each_one_undo_step(qtbot, window: MainWindow, db_path: Path):
    settle(qtbot, window)
    press(qtbot, window, Qt.Key.Key_J)
    accepted = current(window)
    press(qtbot, window, Qt.Key.Key_Return)
    (span,) = stored_spans(db_path)
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored_spans(db_path) == []
    assert current(window).id == accepted.id  # back, and current again
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert [s.id for s in stored_spans(db_path)] == [span.id]

    target = current(window)
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert [r[:2] for r in rejected(db_path)] == [(target.start, target.end)]
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert rejected(db_path) == []
    assert (target.start, target.end) in [(s, e) for s, e, *_ in stored_suggestions(db_path)]
    assert current(window).id == target.id
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert [r[:2] for r in rejected(db_path)] == [(target.start, target.end)]


def drawn_and_listed(window: MainWindow) -> tuple[list[int], list[int], list[str], str]:
    """The suggestions as the article draws them and the panel lists them (ids in order, and
    the panel's link texts), with the dock's title."""
    panel = controller(window).panel
    model = panel.model
    return (
        [s.id for s in window.article.suggestions.items],
        [model.suggestion_at(r).id for r in range(model.rowCount())],
        [model.row_at(r).links for r in range(model.rowCount())],
        controller(window).dock.windowTitle(),
    )


def test_a_span_marked_by_hand_over_a_suggestion_hides_it_and_undo_shows_it_again(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    ctl = controller(window)
    before = drawn_and_listed(window)
    target = next(s for s in ctl.shown() if window.editor.label(s.label_id).hotkey)
    hotkey = window.editor.label(target.label_id).hotkey
    window.article.select_range(target.start, target.end)
    press(qtbot, window, Qt.Key(ord(hotkey.upper())))
    qtbot.waitUntil(lambda: target.id not in [s.id for s in ctl.shown()])
    assert [(s.start, s.end) for s in stored_spans(db_path)] == [(target.start, target.end)]
    hidden = drawn_and_listed(window)
    assert target.id not in hidden[0] and target.id not in hidden[1]
    assert hidden[3] == f"Suggestions ({len(before[1]) - 1})"
    ctl.sync()  # what reading everything again shows: the same
    assert drawn_and_listed(window) == hidden

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: target.id in [s.id for s in ctl.shown()])
    assert stored_spans(db_path) == []
    assert drawn_and_listed(window) == before


def test_accepting_all_of_a_label_is_one_undo_step(qtbot, window: MainWindow, db_path: Path):
    settle(qtbot, window)
    dates = [s for s in stored_suggestions(db_path) if s[2] == "DATE"]
    assert len(dates) >= 3
    step_to(qtbot, window, "DATE")
    press(qtbot, window, Qt.Key.Key_Return, SHIFT)
    assert [(s, e, label) for s, e, label, _o in span_origins(db_path)] == [
        (s, e, "DATE") for s, e, *_ in dates
    ]
    assert "DATE" not in {label_name(window, s) for s in controller(window).shown()}
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored_spans(db_path) == []
    assert [s for s in stored_suggestions(db_path) if s[2] == "DATE"] == dates


def test_what_one_annotator_accepts_is_still_proposed_to_another(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    press(qtbot, window, Qt.Key.Key_J)
    taken = current(window)
    press(qtbot, window, Qt.Key.Key_Return)
    assert taken.id not in [s.id for s in controller(window).shown()]  # tester decided it

    switch(qtbot, window, "bob")
    settle(qtbot, window)
    assert window.editor.spans == []
    assert taken.id in [s.id for s in controller(window).shown()]  # bob has yet to decide
    press(qtbot, window, Qt.Key.Key_J)
    assert current(window).id == taken.id
    press(qtbot, window, Qt.Key.Key_Backspace)  # bob turns it down; tester keeps the span
    assert [s.quote for s in window.editor.spans] == []

    switch(qtbot, window, "tester")
    settle(qtbot, window)
    assert [(s.start, s.end) for s in window.editor.spans] == [(taken.start, taken.end)]


def test_what_one_annotator_rejects_is_still_proposed_to_another(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    # The document is bob's as well: the engines ask everyone it is assigned to.
    document = window.editor.document
    assert document is not None
    assign_documents(window.db, annotator="bob", document_ids=[document.id])
    press(qtbot, window, Qt.Key.Key_J)
    turned_down = current(window)
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert turned_down.id not in [s.id for s in controller(window).shown()]
    assert "no longer shown to you" in window.statusBar().currentMessage()

    switch(qtbot, window, "bob")
    settle(qtbot, window)
    assert turned_down.id in [s.id for s in controller(window).shown()]  # bob has yet to decide
    press(qtbot, window, Qt.Key.Key_J)
    assert current(window).id == turned_down.id
    # A new run of the engines keeps it for bob, and still leaves it out for tester.
    window.actions_by_key["suggest_document"].trigger()
    settle(qtbot, window)
    place = (turned_down.start, turned_down.end)
    assert place in [(s.start, s.end) for s in controller(window).shown()]
    switch(qtbot, window, "tester")
    settle(qtbot, window)
    assert place not in [(s.start, s.end) for s in controller(window).shown()]

    # Once bob turns it down too, the engines no longer propose it to anyone.
    switch(qtbot, window, "bob")
    settle(qtbot, window)
    for _ in range(len(controller(window).shown())):
        press(qtbot, window, Qt.Key.Key_J)
        if (current(window).start, current(window).end) == place:
            break
    assert (current(window).start, current(window).end) == place
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert len(rejected(db_path)) == 2
    window.actions_by_key["suggest_document"].trigger()
    settle(qtbot, window)
    assert place not in [(s, e) for s, e, *_ in stored_suggestions(db_path)]


def test_the_hover_card_shows_the_suggestion_and_its_buttons_work(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    card = controller(window).card
    dates = [s for s in controller(window).shown() if label_name(window, s) == "DATE"]
    viewport = window.article.viewport()

    qtbot.mouseMove(viewport, point_in(window, dates[0].start + 1))
    qtbot.waitUntil(card.isVisible, timeout=3000)
    assert card.title.text().startswith("DATE suggestion · dates")
    assert dates[0].quote in card.quote.text()
    qtbot.mouseClick(card.accept_button, Qt.MouseButton.LeftButton)
    assert span_origins(db_path) == [(dates[0].start, dates[0].end, "DATE", "dates")]
    assert not card.isVisible()

    qtbot.mouseMove(viewport, point_in(window, dates[1].start + 1))
    qtbot.waitUntil(card.isVisible, timeout=3000)
    qtbot.mouseClick(card.reject_button, Qt.MouseButton.LeftButton)
    assert rejected(db_path) == [(dates[1].start, dates[1].end, dates[1].quote)]


def test_accepting_an_actor_proposes_its_other_mentions_at_once(
    qtbot, window: MainWindow, db_path: Path
):
    text = (
        "Kestria signed the treaty on Monday. Officials in Kestria were pleased, and the "
        "people of Kestria celebrated."
    )
    doc = open_text(qtbot, window, text, "Treaty")
    mentions = [i for i in range(len(text)) if text.startswith("Kestria", i)]
    proposed = [s for s in stored_suggestions(db_path, doc) if s[3] == "Kestria"]
    assert [s[0] for s in proposed] == mentions[:1]  # only the first, as a sentence's subject

    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=point_in(window, 2))
    assert current(window).quote == "Kestria"
    press(qtbot, window, Qt.Key.Key_Return)
    settle(qtbot, window)
    others = [s for s in stored_suggestions(db_path, doc) if s[3] == "Kestria"]
    assert [s[0] for s in others] == mentions[1:]
    shown = controller(window).shown()
    assert [s.start for s in shown if s.quote == "Kestria"] == mentions[1:]
    # What comes next after the accepted one is current, so Enter goes on from there.
    assert current(window).id == min(shown, key=lambda s: (s.start, -s.end)).id


def test_keys_typed_into_the_documents_filter_neither_accept_nor_move(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    press(qtbot, window, Qt.Key.Key_J)
    before = current(window)
    search = window.library.search
    qtbot.mouseClick(search, Qt.MouseButton.LeftButton)
    assert search.hasFocus()
    qtbot.keyClicks(search, "jk3")
    qtbot.keyClick(search, Qt.Key.Key_Backspace)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert search.text() == "jk"
    assert current(window).id == before.id
    assert stored_spans(db_path) == [] and rejected(db_path) == []


def test_the_corpus_run_goes_on_in_the_background_and_can_be_cancelled(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    for n in range(40):
        add_document(
            window.db,
            text=f"Minister Ana Souza{n} said on Monday that the budget {n} was safe.",
            meta=DocumentMeta(f"Budget {n}", published="2025-03-05"),
        )
    window.reload_documents()
    suggestions = controller(window)
    window.actions_by_key["suggest_all"].trigger()
    assert suggestions.progress.isVisible()
    qtbot.mouseClick(suggestions.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not suggestions.corpus.running(), timeout=30000)
    message = window.statusBar().currentMessage()
    assert "cancelled" in message
    suggested = {row[0] for row in rows(db_path, "SELECT DISTINCT document_id FROM suggestions")}
    assert len(suggested) < 41

    window.actions_by_key["suggest_all"].trigger()
    # The window stays usable: a suggestion is accepted while the run goes on.
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not suggestions.corpus.running(), timeout=60000)
    assert len(stored_spans(db_path)) == 1
    assert "in 41 documents" in window.statusBar().currentMessage()
    suggested = {row[0] for row in rows(db_path, "SELECT DISTINCT document_id FROM suggestions")}
    assert len(suggested) == 41
    assert not suggestions.progress.isVisible()


def test_the_settings_switch_an_engine_off_for_this_database(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    window.actions_by_key["suggestion_settings"].trigger()
    dialog = controller(window).settings_dialog
    assert isinstance(dialog, SuggestionSettingsDialog) and dialog.isVisible()
    box = dialog.engine_boxes["claims"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not box.isChecked()
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    (value,) = rows(db_path, "SELECT value FROM settings WHERE key = 'suggestions.engines'")
    assert json.loads(value[0]) == ["actors", "dates"]

    doc = open_text(qtbot, window, "Ana Souza said on Monday that the budget is safe.", "Budget")
    engines = {engine for *_, engine, _rule in stored_suggestions(db_path, doc)}
    assert engines == {"actors", "dates"}


def test_marking_a_document_done_trains_the_actor_model_in_the_background(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    assert rows(db_path, "SELECT count(*) FROM actor_models") == [(0,)]
    step_to(qtbot, window, "ACTOR")
    press(qtbot, window, Qt.Key.Key_Return, SHIFT)  # every ACTOR suggestion
    actors = len(stored_spans(db_path))
    assert actors >= 3
    press(qtbot, window, Qt.Key.Key_D, CTRL)
    assert controller(window).trainer.busy()  # the window did not wait for it
    settle(qtbot, window)
    assert rows(db_path, "SELECT documents, spans FROM actor_models") == [(1, actors)]
    window.actions_by_key["suggestion_settings"].trigger()
    dialog = controller(window).settings_dialog
    assert isinstance(dialog, SuggestionSettingsDialog)
    assert "learned from 1 finished document" in dialog.model_info.text()
    dialog.reject()


def test_the_suggestion_and_span_models_follow_qts_contract(qtmodeltester, qtbot, window):
    settle(qtbot, window)
    panel = controller(window).panel
    assert panel.model.rowCount() > 0
    qtmodeltester.check(panel.model)
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_Return)
    qtmodeltester.check(window.span_model)
    panel.label_filter.setCurrentIndex(panel.label_filter.findText("DATE"))
    assert {panel.model.row_at(r).label for r in range(panel.model.rowCount())} == {"DATE"}
    qtmodeltester.check(panel.model)


def test_the_quality_view_measures_in_the_background(qtmodeltester, qtbot, window, db_path):
    settle(qtbot, window)
    step_to(qtbot, window, "DATE")
    press(qtbot, window, Qt.Key.Key_Return)
    step_to(qtbot, window, "DATE")
    press(qtbot, window, Qt.Key.Key_Backspace)
    step_to(qtbot, window, "ACTOR")
    press(qtbot, window, Qt.Key.Key_Return, SHIFT)
    press(qtbot, window, Qt.Key.Key_D, CTRL)
    settle(qtbot, window)

    window.actions_by_key["view_suggestion_quality"].trigger()
    view = controller(window).quality_window
    assert view is not None and view.isVisible() and view.busy()
    qtbot.waitUntil(lambda: not view.busy(), timeout=60000)
    decided = {
        (
            view.decisions.data(view.decisions.index(r, 0)),
            view.decisions.data(view.decisions.index(r, 1)),
        ): (
            view.decisions.data(view.decisions.index(r, 5)),
            view.decisions.data(view.decisions.index(r, 6)),
        )
        for r in range(view.decisions.rowCount())
    }
    assert decided[("dates", "DATE")] == (1, 1)
    assert decided[("actors", "ACTOR")][0] >= 3
    assert view.decisions.data(view.decisions.index(0, 2)).endswith("%")
    assert view.finished.rowCount() >= 1  # the finished document, suggested for again
    assert view.report is not None and view.report.finished == 1
    assert [p.documents for p in view.curve.points] == [0]
    qtmodeltester.check(view.decisions)
    qtmodeltester.check(view.finished)
    view.close()


def test_annotating_where_a_suggestion_lies_hides_it_as_a_full_reread_would(
    qtbot, window: MainWindow, db_path: Path
):
    settle(qtbot, window)
    ctl = controller(window)
    panel = ctl.panel
    before = ctl.shown()
    date = next(s for s in before if label_name(window, s) == "DATE")
    window.article.setFocus()
    window.article.select_range(date.start, date.end)
    press(qtbot, window, Qt.Key.Key_2)  # DATE, the suggestion's own label
    assert (date.start, date.end, "DATE") in [(s, e, n) for s, e, n, _o in span_origins(db_path)]
    qtbot.wait(10)

    # Gone from the article, the list, the counts and the title, and nothing else is.
    expected = [s for s in before if s.id != date.id]
    assert [s.id for s in ctl.shown()] == [s.id for s in expected]
    assert window.article.suggestions_at(date.start) == [
        s for s in window.article.suggestions_at(date.start) if s.id != date.id
    ]
    assert date.id not in window.article.suggestions.by_id
    assert [s.id for s in window.article.suggestions.items] == [
        s.id for s in sorted(expected, key=lambda s: (s.start, -s.end, s.id))
    ]
    assert [panel.model.suggestion_at(r).id for r in range(panel.model.rowCount())] == [
        s.id for s in expected
    ]
    assert panel.model.row_of(expected[-1].id) == len(expected) - 1
    assert ctl.dock.windowTitle() == f"Suggestions ({len(expected)})"
    summary = panel.summary.text()
    ctl.sync()  # reading everything again shows the same
    assert [s.id for s in ctl.shown()] == [s.id for s in expected]
    assert panel.summary.text() == summary
    assert ctl.dock.windowTitle() == f"Suggestions ({len(expected)})"

    # Undone: the suggestion is proposed again.
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: date.id in {s.id for s in ctl.shown()}, timeout=5000)
    assert panel.model.rowCount() == len(before)


def test_closing_the_window_cancels_a_run_between_the_reads_of_what_the_corpus_teaches(
    qtbot, window: MainWindow, db_path: Path, monkeypatch
):
    import threading

    from annotator.store import Repository

    reading = threading.Event()
    later: list[str] = []
    marks = Repository.recent_label_marks

    def slow_marks(self, label_id: int, limit: int):
        reading.set()
        time.sleep(0.3)  # a long read of the corpus's marks, under way as the window closes
        return marks(self, label_id, limit)

    def rejected_places(self, label_id: int):
        later.append("rejected")
        return {}

    monkeypatch.setattr(Repository, "recent_label_marks", slow_marks)
    monkeypatch.setattr(Repository, "rejected_places", rejected_places)
    qtbot.waitUntil(reading.is_set, timeout=30000)  # the run the opened document started
    window.close()
    assert not controller(window).runs.busy()
    assert later == []  # cancelled after that read: the rest was never read
    assert stored_suggestions(db_path) == []


def test_a_document_where_the_engines_found_nothing_is_not_read_again_when_opened(
    qtbot, window: MainWindow, db_path: Path, monkeypatch
):
    import annotator.ui.annotate.suggestion_runs as runs

    settle(qtbot, window)
    first = window.editor.document
    assert first is not None
    quiet = open_text(qtbot, window, "Nothing much here.", "Quiet")
    assert stored_suggestions(db_path, quiet) == []
    proposed: list[list[int]] = []
    propose = runs.propose_suggestions

    def counted(db, *, document_ids, **kwargs):
        proposed.append(list(document_ids))
        return propose(db, document_ids=document_ids, **kwargs)

    monkeypatch.setattr(runs, "propose_suggestions", counted)
    window.close()
    again = create_main_window(str(db_path), "tester")
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.open_document(quiet)
    settle(qtbot, again)
    assert quiet not in [d for ids in proposed for d in ids]
    # Asked for, the engines run again all the same.
    again.actions_by_key["suggest_document"].trigger()
    settle(qtbot, again)
    assert proposed[-1] == [quiet]
    # Without what was kept (another text, other engines), opening runs them again.
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM settings WHERE key LIKE 'suggestions.nothing_found:%'")
    proposed.clear()
    again.open_document(first.id)
    settle(qtbot, again)
    controller(again)._auto_run.clear()
    again.open_document(quiet)
    settle(qtbot, again)
    assert proposed[-1] == [quiet]
    again.close()
    again.db.dispose()


def test_a_run_stores_off_the_gui_thread_and_the_window_shows_what_it_stored(
    qtbot, window: MainWindow, db_path: Path, monkeypatch
):
    import threading

    import annotator.ui.annotate.editing as editing
    import annotator.ui.annotate.suggestion_runs as runs
    from annotator.services.suggestions import list_suggestions

    settle(qtbot, window)
    document = window.editor.document
    assert document is not None
    threads: list[threading.Thread] = []
    store = runs.store_and_list

    def stored_where(*args, **kwargs):
        threads.append(threading.current_thread())
        return store(*args, **kwargs)

    read_back: list[int] = []
    listing = editing.suggestion_service.list_suggestions

    def counted(*args, **kwargs):
        read_back.append(kwargs["document_id"])
        return listing(*args, **kwargs)

    monkeypatch.setattr(runs, "store_and_list", stored_where)
    monkeypatch.setattr(editing.suggestion_service, "list_suggestions", counted)
    window.actions_by_key["suggest_document"].trigger()
    settle(qtbot, window)
    assert threads and threads[0] is not threading.main_thread()
    assert read_back == []
    shown = window.editor.suggestions
    assert shown and shown == list_suggestions(
        window.db, document_id=document.id, annotator_id=window.editor.annotator.id
    )
    assert controller(window).panel.model.rowCount() == len(stored_suggestions(db_path))
