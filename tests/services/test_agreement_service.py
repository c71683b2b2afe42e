"""Agreement between annotators of one database: the service's scope and the `agree` command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from agreement_data import Built, build

from annotator.cli import main
from annotator.domain.errors import AnnotatorError, NotFoundError
from annotator.services.agreement import compute_agreement
from annotator.store import Database


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
