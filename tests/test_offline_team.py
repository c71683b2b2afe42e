"""An offline team, end to end with the real command: two people annotate the same three
articles in their own SQLite files, their layers travel as bundles into a third database, the
curator merges what they agree on, decides the rest, and exports gold."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from annotator.cli import main
from annotator.domain.model import DocumentMeta
from annotator.domain.schema import ACTOR, CLAIM, DATE, SOURCE, TIME
from annotator.services.curation import accept, curation_state, reject
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document, list_documents
from annotator.services.relations import add_relation
from annotator.services.schema import get_schema
from annotator.services.spans import add_span, set_span_details

ARTICLES = [
    ("Car", "KCNA said that Kim Yo Jong received the car on February 18."),
    ("Talks", "Observers expect talks in Moscow next week, the ministry said on Monday."),
    ("Visit", "Putin will visit Pyongyang in June, Peskov told reporters."),
]


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str) -> Done:
    """The command line's main function, as `annotator ARGS...` runs it (in this process: a
    subprocess costs seconds of imports per call)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(args))
    return Done(status, out.getvalue(), err.getvalue())


def annotate(path: Path, who: str, marks: dict[str, list[tuple[str, str]]]) -> None:
    """`who` annotates the three articles in their own database (articles added in reverse
    order in one of them, so that document ids differ between the files)."""
    db = open_database(path)
    schema = get_schema(db)
    me = ensure_annotator(db, name=who).id
    order = ARTICLES if who == "ann" else ARTICLES[::-1]
    docs = {title: add_document(db, text=text, meta=DocumentMeta(title)) for title, text in order}
    for title, items in marks.items():
        doc = docs[title]
        ids: dict[str, int] = {}
        for quote, label in items:
            at = doc.text.index(quote)
            ids[quote] = add_span(
                db,
                document_id=doc.id,
                start=at,
                end=at + len(quote),
                label_id=schema.label_named(label).id,
                annotator_id=me,
            ).id
        claim = next(q for q, label in items if label == CLAIM)
        source = next(q for q, label in items if label == ACTOR)
        add_relation(
            db,
            type_id=schema.relation_type_named(SOURCE).id,
            source_id=ids[claim],
            target_id=ids[source],
            annotator_id=me,
        )
        dates = [q for q, label in items if label == DATE]
        if dates and who == "ann":  # only ann links claims to their dates
            add_relation(
                db,
                type_id=schema.relation_type_named(TIME).id,
                source_id=ids[claim],
                target_id=ids[dates[0]],
                annotator_id=me,
            )
        if title == "Talks" and who == "bob":
            set_span_details(
                db, span_id=ids["Monday"], attributes={"value": "2024-02-19"}, note=None
            )
    db.dispose()


