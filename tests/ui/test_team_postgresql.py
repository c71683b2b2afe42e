"""A team on one PostgreSQL server: each window shows the others' edits within a second, two
people saving the same span never overwrite each other silently, and a server that goes away
and comes back is shown and survived without losing a saved edit."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from demo_helpers import add_plain_demo
from postgres_server import DATABASE, Cluster, _url
from PySide6.QtCore import Qt, QTimer
from ui_helpers import find

from annotator.domain.model import Span
from annotator.services.database import open_database
from annotator.services.spans import list_spans
from annotator.ui.app import application, create_main_window
from annotator.ui.main_window import MainWindow

WindowFactory = Callable[[str], MainWindow]


@pytest.fixture
def open_window(qtbot) -> Iterator[WindowFactory]:  # type: ignore[no-untyped-def]
    """Opens real main windows, as a team member would, on a database URL."""
    opened: list[MainWindow] = []

    def make(url: str, name: str = "tester") -> MainWindow:
        application()
        win = create_main_window(url, name)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        opened.append(win)
        return win

    yield make
    for win in opened:
        win.close()
        win.db.dispose()


def _label_key(win: MainWindow, name: str) -> Qt.Key:
    label = next(lb for lb in win.editor.labels if lb.name == name)
    assert label.hotkey
    return Qt.Key(ord(label.hotkey.upper()))


def _activate(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Bring a window to the front, as a click on it would: label keys act in the active one."""
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    win.article.setFocus()


def _annotate(qtbot, win: MainWindow, needle: str, label: str) -> int:  # type: ignore[no-untyped-def]
    _activate(qtbot, win)
    win.article.select_range(*find(win, needle))
    qtbot.keyClick(win.article, _label_key(win, label))
    span_id = win.article.selected_span_id
    assert span_id is not None
    return span_id


def _label_of(win: MainWindow, span_id: int) -> int | None:
    span = win.editor.span(span_id)
    return None if span is None else span.label_id


def test_windows_on_one_server_see_each_others_edits_within_a_second(
    qtbot, open_window: WindowFactory, pg_database_url: str
) -> None:
    add_plain_demo(pg_database_url)
    ana, ben = open_window(pg_database_url, "ana"), open_window(pg_database_url, "ben")
    assert ben.findChild(QTimer, "changeWatch").interval() <= 500
    # Each annotates in their own layer and shows the other's beside it.
    ana.editor.show_layers([ben.editor.annotator])
    ben.editor.show_layers([ana.editor.annotator])

    def other(win: MainWindow, span_id: int) -> Span | None:
        return next((s for s in win.editor.others if s.id == span_id), None)

    bens = _annotate(qtbot, ben, "Ines Okafor", "ACTOR")
    assert ben.editor.undo_stack.count() == 1
    qtbot.waitUntil(lambda: other(ana, bens) is not None, timeout=1000)

    started = time.monotonic()
    anas = _annotate(qtbot, ana, "Tomas Reyes", "ACTOR")
    qtbot.waitUntil(lambda: other(ben, anas) is not None, timeout=1000)
    assert time.monotonic() - started < 1.0
    # Ben's selection and his undo history stay as they were.
    assert ben.article.selected_span_id == bens
    assert ben.editor.undo_stack.count() == 1

    ana.article.select_span(ana.editor.span(anas))
    _activate(qtbot, ana)
    qtbot.keyClick(ana.article, _label_key(ana, "DATE"))
    date = next(lb.id for lb in ana.editor.labels if lb.name == "DATE")
    qtbot.waitUntil(lambda: getattr(other(ben, anas), "label_id", None) == date, timeout=1000)
    assert ben.article.selected_span_id == bens


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """One database two windows share: an SQLite file, or a database on the test server."""
    if request.param == "sqlite":
        return str(tmp_path / "team.sqlite3")
    url: str = request.getfixturevalue("pg_database_url")
    return url


