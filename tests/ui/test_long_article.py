"""A long, densely annotated article in the real window: highlighted where it is read, and
edited without the span list, the highlights or the document list losing track."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from ui_helpers import find, stored_spans

from annotator.domain.model import Document, DocumentMeta, NewSpan
from annotator.services.database import open_database
from annotator.services.documents import add_document, list_labels
from annotator.services.spans import add_span
from annotator.ui.annotate.highlighter import LAZY_BLOCKS
from annotator.ui.main_window import MainWindow

PARAGRAPHS = LAZY_BLOCKS + 200


def _long_article(win: MainWindow) -> Document:
    """Paragraphs 'N: Alice met Bob in Geneva on Tuesday.', Alice and Bob labelled ACTOR."""
    text = "\n".join(f"{n}: Alice met Bob in Geneva on Tuesday." for n in range(PARAGRAPHS))
    doc = add_document(win.db, text=text, meta=DocumentMeta("Long"))
    actor = next(label.id for label in list_labels(win.db) if label.name == "ACTOR")
    me = win.editor.annotator.id
    items = []
    at = 0
    for line in text.split("\n"):
        for name in ("Alice", "Bob"):
            start = at + line.index(name)
            items.append(NewSpan(start, start + len(name), actor, me))
        at += len(line) + 1
    with win.db.transaction() as repo:
        repo.add_spans(doc.id, items)
    win.reload_documents()
    return doc


def _open(qtbot, win: MainWindow, doc: Document) -> None:
    win.open_document(doc.id)
    qtbot.waitUntil(lambda: win.editor.document is not None and win.editor.document.id == doc.id)
    win.article.setFocus()


def _filled(win: MainWindow, offset: int) -> bool:
    """Whether the character at a code point is drawn with a highlight's background."""
    view = win.article
    position = view.text_index.to_utf16(offset)
    block = view.document().findBlock(position)
    inside = position - block.position()
    return any(
        r.start <= inside < r.start + r.length
        and r.format.background().style() != Qt.BrushStyle.NoBrush
        for r in block.layout().formats()
    )


@pytest.fixture
def long_doc(qtbot, window: MainWindow) -> Document:
    doc = _long_article(window)
    _open(qtbot, window, doc)
    return doc


def test_long_article_is_highlighted_where_it_is_read(qtbot, window: MainWindow, long_doc):
    text = window.article.text
    first_alice = text.index("Alice")
    last_alice = text.rindex("Alice")
    assert _filled(window, first_alice)
    # The far end is highlighted when it comes into view, not before (opening stays fast).
    assert not _filled(window, last_alice)
    qtbot.keyClick(window.article, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _filled(window, last_alice))
    assert not _filled(window, text.rindex("Geneva"))  # only the spans are highlighted
    # Every span is listed, in text order, and the position column shows the last one whole.
    model = window.span_model
    assert model.rowCount() == 2 * PARAGRAPHS
    assert model.span_at(model.rowCount() - 1).start == text.rindex("Bob")
    widest = model.data(model.index(model.rowCount() - 1, 2))
    header = window.span_view.horizontalHeader()
    assert header.sectionSize(2) > window.span_view.fontMetrics().horizontalAdvance(widest)


def test_an_open_articles_objects_are_left_out_of_garbage_collections(
    qtbot, window: MainWindow, long_doc
) -> None:
    """A full collection walks every object alive; with a long article's spans and
    suggestions that stalled an edit or a scroll for a third of a second. Once it is shown,
    the open document's objects are set aside; closing the window hands them back."""
    qtbot.waitUntil(lambda: gc.get_freeze_count() >= len(window.editor.spans))
    spans = window.editor.spans
    tracked = {id(o) for o in gc.get_objects()}
    assert not any(id(s.attributes) in tracked for s in spans[:100])  # none walked
    window.close()
    assert gc.get_freeze_count() == 0