def test_two_databases_meet_in_a_third_and_are_curated_to_gold(tmp_path: Path) -> None:
    a, b, team = tmp_path / "ann.sqlite3", tmp_path / "bob.sqlite3", tmp_path / "team.sqlite3"
    car_claim = "Kim Yo Jong received the car on February 18"
    annotate(
        a,
        "ann",
        {
            "Car": [("KCNA", ACTOR), (car_claim, CLAIM), ("February 18", DATE)],
            "Talks": [
                ("the ministry", ACTOR),
                ("talks in Moscow next week", CLAIM),
                ("Monday", DATE),
            ],
            "Visit": [("Peskov", ACTOR), ("Putin will visit Pyongyang in June", CLAIM)],
        },
    )
    annotate(
        b,
        "bob",
        {
            "Car": [("KCNA", ACTOR), (car_claim, CLAIM), ("February 18", DATE)],
            "Talks": [
                ("the ministry", ACTOR),
                ("talks in Moscow next week", CLAIM),
                ("Monday", DATE),
            ],
            "Visit": [
                ("Peskov", ACTOR),
                ("Putin", ACTOR),
                ("Putin will visit Pyongyang in June", CLAIM),
            ],
        },
    )
    for who, path in (("ann", a), ("bob", b)):
        done = run(
            "bundle",
            "export",
            "--db",
            str(path),
            "--annotator",
            who,
            "--out",
            str(tmp_path / f"{who}.json"),
        )
        assert done.returncode == 0, done.stderr
        assert f"wrote the layer of '{who}': 3 documents" in done.stdout

    first = run("bundle", "import", str(tmp_path / "ann.json"), "--db", str(team))
    assert first.returncode == 0, first.stderr
    assert "3 document(s) added, 0 matched by SHA-256" in first.stdout
    second = run("bundle", "import", str(tmp_path / "bob.json"), "--db", str(team))
    assert second.returncode == 0, second.stderr
    assert "0 document(s) added, 3 matched by SHA-256" in second.stdout
    again = run("bundle", "import", str(tmp_path / "bob.json"), "--db", str(team))
    assert again.returncode == 0
    assert (
        "layer 'bob': 0 document(s) annotated (0 spans, 0 links), 3 already there" in again.stdout
    )

    db = open_database(team)
    docs = {d.title: d.id for d in list_documents(db)}
    assert sorted(docs) == ["Car", "Talks", "Visit"]
    db.dispose()

    # Agreement of the two layers that met here, over the three articles both annotated.
    agreed = run("agree", "--db", str(team), "--annotators", "ann", "bob", "--format", "json")
    assert agreed.returncode == 0, agreed.stderr
    figures = json.loads(agreed.stdout)
    assert figures["documents"] == 3
    (pair,) = figures["pairs"]
    assert 0 < pair["span_f1_exact"] < 1  # bob's extra "Putin"
    assert isinstance(pair["source_agreement"], float)

    # Car: everything agreed but ann's TIME link. Talks: bob gave Monday a value. Visit: bob's
    # extra actor "Putin".
    outputs = {}
    for title, doc_id in docs.items():
        done = run("curate", "--db", str(team), "--document", str(doc_id), "--auto")
        assert done.returncode == 0, done.stderr
        outputs[title] = done.stdout
    assert "merged into 'gold': 3 spans, 1 link" in outputs["Car"]
    assert "1 disagreement to decide" in outputs["Car"]
    assert (
        "link " in outputs["Car"] and "ann: TIME -> 'February 18'  |  bob: (none)" in outputs["Car"]
    )
    assert "merged into 'gold': 2 spans, 1 link" in outputs["Talks"]
    assert "span " in outputs["Talks"] and "'Monday'" in outputs["Talks"]
    assert "merged into 'gold': 2 spans, 1 link" in outputs["Visit"]
    assert "ann: (none)  |  bob: ACTOR 0-5 'Putin'" in outputs["Visit"]
    rerun = run("curate", "--db", str(team), "--document", str(docs["Car"]), "--auto")
    assert "merged into 'gold': 0 spans, 0 links" in rerun.stdout

    # The curator decides: ann's TIME links, bob's dated Monday, no extra Putin.
    db = open_database(team)
    picks = {("Car", "link"): "ann", ("Talks", "span"): "bob", ("Talks", "link"): "ann"}
    for title, doc_id in docs.items():
        state = curation_state(db, document_id=doc_id)
        # A link waits for the spans at its ends: spans first.
        for question in sorted(state.open, key=lambda q: q.kind != "span"):
            pick = picks.get((title, question.kind))
            if pick is None:
                reject(db, document_id=doc_id, disagreement_id=question.id)
            else:
                who = next(x.id for x in state.annotators if x.name == pick)
                accept(db, document_id=doc_id, disagreement_id=question.id, annotator_id=who)
        assert curation_state(db, document_id=doc_id).open == ()
    db.dispose()

    # Each annotator against the gold they were curated into.
    against = run(
        "agree", "--db", str(team), "--against", "gold", "--annotators", "ann", "bob",
        "--format", "json",
    )  # fmt: skip
    assert against.returncode == 0, against.stderr
    reports = json.loads(against.stdout)["reports"]
    f1 = {r["pairs"][0]["annotators"][0]: r["pairs"][0]["span_f1_exact"] for r in reports}
    assert set(f1) == {"ann", "bob"}
    assert f1["ann"] == 1.0  # every span the curator kept is one of ann's
    assert 0 < f1["bob"] < 1  # bob's "Putin" was rejected

    out = tmp_path / "gold.jsonl"
    exported = run(
        "export", "--db", str(team), "--format", "native", "--by", "gold", "--out", str(out)
    )
    assert exported.returncode == 0, exported.stderr
    assert "wrote 3 documents, 8 spans, 5 relations" in exported.stdout
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    gold = {d["title"]: d for d in lines if d.get("type") == "document"}
    assert {s["annotator"] for d in gold.values() for s in d["spans"]} == {"gold"}
    car = gold["Car"]
    assert [r["type"] for r in car["relations"]] == [SOURCE, TIME]
    assert [r["type"] for r in gold["Talks"]["relations"]] == [SOURCE, TIME]
    (monday,) = [s for s in gold["Talks"]["spans"] if s["quote"] == "Monday"]
    assert monday["attributes"] == {"value": "2024-02-19"}
    assert "Putin" not in {s["quote"] for s in gold["Visit"]["spans"]}


