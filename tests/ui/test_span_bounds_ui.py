"""Adjusting a span's bounds in the real window: keys and drag handles, each one undo step; and
snapping that keeps a quotation's closing mark. Results are read back from the database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from ui_helpers import find, stored_spans

from annotator.ui.annotate.span_bounds import BoundHandle
from annotator.ui.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT, RIGHT = Qt.Key.Key_Left, Qt.Key.Key_Right


def press(qtbot, win: MainWindow, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(win.article, key, modifier)


def quotes(db_path: Path) -> list[str]:
    return [r.quote for r in stored_spans(db_path)]


def annotate(qtbot, win: MainWindow, needle: str, hotkey: Qt.Key = Qt.Key.Key_1) -> None:
    """Select a phrase and press a label's key; the new span is selected."""
    win.article.select_range(*find(win, needle))
    press(qtbot, win, hotkey)


def undo(qtbot, win: MainWindow) -> None:
    press(qtbot, win, Qt.Key.Key_Z, CTRL)


def test_snapping_keeps_the_closing_quotation_mark(qtbot, window: MainWindow, db_path: Path):
    """Bug 7: a selection that holds a quotation's opening mark keeps its closing one."""
    start, _ = find(window, "said the barrier would")
    _, end = find(window, 'fifty years"')
    window.article.select_range(start, end)
    press(qtbot, window, Qt.Key.Key_3)
    assert quotes(db_path) == [
        'said the barrier would "protect every home below the old bridge for the next fifty years"'
    ]
    # A drag that stops inside the last word gets the mark too.
    undo(qtbot, window)
    window.article.select_range(start, end - 4)
    press(qtbot, window, Qt.Key.Key_3)
    assert quotes(db_path)[0].endswith('fifty years"')


def test_keys_grow_and_shrink_the_selected_span_and_undo_steps_back(
    qtbot, window: MainWindow, db_path: Path
):
    annotate(qtbot, window, "Okafor")
    (first,) = stored_spans(db_path)
    assert window.article.selected_span_id == first.id

    steps = [
        ((LEFT, ALT | SHIFT), "Ines Okafor"),
        ((RIGHT, ALT), "Ines Okafor said"),
        ((LEFT, ALT), "Ines Okafor"),
        ((LEFT, CTRL | ALT), "Ines Okafo"),
        ((RIGHT, CTRL | ALT | SHIFT), "nes Okafo"),
        ((LEFT, CTRL | ALT | SHIFT), "Ines Okafo"),
        ((RIGHT, ALT | SHIFT), "Okafo"),
    ]
    for (key, modifiers), expected in steps:
        press(qtbot, window, key, modifiers)
        rows = stored_spans(db_path)
        # The same span, moved: one row, its id kept, the quote the text at its offsets.
        assert [(r.id, r.quote) for r in rows] == [(first.id, expected)], (key, modifiers)
        assert window.article.text[rows[0].start : rows[0].end] == expected
        assert window.article.selected_span_id == first.id

    # Each move was one undo step.
    for _, expected in reversed([((), "Okafor"), *steps[:-1]]):
        undo(qtbot, window)
        assert quotes(db_path) == [expected]
    assert stored_spans(db_path)[0] == first
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert quotes(db_path) == ["Ines Okafor"]


def test_a_span_does_not_shrink_to_nothing(qtbot, window: MainWindow, db_path: Path):
    annotate(qtbot, window, "Okafor")
    press(qtbot, window, LEFT, ALT)
    assert quotes(db_path) == ["Okafor"]
    assert "empty" in window.notice.text()
    assert not window.editor.undo_stack.canRedo()
    assert window.editor.undo_stack.count() == 1  # only the span's creation


def test_shift_arrows_still_select_text_while_a_span_is_selected(
    qtbot, window: MainWindow, db_path: Path
):
    annotate(qtbot, window, "Okafor")
    _, end = find(window, "Okafor")
    cursor = window.article.textCursor()
    cursor.setPosition(window.article.text_index.to_utf16(end))
    window.article.setTextCursor(cursor)
    press(qtbot, window, RIGHT, SHIFT)
    press(qtbot, window, RIGHT, SHIFT)
    assert window.article.selected_range() == (end, end + 2)
    assert quotes(db_path) == ["Okafor"]


def test_the_keys_without_a_selected_span_say_what_to_do(qtbot, window: MainWindow, db_path):
    press(qtbot, window, RIGHT, ALT)
    assert "Select a span" in window.statusBar().currentMessage()
    assert stored_spans(db_path) == []


# Drag handles ----------------------------------------------------------------------------------


def handle(win: MainWindow, name: str) -> BoundHandle:
    found = win.article.viewport().findChild(BoundHandle, name)
    assert found is not None
    return found


def caret_point(win: MainWindow, offset: int) -> QPoint:
    """The middle of the text cursor before a code point, in viewport coordinates."""
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(win.article.text_index.to_utf16(offset))
    return win.article.cursorRect(cursor).center()


