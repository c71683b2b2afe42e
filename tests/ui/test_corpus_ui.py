"""The corpus in the window: import, library, details, search, find, delete with undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_helpers import find

from annotator.domain.library import DocumentStatus
from annotator.services.importing import ImportReport, Outcome
from annotator.ui.corpus.metadata_dialog import MetadataDialog
from annotator.ui.main_window import MainWindow


def documents_in(db_path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT id, title FROM documents ORDER BY id").fetchall()


def run_import(qtbot, window: MainWindow, paths: list[Path]) -> ImportReport:
    with qtbot.waitSignal(window.import_flow.sig_finished, timeout=60_000) as blocker:
        window.import_paths(paths)
    report = blocker.args[0]
    assert isinstance(report, ImportReport)
    return report


def test_import_edge_folder_reports_every_file_and_fills_the_library(
    qtbot, window: MainWindow, shared: Path, db_path: Path
) -> None:
    report = run_import(qtbot, window, [shared / "corpus" / "edge"])
    outcomes = {r.origin.split("edge/", 1)[1]: r.outcome for r in report.results}
    assert outcomes["binary.bin"] is Outcome.REFUSED
    assert outcomes["empty.txt"] is Outcome.REFUSED
    assert outcomes["invalid-utf8.txt"] is Outcome.REFUSED
    assert outcomes["emoji.txt"] is Outcome.IMPORTED
    assert outcomes["zip-slip.zip!ok/article.txt"] is Outcome.IMPORTED
    assert outcomes["zip-slip.zip!../../escaped.txt"] is Outcome.REFUSED
    assert outcomes["malformed.jsonl:1"] is Outcome.IMPORTED
    assert {outcomes[f"malformed.jsonl:{n}"] for n in (2, 3, 4)} == {Outcome.REFUSED}
    # The summary dialog lists the same rows, and the library shows what was stored.
    dialog = window.import_flow.summary_dialog
    assert dialog is not None and dialog.model.rowCount() == len(report.results)
    assert dialog.headline.text() == report.summary()
    stored = documents_in(db_path)
    assert len(stored) == 1 + report.count(Outcome.IMPORTED)
    assert window.documents.total == len(stored)
    dialog.close()


def test_import_again_reports_duplicates_and_adds_nothing(qtbot, window, shared, db_path):
    path = shared / "corpus" / "kcna-car-gift.txt"
    assert run_import(qtbot, window, [path]).count(Outcome.IMPORTED) == 1
    before = documents_in(db_path)
    again = run_import(qtbot, window, [path])
    assert [r.outcome for r in again.results] == [Outcome.DUPLICATE]
    assert documents_in(db_path) == before


def test_cancel_keeps_whole_files_only(qtbot, window: MainWindow, tmp_path: Path, db_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:04}.txt").write_text(f"Article {i}\n" + "words " * 2000, encoding="utf-8")
    seen = []

    def cancel_after_some(progress) -> None:
        seen.append(progress)
        if len(seen) == 20:
            window.import_flow.task.cancel()

    with qtbot.waitSignal(window.import_flow.sig_finished, timeout=60_000) as blocker:
        window.import_paths([folder])
        # In the worker's thread, as the progress is reported: a queued slot could run only
        # after the last file, and the cancel would then come too late to test anything.
        window.import_flow.task.sig_progress.connect(
            cancel_after_some, Qt.ConnectionType.DirectConnection
        )
    report = blocker.args[0]
    assert report.cancelled
    imported = report.count(Outcome.IMPORTED)
    assert 0 < imported < 400
    # Every imported article is complete, and nothing else was stored.
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT title, length(text) FROM documents WHERE title LIKE 'Article %'"
        )
        lengths = [n for _, n in rows]
    assert len(lengths) == imported
    assert set(lengths) <= {len(f"Article {i}\n" + "words " * 2000) for i in range(400)}


def test_details_dialog_edits_metadata_and_tags(qtbot, window: MainWindow, monkeypatch):
    def fill(dialog: MetadataDialog) -> int:
        dialog.title.setText("Edited <b>title</b>")
        dialog.source.setText("Courier")
        dialog.published.setText("2025-11-20")
        dialog.tags.setText("floods, council, floods")
        dialog._on_buttons_accepted()
        return dialog.result()

    monkeypatch.setattr(MetadataDialog, "exec", fill)
    window.edit_details()
    row = window.documents.row_data(window.editor.document.id)
    assert row.title == "Edited <b>title</b>" and row.source == "Courier"
    assert row.published == "2025-11-20" and sorted(row.tags) == ["council", "floods"]
    assert window.status_document.text() == "Edited <b>title</b>"
    # The tag is offered as a filter and filters the list.
    tags = [window.library.tag.itemData(i) for i in range(window.library.tag.count())]
    assert "council" in tags
    window.library.tag.setCurrentIndex(window.library.tag.findData("council"))
    assert window.documents.total == 1


def test_details_dialog_refuses_a_bad_date(qtbot, window: MainWindow):
    dialog = MetadataDialog(window.editor.document.meta, (), window)
    qtbot.addWidget(dialog)
    dialog.published.setText("19/11/2025")
    dialog._on_buttons_accepted()
    assert dialog.result() != MetadataDialog.DialogCode.Accepted
    assert "2025-11-19" in dialog.problem.text()


def test_status_actions_and_progress_line(qtbot, window: MainWindow):
    assert window.library.progress_line.text().endswith("0 of 1 done")
    window.actions_by_key["status_done"].trigger()
    assert window.documents.row_data(window.editor.document.id).status is DocumentStatus.DONE
    assert window.library.progress_line.text().endswith("1 of 1 done")
    window.library.status.setCurrentIndex(window.library.status.findData(DocumentStatus.NEW))
    assert window.documents.total == 0


def test_library_text_filter_and_sorting(qtbot, window: MainWindow, shared: Path):
    run_import(qtbot, window, [shared / "corpus" / "kcna-car-gift.txt"])
    window.library.search.setText("Pyongyang")
    window.library.apply_filters()
    assert window.documents.total == 1
    assert "Korean Central News Agency" in window.documents.data(window.documents.index(0, 0))
    window.library.search.setText('"unclosed')
    window.library.apply_filters()
    assert "unclosed quote" in window.library.progress_line.text()
    window.library.search.setText("")
    window.library.apply_filters()
    window.library.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    titles = [window.documents.data(window.documents.index(r, 0)) for r in range(2)]
    assert titles == sorted(titles, reverse=True)


def test_search_panel_finds_documents_with_plain_snippets(qtbot, window, shared: Path):
    run_import(qtbot, window, [shared / "corpus" / "kcna-car-gift.txt"])
    panel = window.search_panel
    panel.query.setText("Aurus limousine")
    panel.run()
    # The import's documents are indexed in the background: a search made before that is
    # done runs again by itself when it is.
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    assert "not searched yet" not in panel.summary.text()
    snippet, hits = panel.model.data(panel.model.index(0, 0), Qt.ItemDataRole.UserRole + 1)
    assert hits and all(snippet[a:b].lower() in ("aurus", "limousine") for a, b in hits)
    panel._on_results_activated(panel.model.index(0, 0))
    assert "Aurus" in window.article.text
    assert window.find_bar.isVisible() and window.find_bar.matches


def test_find_bar_marks_and_steps_through_matches(qtbot, window: MainWindow):
    window.actions_by_key["find"].trigger()
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.edit, "council")
    expected = []
    at = window.article.text.lower().find("council")
    while at >= 0:
        expected.append((at, at + 7))
        at = window.article.text.lower().find("council", at + 1)
    assert window.find_bar.matches == expected
    assert window.find_bar.count.text() == f"1 of {len(expected)}"
    qtbot.keyClick(window.find_bar, Qt.Key.Key_Return)
    assert window.find_bar.count.text() == f"2 of {len(expected)}"
    assert window.article.selected_range() == expected[1]
    qtbot.keyClick(window.find_bar, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


@pytest.mark.parametrize(
    "answer", [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel]
)
def test_delete_document_asks_and_undo_restores_it(qtbot, window, db_path, monkeypatch, answer):
    window.article.select_range(*find(window, "Ines Okafor"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    before = documents_in(db_path)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: answer)
    window.library.view.selectRow(0)
    window.actions_by_key["delete_documents"].trigger()
    if answer == QMessageBox.StandardButton.Cancel:
        assert documents_in(db_path) == before
        return
    assert documents_in(db_path) == []
    assert window.documents.total == 0 and window.editor.document is None
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert documents_in(db_path) == before
    assert window.editor.document is not None and len(window.editor.spans) == 1


def test_table_import_asks_for_the_text_column(
    qtbot, window: MainWindow, tmp_path, db_path, monkeypatch
):
    from annotator.ui.corpus.import_options import ImportOptionsDialog

    table = tmp_path / "stories.csv"
    table.write_text(
        "headline,body,paper\nA headline,The minister said so on Monday.,Daily\n", encoding="utf-8"
    )
    offered = []

    def choose(dialog: ImportOptionsDialog) -> int:
        offered.extend(dialog.columns)
        dialog.text_column.setCurrentIndex(dialog.text_column.findData("body"))
        dialog.fields["title"].setCurrentIndex(dialog.fields["title"].findData("headline"))
        dialog.fields["source"].setCurrentIndex(dialog.fields["source"].findData("paper"))
        return ImportOptionsDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportOptionsDialog, "exec", choose)
    with qtbot.waitSignal(window.import_flow.sig_finished, timeout=30_000):
        window.import_paths([table], ask=True)
    assert offered == ["headline", "body", "paper"]
    assert ("A headline",) in [(t,) for _, t in documents_in(db_path)]
    with sqlite3.connect(db_path) as conn:
        text, source = conn.execute(
            "SELECT text, source FROM documents WHERE title = 'A headline'"
        ).fetchone()
    assert (text, source) == ("The minister said so on Monday.", "Daily")


def test_import_with_progress_dialog_shown_from_the_start(qtbot, window, shared, monkeypatch):
    # A shown window-modal QProgressDialog runs the event loop inside setValue(); the import
    # can finish there. Any exception in a slot fails the test (pytest-qt).
    from annotator.ui.corpus.import_flow import ImportFlow

    monkeypatch.setattr(ImportFlow, "progress_delay_ms", 0)
    report = run_import(qtbot, window, [shared / "corpus" / "edge"])
    assert report.count(Outcome.IMPORTED) > 10
    assert window.import_flow.progress_dialog is None
