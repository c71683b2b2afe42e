"""The Details dock, driven like a user: keys and clicks; results read from the database file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit
from ui_helpers import find

from annotator.domain.model import DocumentMeta
from annotator.services.actors import create_actor
from annotator.services.documents import add_document
from annotator.services.spans import add_span
from annotator.ui.annotate.span_details import SpanDetailsPanel
from annotator.ui.main_window import MainWindow

TEXT = (
    "KCNA said on Monday that Kim Yo Jong praised the car. "
    "Kim Yo Jong first spoke about it in September 2023."
)
OTHER = "Observers in Seoul said Kim Yo Jong had not been seen."


def stored(path: Path, span_id: int) -> tuple[dict, str | None, str | None]:
    """(attributes, note, linked actor's key) of a span, read with plain sqlite3."""
    with sqlite3.connect(path) as conn:
        attributes, note, key = conn.execute(
            "SELECT s.attributes, s.note, a.key FROM spans s "
            "LEFT JOIN actors a ON a.id = s.actor_id WHERE s.id = ?",
            (span_id,),
        ).fetchone()
    return json.loads(attributes), note, key


def open_text(window: MainWindow, text: str = TEXT, title: str = "KCNA") -> int:
    doc = add_document(
        window.db, text=text, meta=DocumentMeta(title, published="2024-02-20", language="en")
    )
    window.reload_documents()
    window.open_document(doc.id)
    assert window.editor.document is not None and window.editor.document.id == doc.id
    return doc.id


def annotate(qtbot, window: MainWindow, quote: str, hotkey: Qt.Key, nth: int = 0) -> int:
    """Select `quote` and press a label hotkey, as a user would; the new span is selected."""
    window.article.setFocus()
    window.article.select_range(*find(window, quote, nth))
    qtbot.keyClick(window.article, hotkey)
    span_id = window.article.selected_span_id
    assert span_id is not None
    return span_id


def details(window: MainWindow) -> SpanDetailsPanel:
    panel = window.findChild(SpanDetailsPanel)
    assert panel is not None
    return panel


def retype(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def undo(qtbot, window: MainWindow) -> None:
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_date_value_proposed_checked_stored_and_undone(qtbot, window: MainWindow, db_path: Path):
    open_text(window)
    span_id = annotate(qtbot, window, "September 2023", Qt.Key.Key_2)
    panel = details(window)
    assert panel.span_id == span_id
    assert panel.label_name.text() == "DATE"
    assert panel.quote.text() == "“September 2023”"
    value = panel.editors["value"]
    assert isinstance(value, QLineEdit)
    assert value.text() == "2023-09"  # proposed when the span was made
    assert panel.date_info["value"].text() == "Granularity: month"

    retype(qtbot, value, "2023-13")
    assert "month 13 does not exist" in panel.date_info["value"].text()
    assert stored(db_path, span_id)[0] == {"value": "2023-09"}

    retype(qtbot, value, "2023-10")
    assert stored(db_path, span_id)[0] == {"value": "2023-10"}
    assert panel.date_info["value"].text() == "Granularity: month"

    undo(qtbot, window)
    assert stored(db_path, span_id)[0] == {"value": "2023-09"}
    assert value.text() == "2023-09"

    # Cleared, then proposed again from the text.
    retype(qtbot, value, "")
    assert stored(db_path, span_id)[0] == {}
    qtbot.mouseClick(panel.propose_buttons["value"], Qt.MouseButton.LeftButton)
    assert stored(db_path, span_id)[0] == {"value": "2023-09"}


def test_f2_edits_a_claim_by_keyboard_and_esc_returns(qtbot, window: MainWindow, db_path: Path):
    open_text(window)
    claim = annotate(qtbot, window, "Kim Yo Jong praised the car", Qt.Key.Key_3)
    panel = details(window)
    qtbot.keyClick(window.article, Qt.Key.Key_F2)
    quote_type = panel.editors["quote_type"]
    assert isinstance(quote_type, QComboBox)
    assert QApplication.focusWidget() is quote_type
    assert quote_type.currentText() == "—"

    qtbot.keyClick(quote_type, Qt.Key.Key_Down)  # the first choice after "—"
    assert quote_type.currentText() == "direct"
    assert stored(db_path, claim)[0] == {"quote_type": "direct"}
    qtbot.keyClick(quote_type, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.article

    # A note is stored when the note field loses the focus.
    assert panel.note is not None
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "Check the date.")
    window.article.setFocus()
    assert stored(db_path, claim)[1] == "Check the date."
    undo(qtbot, window)
    assert stored(db_path, claim)[1] is None
    assert panel.note.toPlainText() == ""


def test_claim_quote_type_direct_is_stored(qtbot, window: MainWindow, db_path: Path):
    open_text(window)
    claim = annotate(qtbot, window, "Kim Yo Jong praised the car", Qt.Key.Key_3)
    combo = details(window).editors["quote_type"]
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    index = combo.findText("direct")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what a pick from the open list sends
    assert stored(db_path, claim)[0] == {"quote_type": "direct"}
    checkbox = details(window).editors["hedged"]
    qtbot.mouseClick(checkbox, Qt.MouseButton.LeftButton)
    assert stored(db_path, claim)[0] == {"quote_type": "direct", "hedged": True}
    qtbot.mouseClick(checkbox, Qt.MouseButton.LeftButton)
    assert stored(db_path, claim)[0] == {"quote_type": "direct"}


def test_new_actor_from_mention_then_link_all_mentions_across_documents(
    qtbot, window: MainWindow, db_path: Path
):
    other = open_text(window, OTHER, "Seoul")
    other_span = add_span(
        window.db,
        document_id=other,
        start=OTHER.index("Kim Yo Jong"),
        end=OTHER.index("Kim Yo Jong") + len("Kim Yo Jong"),
        label_id=window.editor.schema.label_named("ACTOR").id,
        annotator_id=window.editor.annotator.id,
    )
    open_text(window)
    mention = annotate(qtbot, window, "Kim Yo Jong", Qt.Key.Key_1)
    panel = details(window)
    kind = panel.editors["kind"]
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findText("person"))
    kind.activated.emit(kind.currentIndex())
    assert panel.new_actor_button is not None and panel.link_all_button is not None
    assert not panel.link_all_button.isEnabled()

    qtbot.mouseClick(panel.new_actor_button, Qt.MouseButton.LeftButton)
    assert stored(db_path, mention)[2] == "kim-yo-jong"
    (actor,) = window.editor.actors.values()
    assert (actor.name, actor.key, actor.kind) == ("Kim Yo Jong", "kim-yo-jong", "person")
    assert panel.actor_box is not None
    assert panel.actor_box.currentText() == "Kim Yo Jong (kim-yo-jong, person)"
    assert stored(db_path, other_span.id)[2] is None

    qtbot.mouseClick(panel.link_all_button, Qt.MouseButton.LeftButton)
    assert stored(db_path, other_span.id)[2] == "kim-yo-jong"
    assert "Linked 1 more mention of Kim Yo Jong" in window.statusBar().currentMessage()
    undo(qtbot, window)
    assert stored(db_path, other_span.id)[2] is None
    assert stored(db_path, mention)[2] == "kim-yo-jong"


def test_typing_a_name_links_and_kinds_are_shared(qtbot, window: MainWindow, db_path: Path):
    create_actor(window.db, name="Korean Central News Agency", aliases=["KCNA"], kind="media")
    window.editor.reload_actors()
    open_text(window)
    kcna = annotate(qtbot, window, "KCNA", Qt.Key.Key_1)
    panel = details(window)
    assert panel.actor_box is not None
    line = panel.actor_box.lineEdit()
    line.setFocus()
    line.setText("kcna")  # typed; keyClicks would open the completer's popup
    qtbot.keyClick(line, Qt.Key.Key_Return)
    attributes, _, key = stored(db_path, kcna)
    assert key == "korean-central-news-agency"
    assert attributes == {"kind": "media"}  # the actor's kind, copied to the mention
    assert panel.unlink_button is not None and panel.unlink_button.isEnabled()

    undo(qtbot, window)  # one step: link and kind
    assert stored(db_path, kcna) == ({}, None, None)

    # The other way round: a mention with a kind gives it to an actor without one.
    create_actor(window.db, name="Kim Yo Jong")
    window.editor.reload_actors()
    kim = annotate(qtbot, window, "Kim Yo Jong", Qt.Key.Key_1)
    kind = panel.editors["kind"]
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findText("person"))
    kind.activated.emit(kind.currentIndex())
    item = panel.actor_box.findText("Kim Yo Jong (kim-yo-jong)")
    panel.actor_box.setCurrentIndex(item)
    panel.actor_box.activated.emit(item)
    assert stored(db_path, kim)[2] == "kim-yo-jong"
    assert next(a for a in window.editor.actors.values() if a.key == "kim-yo-jong").kind == (
        "person"
    )
    qtbot.mouseClick(panel.unlink_button, Qt.MouseButton.LeftButton)
    assert stored(db_path, kim)[2] is None


