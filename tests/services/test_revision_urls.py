"""Which stored article an imported one is a new version of: URLs compared normalised (scheme
and host case, default port, trailing slash, fragment; never the query), and articles at one
URL within one import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from annotator.domain.revisions import normalise_url
from annotator.services import importing
from annotator.services.database import seed_new_database
from annotator.services.documents import open_document
from annotator.services.importing import Outcome, import_files
from annotator.services.interchange import import_annotations
from annotator.store import Database


def article(tmp: Path, name: str, url: str, text: str) -> Path:
    path = tmp / f"{name}.json"
    path.write_text(json.dumps({"title": name, "url": url, "text": text}), "utf-8")
    return path


def articles(tmp: Path, name: str, items: list[tuple[str, str]]) -> Path:
    """One file with several articles (url, text): one import batch."""
    path = tmp / f"{name}.json"
    path.write_text(
        json.dumps(
            [{"title": f"{name} {i}", "url": u, "text": t} for i, (u, t) in enumerate(items)]
        ),
        "utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("HTTPS://Example.ORG/a/", "https://example.org/a#x"),
        ("https://example.org:443/a", "https://example.org/a/"),
        ("http://Example.org:80", "http://example.org/"),
        ("https://example.org/a/?id=1#top", "https://example.org/a?id=1"),
    ],
)
def test_spellings_of_one_url_normalise_alike(a: str, b: str) -> None:
    assert normalise_url(a) == normalise_url(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.org/a?id=1", "https://example.org/a?id=2"),  # two articles
        ("https://example.org/A", "https://example.org/a"),  # a path can be case-sensitive
        ("https://example.org:8443/a", "https://example.org/a"),
        ("http://example.org/a", "https://example.org/a"),
    ],
)
def test_other_urls_stay_apart(a: str, b: str) -> None:
    assert normalise_url(a) != normalise_url(b)


def test_a_stored_url_with_an_upper_case_host_and_slash_is_found(
    any_db: Database, tmp_path: Path
) -> None:
    seed_new_database(any_db)
    first = import_files(
        any_db,
        paths=[article(tmp_path, "v1", "HTTPS://Example.ORG/a/", "First version.")],
        annotator_name="tester",
    )
    (document_id,) = first.imported_ids
    # Another stored article whose URL differs only in its query: not this one.
    import_files(
        any_db,
        paths=[article(tmp_path, "q", "https://example.org/a?id=2", "Other.")],
        annotator_name="tester",
    )

    report = import_files(
        any_db,
        paths=[article(tmp_path, "v2", "https://example.org/a#x", "Second version.")],
        annotator_name="tester",
    )

    assert [r.outcome for r in report.results] == [Outcome.REVISED]
    assert report.results[0].document_id == document_id
    document, _ = open_document(any_db, document_id=document_id)
    assert document.text == "Second version."


def test_many_new_urls_in_one_import_are_matched_in_one_pass(
    any_db: Database, tmp_path: Path
) -> None:
    """More URLs than are searched one by one: the pass over every stored URL finds the
    odd spelling too."""
    seed_new_database(any_db)
    stored = [(f"HTTP://News.Example:80/{i}/", f"Article {i}, first.") for i in range(40)]
    import_files(any_db, paths=[articles(tmp_path, "v1", stored)], annotator_name="tester")
    again = [(f"http://news.example/{i}#c", f"Article {i}, second.") for i in range(40)]

    report = import_files(any_db, paths=[articles(tmp_path, "v2", again)], annotator_name="tester")

    assert [r.outcome for r in report.results] == [Outcome.REVISED] * 40


def test_two_versions_at_one_url_in_one_import_make_one_document(
    any_db: Database, tmp_path: Path
) -> None:
    seed_new_database(any_db)
    path = articles(
        tmp_path,
        "feed",
        [
            ("https://example.org/story", "The story, as first published."),
            ("https://example.org/other", "Another story."),
            ("https://Example.org/story/", "The story, corrected."),
            ("https://example.org/story#end", "The story, corrected."),
        ],
    )

    report = import_files(any_db, paths=[path], annotator_name="tester")

    outcomes = [r.outcome for r in report.results]
    assert outcomes == [Outcome.IMPORTED, Outcome.IMPORTED, Outcome.REVISED, Outcome.DUPLICATE]
    story = report.results[0].document_id
    assert report.results[2].document_id == story
    assert report.results[3].document_id == story
    assert "earlier in this import" in report.results[3].detail
    document, _ = open_document(any_db, document_id=story)
    assert document.text == "The story, corrected."


def test_two_versions_at_one_url_in_one_annotation_file_make_one_document(
    any_db: Database, tmp_path: Path
) -> None:
    seed_new_database(any_db)
    path = tmp_path / "two.jsonl"
    lines = [
        {"format": "annotator", "version": 2, "labels": [], "relation_types": []},
        {"type": "document", "id": 1, "title": "v1", "url": "https://example.org/story"}
        | {"text": "The story, as first published.", "spans": [], "relations": []},
        {"type": "document", "id": 2, "title": "v2", "url": "HTTPS://EXAMPLE.ORG/story/"}
        | {"text": "The story, corrected.", "spans": [], "relations": []},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")

    report = import_annotations(any_db, paths=[path], format_name="native", annotator_name="tester")

    assert report.problems == []
    assert (report.documents_added, report.documents_revised) == (1, 1)


def test_a_large_file_is_stored_in_short_transactions_that_let_another_writer_in(
    any_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three documents a transaction: versions, duplicates and new articles across the borders
    # come out as they do in one, and a second writer gets its turn between them.
    monkeypatch.setattr(importing, "STORE_DOCUMENTS", 3)
    seed_new_database(any_db)
    path = articles(
        tmp_path,
        "feed",
        [
            ("https://example.org/a", "A, first."),
            ("https://example.org/b", "B."),
            ("https://example.org/c", "C."),
            ("https://example.org/a/", "A, corrected."),  # next transaction: a revision
            ("https://example.org/d", "B."),  # a text stored by the first transaction
            ("https://example.org/e", "E."),
            ("https://example.org/f", "F."),
        ],
    )
    other = Database(any_db.url)
    writes: list[int] = []
    opened = any_db.transaction

    @contextmanager
    def watched() -> Iterator[Any]:
        with opened() as repo:
            yield repo
        # The import's transaction has ended: another writer is not kept waiting.
        with other.transaction() as repo:
            writes.append(repo.annotator_named(f"writer {len(writes)}").id)

    monkeypatch.setattr(any_db, "transaction", watched)
    try:
        report = import_files(any_db, paths=[path], annotator_name="tester")
    finally:
        other.dispose()

    outcomes = [r.outcome for r in report.results]
    assert outcomes == [
        *(Outcome.IMPORTED,) * 3,
        Outcome.REVISED,
        Outcome.DUPLICATE,
        *(Outcome.IMPORTED,) * 2,
    ]
    assert "earlier in this import" in report.results[4].detail
    assert report.results[3].document_id == report.results[0].document_id
    assert len(writes) >= 3  # one write after each of the import's three transactions