def test_a_different_layer_under_the_same_name_is_a_conflict_not_overwritten(
    tmp_path: Path,
) -> None:
    a, team = tmp_path / "ann.sqlite3", tmp_path / "team.sqlite3"
    annotate(a, "ann", {"Car": [("KCNA", ACTOR), ("Kim Yo Jong received the car", CLAIM)]})
    assert (
        run(
            "bundle",
            "export",
            "--db",
            str(a),
            "--annotator",
            "ann",
            "--out",
            str(tmp_path / "a.json"),
        ).returncode
        == 0
    )
    annotate(
        team, "ann", {"Car": [("Kim Yo Jong", ACTOR), ("Kim Yo Jong received the car", CLAIM)]}
    )
    done = run("bundle", "import", str(tmp_path / "a.json"), "--db", str(team))
    assert done.returncode == 1
    assert "conflict: document" in done.stdout and "'Car'" in done.stdout
    assert "--as NAME" in done.stdout
    db = open_database(team)
    car = next(d.id for d in list_documents(db) if d.title == "Car")
    assert {s.quote for s in curation_state(db, document_id=car).gold_spans} == set()
    from annotator.services.spans import list_spans

    assert sorted(s.quote for s in list_spans(db, document_id=car)) == [
        "Kim Yo Jong",
        "Kim Yo Jong received the car",
    ]
    db.dispose()
    renamed = run(
        "bundle", "import", str(tmp_path / "a.json"), "--db", str(team), "--as", "ann-laptop"
    )
    assert renamed.returncode == 0, renamed.stdout
    assert "layer 'ann-laptop': 1 document(s) annotated (2 spans, 1 links)" in renamed.stdout


def test_a_broken_bundle_is_refused_with_its_name_and_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "layer.json"
    bad.write_text(
        json.dumps(
            {
                "format": "annotator-layer-bundle",
                "version": 1,
                "annotator": {"name": "ann"},
                "documents": [
                    {"sha256": "0" * 64, "text": "Hello", "spans": []},
                ],
            }
        ),
        "utf-8",
    )
    done = run("bundle", "import", str(bad), "--db", str(tmp_path / "t.sqlite3"))
    assert done.returncode == 2
    assert "layer.json: documents[0].sha256: does not match the document's text" in done.stderr
    bad.write_text(
        '{"format": "annotator-layer-bundle", "version": 1, "annotator": ' + "[" * 300, "utf-8"
    )
    done = run("bundle", "import", str(bad), "--db", str(tmp_path / "t.sqlite3"))
    assert done.returncode == 2 and "layer.json:" in done.stderr and "Traceback" not in done.stderr
