"""Agreement between annotators of one database: the service's scope and the `agree` command."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.domain.errors import AnnotatorError, NotFoundError
from annotator.domain.model import DocumentMeta
from annotator.services.actors import create_actor
from annotator.services.agreement import compute_agreement
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document
from annotator.services.library import set_status
from annotator.services.relations import add_relation
from annotator.services.schema import get_schema
from annotator.services.spans import add_span
from annotator.store import Database

TEXT = "Kim Yo Jong said on Monday that the car was the best gift. Observers doubted it."
OTHER = "Putin praised Kim Jong-un in 2023."


@dataclass
class Built:
    path: Path | str
    shared: int
    alice_only: int
    read_by_bob: int


def build(path: Path | str) -> Built:
    """The corpus in a new database: an SQLite file, or a PostgreSQL database by URL."""
    db = open_database(path)
    try:
        schema = get_schema(db)
        label = {lb.name: lb.id for lb in schema.labels}
        types = {t.name: t.id for t in schema.relation_types}
        people = {n: ensure_annotator(db, name=n).id for n in ("alice", "bob", "carol")}
        shared = add_document(db, text=TEXT, meta=DocumentMeta("Gift")).id
        alice_only = add_document(db, text=OTHER, meta=DocumentMeta("Summit")).id
        read_by_bob = add_document(db, text=OTHER + " Again.", meta=DocumentMeta("Again")).id

        def span(who: str, doc: int, text: str, quote: str, name: str, **attributes: object):
            start = text.index(quote)
            return add_span(
                db,
                document_id=doc,
                start=start,
                end=start + len(quote),
                label_id=label[name],
                annotator_id=people[who],
                attributes=dict(attributes),
            ).id

        kims = []
        for who, claim_quote, date_value, quote_type in (
            ("alice", "the car was the best gift", "2024-03-04", "indirect"),
            ("bob", "that the car was the best gift", "2024-03-04", "direct"),
        ):
            kim = span(who, shared, TEXT, "Kim Yo Jong", "ACTOR")
            kims.append(kim)
            monday = span(who, shared, TEXT, "Monday", "DATE", value=date_value)
            claim = span(who, shared, TEXT, claim_quote, "CLAIM", quote_type=quote_type)
            for kind, target in (("SOURCE", kim), ("TIME", monday)):
                add_relation(
                    db,
                    type_id=types[kind],
                    source_id=claim,
                    target_id=target,
                    annotator_id=people[who],
                )
        span("alice", shared, TEXT, "Observers", "ACTOR")
        create_actor(db, name="Kim Yo Jong", key="kim-yo-jong", link_spans=kims)
        span("alice", alice_only, OTHER, "Putin", "ACTOR")
        span("alice", read_by_bob, OTHER, "Putin", "ACTOR")
        # Bob read this one and found nothing: his empty layer still counts.
        set_status(db, document_id=read_by_bob, annotator_id=people["bob"], status="done")
        # Carol only opened the shared document.
        set_status(db, document_id=shared, annotator_id=people["carol"], status="in_progress")
    finally:
        db.dispose()
    return Built(path, shared, alice_only, read_by_bob)


@pytest.fixture
def built(tmp_path: Path) -> Built:
    return build(tmp_path / "agree.sqlite3")


@pytest.fixture
def db(built: Built):
    database = Database(built.path)
    yield database
    database.dispose()


def test_figures_are_over_the_documents_both_worked_on(built: Built, db: Database):
    report = compute_agreement(db, annotators=["alice", "bob"])
    assert report.annotators == ("alice", "bob")
    assert report.documents == 2  # the shared one and the one Bob found empty
    (pair,) = report.pairs
    # ACTOR: Kim (both), Observers and Putin (Alice only); DATE: Monday (both); CLAIM overlaps.
    actor = pair.per_label["ACTOR"]
    assert (actor["spans_a"], actor["spans_b"]) == (3, 1)
    assert actor["span_f1_exact"] == pytest.approx(2 * 1 / 4)
    assert pair.per_label["DATE"]["span_f1_exact"] == 1.0
    assert pair.per_label["CLAIM"]["span_f1_exact"] == 0.0
    assert pair.per_label["CLAIM"]["span_f1_overlap"] == 1.0
    assert pair.figures["source_agreement"] == 1.0  # same registry actor
    assert pair.figures["time_agreement"] == 1.0
    assert pair.figures["quote_type_agreement"] == 0.0
    assert pair.figures["actor_identity_agreement"] == 1.0
    assert pair.figures["date_value_agreement"] == 1.0
    assert pair.figures["claims_matched"] == 1


def test_scope_by_document_and_label(built: Built, db: Database):
    report = compute_agreement(
        db, annotators=["alice", "bob"], document_ids=[built.shared], labels=["DATE"]
    )
    assert report.documents == 1 and report.labels == ("DATE",)
    (pair,) = report.pairs
    assert pair.figures["span_f1_exact"] == 1.0
    assert pair.figures["cohen_kappa"] == pytest.approx(1.0)
    assert pair.figures["claims_matched"] == 0  # CLAIM is out of scope


def test_without_names_everyone_who_worked_on_a_document_in_scope(built: Built, db: Database):
    report = compute_agreement(db, document_ids=[built.shared])
    assert report.annotators == ("alice", "bob", "carol")
    assert len(report.pairs) == 3
    assert report.group.figures["fleiss_kappa"] is not None


@pytest.mark.parametrize(
    ("kwargs", "error", "said"),
    [
        ({"annotators": ["alice", "zed"]}, NotFoundError, "no annotator is named 'zed'"),
        ({"annotators": ["alice"]}, AnnotatorError, "two or more annotators"),
        ({"annotators": ["alice", "alice"]}, AnnotatorError, "two or more annotators"),
        ({"annotators": ["bob", "carol"], "document_ids": [2]}, AnnotatorError, "no document"),
        ({"annotators": ["alice", "bob"], "labels": ["QUOTE"]}, NotFoundError, "no label"),
        ({"annotators": ["alice", "bob"], "document_ids": [99]}, NotFoundError, "id 99"),
    ],
)
def test_errors_the_user_can_act_on(db: Database, kwargs, error, said):
    with pytest.raises(error, match=said):
        compute_agreement(db, **kwargs)


def _agree(built: Built, *args: str) -> list[str]:
    return ["--db", str(built.path), "agree", *args]


def test_agree_json_names_every_figure(built: Built, capsys):
    assert main(_agree(built, "--annotators", "alice", "bob", "--format", "json")) == 0
    data = json.loads(capsys.readouterr().out)
    (pair,) = data["pairs"]
    for key in (
        "span_f1_exact",
        "span_f1_overlap",
        "cohen_kappa",
        "krippendorff_alpha",
        "unitized_alpha",
        "source_agreement",
        "time_agreement",
        "quote_type_agreement",
        "actor_identity_agreement",
        "date_value_agreement",
    ):
        assert isinstance(pair[key], float), key
    for key in ("fleiss_kappa", "krippendorff_alpha", "unitized_alpha"):
        assert isinstance(data["overall"][key], float), key
    assert isinstance(pair["per_label"]["ACTOR"]["cohen_kappa"], float)
    assert isinstance(data["overall"]["per_label"]["DATE"]["fleiss_kappa"], float)
    assert pair["confusion"]["categories"][0] == "O"
    assert data["documents"] == 2


def test_agree_csv_and_table(built: Built, capsys):
    args = _agree(built, "--annotators", "alice", "bob", "--label", "ACTOR", "DATE")
    assert main([*args, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    figure = {(r["annotators"], r["label"], r["figure"]): r["value"] for r in rows}
    assert float(figure[("alice vs bob", "DATE", "span_f1_exact")]) == 1.0
    assert ("alice+bob", "", "fleiss_kappa") in figure
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "alice vs bob" in out and "F1 exact" in out
    assert "same registry actor: 1.000 of 1 actor" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--annotators", "alice", "nobody"], "no annotator is named 'nobody'"),
        (["--annotators", "alice"], "two or more annotators"),
        (["--annotators", "bob", "carol", "--document", "2"], "no document"),
    ],
)
def test_agree_errors_are_one_line_with_status_2(built: Built, capsys, args, said):
    assert main(_agree(built, *args)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith("annotator: error: ") and said in line


def test_the_same_figures_on_postgresql(tmp_path: Path, pg_database_url: str):
    sqlite = Database(build(tmp_path / "same.sqlite3").path)
    postgres = Database(pg_database_url)
    try:
        build(pg_database_url)
        expected = compute_agreement(sqlite, annotators=["alice", "bob"]).to_dict()
        found = compute_agreement(postgres, annotators=["alice", "bob"]).to_dict()
    finally:
        sqlite.dispose()
        postgres.dispose()
    assert found["pairs"][0]["date_value_agreement"] == 1.0  # values read from JSON
    assert found == expected
