"""The actor registry dialog: merge, split, delete, link all, edit; each undoable."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog
from ui_helpers import find

from annotator.domain.schema import ACTOR
from annotator.services.actors import get_actor, list_actors
from annotator.ui.corpus import actor_registry
from annotator.ui.corpus.actor_registry import ActorRegistry, SplitDialog, open_actor_registry
from annotator.ui.main_window import MainWindow


def stored_links(db_path) -> list[tuple[str, int | None]]:
    """(quote, actor id) of every ACTOR span in text order, read with plain sqlite3."""
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT s.quote, s.actor_id FROM spans s JOIN labels l ON l.id = s.label_id "
            "WHERE l.name = 'ACTOR' ORDER BY s.start"
        ).fetchall()
    conn.close()
    return rows


def mark(window: MainWindow, needle: str, nth: int = 0) -> int:
    label = window.editor.schema.label_named(ACTOR)
    start, end = find(window, needle, nth)
    span = window.editor.add_span(start, end, label.id, snap=False)
    assert span is not None
    return span.id


@pytest.fixture
def registry(window: MainWindow, qtbot) -> ActorRegistry:
    dialog = open_actor_registry(window)
    qtbot.waitExposed(dialog)
    return dialog


def rows(dialog: ActorRegistry) -> list[tuple[str, ...]]:
    proxy = dialog.proxy
    return [
        tuple(str(proxy.index(r, c).data()) for c in range(proxy.columnCount()))
        for r in range(proxy.rowCount())
    ]


def test_merging_two_actors_through_the_dialog_and_undo(window, qtbot, db_path, monkeypatch):
    mayor = mark(window, "Mayor Ines Okafor")
    council = mark(window, "Port Aldren city council")
    okafor = window.editor.create_actor([mayor], name="Ines Okafor", kind="person")
    mayor_actor = window.editor.create_actor([council], name="Mayor Okafor")
    assert okafor is not None and mayor_actor is not None
    before = stored_links(db_path)
    dialog = open_actor_registry(window)
    assert [r[0] for r in rows(dialog)] == ["Ines Okafor", "Mayor Okafor"]
    assert [r[5] for r in rows(dialog)] == ["1", "1"]

    dialog.view.selectAll()
    assert dialog.merge_button.isEnabled()
    offered: list[list[str]] = []

    def choose(parent, title, text, items, current, editable):
        offered.append(list(items))
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    assert offered == [
        ["Ines Okafor (ines-okafor, 1 mention)", "Mayor Okafor (mayor-okafor, 1 mention)"]
    ]
    assert stored_links(db_path) == [
        ("Port Aldren city council", okafor.id),
        ("Mayor Ines Okafor", okafor.id),
    ]
    assert rows(dialog) == [("Ines Okafor", "ines-okafor", "person", "Mayor Okafor", "", "2")]
    assert {s.actor_id for s in window.editor.spans} == {okafor.id}
    assert "Merged 2 actors into Ines Okafor; 1 mention moved" in dialog.message.text()

    window.editor.undo_stack.undo()
    assert stored_links(db_path) == before
    assert [r[0] for r in rows(dialog)] == ["Ines Okafor", "Mayor Okafor"]
    assert get_actor(window.db, actor_id=mayor_actor.id) == mayor_actor
    assert get_actor(window.db, actor_id=okafor.id) == okafor

    window.editor.undo_stack.redo()
    assert {a for _, a in stored_links(db_path)} == {okafor.id}


def test_delete_says_how_many_mentions_it_unlinks_and_undo_links_them(
    window, registry, qtbot, db_path, monkeypatch
):
    mentions = [mark(window, "council"), mark(window, "council", 1)]
    actor = window.editor.create_actor(mentions, name="Council")
    assert actor is not None
    registry.reload()
    registry.select_ids([actor.id])
    asked: list[str] = []
    monkeypatch.setattr(actor_registry, "ask_yes_no", lambda p, t, text: asked.append(text) or True)

    qtbot.mouseClick(registry.delete_button, Qt.MouseButton.LeftButton)

    assert "Delete Council from the registry? 2 mentions will be unlinked" in asked[0]
    assert list_actors(window.db) == []
    assert {a for _, a in stored_links(db_path)} == {None}
    assert all(s.actor_id is None for s in window.editor.spans)
    assert rows(registry) == []

    window.editor.undo_stack.undo()
    assert list_actors(window.db) == [actor]
    assert {a for _, a in stored_links(db_path)} == {actor.id}
    assert rows(registry)[0][5] == "2"


def test_deleting_several_actors_is_one_step_to_undo(window, registry, qtbot, db_path, monkeypatch):
    okafor = window.editor.create_actor([mark(window, "Ines Okafor")], name="Ines Okafor")
    council = window.editor.create_actor([mark(window, "council")], name="Council")
    assert okafor is not None and council is not None
    registry.reload()
    registry.view.selectAll()
    monkeypatch.setattr(actor_registry, "ask_yes_no", lambda *_: True)
    steps = window.editor.undo_stack.count()

    qtbot.mouseClick(registry.delete_button, Qt.MouseButton.LeftButton)

    assert list_actors(window.db) == []
    assert {a for _, a in stored_links(db_path)} == {None}
    assert window.editor.undo_stack.count() == steps + 1
    assert "Deleted 2 actors; 2 mentions unlinked" in registry.message.text()

    window.editor.undo_stack.undo()
    assert list_actors(window.db) == [council, okafor]
    assert sorted(a for _, a in stored_links(db_path)) == sorted([okafor.id, council.id])
    assert sorted(r[0] for r in rows(registry)) == ["Council", "Ines Okafor"]


def test_link_all_mentions_links_the_unlinked_ones_and_reports_the_count(
    window, registry, qtbot, db_path
):
    first = mark(window, "council")
    mark(window, "council", 1)
    mark(window, "Tomas Reyes")
    actor = window.editor.create_actor([first], name="Council", aliases=("the council",))
    assert actor is not None
    registry.select_ids([actor.id])

    qtbot.mouseClick(registry.link_button, Qt.MouseButton.LeftButton)

    assert registry.message.text() == "Linked 1 mention to Council."
    assert stored_links(db_path) == [
        ("council", actor.id),
        ("council", actor.id),
        ("Tomas Reyes", None),
    ]
    assert rows(registry)[0][5] == "2"
    window.editor.undo_stack.undo()
    assert stored_links(db_path) == [
        ("council", actor.id),
        ("council", None),
        ("Tomas Reyes", None),
    ]


def test_split_moves_the_ticked_mentions_to_a_new_actor(window, registry, db_path, monkeypatch):
    first = mark(window, "council")
    second = mark(window, "council", 1)
    actor = window.editor.create_actor([first, second], name="Council")
    assert actor is not None
    registry.reload()
    registry.select_ids([actor.id])
    shown: list[list[str]] = []

    def tick_second(self: SplitDialog) -> int:
        shown.append([self.list.item(i).text() for i in range(self.list.count())])
        self.list.item(1).setCheckState(Qt.CheckState.Checked)
        self.name_edit.setText("Aldren Courier council desk")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SplitDialog, "exec", tick_second)
    registry.split_button.click()

    assert len(shown[0]) == 2 and "[council]" in shown[0][1]
    new = next(a for a in list_actors(window.db) if a.id != actor.id)
    assert new.name == "Aldren Courier council desk"
    with sqlite3.connect(db_path) as conn:
        links = dict(conn.execute("SELECT id, actor_id FROM spans").fetchall())
    conn.close()
    assert links == {first: actor.id, second: new.id}
    assert registry.selected_ids() == [new.id]

    window.editor.undo_stack.undo()
    assert [a.id for a in list_actors(window.db)] == [actor.id]
    assert {a for _, a in stored_links(db_path)} == {actor.id}


def test_the_form_saves_an_actor_and_says_when_an_external_id_looks_odd(window, registry, qtbot):
    actor = window.editor.create_actor([], name="Okafor")
    assert actor is not None
    registry.select_ids([actor.id])
    registry.name_edit.setText("Ines Okafor")
    registry.kind_combo.setCurrentIndex(registry.kind_combo.findData("person"))
    registry.aliases_edit.setPlainText("Mayor Okafor, the mayor\nOkafor\n")
    registry.external_edit.setText("7338")
    assert "does not look like a Wikidata QID" in registry.external_remark.text()
    registry.external_edit.setText("Q7338")
    assert registry.external_remark.text() == ""

    qtbot.mouseClick(registry.apply_button, Qt.MouseButton.LeftButton)

    saved = get_actor(window.db, actor_id=actor.id)
    assert (saved.name, saved.kind, saved.external_id) == ("Ines Okafor", "person", "Q7338")
    assert saved.aliases == ("Mayor Okafor", "the mayor", "Okafor")
    assert window.editor.actors[actor.id] == saved
    window.editor.undo_stack.undo()
    assert get_actor(window.db, actor_id=actor.id) == actor
    assert registry.name_edit.text() == "Okafor"

    registry.filter.setText("OKAF")
    assert len(rows(registry)) == 1
    registry.filter.setText("nobody")
    assert rows(registry) == []


def test_a_clashing_key_is_reported_in_the_dialog(window, registry):
    window.editor.create_actor([], name="Okafor")
    other = window.editor.create_actor([], name="Reyes")
    assert other is not None
    registry.reload()
    registry.select_ids([other.id])
    registry.key_edit.setText("okafor")
    assert registry.save_current() is None
    assert "key 'okafor' already exists" in registry.message.text()
    assert get_actor(window.db, actor_id=other.id) == other
