"""The schema editor dialog: edits reach the database and the whole window follows them."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QComboBox
from ui_helpers import find, stored_spans

from annotator.domain.attributes import AttributeDef, AttributeKind
from annotator.domain.schema import ACTOR, CLAIM, DATE
from annotator.services.guidelines import guidelines_text
from annotator.ui.common.markdown_view import MarkdownView
from annotator.ui.main_window import MainWindow
from annotator.ui.schema import schema_editor
from annotator.ui.schema.schema_editor import SchemaEditor, open_schema_editor


@pytest.fixture
def dialog(window: MainWindow, qtbot) -> SchemaEditor:
    editor = open_schema_editor(window)
    qtbot.waitExposed(editor)
    return editor


def label_id(window: MainWindow, name: str) -> int:
    label = window.editor.schema.label_named(name)
    assert label is not None
    return label.id


def mark(window: MainWindow, needle: str, label: str) -> int:
    start, end = find(window, needle)
    span = window.editor.add_span(start, end, label_id(window, label), snap=False)
    assert span is not None
    return span.id


def type_into(qtbot, line_edit, text: str) -> None:
    """Replace a line edit's text by typing, as a user does (emits textEdited)."""
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, text)


def highlight_at(window: MainWindow, offset: int) -> QColor | None:
    """The background the article draws at a code-point offset (from the laid-out block)."""
    position = window.article.text_index.to_utf16(offset)
    block = window.article.document().findBlock(position)
    for fmt in block.layout().formats():
        if fmt.start <= position - block.position() < fmt.start + fmt.length:
            brush = fmt.format.background()
            if brush.style() != Qt.BrushStyle.NoBrush:
                return brush.color()
    return None


def test_renaming_actor_to_person_keeps_its_spans_everywhere(window, dialog, qtbot, db_path):
    okafor = mark(window, "Mayor Ines Okafor", ACTOR)
    reyes = mark(window, "Tomas Reyes", ACTOR)
    mark(window, "Tuesday", DATE)
    actor_id = label_id(window, ACTOR)

    dialog.select_label(ACTOR)
    type_into(qtbot, dialog.name_edit, "PERSON")
    assert dialog.label_list.currentItem().text().startswith("PERSON")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert "Saved" in dialog.message.text()
    # The database: same label id, new name, every span kept.
    assert [(r.label, r.quote) for r in stored_spans(db_path) if r.label != DATE] == [
        ("PERSON", "Mayor Ines Okafor"),
        ("PERSON", "Tomas Reyes"),
    ]
    assert window.editor.schema.label(actor_id).name == "PERSON"
    # The window: palette, span list, "&Label" menu, and the article still highlights them.
    buttons = window.label_palette.buttons
    assert buttons[actor_id].text() == "1  PERSON"
    names = {window.span_model.index(r, 0).data() for r in range(window.span_model.rowCount())}
    assert names == {"PERSON", DATE}
    assert {s.id for s in window.editor.spans} >= {okafor, reyes}
    assert "label:ACTOR" not in window.actions_by_key
    assert window.actions_by_key["label:PERSON"].shortcut() == QKeySequence("1")
    assert highlight_at(window, find(window, "Tomas Reyes")[0] + 1) is not None
    assert "PERSON 2" in window.status_counts.text()


def test_the_rebuilt_hotkey_applies_the_renamed_label(window, dialog, qtbot, db_path):
    dialog.select_label(DATE)
    type_into(qtbot, dialog.name_edit, "WHEN")
    type_into(qtbot, dialog.hotkey_edit, "w")
    assert dialog.save()

    start, end = find(window, "Wednesday")
    window.article.select_range(start, end)
    window.actions_by_key["label:WHEN"].trigger()

    assert [(r.label, r.quote) for r in stored_spans(db_path)] == [("WHEN", "Wednesday")]
    assert window.actions_by_key["label:WHEN:exact"].shortcut() == QKeySequence("Alt+W")
    assert window.label_palette.buttons[label_id(window, "WHEN")].text() == "w  WHEN"


def test_adding_an_attribute_to_claim_reaches_the_editor_schema(window, dialog, qtbot):
    dialog.select_label(CLAIM)
    before = len(window.editor.schema.label_named(CLAIM).attributes)
    qtbot.mouseClick(dialog.add_attribute_button, Qt.MouseButton.LeftButton)
    table = dialog.attribute_table
    row = table.rowCount() - 1
    table.item(row, 0).setText("topic")
    kind = table.cellWidget(row, 1)
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findData(AttributeKind.CHOICE))
    # Options become editable once the kind is a choice.
    qtbot.waitUntil(lambda: bool(table.item(row, 2).flags() & Qt.ItemFlag.ItemIsEditable))
    table.item(row, 2).setText("war, trade , ,peace")
    table.item(row, 3).setText("What the claim is about.")
    # Move it to the top.
    table.selectRow(row)
    for _ in range(row):
        qtbot.mouseClick(dialog.up_attribute_button, Qt.MouseButton.LeftButton)
    assert table.item(0, 0).text() == "topic"

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    claim = window.editor.schema.label_named(CLAIM)
    assert len(claim.attributes) == before + 1
    assert claim.attributes[0] == AttributeDef(
        "topic", AttributeKind.CHOICE, ("war", "trade", "peace"), "What the claim is about."
    )
    assert window.editor.labels == list(window.editor.schema.labels)


