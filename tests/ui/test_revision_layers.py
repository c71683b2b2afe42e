"""New versions of an article meet annotator layers in the window: the Review dock lists the
entries of the current annotator's spans only and says how many others have; a span placed
again goes back into its own annotator's layer; and a new version stored by another program is
seen even in a document without spans."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_annotator_layers import add, back_in_window, switch
from ui_helpers import find

from annotator.domain.revisions import ReviewReason
from annotator.services.database import ensure_annotator
from annotator.services.revisions import open_reviews, store_revision
from annotator.services.spans import add_span, list_spans
from annotator.ui.annotate.revision_review import ReviewPanel
from annotator.ui.main_window import MainWindow

CTRL, ALT, SHIFT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ShiftModifier,
)


def without(text: str, *starts: str) -> str:
    """The text without the paragraphs that start with these words."""
    return "\n\n".join(p for p in text.split("\n\n") if not p.startswith(starts))


def test_the_review_dock_lists_my_layer_and_places_a_span_back_into_its_own(
    qtbot, window: MainWindow
) -> None:
    document = window.editor.document
    assert document is not None
    mine = add(qtbot, window, "Ines Okafor")
    bob = ensure_annotator(window.db, name="bob")
    start, end = find(window, "Tomas Reyes")
    add_span(
        window.db,
        document_id=document.id,
        start=start,
        end=end,
        label_id=window.editor.labels[0].id,
        annotator_id=bob.id,
    )
    new = without(document.text, "Mayor", "The Fishermen")
    store_revision(window.db, document_id=document.id, text=new)  # as the command line would
    qtbot.waitUntil(lambda: window.article.text == new, timeout=10_000)
    assert window.editor.span(mine) is None
    entries = open_reviews(window.db, document_id=document.id)
    assert {(e.old_quote, e.reason) for e in entries} == {
        ("Ines Okafor", ReviewReason.UNPLACED),
        ("Tomas Reyes", ReviewReason.UNPLACED),
    }

    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_R, CTRL | SHIFT)
    panel = window.findChild(ReviewPanel)
    assert panel is not None
    assert [panel.model.item(i).was for i in range(panel.model.rowCount())] == ["Ines Okafor"]
    assert "1 more belongs to other annotators' layers" in panel.header.text()

    # Bob sees his own entry, and places his span again: it is in his layer, not tester's.
    switch(qtbot, window, "bob")
    assert [panel.model.item(i).was for i in range(panel.model.rowCount())] == ["Tomas Reyes"]
    assert "1 more belongs" in panel.header.text()
    window.article.select_range(*find(window, "Marta Lindqvist"))
    qtbot.keyClick(window.article, Qt.Key.Key_P, CTRL | ALT)
    assert [s.quote for s in window.editor.spans] == ["Marta Lindqvist"]
    stored = list_spans(window.db, document_id=document.id)
    assert [(s.quote, s.annotator_id) for s in stored] == [("Marta Lindqvist", bob.id)]
    assert panel.model.rowCount() == 0
    assert "Nothing to review in your layer" in panel.header.text()

    switch(qtbot, window, "tester")
    back_in_window(qtbot, window)
    assert window.editor.spans == []
    assert [panel.model.item(i).was for i in range(panel.model.rowCount())] == ["Ines Okafor"]
    assert "more belong" not in panel.header.text()


def test_a_new_version_of_a_document_without_spans_stored_elsewhere_is_shown(
    qtbot, window: MainWindow
) -> None:
    document = window.editor.document
    assert document is not None and window.editor.spans == []
    new = "A new first paragraph.\n\n" + document.text

    store_revision(window.db, document_id=document.id, text=new)  # as the command line would

    qtbot.waitUntil(lambda: window.article.text == new, timeout=10_000)
    assert window.editor.document is not None and window.editor.document.text == new
