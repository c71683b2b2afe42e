"""Each annotator's layer through the services: spans, links and the change fingerprint read
for one annotator, what the export's --annotator filter writes, and document assignments."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.cli import main as cli_main
from annotator.domain.errors import NotFoundError
from annotator.domain.library import LibraryFilter, LibrarySort
from annotator.domain.model import DocumentMeta
from annotator.services import library
from annotator.services.assignments import (
    assign_documents,
    assign_unassigned,
    assigned_count,
    list_assignments,
)
from annotator.services.database import ensure_annotator, open_database, seed_new_database
from annotator.services.documents import add_document, document_fingerprint, list_labels
from annotator.services.documents import open_document as open_doc
from annotator.services.interchange import ExportSelection, export_corpus
from annotator.services.relations import add_relation, list_relations
from annotator.services.schema import get_schema
from annotator.services.spans import add_span, list_spans
from annotator.store import Database

TEXT = "Mayor Ines Okafor said on Tuesday that the barrier would hold."


@pytest.fixture
def db(any_db: Database) -> Database:
    seed_new_database(any_db)  # the default labels and relation types
    return any_db


@dataclass(frozen=True)
class Two:
    doc: int
    alice: int
    bob: int


def two_layers(db: Database) -> Two:
    doc = add_document(db, text=TEXT, meta=DocumentMeta(title="Barrier")).id
    alice = ensure_annotator(db, name="alice").id
    bob = ensure_annotator(db, name="bob").id
    labels = {label.name: label.id for label in list_labels(db)}
    schema = get_schema(db)
    source = next(t for t in schema.relation_types if t.name == "SOURCE")

    def span(who: int, quote: str, label: str) -> int:
        start = TEXT.index(quote)
        return add_span(
            db,
            document_id=doc,
            start=start,
            end=start + len(quote),
            label_id=labels[label],
            annotator_id=who,
        ).id

    claim = span(alice, "said on Tuesday that the barrier would hold", "CLAIM")
    add_relation(
        db,
        type_id=source.id,
        source_id=claim,
        target_id=span(alice, "Ines Okafor", "ACTOR"),
        annotator_id=alice,
    )
    span(bob, "Mayor Ines Okafor", "ACTOR")  # the same person, marked wider by bob
    return Two(doc, alice, bob)


def test_each_layer_reads_alone_and_all_of_them_together(db: Database) -> None:
    t = two_layers(db)
    _, mine = open_doc(db, document_id=t.doc, annotator_id=t.alice)
    _, theirs = open_doc(db, document_id=t.doc, annotator_id=t.bob)
    _, everyone = open_doc(db, document_id=t.doc)
    assert {s.annotator_id for s in mine} == {t.alice} and len(mine) == 2
    assert [s.quote for s in theirs] == ["Mayor Ines Okafor"]
    assert len(everyone) == 3
    assert len(list_relations(db, document_id=t.doc, annotator_ids=[t.alice])) == 1
    assert list_relations(db, document_id=t.doc, annotator_ids=[t.bob]) == []
    assert list_spans(db, document_id=t.doc, annotator_ids=[t.alice, t.bob]) == everyone


def test_an_edit_in_another_layer_leaves_ones_fingerprint_alone(db: Database) -> None:
    t = two_layers(db)
    alice_before = document_fingerprint(db, document_id=t.doc, annotator_id=t.alice)
    all_before = document_fingerprint(db, document_id=t.doc)
    actor = {label.name: label.id for label in list_labels(db)}["ACTOR"]
    add_span(db, document_id=t.doc, start=0, end=5, label_id=actor, annotator_id=t.bob)
    assert document_fingerprint(db, document_id=t.doc, annotator_id=t.alice) == alice_before
    assert document_fingerprint(db, document_id=t.doc) != all_before


def test_the_exports_annotator_filter_writes_the_layer_the_window_shows(
    db: Database, tmp_path: Path
) -> None:
    t = two_layers(db)
    out = tmp_path / "alice.jsonl"
    export_corpus(
        db, format_name="native", out=out, selection=ExportSelection(annotator_names=("alice",))
    )
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    (document,) = [r for r in records if r.get("type") == "document"]
    written = sorted((s["start"], s["end"]) for s in document["spans"])
    shown = sorted(
        (s.start, s.end) for s in list_spans(db, document_id=t.doc, annotator_ids=[t.alice])
    )
    assert written == shown
    assert len(document["relations"]) == len(
        list_relations(db, document_id=t.doc, annotator_ids=[t.alice])
    )


def test_assignments_filter_the_library_and_name_the_assignees(db: Database) -> None:
    ids = [
        add_document(db, text=f"Article number {i}.", meta=DocumentMeta(title=f"A{i}")).id
        for i in range(5)
    ]
    assert assign_documents(db, annotator="alice", document_ids=[ids[3], ids[1]]) == [
        ids[3],
        ids[1],
    ]
    assert assign_documents(db, annotator="alice", document_ids=[ids[1]]) == []  # already hers
    assert assign_unassigned(db, annotator="bob", count=2) == [ids[0], ids[2]]
    assert assign_documents(db, annotator="bob", document_ids=[ids[1]]) == [ids[1]]
    with pytest.raises(NotFoundError):
        assign_documents(db, annotator="bob", document_ids=[max(ids) + 100])

    alice = ensure_annotator(db, name="alice").id
    assert assigned_count(db, annotator_id=alice) == 2
    theirs = LibraryFilter(assigned_to=alice)
    rows = library.page_documents(
        db,
        annotator_id=alice,
        sort=LibrarySort.CREATED,
        descending=False,
        filters=theirs,
        offset=0,
        limit=50,
    )
    assert [r.id for r in rows] == [ids[1], ids[3]]
    assert rows[0].assignees == ("alice", "bob")
    assert library.count_documents(db, annotator_id=alice, filters=theirs) == 2
    assert [(a.annotator, a.document_id) for a in list_assignments(db)] == [
        ("alice", ids[1]),
        ("alice", ids[3]),
        ("bob", ids[0]),
        ("bob", ids[1]),
        ("bob", ids[2]),
    ]


def test_the_command_line_assigns_and_lists(tmp_path: Path, capsys) -> None:
    target = tmp_path / "cli.sqlite3"
    db = open_database(target)
    try:
        ids = [
            add_document(db, text=f"Text {i}.", meta=DocumentMeta(title=f"T{i}")).id
            for i in range(3)
        ]
    finally:
        db.dispose()
    base = ["assign", "--db", str(target)]
    assert cli_main([*base, "--annotator", "ana", "--document", str(ids[2])]) == 0
    assert cli_main([*base, "--annotator", "ben", "--all-unassigned", "--count", "5"]) == 0
    assert cli_main([*base, "--all-unassigned", "--count", "1"]) == 2  # whom to?
    assert cli_main([*base, "--annotator", "ben", "--all-unassigned"]) == 2  # how many?
    capsys.readouterr()
    assert cli_main([*base, "--list"]) == 0
    listed = [line.split("\t")[:2] for line in capsys.readouterr().out.splitlines()]
    assert listed == [["ana", str(ids[2])], ["ben", str(ids[0])], ["ben", str(ids[1])]]


def test_a_deleted_document_comes_back_with_its_assignments(db: Database) -> None:
    doc = add_document(db, text="An article to delete.", meta=DocumentMeta(title="Gone")).id
    assign_documents(db, annotator="alice", document_ids=[doc])
    deleted = library.delete_documents(db, document_ids=[doc])
    assert list_assignments(db) == []
    library.restore_documents(db, deleted=deleted)
    assert [(a.annotator, a.document_id) for a in list_assignments(db)] == [("alice", doc)]
