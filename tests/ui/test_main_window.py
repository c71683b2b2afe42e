"""The real main window, driven with keys and mouse; results read back from the database file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QToolButton
from ui_helpers import find, stored_spans

from annotator.domain.model import DocumentMeta
from annotator.services.documents import add_document
from annotator.ui.main_window import MainWindow


def press(qtbot, win: MainWindow, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key in the article; then the span list, document list and status bar follow."""
    qtbot.keyClick(win.article, key, modifier)
    qtbot.waitUntil(lambda: not win.updates_pending())


def click_at_offset(qtbot, win: MainWindow, offset: int) -> None:
    """Click the middle of the character at a code-point offset."""
    view = win.article
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.text_index.to_utf16(offset))
    left = view.cursorRect(cursor)
    cursor.setPosition(view.text_index.to_utf16(offset + 1))
    right = view.cursorRect(cursor)
    point = QPoint((left.x() + right.x()) // 2, left.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_first_start_shows_demo_article_with_default_labels(window: MainWindow) -> None:
    assert window.documents.rowCount() == 1
    assert "Port Aldren" in window.article.text
    assert [b.text() for b in window.label_palette.buttons.values()] == [
        "1  ACTOR",
        "2  DATE",
        "3  CLAIM",
    ]
    assert window.status_annotator.text() == "Annotator: tester"


def test_select_and_hotkey_stores_span_and_undo_redo(qtbot, window: MainWindow, db_path: Path):
    start, end = find(window, "Ines Okafor")
    window.article.select_range(start, end)
    press(qtbot, window, Qt.Key.Key_1)

    rows = stored_spans(db_path)
    assert [(r.start, r.end, r.label, r.quote) for r in rows] == [
        (start, end, "ACTOR", "Ines Okafor")
    ]
    assert window.span_model.rowCount() == 1
    assert window.status_counts.text().startswith("1 span: ACTOR 1")
    span_id = rows[0].id

    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_spans(db_path) == []
    assert window.span_model.rowCount() == 0

    qtbot.keyClick(
        window.article,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    rows = stored_spans(db_path)
    assert [(r.id, r.start, r.end, r.label) for r in rows] == [(span_id, start, end, "ACTOR")]
    assert window.span_model.rowCount() == 1


def test_status_bar_counts_follow_adds_relabels_and_undo(qtbot, window: MainWindow) -> None:
    """The counts per label are kept up to date edit by edit; they must match the spans."""
    for words, key in (("Ines Okafor", Qt.Key.Key_1), ("Port Aldren", Qt.Key.Key_1)):
        window.article.select_range(*find(window, words))
        press(qtbot, window, key)
    assert window.status_counts.text() == "2 spans: ACTOR 2, DATE 0, CLAIM 0"

    # The second span is selected: its label becomes DATE.
    press(qtbot, window, Qt.Key.Key_2)
    assert window.status_counts.text() == "2 spans: ACTOR 1, DATE 1, CLAIM 0"

    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.status_counts.text() == "2 spans: ACTOR 2, DATE 0, CLAIM 0"
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.status_counts.text() == "1 span: ACTOR 1, DATE 0, CLAIM 0"


def test_keyboard_selection_and_snapping_to_words(qtbot, window: MainWindow, db_path: Path):
    start, _ = find(window, "Tomas Reyes")
    cursor = window.article.textCursor()
    cursor.setPosition(window.article.text_index.to_utf16(start + 2))  # inside "Tomas"
    window.article.setTextCursor(cursor)
    for _ in range(len("mas Rey")):
        qtbot.keyClick(window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert window.article.selected_range() == (start + 2, start + 9)
    press(qtbot, window, Qt.Key.Key_1)
    assert [r.quote for r in stored_spans(db_path)] == ["Tomas Reyes"]


def test_snapping_trims_spaces_and_punctuation(qtbot, window: MainWindow, db_path: Path):
    start, end = find(window, " Tomas Reyes, ")
    window.article.select_range(start, end)
    press(qtbot, window, Qt.Key.Key_1)
    assert [r.quote for r in stored_spans(db_path)] == ["Tomas Reyes"]


def test_alt_hotkey_takes_exact_characters(qtbot, window: MainWindow, db_path: Path):
    start, _ = find(window, "Tomas Reyes")
    window.article.select_range(start + 2, start + 9)
    press(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert [r.quote for r in stored_spans(db_path)] == ["mas Rey"]


def test_exact_mode_action_turns_snapping_off(qtbot, window: MainWindow, db_path: Path):
    window.actions_by_key["exact_mode"].setChecked(True)
    start, _ = find(window, "Tomas Reyes")
    window.article.select_range(start + 2, start + 9)
    window.label_palette.buttons[window.editor.labels[0].id].click()
    assert [r.quote for r in stored_spans(db_path)] == ["mas Rey"]


def test_click_span_then_delete_and_undo(qtbot, window: MainWindow, db_path: Path):
    start, end = find(window, "Marta Lindqvist")
    window.article.select_range(start, end)
    press(qtbot, window, Qt.Key.Key_1)
    window.article.select_span(None)
    click_at_offset(qtbot, window, start + 3)
    assert window.article.selected_span_id == stored_spans(db_path)[0].id

    press(qtbot, window, Qt.Key.Key_Delete)
    assert stored_spans(db_path) == []
    assert window.span_model.rowCount() == 0

    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [(r.start, r.end, r.label) for r in stored_spans(db_path)] == [(start, end, "ACTOR")]


def test_hotkey_on_selected_span_relabels_it(qtbot, window: MainWindow, db_path: Path):
    start, end = find(window, "12 September 2025")
    window.article.select_range(start, end)
    press(qtbot, window, Qt.Key.Key_1)
    assert [r.label for r in stored_spans(db_path)] == ["ACTOR"]
    # The new span is selected, so the next hotkey relabels it.
    press(qtbot, window, Qt.Key.Key_2)
    assert [(r.start, r.end, r.label) for r in stored_spans(db_path)] == [(start, end, "DATE")]
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r.label for r in stored_spans(db_path)] == ["ACTOR"]
    qtbot.keyClick(window.article, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert [r.label for r in stored_spans(db_path)] == ["DATE"]


def test_nested_spans_are_stored_drawn_and_listed_on_hover(
    qtbot, window: MainWindow, db_path: Path
):
    claim = find(window, "Its chair, Tomas Reyes, claimed that the barrier would cut the catch")
    actor = find(window, "Tomas Reyes")
    window.article.select_range(*claim)
    press(qtbot, window, Qt.Key.Key_3)
    window.article.select_range(*actor)
    press(qtbot, window, Qt.Key.Key_1)
    assert sorted((r.label, r.start, r.end) for r in stored_spans(db_path)) == [
        ("ACTOR", *actor),
        ("CLAIM", *claim),
    ]

    # The actor's characters carry both a background and the claim's underline.
    view = window.article
    block = view.document().findBlock(view.text_index.to_utf16(actor[0]))
    rel = view.text_index.to_utf16(actor[0]) - block.position()
    formats = [f for f in block.layout().formats() if f.start <= rel < f.start + f.length]
    assert len(formats) == 1
    assert formats[0].format.fontUnderline()
    assert formats[0].format.background().style() != Qt.BrushStyle.NoBrush

    # Hovering shows both spans.
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.text_index.to_utf16(actor[0] + 1))
    tip = view.tooltip_at(view.cursorRect(cursor).center() + QPoint(2, 0))
    assert "ACTOR" in tip and "CLAIM" in tip and "Tomas Reyes" in tip

    # Repeated clicks walk from the actor out to the claim.
    window.article.select_span(None)
    click_at_offset(qtbot, window, actor[0] + 2)
    first = window.article.selected_span_id
    click_at_offset(qtbot, window, actor[0] + 2)
    second = window.article.selected_span_id
    labels = {r.id: r.label for r in stored_spans(db_path)}
    assert (labels[first], labels[second]) == ("ACTOR", "CLAIM")


def test_annotation_list_click_jumps_to_span(qtbot, window: MainWindow, db_path: Path):
    start, end = find(window, "Aldren Courier")
    window.article.select_range(start, end)
    press(qtbot, window, Qt.Key.Key_1)
    window.article.scroll_to(0)
    window.article.select_span(None)
    index = window.span_model.index(0, 1)
    rect = window.span_view.visualRect(index)
    qtbot.mouseClick(window.span_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.article.selected_span_id == stored_spans(db_path)[0].id
    visible = window.article.cursorForPosition(QPoint(5, 5)).position()
    assert visible <= window.article.text_index.to_utf16(start)
    assert window.article.cursorRect(window.article.textCursor()).top() >= 0


def test_document_list_counts_and_status_follow_edits(qtbot, window: MainWindow):
    assert window.documents.data(window.documents.index(0, 3)) == "new"
    window.article.select_range(*find(window, "Port Aldren city council"))
    press(qtbot, window, Qt.Key.Key_1)
    assert window.documents.data(window.documents.index(0, 4)) == 1
    # The first annotation starts the document for this annotator.
    assert window.documents.data(window.documents.index(0, 3)) == "in progress"
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.documents.data(window.documents.index(0, 4)) == 0
    window.library.reload()
    assert window.documents.data(window.documents.index(0, 4)) == 0


def test_undo_of_edit_in_other_document_opens_it(qtbot, window: MainWindow, db_path: Path):
    window.article.select_range(*find(window, "Tomas Reyes"))
    press(qtbot, window, Qt.Key.Key_1)
    other = add_document(window.db, text="Second article about nothing.", meta=DocumentMeta("Two"))
    window.reload_documents()
    window.open_document(other.id)
    assert window.editor.document is not None and window.editor.document.id == other.id
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_spans(db_path) == []
    assert "Port Aldren" in window.article.text


def test_markup_in_untrusted_title_and_text_is_shown_literally(qtbot, window: MainWindow):
    title = "Summit <b>report</b> <img src='file:///dev/zero'>"
    doc = add_document(
        window.db, text="<i>not italic</i> said <b>Bob</b>.", meta=DocumentMeta(title)
    )
    window.reload_documents()
    window.open_document(doc.id)
    assert window.status_document.text() == title
    assert window.status_document.textFormat() == Qt.TextFormat.PlainText
    assert window.windowTitle().startswith(title)
    row = window.documents.row_of(doc.id)
    assert window.documents.data(window.documents.index(row, 0)) == title
    assert window.article.document().toPlainText() == "<i>not italic</i> said <b>Bob</b>."
    window.article.select_range(*find(window, "<b>Bob</b>"))
    press(qtbot, window, Qt.Key.Key_1)
    cursor = QTextCursor(window.article.document())
    cursor.setPosition(window.article.text_index.to_utf16(find(window, "Bob")[0]))
    tip = window.article.tooltip_at(window.article.cursorRect(cursor).center() + QPoint(2, 0))
    assert "&lt;b&gt;Bob&lt;/b&gt;" in tip and "<b>Bob" not in tip


def test_selection_of_only_spaces_is_refused_with_a_message(qtbot, window, db_path: Path):
    start, _ = find(window, ".\n\nMayor")
    window.article.select_range(start + 1, start + 3)
    press(qtbot, window, Qt.Key.Key_1)
    assert stored_spans(db_path) == []
    # An error the user can act on: a notice above the article that stays, without taking
    # the keyboard from the article.
    assert "spaces or punctuation" in window.notice.text()
    assert window.article.hasFocus()
    qtbot.mouseClick(window.notice.findChild(QToolButton, "noticeClose"), Qt.MouseButton.LeftButton)
    assert window.notice.text() == ""


def test_n_and_p_step_through_spans_in_text_order(qtbot, window: MainWindow, db_path: Path):
    for needle in ("Marta Lindqvist", "Ines Okafor", "Tomas Reyes"):
        window.article.select_range(*find(window, needle))
        press(qtbot, window, Qt.Key.Key_1)
    window.article.select_span(None)
    quotes = {r.id: r.quote for r in stored_spans(db_path)}
    seen = []
    for _ in range(4):
        press(qtbot, window, Qt.Key.Key_N)
        seen.append(quotes[window.article.selected_span_id])
    assert seen == ["Ines Okafor", "Tomas Reyes", "Marta Lindqvist", "Ines Okafor"]
    press(qtbot, window, Qt.Key.Key_P)
    assert quotes[window.article.selected_span_id] == "Marta Lindqvist"