def test_a_choice_without_options_is_refused_before_anything_is_saved(window, dialog, qtbot):
    dialog.select_label(CLAIM)
    type_into(qtbot, dialog.description_edit, "Changed")
    dialog.add_attribute()
    row = dialog.attribute_table.rowCount() - 1
    kind = dialog.attribute_table.cellWidget(row, 1)
    kind.setCurrentIndex(kind.findData(AttributeKind.CHOICE))

    assert not dialog.save()

    assert "needs options" in dialog.message.text()
    claim = window.editor.schema.label_named(CLAIM)
    assert claim.description != "Changed"


def test_changing_a_colour_rehighlights_the_open_document(window, dialog):
    at = find(window, "Tomas Reyes")[0]
    mark(window, "Tomas Reyes", ACTOR)
    before = highlight_at(window, at)
    assert before is not None

    dialog.select_label(ACTOR)
    dialog.set_colour("#d00000")
    assert dialog.save()

    after = highlight_at(window, at)
    assert after is not None and after != before
    assert after.red() > after.green() and after.red() > after.blue()
    assert window.editor.schema.label_named(ACTOR).colour == "#D00000"


def test_hotkeys_can_change_hands_but_not_clash_with_other_shortcuts(window, dialog, qtbot):
    dialog.select_label(ACTOR)
    type_into(qtbot, dialog.hotkey_edit, "2")
    dialog.select_label(DATE)
    type_into(qtbot, dialog.hotkey_edit, "1")
    assert dialog.save()
    assert window.actions_by_key["label:ACTOR"].shortcut() == QKeySequence("2")
    assert window.actions_by_key["label:DATE"].shortcut() == QKeySequence("1")

    dialog.select_label(CLAIM)
    type_into(qtbot, dialog.hotkey_edit, "n")  # N is "Next span"
    assert not dialog.save()
    assert "Next span" in dialog.message.text()
    assert window.editor.schema.label_named(CLAIM).hotkey == "3"


def test_a_label_in_use_is_not_deleted_and_an_unused_one_is(window, dialog, qtbot, monkeypatch):
    monkeypatch.setattr(schema_editor, "ask_yes_no", lambda *args: True)
    mark(window, "Tuesday", DATE)
    dialog.select_label(DATE)
    qtbot.mouseClick(dialog.delete_label_button, Qt.MouseButton.LeftButton)
    assert "DATE is used by 1 span" in dialog.message.text()
    assert window.editor.schema.label_named(DATE) is not None
    assert [d.name for d in dialog.labels] == [ACTOR, DATE, CLAIM]

    qtbot.mouseClick(dialog.add_label_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, dialog.name_edit, "PLACE")
    type_into(qtbot, dialog.hotkey_edit, "4")
    assert dialog.save()
    place = label_id(window, "PLACE")
    assert window.label_palette.buttons[place].text() == "4  PLACE"

    dialog.select_label("PLACE")
    qtbot.mouseClick(dialog.delete_label_button, Qt.MouseButton.LeftButton)
    assert window.editor.schema.label_named("PLACE") is None
    assert place not in window.label_palette.buttons
    assert "label:PLACE" not in window.actions_by_key


def test_relation_types_are_added_with_their_labels_and_deleted(window, dialog, monkeypatch):
    monkeypatch.setattr(schema_editor, "ask_yes_no", lambda *args: True)
    dialog.tabs.setCurrentIndex(1)
    dialog.add_relation_type()
    row = dialog.relation_table.rowCount() - 1
    dialog.relation_table.item(row, 0).setText("target")
    dialog.relation_table.item(row, 4).setText("Who the claim is about.")
    source, target = (dialog.relation_table.cellWidget(row, c) for c in (1, 2))
    source.setCurrentIndex(source.findText(CLAIM))
    target.setCurrentIndex(target.findText(ACTOR))
    assert dialog.save()

    made = window.editor.schema.relation_type_named("TARGET")
    assert made is not None
    assert (made.source_label_id, made.target_label_id) == (
        label_id(window, CLAIM),
        label_id(window, ACTOR),
    )
    assert made.description == "Who the claim is about."
    assert dialog.relation_table.item(row, 0).text() == "TARGET"

    dialog.relation_table.selectRow(row)
    dialog.delete_current_relation_type()
    assert window.editor.schema.relation_type_named("TARGET") is None


