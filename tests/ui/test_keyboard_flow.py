"""Keyboard flow in the real window: keys belong to the focused field, Escape returns to the
article, the document list opens only what the user picks, and documents follow one another."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from ui_helpers import find, stored_spans

from annotator.domain.library import DocumentStatus
from annotator.domain.model import DocumentMeta
from annotator.services.documents import add_document
from annotator.services.library import set_status
from annotator.ui.annotate.span_details import SpanDetailsPanel
from annotator.ui.corpus.metadata_dialog import MetadataDialog
from annotator.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def details(window: MainWindow) -> SpanDetailsPanel:
    panel = window.findChild(SpanDetailsPanel)
    assert panel is not None
    return panel


def annotate(qtbot, window: MainWindow, quote: str, hotkey: Qt.Key) -> int:
    window.article.setFocus()
    window.article.select_range(*find(window, quote))
    qtbot.keyClick(window.article, hotkey)
    span_id = window.article.selected_span_id
    assert span_id is not None
    return span_id


def choice(window: MainWindow, name: str) -> QComboBox:
    box = details(window).editors[name]
    assert isinstance(box, QComboBox)
    return box


# Single-letter shortcuts and focused fields -----------------------------------------------------
def test_p_typed_into_the_kind_box_picks_person_and_the_span_stays(qtbot, window: MainWindow):
    annotate(qtbot, window, "Marta Lindqvist", Qt.Key.Key_1)
    second = annotate(qtbot, window, "Ines Okafor", Qt.Key.Key_1)
    kind = choice(window, "kind")
    kind.setFocus()
    qtbot.keyClicks(kind, "p")
    assert window.article.selected_span_id == second
    assert kind.currentText() == "person"
    assert window.editor.span(second).attributes == {"kind": "person"}
    # The next Tab goes on through the details, not to the Documents filter.
    qtbot.keyClick(kind, Qt.Key.Key_Tab)
    assert details(window).isAncestorOf(focused())
    assert window.library.search.text() == ""


@pytest.mark.qt_log_ignore(  # offscreen cannot raise a popup or grab the keyboard for it
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)
def test_letters_typed_into_an_open_kind_list_pick_a_kind(qtbot, window: MainWindow):
    annotate(qtbot, window, "Marta Lindqvist", Qt.Key.Key_1)
    second = annotate(qtbot, window, "Ines Okafor", Qt.Key.Key_1)
    kind = choice(window, "kind")
    kind.setFocus()
    qtbot.keyClick(kind, Qt.Key.Key_F4)  # opens the list
    popup_list = focused()
    assert popup_list is kind.view()
    qtbot.keyClicks(popup_list, "p")
    qtbot.keyClick(popup_list, Qt.Key.Key_Return)
    assert focused() is kind
    qtbot.keyClicks(kind, "n")  # no kind starts with n: nothing moves
    assert window.article.selected_span_id == second
    assert kind.currentText() == "person"
    assert window.editor.span(second).attributes == {"kind": "person"}


def test_p_and_n_in_a_claims_boxes_pick_paraphrase_and_neutral(qtbot, window: MainWindow):
    annotate(qtbot, window, "Marta Lindqvist", Qt.Key.Key_1)
    claim = annotate(qtbot, window, "the barrier would cut the catch", Qt.Key.Key_3)
    qtbot.keyClick(window.article, Qt.Key.Key_F2)
    quote_type = choice(window, "quote_type")
    assert focused() is quote_type
    qtbot.keyClicks(quote_type, "p")
    stance = choice(window, "stance")
    stance.setFocus()
    qtbot.keyClicks(stance, "n")
    assert window.article.selected_span_id == claim
    assert window.editor.span(claim).attributes == {
        "quote_type": "paraphrase",
        "stance": "neutral",
    }


# Escape ------------------------------------------------------------------------------------------
def test_escape_closes_the_find_bar_and_2_marks_the_found_text(
    qtbot, window: MainWindow, db_path: Path
):
    qtbot.keyClick(window.article, Qt.Key.Key_F, CTRL)
    assert focused() is window.find_bar.edit
    qtbot.keyClicks(window.find_bar.edit, "march 2024")
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert focused() is window.article
    qtbot.keyClick(focused(), Qt.Key.Key_2)
    assert window.library.search.text() == ""
    assert [(r.label, r.quote) for r in stored_spans(db_path)] == [("DATE", "March 2024")]


def test_escape_from_any_dock_returns_to_the_article(qtbot, window: MainWindow):
    annotate(qtbot, window, "Ines Okafor", Qt.Key.Key_1)
    window.actions_by_key["search"].trigger()
    places: list[QWidget] = [
        window.library.search,
        window.library.status,
        window.library.view,
        window.span_view,
        window.span_origin,
        window.search_panel.query,
        window.search_panel.results,
        choice(window, "kind"),
    ]
    for place in places:
        place.window().activateWindow()
        place.setFocus()
        assert focused() is place
        qtbot.keyClick(place, Qt.Key.Key_Escape)
        assert focused() is window.article, place


def test_escape_in_a_dialog_still_cancels_it(qtbot, window: MainWindow):
    closed: list[bool] = []

    def press_escape() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MetadataDialog)
        qtbot.waitUntil(lambda: dialog.isAncestorOf(focused()))
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)
        closed.append(not dialog.isVisible())
        if dialog.isVisible():  # fail the test rather than hang it
            dialog.reject()

    QTimer.singleShot(0, press_escape)
    window.actions_by_key["details"].trigger()  # returns when the dialog closes
    assert closed == [True]


# The document list ----------------------------------------------------------------------------
def add_articles(window: MainWindow, count: int) -> list[int]:
    ids = [
        add_document(
            window.db,
            text=f"Councillor Ada Berg{n} said the budget {n} was safe.",
            meta=DocumentMeta(f"Budget {n}", published="2025-03-05"),
        ).id
        for n in range(count)
    ]
    window.reload_documents()
    return ids


def filter_documents(qtbot, window: MainWindow, text: str) -> None:
    search = window.library.search
    search.setFocus()
    search.selectAll()
    qtbot.keyClick(search, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(search, text)
    qtbot.waitUntil(lambda: (window.library.model.filters.text or "") == text)


def test_tabbing_into_the_document_list_opens_nothing_and_enter_opens(qtbot, window: MainWindow):
    demo = window.editor.document.id
    first, _second, third = add_articles(window, 3)
    filter_documents(qtbot, window, "budget")
    assert window.library.model.rowCount() == 3
    assert window.library.model.document_id(0) == first
    for _ in range(5):  # the filter field, four filter boxes, then the list
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is window.library.view
    assert window.editor.document.id == demo
    qtbot.keyClick(window.library.view, Qt.Key.Key_Return)
    assert window.editor.document.id == first
    qtbot.keyClick(window.library.view, Qt.Key.Key_Down)
    qtbot.keyClick(window.library.view, Qt.Key.Key_Down)
    assert window.editor.document.id == third


def test_the_open_document_is_highlighted_again_when_the_filter_is_cleared(
    qtbot, window: MainWindow
):
    ids = add_articles(window, 3)
    window.open_document(ids[1])
    filter_documents(qtbot, window, "Berg0")
    assert [window.library.model.document_id(0)] == [ids[0]]
    assert window.library.selected_ids() == []
    assert window.editor.document.id == ids[1]
    filter_documents(qtbot, window, "")
    assert window.library.selected_ids() == [ids[1]]
    assert window.editor.document.id == ids[1]


# Search -------------------------------------------------------------------------------------------
def test_down_in_the_search_box_reaches_the_results_and_enter_opens_one(qtbot, window: MainWindow):
    ids = add_articles(window, 3)
    qtbot.keyClick(window.article, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.ShiftModifier)
    query = window.search_panel.query
    assert focused() is query
    qtbot.keyClicks(query, "Berg1")
    qtbot.keyClick(query, Qt.Key.Key_Return)
    results = window.search_panel.results
    assert results.model().rowCount() == 1
    qtbot.keyClick(query, Qt.Key.Key_Down)
    assert focused() is results
    assert results.currentIndex().row() == 0
    qtbot.keyClick(results, Qt.Key.Key_Up)
    assert focused() is query
    qtbot.keyClick(query, Qt.Key.Key_Down)
    qtbot.keyClick(results, Qt.Key.Key_Return)
    assert window.editor.document.id == ids[1]


# From document to document ------------------------------------------------------------------------
def done_titles(path: Path) -> list[str]:
    """Titles of the documents marked done, read from the database file."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT d.title FROM document_status s JOIN documents d ON d.id = s.document_id "
            "WHERE s.status = 'done' ORDER BY d.title"
        ).fetchall()
    return [title for (title,) in rows]


