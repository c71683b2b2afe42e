"""The claims table across the corpus: rows, exports, the `claims` command, corpus views."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.domain.claims import CLAIM_COLUMNS, ActorRef, ClaimRow
from annotator.domain.model import DocumentMeta
from annotator.services.actors import create_actor
from annotator.services.claims import (
    actor_page,
    claim_rows,
    claims_json,
    corpus_views,
    write_claims_csv,
    write_claims_xlsx,
)
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.documents import add_document
from annotator.services.relations import add_relation
from annotator.services.schema import get_schema, save_relation_type
from annotator.services.spans import add_span
from annotator.store import Database

TEXT_A = (
    "KCNA reported on February 18 that Kim Yo Jong called the car the best gift. "
    "Observers said ties improved in September 2023. =Prices rose sharply."
)
TEXT_B = "Putin praised Kim Jong-un in 2023."


@dataclass
class Corpus:
    doc_a: int
    doc_b: int
    claims: dict[str, int]
    actors: dict[str, int]
    spans: dict[str, int]


def build_corpus(db: Database) -> Corpus:
    """Two documents: nested attribution, an unlinked source, a claim without source, a
    TARGET link and a date with an unknown year."""
    seed_new_database(db)
    me = ensure_annotator(db, name="tester").id
    schema = get_schema(db)
    label = {lb.name: lb.id for lb in schema.labels}
    target_type = save_relation_type(
        db,
        name="TARGET",
        source_label_id=label["CLAIM"],
        target_label_id=label["ACTOR"],
        colour="#123456",
    )
    types = {t.name: t.id for t in get_schema(db).relation_types}
    a = add_document(
        db,
        text=TEXT_A,
        meta=DocumentMeta("Car gift", source="KCNA Watch", published="2024-02-19"),
    )
    b = add_document(db, text=TEXT_B, meta=DocumentMeta("Summit"))
    spans: dict[str, int] = {}

    def span(doc: int, text: str, quote: str, name: str, **attributes: object) -> int:
        start = text.index(quote)
        spans[quote] = add_span(
            db,
            document_id=doc,
            start=start,
            end=start + len(quote),
            label_id=label[name],
            annotator_id=me,
            attributes=dict(attributes),
        ).id
        return spans[quote]

    def link(kind: str, source: int, target: int) -> None:
        add_relation(db, type_id=types[kind], source_id=source, target_id=target, annotator_id=me)

    kcna = span(a.id, TEXT_A, "KCNA", "ACTOR")
    feb = span(a.id, TEXT_A, "February 18", "DATE", value="XXXX-02-18")
    kim = span(a.id, TEXT_A, "Kim Yo Jong", "ACTOR")
    observers = span(a.id, TEXT_A, "Observers", "ACTOR")
    sep = span(a.id, TEXT_A, "September 2023", "DATE", value="2023-09")
    report = span(
        a.id,
        TEXT_A,
        "KCNA reported on February 18 that Kim Yo Jong called the car the best gift",
        "CLAIM",
        quote_type="indirect",
        reporting_verb="reported",
    )
    gift = span(
        a.id,
        TEXT_A,
        "the car the best gift",
        "CLAIM",
        quote_type="direct",
        stance="positive",
        hedged=False,
        check_worthy=True,
    )
    ties = span(
        a.id, TEXT_A, "ties improved in September 2023", "CLAIM", stance="neutral", hedged=True
    )
    prices = span(a.id, TEXT_A, "=Prices rose sharply", "CLAIM", quote_type="unattributed")
    putin = span(b.id, TEXT_B, "Putin", "ACTOR")
    kju = span(b.id, TEXT_B, "Kim Jong-un", "ACTOR")
    year = span(b.id, TEXT_B, "2023", "DATE", value="2023")
    praise = span(b.id, TEXT_B, "Putin praised Kim Jong-un in 2023", "CLAIM", stance="positive")

    actors = {
        key: create_actor(db, name=name, key=key, kind=kind, link_spans=linked).id
        for key, name, kind, linked in (
            ("kcna", "Korean Central News Agency", "media", [kcna]),
            ("kim-yo-jong", "Kim Yo Jong", "person", [kim]),
            ("putin", "Vladimir Putin", "person", [putin]),
            ("kim-jong-un", "Kim Jong-un", "person", [kju]),
        )
    }
    link("SOURCE", report, kcna)
    link("TIME", report, feb)
    link("SOURCE", gift, kim)
    link("REPORTED_IN", gift, report)
    link("SOURCE", ties, observers)
    link("TIME", ties, sep)
    link("SOURCE", praise, putin)
    link("TIME", praise, year)
    add_relation(db, type_id=target_type.id, source_id=praise, target_id=kju, annotator_id=me)
    return Corpus(
        a.id,
        b.id,
        {"report": report, "gift": gift, "ties": ties, "prices": prices, "praise": praise},
        actors,
        spans,
    )


def expected_rows(c: Corpus) -> list[ClaimRow]:
    kcna = ActorRef("Korean Central News Agency", c.actors["kcna"], "kcna")
    a = {"document_id": c.doc_a, "document_title": "Car gift", "outlet": "KCNA Watch"}
    return [
        ClaimRow(
            span_id=c.claims["report"],
            **a,
            published="2024-02-19",
            text="KCNA reported on February 18 that Kim Yo Jong called the car the best gift",
            start=0,
            end=74,
            sources=(kcna,),
            dates=("XXXX-02-18",),
            date_quotes=("February 18",),
            quote_type="indirect",
            reporting_verb="reported",
        ),
        ClaimRow(
            span_id=c.claims["gift"],
            **a,
            published="2024-02-19",
            text="the car the best gift",
            start=53,
            end=74,
            sources=(ActorRef("Kim Yo Jong", c.actors["kim-yo-jong"], "kim-yo-jong"),),
            quote_type="direct",
            stance="positive",
            hedged=False,
            check_worthy=True,
            reported_in=(c.claims["report"],),
            according_to=(kcna,),
        ),
        ClaimRow(
            span_id=c.claims["ties"],
            **a,
            published="2024-02-19",
            text="ties improved in September 2023",
            start=91,
            end=122,
            sources=(ActorRef("Observers"),),
            dates=("2023-09",),
            date_quotes=("September 2023",),
            stance="neutral",
            hedged=True,
        ),
        ClaimRow(
            span_id=c.claims["prices"],
            **a,
            published="2024-02-19",
            text="=Prices rose sharply",
            start=124,
            end=144,
            quote_type="unattributed",
        ),
        ClaimRow(
            span_id=c.claims["praise"],
            document_id=c.doc_b,
            document_title="Summit",
            outlet="",
            published="",
            text="Putin praised Kim Jong-un in 2023",
            start=0,
            end=33,
            sources=(ActorRef("Vladimir Putin", c.actors["putin"], "putin"),),
            dates=("2023",),
            date_quotes=("2023",),
            stance="positive",
            targets=(ActorRef("Kim Jong-un", c.actors["kim-jong-un"], "kim-jong-un"),),
        ),
    ]


def test_claim_rows_say_who_claimed_what_when_according_to_whom(any_db):
    corpus = build_corpus(any_db)
    rows = claim_rows(any_db)
    assert rows == expected_rows(corpus)
    gift = rows[1]
    assert (gift.actor, gift.actor_key, gift.record()["according_to"]) == (
        "Kim Yo Jong",
        "kim-yo-jong",
        "Korean Central News Agency",
    )
    assert rows[2].actor == "Observers" and rows[2].actor_key == ""  # unlinked: its text
    assert rows[3].actor == "" and rows[3].date == ""  # no SOURCE, no TIME


def test_claim_rows_of_one_actor_still_say_according_to_whom(any_db):
    corpus = build_corpus(any_db)
    expected = expected_rows(corpus)
    assert claim_rows(any_db, actor_id=corpus.actors["kim-yo-jong"]) == [expected[1]]
    assert claim_rows(any_db, document_ids=[corpus.doc_b]) == [expected[4]]
    assert claim_rows(any_db, actor_id=corpus.actors["kim-jong-un"]) == []  # target, not source


def test_corpus_views_and_the_actor_page(any_db):
    corpus = build_corpus(any_db)
    views = corpus_views(any_db)
    assert views.rows == expected_rows(corpus)
    assert views.events == []  # every dated span is the TIME of a claim
    assert views.mention_counts == {i: 1 for i in corpus.actors.values()}
    a, b, actor = corpus.doc_a, corpus.doc_b, corpus.actors
    assert sorted(views.actor_documents) == sorted(
        [
            (a, actor["kcna"]),
            (a, actor["kim-yo-jong"]),
            (b, actor["putin"]),
            (b, actor["kim-jong-un"]),
        ]
    )
    page = actor_page(any_db, actor_id=corpus.actors["kim-yo-jong"])
    assert page.actor.key == "kim-yo-jong"
    (mention,) = page.mentions
    assert (mention.document_title, mention.quote) == ("Car gift", "Kim Yo Jong")
    assert mention.before == "KCNA reported on February 18 that "
    assert mention.after == " called the car the best gift. Observers said ties improved "
    assert page.claims == [expected_rows(corpus)[1]]


def test_a_date_no_claim_links_to_is_a_dated_event(any_db):
    corpus = build_corpus(any_db)
    me = ensure_annotator(any_db, name="tester").id
    date_label = next(lb.id for lb in get_schema(any_db).labels if lb.name == "DATE")
    rose = TEXT_A.index("sharply")
    span = add_span(
        any_db,
        document_id=corpus.doc_a,
        start=rose,
        end=rose + 7,
        label_id=date_label,
        annotator_id=me,
        attributes={"value": "2024-02"},
    )
    (event,) = corpus_views(any_db).events
    assert (event.span_id, event.value, event.document_title) == (span.id, "2024-02", "Car gift")


# Exports -------------------------------------------------------------------------------------


def test_csv_file_for_spreadsheets_and_csv_stream_for_programs(db_path, tmp_path):
    db = Database(db_path)
    try:
        rows = expected_rows(build_corpus(db))
    finally:
        db.dispose()
    path = tmp_path / "claims.csv"
    assert write_claims_csv(rows, path) == 5
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [r["claim"] for r in table][3] == "'=Prices rose sharply"  # no formula
    assert table[1]["hedged"] == "no" and table[1]["check_worthy"] == "yes"
    assert table[0]["hedged"] == ""
    stream = io.StringIO()
    write_claims_csv(rows, stream)
    again = list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))
    assert again[3]["claim"] == "=Prices rose sharply"
    assert list(again[0]) == list(CLAIM_COLUMNS)


def test_xlsx_and_json_hold_the_same_table(db_path, tmp_path):
    from openpyxl import load_workbook

    db = Database(db_path)
    try:
        rows = expected_rows(build_corpus(db))
    finally:
        db.dispose()
    path = tmp_path / "claims.xlsx"
    assert write_claims_xlsx(rows, path) == 5
    sheet = load_workbook(path).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert tuple(values[0]) == CLAIM_COLUMNS
    assert values[4][CLAIM_COLUMNS.index("claim")] == "=Prices rose sharply"
    assert sheet.cell(5, CLAIM_COLUMNS.index("claim") + 1).data_type == "s"
    records = json.loads(claims_json(rows))
    assert records == [r.record() for r in rows]
    assert records[1]["hedged"] is False and records[0]["hedged"] is None


def test_an_unwritable_export_is_an_error_the_user_can_act_on(tmp_path):
    from annotator.domain.errors import AnnotatorError

    with pytest.raises(AnnotatorError, match="cannot write"):
        write_claims_csv([], tmp_path / "missing" / "claims.csv")


# The command line ----------------------------------------------------------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
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


def test_the_claims_command_prints_the_same_table_as_csv_and_json(db_path, tmp_path):
    db = Database(db_path)
    try:
        build_corpus(db)
        rows = claim_rows(db)
    finally:
        db.dispose()
    as_csv = run("claims", "--db", str(db_path), cwd=tmp_path)
    assert as_csv.returncode == 0, as_csv.stderr
    expected = io.StringIO()
    write_claims_csv(rows, expected)
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == list(
        csv.reader(io.StringIO(expected.getvalue()))
    )
    as_json = run("--db", str(db_path), "claims", "--format", "json", cwd=tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == [r.record() for r in rows]
    one = run("claims", "--db", str(db_path), "--actor", "putin", "--format", "json", cwd=tmp_path)
    assert [r["claim"] for r in json.loads(one.stdout)] == ["Putin praised Kim Jong-un in 2023"]


def test_claims_command_errors_are_one_line_with_status_2(db_path, tmp_path):
    db = Database(db_path)
    try:
        build_corpus(db)
    finally:
        db.dispose()
    for args in (
        ("--actor", "nobody"),
        ("--format", "xlsx"),
        ("--output", str(tmp_path / "missing" / "claims.csv")),
    ):
        result = run("claims", "--db", str(db_path), *args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and "annotator: error:" in result.stderr
    written = run("claims", "--db", str(db_path), "--output", str(tmp_path / "c.csv"), cwd=tmp_path)
    assert written.returncode == 0 and "wrote 5 claims" in written.stderr
    assert (tmp_path / "c.csv").read_bytes().startswith(b"\xef\xbb\xbf")
