"""Which database opens, what a new one starts with, and span edits through the services."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from annotator.domain.errors import InvalidSpanError
from annotator.domain.model import DocumentMeta
from annotator.services.database import (
    default_database_path,
    ensure_annotator,
    open_database,
    resolve_database,
)
from annotator.services.documents import (
    add_document,
    list_documents,
    list_labels,
    open_document,
)
from annotator.services.spans import (
    add_span,
    delete_spans,
    list_spans,
    relabel_span,
    restore_spans,
)
from annotator.store import Database

# resolve_database ----------------------------------------------------------------------------


def test_db_option_beats_the_environment_and_the_default(tmp_path):
    chosen = str(tmp_path / "chosen.sqlite3")
    env = {"ANNOTATOR_DB": str(tmp_path / "env.sqlite3")}
    assert resolve_database(chosen, env) == chosen
    assert resolve_database(chosen, {}) == chosen


def test_environment_beats_the_default(tmp_path):
    from_env = str(tmp_path / "env.sqlite3")
    assert resolve_database(None, {"ANNOTATOR_DB": from_env}) == from_env


def test_environment_is_read_from_the_process_by_default(tmp_path, monkeypatch):
    from_env = "postgresql://annotator@db.example/news"
    monkeypatch.setenv("ANNOTATOR_DB", from_env)
    assert resolve_database(None) == from_env
    assert resolve_database(str(tmp_path / "x.sqlite3")) == str(tmp_path / "x.sqlite3")


def test_without_option_or_environment_the_default_is_in_the_user_data_folder():
    data_home = Path(os.environ["XDG_DATA_HOME"])  # redirected to a temporary folder
    default = Path(resolve_database(None, {}))
    assert default == default_database_path()
    assert default.is_relative_to(Path(platformdirs.user_data_dir("annotator", appauthor=False)))
    assert default.is_relative_to(data_home)
    assert Path(resolve_database(None)) == default  # conftest removed ANNOTATOR_DB
    assert resolve_database(None, {"ANNOTATOR_DB": ""}) == str(default)


def test_opening_the_default_creates_it_under_the_user_data_folder():
    target = resolve_database(None, {})
    assert not Path(target).exists()
    db = open_database(target)
    try:
        assert list_documents(db) == []  # the schema only: the window adds the demo
        assert [label.name for label in list_labels(db)] == ["ACTOR", "DATE", "CLAIM"]
    finally:
        db.dispose()
    assert Path(target).is_file()


# A new database ------------------------------------------------------------------------------


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.dispose()


def test_a_new_database_has_the_three_labels_on_hotkeys_1_2_3(db):
    labels = list_labels(db)
    assert [(label.name, label.hotkey) for label in labels] == [
        ("ACTOR", "1"),
        ("DATE", "2"),
        ("CLAIM", "3"),
    ]
    colours = [label.colour.lower() for label in labels]
    assert len(set(colours)) == 3
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours), colours


def test_the_demo_article_comes_annotated_with_actors_dates_and_speech(db_path):
    db = open_database(db_path, demo=True)
    documents = list_documents(db)
    assert len(documents) == 1
    demo, spans = open_document(db, document_id=documents[0].id)
    labels = {label.id: label.name for label in list_labels(db)}
    by_label = {name: [s for s in spans if labels[s.label_id] == name] for name in labels.values()}
    assert len(by_label["ACTOR"]) >= 8 and all(s.actor_id for s in by_label["ACTOR"][:6])
    assert all(s.attributes.get("value") for s in by_label["DATE"])
    assert all(s.attributes.get("quote_type") for s in by_label["CLAIM"])
    db.dispose()
    assert demo.title and demo.title in demo.text
    assert re.search(r"\bsaid\b", demo.text)
    assert re.search(r"\b(19|20)\d\d\b", demo.text)  # a year
    assert re.search(r"[\"“”]", demo.text)  # a direct quotation
    assert re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", demo.text)  # a person's name
    assert "\r" not in demo.text
    assert documents[0].length == len(demo.text)


def test_opening_again_adds_no_second_demo_and_no_duplicate_labels(db_path):
    first = open_database(db_path)
    labels = list_labels(first)
    documents = list_documents(first)
    first.dispose()
    for _ in range(2):
        again = open_database(db_path)
        try:
            assert list_labels(again) == labels
            assert list_documents(again) == documents
        finally:
            again.dispose()


def test_a_database_emptied_by_its_user_does_not_get_the_demo_back(db_path):
    open_database(db_path).dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM documents")
    conn.close()
    reopened = open_database(db_path)
    try:
        assert list_documents(reopened) == []
        assert [label.name for label in list_labels(reopened)] == ["ACTOR", "DATE", "CLAIM"]
    finally:
        reopened.dispose()


def test_ensure_annotator_returns_the_same_annotator_for_the_same_name(db):
    first = ensure_annotator(db, name="Ana")
    assert ensure_annotator(db, name="Ana") == first
    assert ensure_annotator(db, name="Ben").id != first.id


# Span edits ----------------------------------------------------------------------------------

ARTICLE = (
    "Kim Jong-un told the Workers’ Party congress on 5 January 2021 that the economy had "
    "“failed”.  Officials in Seoul, said nothing."
)


@pytest.fixture
def article(db):
    document = add_document(db, text=ARTICLE, meta=DocumentMeta(title="Congress"))
    labels = {label.name: label for label in list_labels(db)}
    annotator = ensure_annotator(db, name="tester")
    return document, labels, annotator


def add(db, article, start, end, *, label="ACTOR", snap=False, quote=None):
    document, labels, annotator = article
    return add_span(
        db,
        document_id=document.id,
        start=start,
        end=end,
        label_id=labels[label].id,
        annotator_id=annotator.id,
        snap=snap,
        quote=quote,
    )


def stored(db, article):
    return list_spans(db, document_id=article[0].id)


@pytest.mark.parametrize(
    ("dragged", "expected"),
    [
        ("im Jong-u", "Kim Jong-un"),  # widened at both ends
        ("orkers’ Par", "Workers’ Party"),
        ("“failed”.  ", "failed"),  # trimmed quotes, period and spaces
        (" Seoul, ", "Seoul"),
        ("anuary 20", "January 2021"),
    ],
)
def test_add_span_with_snap_widens_and_trims_and_stores_the_quote(db, article, dragged, expected):
    start = ARTICLE.index(dragged)
    span = add(db, article, start, start + len(dragged), snap=True)
    assert span.quote == expected
    assert ARTICLE[span.start : span.end] == expected
    (saved,) = stored(db, article)
    assert (saved.start, saved.end, saved.quote) == (span.start, span.end, expected)


def test_add_span_without_snap_keeps_the_exact_selection(db, article):
    start = ARTICLE.index("im Jong")
    span = add(db, article, start, start + 7)
    assert span.quote == "im Jong"
    assert stored(db, article)[0].quote == "im Jong"


def test_snapping_a_selection_of_only_punctuation_stores_nothing(db, article):
    start = ARTICLE.index(".  Off")
    with pytest.raises(InvalidSpanError):
        add(db, article, start, start + 3, snap=True)
    assert stored(db, article) == []


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 3), (5, 5), (9, 4), (len(ARTICLE) - 2, len(ARTICLE) + 1), (10_000, 10_010)],
)
def test_an_invalid_range_raises_and_stores_nothing(db, article, start, end):
    with pytest.raises(InvalidSpanError):
        add(db, article, start, end)
    assert stored(db, article) == []


def test_a_quote_that_does_not_match_the_text_raises_and_stores_nothing(db, article):
    with pytest.raises(InvalidSpanError):
        add(db, article, 0, 3, quote="Kin")
    assert stored(db, article) == []


def test_delete_then_restore_brings_spans_back_under_their_ids(db, article):
    kim = add(db, article, 0, len("Kim Jong-un"))
    date_at = ARTICLE.index("5 January 2021")
    date = add(db, article, date_at, date_at + len("5 January 2021"), label="DATE")
    seoul_at = ARTICLE.index("Seoul")
    seoul = add(db, article, seoul_at, seoul_at + 5)
    before = stored(db, article)

    deleted = delete_spans(db, span_ids=[kim.id, date.id])
    assert {s.id for s in deleted.spans} == {kim.id, date.id}
    assert [s.id for s in stored(db, article)] == [seoul.id]

    restored = restore_spans(db, deleted=deleted)
    assert {s.id for s in restored} == {kim.id, date.id}
    after = stored(db, article)
    key = [(s.id, s.start, s.end, s.label_id, s.quote, s.annotator_id, s.created) for s in before]
    assert [
        (s.id, s.start, s.end, s.label_id, s.quote, s.annotator_id, s.created) for s in after
    ] == key


def test_relabel_span_changes_its_label(db, article):
    _, labels, _ = article
    span = add(db, article, 0, len("Kim Jong-un"))
    changed = relabel_span(db, span_id=span.id, label_id=labels["CLAIM"].id)
    assert changed.label_id == labels["CLAIM"].id
    (saved,) = stored(db, article)
    assert saved.id == span.id
    assert saved.label_id == labels["CLAIM"].id
    assert (saved.start, saved.end, saved.quote) == (span.start, span.end, span.quote)
    counts = {d.id: d.span_counts for d in list_documents(db)}[article[0].id]
    assert counts.get("CLAIM") == 1 and counts.get("ACTOR", 0) == 0