def test_export_and_import_through_the_dialog(window, dialog, tmp_path):
    path = tmp_path / "schema.json"
    assert dialog.export_to(path)
    assert "Exported 3 labels, 3 relation types and the guidelines" in dialog.message.text()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["labels"].append({"name": "PLACE", "colour": "#00aa00", "hotkey": "4"})
    data["labels"][0]["colour"] = "#123456"
    path.write_text(json.dumps(data), encoding="utf-8")

    result = dialog.import_from(path)

    assert result is not None and result.labels_added == ("PLACE",)
    assert "labels added: PLACE" in dialog.message.text()
    assert [d.name for d in dialog.labels] == [ACTOR, DATE, CLAIM, "PLACE"]
    assert window.editor.schema.label_named(ACTOR).colour == "#123456"
    assert "label:PLACE" in window.actions_by_key

    path.write_text("{not json", encoding="utf-8")
    assert dialog.import_from(path) is None
    assert str(path) in dialog.message.text()


def test_a_save_the_database_refuses_stores_none_of_the_draft(
    window, dialog, qtbot, db_path, monkeypatch
):
    claim = mark(window, "the barrier would", CLAIM)
    okafor = mark(window, "Ines Okafor", ACTOR)
    source = window.editor.schema.relation_type_named("SOURCE")
    assert window.editor.add_relation(source.id, claim, okafor) is not None
    calls: list[object] = []
    real = schema_editor.save_schema

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(schema_editor, "save_schema", counted)
    dialog.select_label(ACTOR)
    type_into(qtbot, dialog.name_edit, "PERSON")
    dialog.tabs.setCurrentIndex(2)
    type_into_plain(qtbot, dialog.guidelines_edit, "# Ours")
    dialog.tabs.setCurrentIndex(1)
    row = next(i for i, t in enumerate(dialog.relation_types) if t.name == "SOURCE")
    target = dialog.relation_table.cellWidget(row, 2)
    target.setCurrentIndex(target.findText(DATE))  # a SOURCE links a claim to an actor

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert len(calls) == 1
    assert "SOURCE" in dialog.message.text() and dialog.message.property("error")
    # Nothing of the draft reached the file: the label kept its name, the guidelines theirs.
    assert {r.label for r in stored_spans(db_path)} == {ACTOR, CLAIM}
    assert window.editor.schema.label_named(ACTOR) is not None
    assert not guidelines_text(window.db).startswith("# Ours")

    target.setCurrentIndex(target.findText(ACTOR))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Saved" in dialog.message.text()
    assert {r.label for r in stored_spans(db_path)} == {"PERSON", CLAIM}
    assert guidelines_text(window.db) == "# Ours"


def test_guidelines_are_edited_in_the_schema_editor_and_shown_in_help(window, dialog, qtbot):
    dialog.tabs.setCurrentIndex(2)
    assert dialog.guidelines_edit.toPlainText() == guidelines_text(window.db)
    type_into_plain(qtbot, dialog.guidelines_edit, "# House rules\n\nMark *ports* as places.")
    assert dialog.dirty
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert "Saved" in dialog.message.text()
    assert guidelines_text(window.db) == "# House rules\n\nMark *ports* as places."
    assert not dialog.dirty
    window.actions_by_key["guidelines"].trigger()
    view = window.findChild(MarkdownView)
    assert view is not None and "Mark ports as places." in view.toPlainText()


def test_exported_guidelines_come_back_with_an_import(window, dialog, qtbot, tmp_path):
    path = tmp_path / "schema.json"
    dialog.tabs.setCurrentIndex(2)
    type_into_plain(qtbot, dialog.guidelines_edit, "# Team rules")
    assert dialog.save()
    assert dialog.export_to(path)
    assert json.loads(path.read_text(encoding="utf-8"))["guidelines"] == "# Team rules"

    type_into_plain(qtbot, dialog.guidelines_edit, "# Changed")
    assert dialog.save()
    assert dialog.import_from(path) is not None
    assert "guidelines replaced" in dialog.message.text()
    assert guidelines_text(window.db) == "# Team rules"
    assert dialog.guidelines_edit.toPlainText() == "# Team rules"


def type_into_plain(qtbot, edit, text: str) -> None:
    """Replace a plain text edit's text by typing (new lines with Enter)."""
    edit.setFocus()
    edit.selectAll()
    for n, line in enumerate(text.split("\n")):
        if n:
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(edit, line)