def title(window: MainWindow) -> str:
    assert window.editor.document is not None
    return window.editor.document.title


def test_ctrl_d_marks_done_and_opens_the_next_unfinished(qtbot, window: MainWindow, db_path: Path):
    demo = title(window)
    ids = add_articles(window, 3)
    set_status(
        window.db,
        document_id=ids[1],
        annotator_id=window.editor.annotator.id,
        status=DocumentStatus.DONE,
    )
    window.reload_documents()
    qtbot.keyClick(window.article, Qt.Key.Key_D, CTRL)
    assert done_titles(db_path) == ["Budget 1", demo]
    assert title(window) == "Budget 0"
    message = window.statusBar().currentMessage()
    assert demo[:20] in message and "next unfinished: “Budget 0”" in message
    assert window.library.selected_ids() == [ids[0]]

    qtbot.keyClick(window.article, Qt.Key.Key_D, CTRL)  # Budget 1 is done: skipped
    assert title(window) == "Budget 2"
    qtbot.keyClick(window.article, Qt.Key.Key_D, CTRL)
    assert done_titles(db_path) == ["Budget 0", "Budget 1", "Budget 2", demo]
    assert title(window) == "Budget 2"
    assert "No unfinished document is left" in window.statusBar().currentMessage()


def test_next_and_previous_document_follow_the_lists_order(qtbot, window: MainWindow):
    demo = title(window)
    add_articles(window, 3)
    header = window.library.view.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2),
    )
    shown = [window.library.model.row_at(r).title for r in range(4)]
    assert shown == ["Budget 0", "Budget 1", "Budget 2", demo]  # by title
    assert title(window) == demo

    qtbot.keyClick(window.article, Qt.Key.Key_PageDown, CTRL)
    assert title(window) == demo
    assert "last document" in window.statusBar().currentMessage()
    qtbot.keyClick(window.article, Qt.Key.Key_PageUp, CTRL)
    assert title(window) == "Budget 2"
    # From the document list too: the keys are the window's, not the list's.
    window.library.view.setFocus()
    qtbot.keyClick(window.library.view, Qt.Key.Key_PageUp, CTRL)
    assert title(window) == "Budget 1"
    assert window.library.selected_ids() == [window.editor.document.id]
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_PageDown, CTRL)
    assert title(window) == "Budget 2"

    # Done with Budget 2, then with the demo after it: round to the top of the list.
    window.actions_by_key["status_done"].trigger()
    assert title(window) == demo
    window.actions_by_key["status_done"].trigger()
    assert title(window) == "Budget 0"
    # Next unfinished skips the two done ones and goes round.
    qtbot.keyClick(window.article, Qt.Key.Key_PageDown, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert title(window) == "Budget 1"
    qtbot.keyClick(window.article, Qt.Key.Key_PageDown, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert title(window) == "Budget 0"
