"""Two programs on one SQLite file: what one writes, the other window shows, without losing
its own selection."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from ui_helpers import find

from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import list_labels
from annotator.services.spans import add_span, delete_spans
from annotator.ui.main_window import MainWindow


def test_a_span_added_elsewhere_shows_and_the_selection_stays(
    qtbot, window: MainWindow, db_path: Path
) -> None:
    assert window.editor.document is not None
    window.article.select_range(*find(window, "Ines Okafor"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    mine = window.article.selected_span_id
    assert mine is not None

    other = open_database(db_path)  # another program: its own engine and connections
    try:
        # The same annotator in a second window: their layer is this window's.
        me = window.editor.annotator.id
        label = {lb.name: lb.id for lb in list_labels(other)}["ACTOR"]
        start, end = find(window, "Tomas Reyes")
        theirs = add_span(
            other,
            document_id=window.editor.document.id,
            start=start,
            end=end,
            label_id=label,
            annotator_id=me,
        )
        qtbot.waitUntil(lambda: window.editor.span(theirs.id) is not None, timeout=5000)
        assert window.span_model.row_of(theirs.id) is not None
        assert window.article.selected_span_id == mine  # the user's selection stays

        # Someone else's span is in their own layer, not in this window's.
        someone = ensure_annotator(other, name="someone else").id
        start, end = find(window, "Port Aldren")
        elsewhere = add_span(
            other,
            document_id=window.editor.document.id,
            start=start,
            end=end,
            label_id=label,
            annotator_id=someone,
        )
        window.editor.refresh_from_store()
        assert window.editor.span(elsewhere.id) is None
        assert window.span_model.row_of(elsewhere.id) is None

        delete_spans(other, span_ids=[theirs.id])
        qtbot.waitUntil(lambda: window.editor.span(theirs.id) is None, timeout=5000)
        assert window.span_model.row_of(theirs.id) is None
    finally:
        other.dispose()


def test_the_windows_own_edits_are_not_read_again_and_an_edit_elsewhere_is(
    qtbot, window: MainWindow, db_path: Path, monkeypatch
) -> None:
    from annotator.services.spans import relabel_span
    from annotator.ui.annotate import editing

    reads: list[int] = []
    real_open = editing.open_document

    def counting_open(db, *, document_id: int, annotator_id: int | None = None):  # type: ignore[no-untyped-def]
        reads.append(document_id)
        return real_open(db, document_id=document_id, annotator_id=annotator_id)

    monkeypatch.setattr(editing, "open_document", counting_open)
    window.article.select_range(*find(window, "Ines Okafor"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    span_id = window.article.selected_span_id
    assert span_id is not None
    assert window.editor.refresh_from_store() is False
    assert reads == []  # the window's own edit: told apart by the fingerprint alone

    other = open_database(db_path)
    try:
        label = {lb.name: lb.id for lb in list_labels(other)}["DATE"]
        relabel_span(other, span_id=span_id, label_id=label)
    finally:
        other.dispose()
    qtbot.waitUntil(lambda: window.editor.span(span_id).label_id == label, timeout=5000)
    assert reads


def test_articles_imported_elsewhere_are_indexed_and_found(
    qtbot, window: MainWindow, db_path: Path, tmp_path: Path, monkeypatch
) -> None:
    """An import from the command line leaves its articles out of the search index; the
    window indexes them in the background, and a search made before that says what it left
    out, then runs again by itself."""
    from annotator.services.importing import import_paths
    from annotator.services.search import pending_search_count

    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(3):
        (folder / f"quarry-{i}.txt").write_text(f"Quarry report {i}\n\nThe basalt quarry {i}.")
    panel = window.search_panel
    other = open_database(db_path)  # another program: its own engine and connections
    try:
        # Hold the window's indexer back (as if it were busy elsewhere) while the other
        # program imports, so that the search below meets the articles still pending.
        window._indexer.stop()
        monkeypatch.setattr(window._indexer, "request", lambda: None)
        report = import_paths(other, paths=[folder])
        assert len(report.imported_ids) == 3
        assert pending_search_count(other) == 3
        panel.query.setText("basalt")
        panel.run()
        assert panel.model.rowCount() == 0
        assert "3 just imported not searched yet" in panel.summary.text()
        monkeypatch.undo()
        window._indexer.request()  # what the change watch asks for after the import's commit
        qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=10_000)
        assert panel.summary.text() == "3 documents"
        assert pending_search_count(other) == 0
    finally:
        other.dispose()
