"""Finding documents and annotations, on SQLite and PostgreSQL; the search syntax; and the
`annotator search` command run for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from demo_helpers import add_plain_demo

from annotator.domain.errors import AnnotatorError
from annotator.domain.library import (
    AddedDocument,
    SearchQuery,
    SearchQueryError,
    SearchTerm,
    parse_search_query,
    split_marked_snippet,
)
from annotator.domain.model import DocumentMeta
from annotator.domain.schema import DEFAULT_LABELS
from annotator.services.database import open_database
from annotator.services.library import add_documents
from annotator.services.search import count_search_matches, search_documents, search_spans
from annotator.services.spans import add_span
from annotator.store import Database


@pytest.fixture
def db(any_db: Database) -> Database:
    """Every test here runs on SQLite and on PostgreSQL (any_db in tests/conftest.py)."""
    return any_db


ARTICLES = {
    "Car gift": "Kim Jong Un gave a car to the ministry on 3 May 2024, KCNA said.",
    "Harbour": "The mayor of Port Aldren opened the harbour. Kim was not there.",
    "Talks": "Talks in Geneva: the minister said the talks would go on near the lake.",
    "Zürich": "Bankers in Zürich met on Tuesday; the Zürich meeting ended early.",
    "Quotes": 'He said "no deal" and left. AND OR NOT are just words here (really).',
    "Kimchi": "A recipe for kimchi, with cabbage.",
}


@pytest.fixture
def docs(db: Database) -> dict[str, int]:
    results = add_documents(
        db,
        items=[(DocumentMeta(title=t, source="Wire"), text, ()) for t, text in ARTICLES.items()],
    )
    assert all(isinstance(r, AddedDocument) for r in results)
    return {t: r.id for t, r in zip(ARTICLES, results, strict=True)}  # type: ignore[union-attr]


def found(db: Database, query: str) -> set[str]:
    return {h.title for h in search_documents(db, query=query, limit=100)}


# What a user types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kim", {"Car gift", "Harbour"}),  # case-insensitive, whole words: not "kimchi"
        ("KIM car", {"Car gift"}),  # all words must appear
        ("kim -car", {"Harbour"}),  # minus excludes
        ("kim NOT car", {"Harbour"}),
        ("car OR harbour", {"Car gift", "Harbour"}),
        ("kim AND harbour", {"Harbour"}),
        ('"the talks"', {"Talks"}),  # a phrase
        ('"talks the"', set()),  # ... in that order
        ("kim*", {"Car gift", "Harbour", "Kimchi"}),  # prefix
        ("Zürich", {"Zürich"}),
        ("near", {"Talks"}),  # an FTS5 keyword is just a word
        ("NEAR(", {"Talks"}),  # FTS5 syntax is searched for as text
        ("kim^", {"Car gift", "Harbour"}),
        ("(kim)", {"Car gift", "Harbour"}),
        ("kim:", {"Car gift", "Harbour"}),
        ("title:kim", set()),  # not a column filter: the words "title kim" next to each other
        ("kim & !car", {"Car gift"}),  # nor tsquery syntax: "!car" is the word "car"
        ('"no deal"', {"Quotes"}),
        ("kim harbour -mayor", set()),
        ("nonexistentword", set()),
    ],
)
def test_search_syntax_finds_what_the_user_means(db, docs, query, expected):
    assert found(db, query) == expected
    assert count_search_matches(db, query=query) == len(expected)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "AND",
        "OR",
        "NOT",
        "*",
        "**",
        "-",
        "--",
        "NEAR(",
        "NEAR(kim car",
        "NEAR(kim car, 5)",
        "kim AND",
        "OR kim",
        "kim OR OR car",
        "title:kim",
        "kim^",
        "(kim",
        "kim)",
        "'kim'",
        "kim & car | !harbour",
        "a:* & b",
        "\\",
        "\x00kim\x00",
        "\u202ekim",
        "😀",
        "👩\u200d⚖️ kim",
        "日本語",
        "Ünïcödé café",
        "{kim}",
        "kim -",
        '""',
        '" "',
        "x" * 999,
    ],
)
def test_hostile_queries_never_crash(db, docs, query):
    # Either an answer (possibly empty) or an AnnotatorError with a message; nothing else.
    try:
        hits = search_documents(db, query=query)
        count = count_search_matches(db, query=query)
    except AnnotatorError as exc:
        assert str(exc)
    else:
        assert count >= len(hits)


@pytest.mark.parametrize("query", ['"kim', 'kim "car', '"a" "b', "-kim", "NOT kim", "x" * 1001])
def test_queries_that_cannot_run_are_clear_annotator_errors(db, docs, query):
    with pytest.raises(SearchQueryError) as info:
        search_documents(db, query=query)
    assert isinstance(info.value, AnnotatorError)
    assert len(str(info.value)) > 20


def test_punctuation_queries_and_empty_queries_find_nothing(db, docs):
    for query in ("", "*", "AND", "😀", "--", '""'):
        assert search_documents(db, query=query) == []
        assert count_search_matches(db, query=query) == 0


# Hits -------------------------------------------------------------------------------------------


def test_hits_come_with_plain_text_snippets_and_ranges_of_the_matched_words(db, docs):
    (hit,) = search_documents(db, query="ministry")
    assert hit.document_id == docs["Car gift"]
    assert hit.title == "Car gift"
    assert hit.source == "Wire"
    assert "\ue000" not in hit.snippet and "\ue001" not in hit.snippet
    assert "<" not in hit.snippet
    assert "ministry" in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.hits] == ["ministry"]


def test_every_matched_word_is_marked_in_the_snippet(db, docs):
    (hit,) = search_documents(db, query="zürich meeting")
    marked = [hit.snippet[s:e].casefold() for s, e in hit.hits]
    assert marked.count("zürich") == 2
    assert "meeting" in marked


def test_markup_in_a_document_stays_text_in_the_snippet(db):
    text = "<b>bold</b> claim & <img src=x onerror=alert(1)> about sanctions"
    add_documents(db, items=[(DocumentMeta(title="<i>Markup</i>"), text, ())])
    (hit,) = search_documents(db, query="sanctions")
    assert hit.title == "<i>Markup</i>"
    assert "<img src=x onerror=alert(1)>" in hit.snippet or "img src" in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.hits] == ["sanctions"]


def test_a_title_match_ranks_above_text_matches(db, docs):
    add_documents(
        db,
        items=[
            (DocumentMeta(title="Other"), "cabbage cabbage cabbage is mentioned a lot here", ()),
            (DocumentMeta(title="Cabbage prices"), "Prices rose this week in the market.", ()),
        ],
    )
    hits = search_documents(db, query="cabbage")
    assert hits[0].title == "Cabbage prices"
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)


def test_results_page_without_overlap(db):
    add_documents(
        db,
        items=[(DocumentMeta(title=f"Doc {i}"), f"common word {i}", ()) for i in range(23)],
    )
    pages = [
        [h.document_id for h in search_documents(db, query="common", limit=10, offset=o)]
        for o in (0, 10, 20)
    ]
    assert [len(p) for p in pages] == [10, 10, 3]
    assert len({i for p in pages for i in p}) == 23
    assert count_search_matches(db, query="common") == 23


# Search syntax, without a database ------------------------------------------------------------


def test_parser_builds_clauses_and_exclusions():
    assert parse_search_query('kim "jong un" OR moon -car x*') == SearchQuery(
        required=(
            (SearchTerm("kim"),),
            (SearchTerm("jong un", phrase=True), SearchTerm("moon")),
            (SearchTerm("x", prefix=True),),
        ),
        excluded=(SearchTerm("car"),),
    )
    assert parse_search_query("  ").is_empty
    assert parse_search_query("AND OR * -").is_empty


def test_snippet_markers_become_ranges_and_unpaired_markers_vanish():
    assert split_marked_snippet("a \ue000bc\ue001 d \ue000e\ue001") == (
        "a bc d e",
        ((2, 4), (7, 8)),
    )
    assert split_marked_snippet("x\ue001y\ue000z") == ("xyz", ())


# Annotations ----------------------------------------------------------------------------------


def test_search_spans_by_label_and_quote(db, docs):
    with db.transaction() as repo:
        labels = {s.name: repo.add_label(s, position=i).id for i, s in enumerate(DEFAULT_LABELS)}
        alice = repo.annotator_named("alice").id
    gift, harbour = docs["Car gift"], docs["Harbour"]
    kim1 = add_span(
        db, document_id=gift, start=0, end=11, label_id=labels["ACTOR"], annotator_id=alice
    )
    date = add_span(
        db, document_id=gift, start=42, end=52, label_id=labels["DATE"], annotator_id=alice
    )
    at = ARTICLES["Harbour"].index("Kim")
    kim2 = add_span(
        db, document_id=harbour, start=at, end=at + 3, label_id=labels["ACTOR"], annotator_id=alice
    )
    mayor = add_span(
        db, document_id=harbour, start=4, end=9, label_id=labels["ACTOR"], annotator_id=alice
    )
    assert (kim1.quote, date.quote, kim2.quote, mayor.quote) == (
        "Kim Jong Un",
        "3 May 2024",
        "Kim",
        "mayor",
    )

    actors = search_spans(db, label_id=labels["ACTOR"])
    assert [h.span_id for h in actors] == [kim1.id, mayor.id, kim2.id]  # document, then text order
    assert actors[0].document_title == "Car gift"
    assert (actors[0].start, actors[0].end, actors[0].quote) == (0, 11, "Kim Jong Un")

    assert [h.span_id for h in search_spans(db, quote_contains="kim")] == [kim1.id, kim2.id]
    assert [h.span_id for h in search_spans(db, quote_contains="JONG")] == [kim1.id]
    assert [h.span_id for h in search_spans(db, label_id=labels["DATE"], quote_contains="May")] == [
        date.id
    ]
    assert search_spans(db, label_id=labels["CLAIM"]) == []
    assert search_spans(db, quote_contains="%") == []  # LIKE wildcards are plain characters
    assert search_spans(db, quote_contains="_") == []
    assert len(search_spans(db, limit=2)) == 2
    assert len(search_spans(db)) == 4


# The command line -----------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        env=dict(os.environ),
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.fixture
def cli_db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite3"
    add_plain_demo(path)  # a fourth article, with "the" in it
    db = open_database(path)
    try:
        add_documents(
            db,
            items=[
                (DocumentMeta(title="Car gift"), ARTICLES["Car gift"], ()),
                (DocumentMeta(title="Harbour \x1b[31mred"), ARTICLES["Harbour"], ()),
                (DocumentMeta(title="Talks"), ARTICLES["Talks"], ()),
            ],
        )
    finally:
        db.dispose()
    return path


def test_cli_search_prints_ids_titles_and_marked_snippets(cli_db, tmp_path):
    result = run_cli("search", "kim", "--db", str(cli_db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "2 matches"
    assert lines[0].split(None, 1)[1] in ("Car gift", "Harbour  [31mred")
    assert "[Kim] Jong Un gave a car" in result.stdout
    assert "[Kim] was not there" in result.stdout
    assert "\x1b" not in result.stdout  # no terminal escapes from article titles or text


def test_cli_search_limit_and_no_matches(cli_db, tmp_path):
    result = run_cli("--db", str(cli_db), "search", "the", "--limit", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "4 matches (showing 1)"  # with the demo article
    assert len(result.stdout.splitlines()) == 3
    none = run_cli("search", "absentword", "--db", str(cli_db), cwd=tmp_path)
    assert none.returncode == 0
    assert none.stdout == "0 matches\n"


def test_cli_search_with_a_broken_query_is_a_one_line_error_and_exit_2(cli_db, tmp_path):
    result = run_cli("search", '"kim car', "--db", str(cli_db), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("annotator: error: ")
    assert "quote" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_cli_search_refuses_a_limit_that_is_not_positive(cli_db, tmp_path):
    result = run_cli("search", "kim", "--limit", "0", "--db", str(cli_db), cwd=tmp_path)
    assert result.returncode == 2
    assert "positive" in result.stderr


def test_imported_articles_are_found_once_indexed_in_batches_that_can_be_stopped(
    db: Database, tmp_path: Path, monkeypatch
):
    """An import leaves its articles out of the search index (SQLite); a search indexes
    them first, or, told not to, leaves them out; the index pass reports progress per batch
    and a cancel keeps what it indexed."""
    from annotator.services.importing import import_paths
    from annotator.services.search import index_for_search, pending_search_count
    from annotator.store import search as store_search

    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(7):
        (folder / f"kiln-{i}.txt").write_text(f"Kiln {i}\n\nThe brick kiln number {i}.")
    report = import_paths(db, paths=[folder])
    assert len(report.imported_ids) == 7
    if db.url.get_backend_name() != "sqlite":
        assert pending_search_count(db) == 0  # PostgreSQL indexes as it writes
        assert count_search_matches(db, query="kiln", index_first=False) == 7
        return
    assert pending_search_count(db) == 7
    assert search_documents(db, query="kiln", index_first=False) == []
    monkeypatch.setattr(store_search, "INDEX_BATCH", 3)
    seen: list[tuple[int, int]] = []
    indexed = index_for_search(
        db, progress=lambda d, t: seen.append((d, t)), cancelled=lambda: len(seen) >= 2
    )
    assert (indexed, seen) == (6, [(3, 7), (6, 7)])
    assert count_search_matches(db, query="kiln", index_first=False) == 6
    assert pending_search_count(db) == 1
    assert count_search_matches(db, query="kiln") == 7  # indexes the rest first
    assert pending_search_count(db) == 0


def test_cli_search_finds_what_an_import_just_stored(tmp_path):
    (tmp_path / "a.txt").write_text("Granary\n\nThe old granary burned.")
    assert run_cli("import", "--db", "x.sqlite3", "a.txt", cwd=tmp_path).returncode == 0
    result = run_cli("search", "--db", "x.sqlite3", "granary", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[granary] burned" in result.stdout.lower()
    assert result.stdout.rstrip().endswith("1 match")
