"""The curation dock, driven by keys: merge what two annotators agree on, walk the
disagreements, take one annotator's version, undo it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_helpers import add_plain_demo
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget
from test_annotator_layers import switch

from annotator.domain.schema import ACTOR, DATE
from annotator.services.curation import curation_state
from annotator.services.database import ensure_annotator, open_database
from annotator.services.schema import get_schema
from annotator.services.spans import add_span
from annotator.ui.app import application, create_main_window
from annotator.ui.main_window import MainWindow
from annotator.ui.views.curation import CurationPanel

AGREED = "Port Aldren city council"
ANNS = "Mayor Ines Okafor"  # ann marked it, bob did not
BOBS = "March 2024"  # bob marked it, ann did not


@pytest.fixture
def team_window(qtbot, db_path: Path) -> Iterator[MainWindow]:
    application()
    doc_id = add_plain_demo(db_path)
    db = open_database(db_path)
    schema = get_schema(db)
    from annotator.services.documents import open_document

    text = open_document(db, document_id=doc_id)[0].text
    for who, marks in (
        ("ann", [(AGREED, ACTOR), (ANNS, ACTOR)]),
        ("bob", [(AGREED, ACTOR), (BOBS, DATE)]),
    ):
        me = ensure_annotator(db, name=who).id
        for quote, label in marks:
            at = text.index(quote)
            add_span(
                db,
                document_id=doc_id,
                start=at,
                end=at + len(quote),
                label_id=schema.label_named(label).id,
                annotator_id=me,
            )
    db.dispose()
    win = create_main_window(str(db_path), "curator")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.article.setFocus()
    yield win
    win.db.dispose()


def gold(win: MainWindow) -> list[str]:
    doc = win.editor.document
    assert doc is not None
    return sorted(s.quote for s in curation_state(win.db, document_id=doc.id).gold_spans)


def test_disagreements_are_walked_and_decided_by_key_and_undone(qtbot, team_window) -> None:
    win = team_window
    dock = win.findChild(QDockWidget, "curationDock")
    assert dock is not None and dock.isHidden()
    qtbot.keyClick(
        win, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    panel = win.findChild(CurationPanel, "curation")
    assert panel is not None and dock.isVisible()
    assert QApplication.focusWidget() is panel.view

    qtbot.keyClick(
        panel.view,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert gold(win) == [AGREED]
    rows = [panel.model.rows[i][0] for i in range(panel.model.rowCount())]
    assert rows == [BOBS, ANNS]  # reading order
    assert panel.header.text().startswith("2 to decide · ann, bob")

    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    assert panel.current() is not None and panel.view.currentIndex().row() == 1
    versions = [panel.sides_model.rows[i][1:] for i in range(2)]
    assert versions == [("ann", f"ACTOR “{ANNS}”"), ("bob", "(nothing)")]
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    # Ann's span is in her layer, shown read-only: the place itself is selected.
    assert win.article.textCursor().selectedText() == ANNS
    assert {a.name for a in win.editor.layers} == {"ann", "bob"}

    qtbot.keyClick(panel.view, Qt.Key.Key_1)  # ann's version
    assert gold(win) == sorted([AGREED, ANNS])
    assert [panel.model.rows[i][0] for i in range(panel.model.rowCount())] == [BOBS]
    assert win.editor.undo_stack.undoText() == "Curation: Accept ann"

    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold(win) == [AGREED]
    assert [panel.model.rows[i][0] for i in range(panel.model.rowCount())] == [BOBS, ANNS]

    qtbot.keyClick(panel.view, Qt.Key.Key_Up)
    qtbot.keyClick(panel.view, Qt.Key.Key_R)  # bob's date: rejected
    assert gold(win) == [AGREED]
    assert [panel.model.rows[i][0] for i in range(panel.model.rowCount())] == [ANNS]
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.model.rowCount() == 2
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold(win) == []  # the merge was one step too


def test_a_layer_bundle_goes_out_and_comes_back_through_the_file_menu(
    qtbot, team_window, tmp_path, monkeypatch
) -> None:
    from annotator.ui.corpus import layer_bundles

    win = team_window
    out = tmp_path / "curator.bundle.json"
    monkeypatch.setattr(layer_bundles, "ask_save_path", lambda _w, _name: out)
    monkeypatch.setattr(layer_bundles, "ask_open_path", lambda _w: out)
    win.editor.add_span(*_range(win, "Vell river"), _label(win, ACTOR), snap=False)
    qtbot.keyClick(
        win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert out.is_file()
    assert (
        "Wrote the layer of curator: 1 document, 1 span, 0 links"
        in win.statusBar().currentMessage()
    )

    qtbot.keyClick(
        win, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert "1 already there, 0 conflict(s)" in win.statusBar().currentMessage()

    out.write_text('{"format": "annotator-layer-bundle", "version": 7}', "utf-8")
    qtbot.keyClick(
        win, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert (
        "curator.bundle.json: version: 7 is not a version this program reads" in win.notice.text()
    )


def _range(win: MainWindow, quote: str) -> tuple[int, int]:
    start = win.article.text.index(quote)
    return start, start + len(quote)


def _label(win: MainWindow, name: str) -> int:
    return next(label.id for label in win.editor.labels if label.name == name)


def test_a_span_deleted_from_gold_is_not_merged_back(qtbot, team_window) -> None:
    win = team_window
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(win, Qt.Key.Key_G, ctrl_shift)
    panel = win.findChild(CurationPanel, "curation")
    assert panel is not None
    qtbot.keyClick(panel.view, Qt.Key.Key_M, ctrl_shift)
    assert gold(win) == [AGREED]

    # The curator works in the gold layer and deletes the agreed span there.
    switch(qtbot, win, "gold")
    (agreed,) = win.editor.spans
    win.select_span(agreed.id)
    qtbot.keyClick(win.article, Qt.Key.Key_Delete)
    assert gold(win) == []

    qtbot.keyClick(win.article, Qt.Key.Key_M, ctrl_shift)
    assert gold(win) == []  # the removal sticks
    assert win.statusBar().currentMessage().startswith("Gold already holds")
    qtbot.keyClick(win.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold(win) == [AGREED]  # undoing the deletion brings it back
