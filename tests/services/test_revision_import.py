"""A new version of a stored article, imported through the real import path, on the KCNA gold:
inserted paragraphs, typo fixes inside and next to spans, deleted sentences and reordered
paragraphs. After each, every span of the gold is in the spans table at a quote of the new text
or kept whole in an unplaced review entry, and every link is stored or recorded: the counts add
up, nothing is lost."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from annotator.domain.errors import ReviewError
from annotator.domain.revisions import Resolution, ReviewReason
from annotator.domain.suggestions import NewSuggestion
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.documents import open_document
from annotator.services.importing import Outcome, import_files
from annotator.services.interchange import export_corpus, import_annotations
from annotator.services.library import page_documents
from annotator.services.relations import add_relation, list_relations
from annotator.services.revisions import open_reviews, reopen_review, settle_review
from annotator.services.schema import get_schema
from annotator.services.search import search_documents
from annotator.services.spans import add_span
from annotator.store import Database

URL = "https://kcnawatch.example/article/car-gift"


@dataclass
class Stored:
    db: Database
    document_id: int
    text: str
    gold: dict[str, Any]
    tmp: Path


def article(tmp: Path, name: str, text: str, url: str = URL) -> Path:
    path = tmp / f"{name}.json"
    path.write_text(json.dumps({"title": "Putin's car", "url": url, "text": text}), "utf-8")
    return path


@pytest.fixture
def gold(shared: Path) -> tuple[str, dict[str, Any]]:
    corpus = shared / "corpus"
    text = (corpus / "kcna-car-gift.txt").read_text("utf-8")
    return text, json.loads((corpus / "kcna-car-gift.gold.json").read_text("utf-8"))


@pytest.fixture
def stored(any_db: Database, gold: tuple[str, dict[str, Any]], tmp_path: Path) -> Stored:
    """The KCNA article imported with its URL, and the gold's spans and links on it."""
    return store(any_db, tmp_path, *gold)


def with_typo(text: str, gold: dict[str, Any], at: int) -> tuple[str, dict[str, Any]]:
    """The text with the character at `at` missing and the gold's spans in it: the version
    before the typo was fixed."""
    old = text[:at] + text[at + 1 :]
    spans = []
    for s in gold["spans"]:
        start = s["start"] - 1 if s["start"] > at else s["start"]
        end = s["end"] - 1 if s["end"] > at else s["end"]
        spans.append({**s, "start": start, "end": end, "quote": old[start:end]})
    return old, {**gold, "spans": spans}


def store(any_db: Database, tmp_path: Path, text: str, gold: dict[str, Any]) -> Stored:
    seed_new_database(any_db)
    report = import_files(any_db, paths=[article(tmp_path, "v1", text)], annotator_name="tester")
    (document_id,) = report.imported_ids
    schema = get_schema(any_db)
    me = ensure_annotator(any_db, name="tester")
    ids = {}
    for s in gold["spans"]:
        ids[s["id"]] = add_span(
            any_db,
            document_id=document_id,
            start=s["start"],
            end=s["end"],
            label_id=schema.label_named(s["label"]).id,
            annotator_id=me.id,
        ).id
    for r in gold["relations"]:
        add_relation(
            any_db,
            type_id=schema.relation_type_named(r["type"]).id,
            source_id=ids[r["from"]],
            target_id=ids[r["to"]],
            annotator_id=me.id,
        )
    return Stored(any_db, document_id, text, gold, tmp_path)


def revise(stored: Stored, new: str, url: str = URL) -> None:
    report = import_files(
        stored.db, paths=[article(stored.tmp, "v2", new, url)], annotator_name="tester"
    )
    assert [r.outcome for r in report.results] == [Outcome.REVISED]
    assert report.results[0].document_id == stored.document_id
    revision = report.revised[0]
    assert f"1 revised ({revision.placed} spans placed, {revision.to_review} to review)" in (
        report.summary()
    )