def test_the_later_of_two_saves_of_one_span_is_refused_and_shows_the_other(
    qtbot, open_window: WindowFactory, shared_db: str
) -> None:
    add_plain_demo(shared_db)
    # Two people on one layer (curators of the gold layer, or one annotator on two machines):
    # layers of different annotators never share a span.
    ana, ben = open_window(shared_db, "curator"), open_window(shared_db, "curator")
    span_id = _annotate(qtbot, ana, "Tomas Reyes", "ACTOR")
    qtbot.waitUntil(lambda: ben.editor.span(span_id) is not None, timeout=2000)
    # Both have the span on screen; from here Ben's window does not hear of Ana's save
    # before his own (two people saving within the same moment).
    ben.findChild(QTimer, "changeWatch").stop()

    ana.article.select_span(ana.editor.span(span_id))
    _activate(qtbot, ana)
    qtbot.keyClick(ana.article, _label_key(ana, "DATE"))
    date = next(lb.id for lb in ana.editor.labels if lb.name == "DATE")
    assert ana.editor.span(span_id).label_id == date

    _activate(qtbot, ben)
    ben.article.select_span(ben.editor.span(span_id))
    qtbot.keyClick(ben.article, _label_key(ben, "CLAIM"))

    # Refused, and Ben is shown what Ana saved; his window now shows her version.
    message = ben.notice.text()
    assert "Someone else changed this span" in message
    assert "DATE “Tomas Reyes”" in message
    assert ben.editor.span(span_id).label_id == date
    assert ben.editor.undo_stack.count() == 0  # nothing of his to undo: nothing was saved
    db = open_database(shared_db)
    try:
        stored = {s.id: s for s in list_spans(db, document_id=ana.editor.document.id)}
    finally:
        db.dispose()
    assert stored[span_id].label_id == date


def test_the_window_survives_a_server_restart_and_loses_no_saved_edit(
    qtbot, open_window: WindowFactory, private_postgres: Cluster
) -> None:
    url = _url(private_postgres.port, DATABASE)
    add_plain_demo(url)
    win = open_window(url)
    saved = _annotate(qtbot, win, "Ines Okafor", "ACTOR")
    banner = win.connection_banner

    private_postgres.stop()
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert "Cannot reach" in banner.label.text()
    # An edit while the server is away fails and says so; the screen does not show it saved.
    _activate(qtbot, win)
    win.article.select_range(*find(win, "Tomas Reyes"))
    qtbot.keyClick(win.article, _label_key(win, "ACTOR"))
    assert "nothing was saved" in win.notice.text()
    assert [s.quote for s in win.editor.spans] == ["Ines Okafor"]
    assert win.editor.undo_stack.count() == 1

    private_postgres.start()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10000)
    # The edit saved before the restart is there; a new one saves again.
    win.article.setFocus()
    again = _annotate(qtbot, win, "Tomas Reyes", "ACTOR")
    db = open_database(url)
    try:
        stored = {s.id for s in list_spans(db, document_id=win.editor.document.id)}
    finally:
        db.dispose()
    assert stored == {saved, again}


def test_undo_does_not_take_back_what_someone_else_saved_since(
    qtbot, open_window: WindowFactory, shared_db: str
) -> None:
    add_plain_demo(shared_db)
    # Two people on one layer (curators of the gold layer, or one annotator on two machines):
    # layers of different annotators never share a span.
    ana, ben = open_window(shared_db, "curator"), open_window(shared_db, "curator")
    ids = {lb.name: lb.id for lb in ana.editor.labels}
    span_id = _annotate(qtbot, ana, "Tomas Reyes", "ACTOR")
    qtbot.keyClick(ana.article, _label_key(ana, "CLAIM"))
    assert ana.editor.undo_stack.count() == 2
    qtbot.waitUntil(lambda: _label_of(ben, span_id) == ids["CLAIM"], timeout=5000)

    _activate(qtbot, ben)
    ben.article.select_span(ben.editor.span(span_id))
    qtbot.keyClick(ben.article, _label_key(ben, "DATE"))
    qtbot.waitUntil(lambda: _label_of(ana, span_id) == ids["DATE"], timeout=5000)

    # Ana's undo would put ACTOR over Ben's DATE: refused, and she is told why.
    _activate(qtbot, ana)
    qtbot.keyClick(ana.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Someone else changed this span" in ana.notice.text()
    assert ana.editor.span(span_id).label_id == ids["DATE"]
    db = open_database(shared_db)
    try:
        (stored,) = [s for s in list_spans(db, document_id=ana.editor.document.id)]
    finally:
        db.dispose()
    assert stored.label_id == ids["DATE"]
