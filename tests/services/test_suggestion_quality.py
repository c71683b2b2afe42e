"""The quality view's figures: against decisions, against finished documents, the curve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.domain.library import DocumentStatus
from annotator.domain.model import DocumentMeta
from annotator.services import Database
from annotator.services.database import ensure_annotator, seed_new_database
from annotator.services.decisions import (
    accept_suggestions,
    reject_suggestion,
)
from annotator.services.documents import add_document, list_labels
from annotator.services.library import set_status
from annotator.services.relations import add_relation
from annotator.services.schema import get_schema
from annotator.services.spans import add_span
from annotator.services.suggestion_quality import suggestion_quality
from annotator.services.suggestions import (
    list_suggestions,
    run_suggestions,
)

GOLD = Path(__file__).resolve().parents[1] / "data" / "suggest" / "dev"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    from annotator.services.database import open_database

    database = open_database(tmp_path / "q.sqlite3")
    seed_new_database(database)
    yield database
    database.dispose()


def load_gold(db: Database, slug: str, annotator_id: int) -> int:
    gold = json.loads((GOLD / f"{slug}.gold.json").read_text("utf-8"))
    text = (GOLD / gold["document"]).read_text("utf-8")
    doc = add_document(db, text=text, meta=DocumentMeta(gold["title"], published=gold["published"]))
    labels = {label.name: label for label in list_labels(db)}
    ids = {}
    for s in gold["spans"]:
        label = labels[s["label"]]
        allowed = {a.name for a in label.attributes}
        ids[s["id"]] = add_span(
            db,
            document_id=doc.id,
            start=s["start"],
            end=s["end"],
            label_id=label.id,
            annotator_id=annotator_id,
            attributes={k: v for k, v in s["attrs"].items() if k in allowed},
        ).id
    types = {t.name: t.id for t in get_schema(db).relation_types}
    for r in gold["relations"]:
        add_relation(
            db,
            type_id=types[r["type"]],
            source_id=ids[r["from"]],
            target_id=ids[r["to"]],
            annotator_id=annotator_id,
        )
    set_status(db, document_id=doc.id, annotator_id=annotator_id, status=DocumentStatus.DONE)
    return doc.id


def test_decisions_count_accepted_rejected_and_made_by_hand(db: Database) -> None:
    me = ensure_annotator(db, name="tester").id
    text = "On Monday and on Tuesday, and again on Friday, the council met."
    doc = add_document(db, text=text, meta=DocumentMeta("Meetings", published="2025-03-08")).id
    run_suggestions(db, engines=["dates"])
    monday, tuesday, friday = sorted(list_suggestions(db, document_id=doc), key=lambda s: s.start)
    accept_suggestions(db, suggestion_ids=[monday.id, tuesday.id], annotator_id=me)
    reject_suggestion(db, suggestion_id=friday.id, annotator_id=me)
    date = next(label.id for label in list_labels(db) if label.name == "DATE")
    start = text.index("again")
    add_span(db, document_id=doc, start=start, end=start + 5, label_id=date, annotator_id=me)
    report = suggestion_quality(db)
    (row,) = [r for r in report.rows if r.basis == "decisions"]
    assert (row.engine, row.label, row.tp, row.fp, row.fn) == ("dates", "DATE", 2, 1, 1)
    assert round(row.counts.precision, 3) == round(2 / 3, 3)
    assert report.finished == 0 and report.curve == ()


def test_finished_documents_are_scored_as_if_new_and_the_curve_learns(db: Database) -> None:
    me = ensure_annotator(db, name="tester").id
    for slug in ("nrp-pension-vote", "okafor-bribery-ruling", "storm-hallie-flood"):
        load_gold(db, slug, me)
    steps: list[tuple[int, int]] = []
    report = suggestion_quality(
        db, curve_sizes=(0, 1, 2), train=False, progress=lambda n, t: steps.append((n, t))
    )
    assert report.finished == 3
    assert steps[-1] == (6, 6)
    rows = {r.label: r for r in report.rows if r.basis == "finished documents"}
    assert set(rows) == {"ACTOR", "DATE", "CLAIM"}
    for row in rows.values():
        assert row.tp + row.fn > 20
        assert row.counts.f1 > 0.5, row
    tp, fp, fn = report.date_values
    assert tp / (tp + fn) > 0.5 and tp / (tp + fp) > 0.5
    right, claims = report.sources
    assert claims > 20 and right / claims > 0.5
    assert [p.documents for p in report.curve] == [0, 1, 2]
    assert [p.evaluated for p in report.curve] == [3, 2, 1]
    assert all(p.tp + p.fn > 0 for p in report.curve)


def test_the_quality_run_can_be_cancelled(db: Database) -> None:
    me = ensure_annotator(db, name="tester").id
    load_gold(db, "storm-hallie-flood", me)
    report = suggestion_quality(db, cancelled=lambda: True)
    assert report.cancelled