def test_panel_follows_the_selection_and_clears(qtbot, window: MainWindow):
    open_text(window)
    date = annotate(qtbot, window, "September 2023", Qt.Key.Key_2)
    claim = annotate(qtbot, window, "Kim Yo Jong praised the car", Qt.Key.Key_3)
    panel = details(window)
    assert panel.span_id == claim
    window.select_span(date)
    assert panel.span_id == date and "value" in panel.editors
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert panel.span_id is None
    assert panel.stack.currentWidget() is panel.empty
    undo(qtbot, window)
    assert panel.span_id == date


def test_next_span_of_the_same_label_shows_and_edits_its_own_values(
    qtbot, window: MainWindow, db_path: Path
):
    open_text(window)
    first = annotate(qtbot, window, "Kim Yo Jong praised the car", Qt.Key.Key_3)
    panel = details(window)
    quote_type = panel.editors["quote_type"]
    assert isinstance(quote_type, QComboBox)
    quote_type.setFocus()
    qtbot.keyClick(quote_type, Qt.Key.Key_Down)
    assert stored(db_path, first)[0] == {"quote_type": "direct"}
    assert panel.note is not None
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "First claim.")
    window.article.setFocus()
    assert stored(db_path, first)[1] == "First claim."

    second = annotate(qtbot, window, "Kim Yo Jong first spoke about it", Qt.Key.Key_3)
    assert panel.span_id == second
    quote_type = panel.editors["quote_type"]
    assert isinstance(quote_type, QComboBox)
    assert quote_type.currentText() == "—"  # its own value, not the first claim's
    assert panel.note is not None and panel.note.toPlainText() == ""
    assert panel.quote.text() == "“Kim Yo Jong first spoke about it”"
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "Second claim.")
    window.article.setFocus()
    assert stored(db_path, second)[1] == "Second claim."
    assert stored(db_path, first) == ({"quote_type": "direct"}, "First claim.", None)

    window.select_span(first)
    assert quote_type.currentText() == "direct"
    assert panel.note.toPlainText() == "First claim."
    undo(qtbot, window)  # the second note
    assert stored(db_path, second)[1] is None
    assert stored(db_path, first)[1] == "First claim."