def check_nothing_lost(stored: Stored, new: str) -> tuple[list[Any], list[Any]]:
    """Every gold span in spans (quoting the new text) or in an unplaced entry; every link
    stored or recorded; the library's count right. (changed entries, unplaced entries)"""
    db = stored.db
    document, spans = open_document(db, document_id=stored.document_id)
    assert document.text == new
    for span in spans:
        assert new[span.start : span.end] == span.quote
    entries = open_reviews(db, document_id=stored.document_id)
    unplaced = [e for e in entries if e.reason is ReviewReason.UNPLACED]
    changed = [e for e in entries if e.reason is ReviewReason.CHANGED]
    assert len(spans) + len(unplaced) == len(stored.gold["spans"])
    assert {e.span_id for e in changed} <= {s.id for s in spans}
    kept = {s.id: s for s in spans}
    # Each gold span is accounted for once: placed at its own quote, changed (the entry has
    # its old place), or unplaced (the entry has it whole).
    changed_ids = {e.span_id for e in changed}
    accounted = sorted(
        [s.quote for s in spans if s.id not in changed_ids]
        + [e.old_quote for e in changed]
        + [e.old_quote for e in unplaced]
    )
    assert accounted == sorted(s["quote"] for s in stored.gold["spans"])
    gold_places = {(s["start"], s["end"], s["quote"]) for s in stored.gold["spans"]}
    assert {(e.old_start, e.old_end, e.old_quote) for e in changed + unplaced} <= gold_places
    relations = list_relations(db, document_id=stored.document_id)
    for r in relations:
        assert r.source_id in kept and r.target_id in kept
    links = {r.id for r in relations}
    recorded = {link["relation_id"] for e in unplaced for link in e.record["links"]}
    assert len(links | recorded) == len(stored.gold["relations"])
    assert not links & recorded
    me = ensure_annotator(db, name="tester")
    (row,) = [r for r in page_documents(db, annotator_id=me.id) if r.id == stored.document_id]
    assert row.span_count == len(spans)
    return changed, unplaced


INSERTED = "Separately, the two leaders exchanged letters about aviation cooperation.\n"


def test_an_inserted_paragraph_places_every_span_and_search_finds_the_new_text(stored) -> None:
    at = stored.text.index("\n") + 1
    new = stored.text[:at] + INSERTED + stored.text[at:]

    revise(stored, new, url=URL.replace("https://kcnawatch", "HTTPS://KCNAWatch") + "/#top")

    changed, unplaced = check_nothing_lost(stored, new)
    assert changed == [] and unplaced == []
    hits = search_documents(stored.db, query="aviation")
    assert [h.document_id for h in hits] == [stored.document_id]


def test_the_same_text_at_the_url_is_a_duplicate_and_as_new_makes_a_new_document(
    stored,
) -> None:
    path = article(stored.tmp, "again", stored.text)
    report = import_files(stored.db, paths=[path], annotator_name="tester")
    assert [r.outcome for r in report.results] == [Outcome.DUPLICATE]

    new = stored.text.replace("Vladimir Putin", "Vladimir V. Putin")
    path = article(stored.tmp, "v2", new)
    report = import_files(stored.db, paths=[path], annotator_name="tester", as_new=True)
    assert [r.outcome for r in report.results] == [Outcome.IMPORTED]
    assert report.results[0].document_id != stored.document_id
    document, _ = open_document(stored.db, document_id=stored.document_id)
    assert document.text == stored.text


def test_a_typo_fixed_inside_spans_changes_their_quotes_and_lists_them(
    any_db, gold, tmp_path
) -> None:
    text, spans = gold
    at = text.index("Vladimir") + len("Vladim")
    old, typo_gold = with_typo(text, spans, at)
    stored = store(any_db, tmp_path, old, typo_gold)

    revise(stored, text)

    changed, unplaced = check_nothing_lost(stored, text)
    assert unplaced == []
    assert ("Vladimr Putin", "Vladimir Putin") in {(e.old_quote, e.quote) for e in changed}
    assert len(changed) == 2  # the actor and the claim around it
    for entry in changed:
        assert entry.quote == text[entry.start : entry.end]
        assert "Vladimr" in entry.old_quote and "Vladimir" in entry.quote


@pytest.mark.parametrize(
    ("before", "after"),
    [("the Korean Central", "th Korean Central"), ("Pyongyang, a dynamic", "Pyongyang a dynamic")],
)
def test_a_typo_fixed_next_to_a_span_leaves_every_span_in_place(
    any_db, gold, tmp_path, before: str, after: str
) -> None:
    text, spans = gold
    at = text.index(before) + next(
        i for i, (x, y) in enumerate(zip(before, after, strict=False)) if x != y
    )
    stored = store(any_db, tmp_path, *with_typo(text, spans, at))

    revise(stored, text)

    changed, unplaced = check_nothing_lost(stored, text)
    assert changed == [] and unplaced == []


DELETED = (
    "The gift was received on February 18 by Kim Yo Jong, who serves as a high-ranking official "
    "in the Workers’ Party of Korea and who acts as a key liaison within the North Korean "
    "leadership. "
)


