"""Each annotator against the gold layer: `compute_against` and `annotator agree --against`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from agreement_data import Built, build

from annotator.cli import main
from annotator.services.agreement import compute_against, compute_agreement
from annotator.services.curation import merge_agreed
from annotator.store import Database


@pytest.fixture
def built(tmp_path: Path) -> Built:
    """Alice, Bob and Carol as in the agreement tests, and gold holding what Alice and Bob
    agree on in the shared document: Kim Yo Jong (ACTOR) and Monday (DATE), not the claim."""
    made = build(tmp_path / "against.sqlite3")
    db = Database(made.path)
    try:
        merge_agreed(db, document_id=made.shared, annotators=["alice", "bob"])
    finally:
        db.dispose()
    return made


def _agree(built: Built, *args: str) -> list[str]:
    return ["agree", "--db", str(built.path), *args]


def test_each_annotator_against_gold_on_the_documents_they_share(built: Built) -> None:
    db = Database(built.path)
    try:
        report = compute_against(db, against="gold")
        # Carol opened the shared document: her empty layer is compared too.
        assert [r.annotators for r in report.reports] == [
            ("alice", "gold"),
            ("bob", "gold"),
            ("carol", "gold"),
        ]
        alice, bob, carol = (r.pairs[0] for r in report.reports)
        assert [r.documents for r in report.reports] == [1, 1, 1]  # gold has only this one
        # Alice marked Kim and Observers as actors; gold has Kim.
        assert alice.per_label["ACTOR"]["span_f1_exact"] == pytest.approx(2 / 3)
        assert bob.per_label["ACTOR"]["span_f1_exact"] == 1.0
        assert bob.per_label["CLAIM"]["span_f1_overlap"] == 0.0  # gold has no claim
        assert carol.figures["span_f1_exact"] == 0.0
        # The same figures as agreement of the two alone on that document.
        alone = compute_agreement(db, annotators=["alice", "gold"], document_ids=[built.shared])
        assert report.reports[0] == alone
    finally:
        db.dispose()


def test_agree_against_gold_json_csv_and_table(built: Built, capsys) -> None:
    assert main(_agree(built, "--against", "gold", "--annotators", "bob", "alice")) == 0
    out = capsys.readouterr().out
    assert out.startswith("against gold: bob, alice\n")
    assert "bob vs gold: 1 document" in out and "alice vs gold: 1 document" in out
    assert "carol" not in out

    assert main(_agree(built, "--against", "gold", "--format", "json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["against"] == "gold"
    assert data["annotators"] == ["alice", "bob", "carol"]
    alice = data["reports"][0]["pairs"][0]
    assert alice["annotators"] == ["alice", "gold"]
    assert alice["per_label"]["ACTOR"]["span_f1_exact"] == pytest.approx(2 / 3)

    assert main(_agree(built, "--against", "gold", "--format", "csv", "--label", "ACTOR")) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    figure = {(r["annotators"], r["label"], r["figure"]): r["value"] for r in rows}
    assert figure[("bob vs gold", "", "documents")] == "1"
    assert float(figure[("bob vs gold", "ACTOR", "span_f1_exact")]) == 1.0
    assert float(figure[("alice vs gold", "ACTOR", "span_f1_exact")]) == pytest.approx(2 / 3)
    assert {r["label"] for r in rows} == {"", "ACTOR"}


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--against", "nobody"], "no annotator is named 'nobody'"),
        (["--against", "gold", "--annotators", "zed"], "no annotator is named 'zed'"),
        (["--against", "gold", "--document", str(2)], "no annotator shares a document"),
    ],
)
def test_agree_against_errors(built: Built, capsys, args: list[str], said: str) -> None:
    assert main(_agree(built, *args)) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("annotator: error: ") and said in line