def test_adding_and_undoing_in_a_long_article(
    qtbot, window: MainWindow, long_doc, db_path: Path
) -> None:
    start, end = find(window, "Geneva", nth=PARAGRAPHS // 2)
    window.article.scroll_to(start)
    window.article.select_range(start, end)
    assert not _filled(window, start)
    qtbot.keyClick(window.article, Qt.Key.Key_1)

    added = [r for r in stored_spans(db_path) if (r.start, r.end) == (start, end)]
    assert [(r.label, r.quote) for r in added] == [("ACTOR", "Geneva")]
    assert _filled(window, start)
    model = window.span_model
    row = model.row_of(added[0].id)
    assert row is not None and model.span_at(row).start == start
    # In text order between the Bob before it and the one after it... and selected there.
    assert model.span_at(row - 1).end <= start < end <= model.span_at(row + 1).start
    # The span list follows in the next frame, after the article has shown the span.
    qtbot.waitUntil(lambda: window.span_view.currentIndex().row() == row)
    qtbot.waitUntil(lambda: not window.updates_pending())
    library_row = window.documents.row_data(long_doc.id)
    assert library_row is not None and library_row.span_count == 2 * PARAGRAPHS + 1
    assert window.status_counts.text().startswith(f"{2 * PARAGRAPHS + 1} spans")

    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not [r for r in stored_spans(db_path) if (r.start, r.end) == (start, end)]
    assert not _filled(window, start)
    assert model.rowCount() == 2 * PARAGRAPHS
    assert model.row_of(added[0].id) is None
    assert [model.span_at(r).start for r in range(row - 1, row + 1)] == sorted(
        model.span_at(r).start for r in range(row - 1, row + 1)
    )
    qtbot.waitUntil(lambda: not window.updates_pending())
    library_row = window.documents.row_data(long_doc.id)
    assert library_row is not None and library_row.span_count == 2 * PARAGRAPHS


def test_outlines_in_a_paint_lie_where_the_text_is(window: MainWindow, long_doc) -> None:
    """A paint finds the rectangles of hundreds of suggestions from the lines in view; they
    are the ones the text's layout gives for each range, also across lines and paragraphs."""
    view = window.article
    low, high = view.visible_range()
    ranges = [(s, s + n) for s in range(low, high - 60, 7) for n in (1, 5, 40)]
    expected = [view.range_rects(a, b) for a, b in ranges]
    assert any(len(rects) > 1 for rects in expected)
    view._lines = view._lines_in_view()
    view._line_starts = [line.start for line in view._lines]
    try:
        assert [view.range_rects(a, b) for a, b in ranges] == expected
    finally:
        view._lines = None


def test_what_edits_leave_on_screen_is_a_full_repaint(
    qtbot, window: MainWindow, long_doc, db_path: Path
) -> None:
    """An edit repaints only the lines it changed (a full repaint of a dense screen was most
    of its frame): the screen must then hold exactly what a full repaint draws, after an add,
    its undo, and a span added elsewhere beside a selected one."""
    QApplication.setCursorFlashTime(0)  # a steady text cursor, the same in both pictures
    view = window.article
    viewport = view.viewport()
    screen = window.windowHandle().screen()

    def on_screen() -> QImage:
        corner = viewport.mapTo(window, QPoint(0, 0))
        grabbed = screen.grabWindow(window.winId(), corner.x(), corner.y())
        return grabbed.copy(0, 0, viewport.width(), viewport.height()).toImage()

    def repainted() -> QImage:
        return viewport.grab().toImage()

    text = view.text
    low, high = view.visible_range()
    start = text.index("Geneva", low)
    assert start < high
    for key in (Qt.Key.Key_1, None):
        if key is None:  # then undo it
            qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        else:
            view.select_range(start, start + len("Geneva"))
            qtbot.keyClick(view, key)
        qtbot.waitUntil(lambda: not window.updates_pending())
        qtbot.wait(50)
        assert on_screen() == repainted()

    # Another program adds a span in view while one of ours stays selected.
    view.select_range(start, start + len("Geneva"))
    qtbot.keyClick(view, Qt.Key.Key_1)
    mine = view.selected_span_id
    other = open_database(db_path)
    try:
        at = text.index("Geneva", start + 1)
        assert at < high
        label = {lb.name: lb.id for lb in list_labels(other)}["DATE"]
        theirs = add_span(
            other,
            document_id=long_doc.id,
            start=at,
            end=at + len("Geneva"),
            label_id=label,
            annotator_id=window.editor.annotator.id,
        )
    finally:
        other.dispose()
    qtbot.waitUntil(lambda: window.editor.span(theirs.id) is not None, timeout=5000)
    assert view.selected_span_id == mine
    qtbot.waitUntil(lambda: not window.updates_pending())
    qtbot.wait(50)
    assert on_screen() == repainted()