def drag(qtbot, grip: BoundHandle, target: QPoint, modifier=Qt.KeyboardModifier.NoModifier):
    """Press on a handle's line, move it to a viewport point, and let go there."""
    left = Qt.MouseButton.LeftButton
    qtbot.mousePress(grip, left, modifier, grip.line_centre())
    qtbot.mouseMove(grip, grip.mapFromParent(QPoint(target.x() - 5, target.y())))
    qtbot.mouseMove(grip, grip.mapFromParent(target))
    qtbot.mouseRelease(grip, left, modifier, grip.mapFromParent(target))


def test_handles_sit_on_the_selected_span_ends_with_a_resize_cursor(
    qtbot, window: MainWindow, db_path: Path
):
    start_grip = handle(window, "spanHandleStart")
    end_grip = handle(window, "spanHandleEnd")
    assert not start_grip.isVisible() and not end_grip.isVisible()
    annotate(qtbot, window, "Tomas")
    start, end = find(window, "Tomas")
    for grip, offset in ((start_grip, start), (end_grip, end)):
        assert grip.isVisible()
        point = caret_point(window, offset)
        # The widget under the mouse at the bound is the handle, and it shows a resize cursor.
        assert window.article.viewport().childAt(point) is grip
        assert grip.cursor().shape() == Qt.CursorShape.SizeHorCursor
    # Selecting nothing hides them.
    window.article.select_span(None)
    assert not start_grip.isVisible() and not end_grip.isVisible()


def test_dragging_the_end_handle_snaps_to_words_and_undo_restores(
    qtbot, window: MainWindow, db_path: Path
):
    annotate(qtbot, window, "Tomas")
    (first,) = stored_spans(db_path)
    reyes, _ = find(window, "Reyes")
    drag(qtbot, handle(window, "spanHandleEnd"), caret_point(window, reyes + 2))
    rows = stored_spans(db_path)
    assert [(r.id, r.quote) for r in rows] == [(first.id, "Tomas Reyes")]
    assert window.article.selected_range() is None  # the preview selection is gone
    assert window.editor.undo_stack.count() == 2
    undo(qtbot, window)
    assert stored_spans(db_path) == [first]


def test_dragging_with_alt_or_in_exact_mode_moves_the_bound_exactly(
    qtbot, window: MainWindow, db_path: Path
):
    annotate(qtbot, window, "Tomas Reyes")
    tomas, _ = find(window, "Tomas")
    drag(qtbot, handle(window, "spanHandleStart"), caret_point(window, tomas + 2), ALT)
    assert quotes(db_path) == ["mas Reyes"]
    window.actions_by_key["exact_mode"].setChecked(True)
    reyes, _ = find(window, "Reyes")
    drag(qtbot, handle(window, "spanHandleEnd"), caret_point(window, reyes + 3))
    assert quotes(db_path) == ["mas Rey"]
    undo(qtbot, window)
    undo(qtbot, window)
    assert quotes(db_path) == ["Tomas Reyes"]


def test_a_handle_dragged_past_the_other_end_keeps_the_span(
    qtbot, window: MainWindow, db_path: Path
):
    annotate(qtbot, window, "Reyes")
    tomas, _ = find(window, "Tomas")
    drag(qtbot, handle(window, "spanHandleEnd"), caret_point(window, tomas))
    assert quotes(db_path) == ["Reyes"]
    QApplication.processEvents()
    assert handle(window, "spanHandleEnd").isVisible()


def test_a_click_on_a_handle_without_dragging_changes_nothing(
    qtbot, window: MainWindow, db_path: Path
):
    # An exact span inside a word: snapping it on a mere click would widen it.
    window.actions_by_key["exact_mode"].setChecked(True)
    annotate(qtbot, window, "mas Rey")
    grip = handle(window, "spanHandleStart")
    qtbot.mouseClick(grip, Qt.MouseButton.LeftButton, pos=grip.line_centre())
    window.actions_by_key["exact_mode"].setChecked(False)
    qtbot.mouseClick(grip, Qt.MouseButton.LeftButton, pos=grip.line_centre())
    assert quotes(db_path) == ["mas Rey"]
    assert window.editor.undo_stack.count() == 1


def test_a_moved_span_keeps_its_links(qtbot, window: MainWindow, db_path: Path):
    annotate(qtbot, window, "barrier would", Qt.Key.Key_3)
    annotate(qtbot, window, "Okafor")
    actor, claim = sorted(stored_spans(db_path), key=lambda r: r.label)
    source = window.editor.schema.relation_type_named("SOURCE")
    assert source is not None
    assert window.editor.add_relation(source.id, claim.id, actor.id) is not None
    window.select_span(actor.id)

    press(qtbot, window, LEFT, ALT | SHIFT)
    assert quotes(db_path) == ["Ines Okafor", "barrier would"]

    def links() -> list[tuple[int, int]]:
        with sqlite3.connect(db_path) as conn:
            return conn.execute("SELECT source_id, target_id FROM relations").fetchall()

    assert links() == [(claim.id, actor.id)]
    assert [r.source_id for r in window.article.links_of(actor.id)] == [claim.id]
    undo(qtbot, window)
    assert quotes(db_path) == ["Okafor", "barrier would"]
    assert links() == [(claim.id, actor.id)]
