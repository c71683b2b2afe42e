"""User actions that are one transaction each, read back from the database file."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

from demo_helpers import add_plain_demo
from PySide6.QtCore import Qt
from ui_helpers import find, stored_spans

from annotator.cli import main as cli_main
from annotator.domain.library import DocumentStatus
from annotator.domain.model import DocumentMeta
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document, list_labels
from annotator.services.importing import Outcome
from annotator.services.interchange import export_corpus
from annotator.services.spans import add_span
from annotator.ui.main_window import MainWindow


def stored_status(path: Path, document_id: int) -> str:
    """The tester's status of a document as the file holds it ('new' when no row)."""
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT s.status FROM document_status s JOIN annotators a ON a.id = s.annotator_id "
            "WHERE s.document_id = ? AND a.name = 'tester'",
            (document_id,),
        ).fetchone()
    return row[0] if row else "new"


def test_first_span_starts_the_document_and_undo_makes_it_new_again(
    qtbot, window: MainWindow, db_path: Path
):
    doc = window.editor.document
    assert doc is not None and stored_status(db_path, doc.id) == "new"
    start, _ = find(window, "Ines Okafor")
    cursor = window.article.textCursor()
    cursor.setPosition(window.article.text_index.to_utf16(start))
    window.article.setTextCursor(cursor)
    for _ in range(len("Ines")):
        qtbot.keyClick(window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.article, Qt.Key.Key_1)

    assert [r.quote for r in stored_spans(db_path)] == ["Ines"]
    assert stored_status(db_path, doc.id) == "in_progress"
    assert window.documents.row_data(doc.id).status is DocumentStatus.IN_PROGRESS

    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_spans(db_path) == []
    assert stored_status(db_path, doc.id) == "new"
    assert window.documents.row_data(doc.id).status is DocumentStatus.NEW

    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.article, Qt.Key.Key_Z, redo)
    assert [r.quote for r in stored_spans(db_path)] == ["Ines"]
    assert stored_status(db_path, doc.id) == "in_progress"
    assert window.documents.row_data(doc.id).status is DocumentStatus.IN_PROGRESS


def documents_in(path: Path) -> set[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """(title, text, its spans as (label, quote)) of every document in a database file."""
    with sqlite3.connect(path) as conn:
        docs = conn.execute("SELECT id, title, text FROM documents").fetchall()
        found = set()
        for doc_id, title, text in docs:
            spans = conn.execute(
                "SELECT l.name, s.quote FROM spans s JOIN labels l ON l.id = s.label_id "
                "WHERE s.document_id = ? ORDER BY s.start, l.name",
                (doc_id,),
            ).fetchall()
            found.add((title, text, tuple(spans)))
    return found


def mixed_files(tmp_path: Path) -> list[Path]:
    """A folder of articles in several kinds, and an annotated file chosen beside it."""
    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    (folder / "plain.txt").write_text("Harbour fees rise.\r\nThe port says why.", "utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Bridge vote</title></head><body><p>The council voted.</p>"
        "</body></html>",
        "utf-8",
    )
    (folder / "sub" / "table.csv").write_text(
        "title,text\nFirst row,Ferries stop on Sunday.\nSecond row,Ferries start again.\n",
        "utf-8",
    )
    with zipfile.ZipFile(folder / "archive.zip", "w") as archive:
        archive.writestr("inside.txt", "A zipped article about tides.")
    (folder / ".hidden.txt").write_text("Never imported.", "utf-8")
    # The annotated file's text, also as an article: which one is stored must not depend on
    # where the import was started.
    (folder / "same.txt").write_text("Mayor Okafor spoke.", "utf-8")
    (folder / "broken.bin").write_bytes(b"\x00\x01\x02" * 10)

    source = tmp_path / "annotated.sqlite3"
    db = open_database(source)
    try:
        doc = add_document(db, text="Mayor Okafor spoke.", meta=DocumentMeta("Annotated"))
        actor = next(label for label in list_labels(db) if label.name == "ACTOR")
        me = ensure_annotator(db, name="someone")
        add_span(db, document_id=doc.id, start=0, end=12, label_id=actor.id, annotator_id=me.id)
        annotated = tmp_path / "annotated.jsonl"
        export_corpus(db, format_name="native", out=annotated)
    finally:
        db.dispose()
    return [folder, annotated]


def test_the_cli_and_the_window_import_the_same_documents_from_mixed_files(
    qtbot, window: MainWindow, db_path: Path, tmp_path: Path
):
    paths = mixed_files(tmp_path)
    cli_db = tmp_path / "cli.sqlite3"
    add_plain_demo(cli_db)  # as the window's database starts
    status = cli_main(["import", "--db", str(cli_db), "--annotator", "tester", *map(str, paths)])

    with qtbot.waitSignal(window.import_flow.sig_finished, timeout=60_000) as blocker:
        window.import_paths(paths)
    report = blocker.args[0]

    assert status == 1  # broken.bin is refused by both
    outcomes = {Path(r.origin).name: r.outcome for r in report.results}
    assert outcomes["broken.bin"] is Outcome.REFUSED
    assert outcomes["same.txt"] is Outcome.DUPLICATE
    imported = documents_in(db_path)
    assert imported == documents_in(cli_db)
    titles = {title for title, _, _ in imported}
    assert {"Bridge vote", "First row", "Second row", "Annotated"} <= titles
    assert len(imported) == 7  # the demo, plain, page, two rows, the zipped one, annotated
    assert ("ACTOR", "Mayor Okafor") in next(s for t, _, s in imported if t == "Annotated")