def test_spans_of_a_deleted_sentence_go_to_review_with_their_links(stored) -> None:
    new = stored.text.replace(DELETED, "")
    at = stored.text.index(DELETED)
    inside = [s for s in stored.gold["spans"] if at <= s["start"] and s["end"] <= at + len(DELETED)]

    revise(stored, new)

    changed, unplaced = check_nothing_lost(stored, new)
    assert changed == []
    assert sorted(e.old_quote for e in unplaced) == sorted(s["quote"] for s in inside)
    claim = next(e for e in unplaced if e.old_quote.startswith("The gift was received"))
    assert claim.suffix.startswith(", who serves")
    assert {link["other_quote"] for link in claim.record["links"]} >= {"February 18"}

    # Placed again at a selection: the span is back with its label and the links whose other
    # end exists (KCNA); the link to the date, itself unplaced, waits for the date.
    where = new.index("Also present")
    sentence = (where, new.index(".", where))
    placed = settle_review(
        stored.db,
        review_id=claim.id,
        resolution=Resolution.PLACED,
        start=sentence[0],
        end=sentence[1],
    )
    assert placed.resolution is Resolution.PLACED
    claim_id = placed.record["placed_id"]
    _, spans = open_document(stored.db, document_id=stored.document_id)
    (back,) = [s for s in spans if s.id == claim_id]
    assert (back.label_id, back.start, back.end) == (claim.label_id, *sentence)
    linked = [
        r
        for r in list_relations(stored.db, document_id=stored.document_id)
        if claim_id in (r.source_id, r.target_id)
    ]
    quotes = {s.id: s.quote for s in spans}
    assert [quotes[r.target_id] for r in linked] == ["Korean Central News Agency"]

    date = next(e for e in unplaced if e.old_quote == "February 18")
    at = new.index("September 2023")
    with pytest.raises(ReviewError, match="already there"):
        settle_review(
            stored.db, review_id=date.id, resolution=Resolution.PLACED, start=at, end=at + 14
        )
    settle_review(
        stored.db, review_id=date.id, resolution=Resolution.PLACED, start=at + 10, end=at + 14
    )
    linked = [
        r
        for r in list_relations(stored.db, document_id=stored.document_id)
        if claim_id in (r.source_id, r.target_id)
    ]
    assert len(linked) == 2  # the TIME link came back with its other end

    # Undo (reopen) takes the date out again, with its link; the entry is open once more.
    reopen_review(stored.db, review_id=date.id)
    linked = [
        r
        for r in list_relations(stored.db, document_id=stored.document_id)
        if claim_id in (r.source_id, r.target_id)
    ]
    assert len(linked) == 1
    assert date.id in {e.id for e in open_reviews(stored.db, document_id=stored.document_id)}
    assert claim.id not in {e.id for e in open_reviews(stored.db, document_id=stored.document_id)}


@pytest.mark.parametrize("order", [(1, 0, 2, 3), (3, 2, 1, 0)])
def test_spans_follow_reordered_paragraphs(stored, order: tuple[int, ...]) -> None:
    paragraphs = stored.text.split("\n")
    assert len(paragraphs) == len(order)
    new = "\n".join(paragraphs[i] for i in order)

    revise(stored, new)

    changed, unplaced = check_nothing_lost(stored, new)
    assert changed == [] and unplaced == []


def test_an_annotation_file_with_a_new_text_at_the_url_revises_then_adds_its_spans(
    stored,
) -> None:
    out = stored.tmp / "export.jsonl"
    export_corpus(stored.db, format_name="native", out=out)
    lines = out.read_text("utf-8").splitlines()
    edited = []
    for line in lines:
        record = json.loads(line)
        if record.get("text") == stored.text:
            record["text"] = stored.text + "\n" + INSERTED.rstrip("\n")
        edited.append(json.dumps(record))
    out.write_text("\n".join(edited) + "\n", "utf-8")

    report = import_annotations(
        stored.db, paths=[out], format_name="native", annotator_name="tester"
    )

    assert (report.documents_revised, report.documents_added, report.documents_matched) == (
        1,
        0,
        0,
    )
    assert report.summary().startswith("1 revised (0 stored spans to review)")
    # The stored spans followed the new text; the file's are the same spans: already there.
    assert report.spans_added == 0
    assert report.spans_already_there == len(stored.gold["spans"])
    check_nothing_lost(stored, stored.text + "\n" + INSERTED.rstrip("\n"))


