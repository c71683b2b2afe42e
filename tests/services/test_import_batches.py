"""Annotation files are stored a batch of documents per transaction: a cancelled import keeps
the batches it finished, whole, and a document that revises one read earlier in the same batch
still carries that one's spans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.services import interchange
from annotator.services.database import open_database
from annotator.services.interchange import import_annotations
from annotator.store import Database


def doccano(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


def stored_spans(db: Database) -> dict[str, list[str]]:
    """Each document's text -> the quotes of its spans, in order."""
    with db.reading() as repo:
        return {
            repo.document(i).text: [s.quote for s in repo.spans(i)] for i in repo.document_ids()
        }


def test_a_cancelled_import_keeps_the_finished_batches_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(interchange, "BATCH_DOCUMENTS", 2)
    records = [
        {"text": f"Ana met Bo on day {n}.", "label": [[0, 3, "ACTOR"], [8, 10, "ACTOR"]]}
        for n in range(5)
    ]
    path = doccano(tmp_path / "five.jsonl", records)
    db = open_database(tmp_path / "store.sqlite3")
    asked = 0

    def cancelled() -> bool:  # asked before each document is read: cancel at the fourth
        nonlocal asked
        asked += 1
        return asked > 3

    progress: list[int] = []
    report = import_annotations(
        db,
        paths=[path],
        format_name="doccano",
        annotator_name="ana",
        progress=progress.append,
        cancelled=cancelled,
    )
    # The first batch (two documents) is kept with all its spans; the third document, read
    # but not stored when the user cancelled, is not there at all.
    assert stored_spans(db) == {
        "Ana met Bo on day 0.": ["Ana", "Bo"],
        "Ana met Bo on day 1.": ["Ana", "Bo"],
    }
    assert (report.documents_added, report.spans_added, progress) == (2, 4, [2])
    db.dispose()


def test_a_new_version_later_in_the_same_file_carries_the_earlier_spans(tmp_path: Path) -> None:
    url = "https://news.example/a"
    path = doccano(
        tmp_path / "two.jsonl",
        [
            {"text": "Ana met Bo.", "meta": {"url": url}, "label": [[0, 3, "ACTOR"]]},
            {"text": "Then Ana met Bo.", "meta": {"url": url}, "label": [[13, 15, "ACTOR"]]},
        ],
    )
    db = open_database(tmp_path / "store.sqlite3")
    report = import_annotations(db, paths=[path], format_name="doccano", annotator_name="ana")
    # One document: the second line revised the first, whose span followed to the new text.
    assert stored_spans(db) == {"Then Ana met Bo.": ["Ana", "Bo"]}
    assert (report.documents_added, report.documents_revised, report.problems) == (1, 1, [])
    with db.reading() as repo:
        (doc_id,) = repo.document_ids()
        assert repo.revision_count(doc_id) == 1
    db.dispose()


def test_problems_keep_file_order_across_a_batch(tmp_path: Path) -> None:
    path = doccano(
        tmp_path / "bad.jsonl",
        [
            {"text": "Ana met Bo.", "label": [[0, 99, "ACTOR"]]},
            {"text": "Cy met Di.", "label": [[0, 2, "ACTOR"], [50, 60, "ACTOR"]]},
        ],
    )
    db = open_database(tmp_path / "store.sqlite3")
    report = import_annotations(db, paths=[path], format_name="doccano", annotator_name="ana")
    assert [p.message for p in report.problems] == [
        "span 0-99 is outside the text",
        "span 50-60 is outside the text",
    ]
    assert (report.documents_added, report.spans_added) == (2, 1)
    db.dispose()


def test_the_library_counts_the_spans_each_document_got(tmp_path: Path) -> None:
    """A new text counts its spans from its first row; a later copy of it in the same file
    adds the spans it brings, and a text stored before counts the new spans a file adds."""
    from annotator.services.library import page_documents

    db = open_database(tmp_path / "store.sqlite3")
    first = doccano(
        tmp_path / "first.jsonl",
        [{"text": "Old news.", "title": "Old", "label": [[0, 3, "ACTOR"]]}],
    )
    import_annotations(db, paths=[first], format_name="doccano", annotator_name="ana")
    path = doccano(
        tmp_path / "copies.jsonl",
        [
            {"text": "Ana met Bo.", "title": "New", "label": [[0, 3, "ACTOR"]]},
            {"text": "Old news.", "label": [[0, 3, "ACTOR"], [4, 8, "ACTOR"]]},
            {"text": "Ana met Bo.", "label": [[0, 3, "ACTOR"], [8, 10, "ACTOR"]]},
        ],
    )
    report = import_annotations(db, paths=[path], format_name="doccano", annotator_name="ana")
    assert (report.documents_added, report.documents_matched) == (1, 2)
    assert (report.spans_added, report.spans_already_there) == (3, 2)
    with db.reading() as repo:
        annotator_id = repo.annotator_named("ana").id
    rows = page_documents(db, annotator_id=annotator_id)
    assert {r.title: r.span_count for r in rows} == {"New": 2, "Old": 2}
    assert {t: len(q) for t, q in stored_spans(db).items()} == {"Ana met Bo.": 2, "Old news.": 2}
    db.dispose()