def test_the_command_line_says_revised_lists_entries_and_can_keep_versions_apart(
    stored, capsys
) -> None:
    from annotator.cli import main

    target = str(stored.db.url.render_as_string(hide_password=False))
    new = stored.text.replace(DELETED, "")
    path = article(stored.tmp, "v2", new)

    assert main(["import", "--db", target, str(path)]) == 0
    out = capsys.readouterr().out
    assert "0 imported, 1 revised (39 spans placed, 4 to review)" in out

    assert main(["review", "--db", target, "--document", str(stored.document_id)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "4 to review"
    assert any("unplaced  DATE  'February 18'" in line and "was in:" in line for line in lines)

    newer = new.replace("Vladimir Putin", "Vladimir V. Putin")
    again = article(stored.tmp, "v3", newer)
    assert main(["import", "--db", target, "--as-new", str(again)]) == 0
    assert "1 imported, 0 duplicate, 0 refused" in capsys.readouterr().out


def test_suggestions_of_the_old_text_are_dropped_and_rejections_follow_their_quote(
    stored,
) -> None:
    db = stored.db
    schema = get_schema(db)
    actor = schema.label_named("ACTOR").id
    me = ensure_annotator(db, name="tester")

    def at(quote: str, text: str = stored.text) -> tuple[int, int]:
        start = text.index(quote)
        return start, start + len(quote)

    with db.transaction() as repo:
        wanted = [
            NewSuggestion(*at("Aurus limousine"), actor, "actors", 0.5),
            NewSuggestion(*at("North Korean side"), actor, "actors", 0.5),
            NewSuggestion(*at("high-ranking official"), actor, "actors", 0.5),
        ]
        repo.replace_suggestions(stored.document_id, ["actors"], wanted)
        proposed = repo.suggestions(stored.document_id)
        for suggestion in proposed:
            if suggestion.quote != "Aurus limousine":
                repo.add_rejection(suggestion, me.id)
    new = "A new first line.\n" + stored.text.replace(DELETED, "")

    revise(stored, new)

    with db.reading() as repo:
        assert repo.suggestions(stored.document_id) == []
        # The rejection in the deleted sentence is dropped; the other follows its quote.
        assert repo.rejected_keys(stored.document_id) == {(actor, *at("North Korean side", new))}


def test_the_review_list_can_show_one_annotators_entries(stored, capsys) -> None:
    from annotator.cli import main

    target = str(stored.db.url.render_as_string(hide_password=False))
    bob = ensure_annotator(stored.db, name="bob")
    at = stored.text.index("Kim Yo Jong")
    add_span(
        stored.db,
        document_id=stored.document_id,
        start=at,
        end=at + len("Kim Yo Jong"),
        label_id=get_schema(stored.db).label_named("ACTOR").id,
        annotator_id=bob.id,
    )
    revise(stored, stored.text.replace(DELETED, ""))

    assert main(["review", "--db", target]) == 0
    everyone = capsys.readouterr().out.splitlines()
    assert everyone[-1] == "5 to review"
    assert main(["review", "--db", target, "--annotator", "bob"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "1 to review"
    assert "  bob  unplaced  ACTOR  'Kim Yo Jong'" in lines[0]
    assert main(["review", "--db", target, "--annotator", "tester"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "4 to review"

    assert main(["review", "--db", target, "--annotator", "nobody"]) != 0
    assert "no annotator is named 'nobody'" in capsys.readouterr().err


def test_a_label_with_spans_waiting_for_review_cannot_be_deleted(stored) -> None:
    from annotator.domain.errors import SchemaError
    from annotator.domain.model import HighlightStyle
    from annotator.domain.schema import LabelSpec
    from annotator.services.schema import delete_label, save_label

    db = stored.db
    spec = LabelSpec("GIFT", "#123456", None, HighlightStyle.BACKGROUND, "")
    label = save_label(db, spec=spec)
    at = stored.text.index("The gift was received")
    span = add_span(
        db,
        document_id=stored.document_id,
        start=at,
        end=at + len("The gift"),
        label_id=label.id,
        annotator_id=ensure_annotator(db, name="tester").id,
    )
    revise(stored, stored.text.replace(DELETED, ""))
    (entry,) = [e for e in open_reviews(db) if e.label_id == label.id]
    assert entry.record["span"]["span_id"] == span.id

    with pytest.raises(SchemaError, match=r"GIFT is used by 1 span.* waiting for review"):
        delete_label(db, label_id=label.id)
    assert entry.id in {e.id for e in open_reviews(db)}

    settle_review(db, review_id=entry.id, resolution=Resolution.DISCARDED)
    delete_label(db, label_id=label.id)
    assert label.id not in {x.id for x in get_schema(db).labels}
