"""Curation: agreed spans and links merge into gold once; disagreements are decided one by one,
each decision undone and redone exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.errors import AnnotatorError, NotFoundError
from annotator.domain.model import DocumentMeta
from annotator.domain.schema import ACTOR, CLAIM, DATE, SOURCE, TIME
from annotator.services.curation import (
    SpanChange,
    accept,
    curation_state,
    merge_agreed,
    redo_step,
    reject,
    undo_step,
)
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import add_document
from annotator.services.gold_removals import removed
from annotator.services.relations import add_relation, delete_relations, list_relations
from annotator.services.schema import get_schema
from annotator.services.spans import (
    add_span,
    delete_spans,
    list_spans,
    relabel_span,
    restore_spans,
    set_span_bounds,
    set_span_details,
)
from annotator.store import Database

TEXT = "KCNA said that Kim Yo Jong received the car on Friday. Observers doubted it."


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return open_database(tmp_path / "c.sqlite3")


def annotate(db: Database, doc_id: int, who: str, items: list[tuple[str, str]]) -> dict[str, int]:
    schema = get_schema(db)
    me = ensure_annotator(db, name=who)
    ids = {}
    for quote, label in items:
        at = TEXT.index(quote)
        ids[quote] = add_span(
            db,
            document_id=doc_id,
            start=at,
            end=at + len(quote),
            label_id=schema.label_named(label).id,
            annotator_id=me.id,
        ).id
    return ids


def link(db: Database, who: str, kind: str, source: int, target: int) -> None:
    add_relation(
        db,
        type_id=get_schema(db).relation_type_named(kind).id,
        source_id=source,
        target_id=target,
        annotator_id=ensure_annotator(db, name=who).id,
    )


def gold_of(db: Database, doc_id: int) -> set[tuple[str, str]]:
    state = curation_state(db, document_id=doc_id, annotators=["ann", "bob"])
    schema = get_schema(db)
    return {(s.quote, schema.label(s.label_id).name) for s in state.gold_spans}


@pytest.fixture
def doc(db: Database) -> int:
    doc_id = add_document(db, text=TEXT, meta=DocumentMeta("Car")).id
    claim = "Kim Yo Jong received the car on Friday"
    a = annotate(
        db,
        doc_id,
        "ann",
        [("KCNA", ACTOR), (claim, CLAIM), ("Friday", DATE), ("Kim Yo Jong", ACTOR)],
    )
    b = annotate(
        db, doc_id, "bob", [("KCNA", ACTOR), (claim, CLAIM), ("Friday", DATE), ("Observers", ACTOR)]
    )
    link(db, "ann", SOURCE, a[claim], a["KCNA"])
    link(db, "bob", SOURCE, b[claim], b["KCNA"])
    link(db, "ann", TIME, a[claim], a["Friday"])  # bob did not link the date
    return doc_id


def test_agreed_items_merge_once_and_disagreements_are_listed(db: Database, doc: int) -> None:
    step = merge_agreed(db, document_id=doc)
    assert {s.quote for s in step.added.spans} == {
        "KCNA",
        "Kim Yo Jong received the car on Friday",
        "Friday",
    }
    assert len(step.added.relations) == 1  # the SOURCE both made; TIME is ann's only
    again = merge_agreed(db, document_id=doc)
    assert again.empty
    state = curation_state(db, document_id=doc)
    assert [a.name for a in state.annotators] == ["ann", "bob"]
    described = [(d.kind, TEXT[d.start : d.end]) for d in state.open]
    assert described == [  # reading order: by start, the longer first
        ("link", "Kim Yo Jong received the car on Friday"),
        ("span", "Kim Yo Jong"),
        ("span", "Observers"),
    ]
    ann, bob = state.annotators
    lone = state.open[1]
    assert [s.quote for s in lone.side(ann.id).spans] == ["Kim Yo Jong"]
    assert lone.side(bob.id).empty


def test_accept_reject_and_edit_are_each_one_undoable_step(db: Database, doc: int) -> None:
    merge_agreed(db, document_id=doc)
    state = curation_state(db, document_id=doc)
    ann, bob = state.annotators
    time_link, kim, observers = state.open

    took = accept(db, document_id=doc, disagreement_id=kim.id, annotator_id=ann.id)
    assert ("Kim Yo Jong", ACTOR) in gold_of(db, doc)
    undo_step(db, step=took)
    assert ("Kim Yo Jong", ACTOR) not in gold_of(db, doc)
    assert len(curation_state(db, document_id=doc).open) == 3
    redo_step(db, step=took)
    assert ("Kim Yo Jong", ACTOR) in gold_of(db, doc)

    # A link's side brings the link; the TIME question is then answered.
    linked = accept(db, document_id=doc, disagreement_id=time_link.id, annotator_id=ann.id)
    assert len(linked.links_added) == 1
    gold = curation_state(db, document_id=doc)
    assert [d.id for d in gold.open] == [observers.id]

    refused = reject(db, document_id=doc, disagreement_id=observers.id)
    assert curation_state(db, document_id=doc).open == ()
    assert ("Observers", ACTOR) not in gold_of(db, doc)
    undo_step(db, step=refused)
    left = curation_state(db, document_id=doc).open
    assert [d.id for d in left] == [observers.id]

    # An edit: bob's span, taken and changed (here: to a DATE-less shorter mention).
    start = TEXT.index("Observers")
    edited = accept(
        db,
        document_id=doc,
        disagreement_id=observers.id,
        annotator_id=bob.id,
        change=SpanChange(start=start, end=start + len("Observer")),
    )
    assert [s.quote for s in edited.added.spans] == ["Observer"]
    assert curation_state(db, document_id=doc).open == ()
    with pytest.raises(NotFoundError):
        reject(db, document_id=doc, disagreement_id=observers.id)


def test_a_different_attribute_or_label_at_the_same_place_is_a_disagreement(
    db: Database,
) -> None:
    doc_id = add_document(db, text=TEXT, meta=DocumentMeta("Car")).id
    a = annotate(db, doc_id, "ann", [("Friday", DATE), ("KCNA", ACTOR)])
    annotate(db, doc_id, "bob", [("Friday", DATE), ("KCNA", CLAIM)])
    set_span_details(db, span_id=a["Friday"], attributes={"value": "2024-02-16"}, note=None)
    step = merge_agreed(db, document_id=doc_id)
    assert step.empty
    state = curation_state(db, document_id=doc_id)
    assert [TEXT[d.start : d.end] for d in state.open] == ["KCNA", "Friday"]
    kcna = state.open[0]
    bob = state.annotators[1]
    accept(db, document_id=doc_id, disagreement_id=kcna.id, annotator_id=bob.id)
    assert gold_of(db, doc_id) == {("KCNA", CLAIM)}
    assert [TEXT[d.start : d.end] for d in curation_state(db, document_id=doc_id).open] == [
        "Friday"
    ]


def test_a_persons_layer_is_not_taken_for_gold(db: Database, doc: int) -> None:
    with pytest.raises(AnnotatorError, match="not a gold layer"):
        merge_agreed(db, document_id=doc, gold="ann")
    with pytest.raises(NotFoundError):
        merge_agreed(db, document_id=doc, annotators=["ann", "nobody"])


def test_a_link_waits_for_the_decision_on_the_span_at_its_end(db: Database) -> None:
    doc_id = add_document(db, text=TEXT, meta=DocumentMeta("Car")).id
    claim = "Kim Yo Jong received the car on Friday"
    a = annotate(db, doc_id, "ann", [(claim, CLAIM), ("Friday", DATE)])
    annotate(db, doc_id, "bob", [(claim, CLAIM), ("Friday", DATE)])
    set_span_details(db, span_id=a["Friday"], attributes={"value": "2024-02-16"}, note=None)
    link(db, "ann", TIME, a[claim], a["Friday"])
    merge_agreed(db, document_id=doc_id)
    state = curation_state(db, document_id=doc_id)
    time_link, friday = state.open
    ann = state.annotators[0]
    with pytest.raises(AnnotatorError, match="decide the span 'Friday' first"):
        accept(db, document_id=doc_id, disagreement_id=time_link.id, annotator_id=ann.id)
    # Ann's version of the date comes with her link from the claim, which answers the link.
    step = accept(db, document_id=doc_id, disagreement_id=friday.id, annotator_id=ann.id)
    assert [s.quote for s in step.added.spans] == ["Friday"]
    assert len(step.added.relations) == 1
    assert curation_state(db, document_id=doc_id).open == ()


def test_what_the_curator_deletes_from_gold_stays_out_of_the_next_merge(
    db: Database, doc: int
) -> None:
    merge_agreed(db, document_id=doc)
    gold = ensure_annotator(db, name="gold")
    spans = {s.quote: s for s in list_spans(db, document_id=doc) if s.annotator_id == gold.id}
    (source_link,) = [r for r in list_relations(db, document_id=doc) if r.annotator_id == gold.id]
    delete_relations(db, relation_ids=[source_link.id])
    deleted = delete_spans(db, span_ids=[spans["Friday"].id])

    assert merge_agreed(db, document_id=doc).empty  # neither the date nor the link comes back
    assert ("Friday", DATE) not in gold_of(db, doc)
    assert not [r for r in list_relations(db, document_id=doc) if r.annotator_id == gold.id]
    with db.reading() as repo:
        assert len(removed(repo, doc).spans) == 1
        assert len(removed(repo, doc).links) == 1

    # Undoing the deletion puts the span back and forgets its removal.
    restore_spans(db, deleted=deleted)
    assert ("Friday", DATE) in gold_of(db, doc)
    with db.reading() as repo:
        assert removed(repo, doc).spans == frozenset()

    # An annotator's own deletions are theirs, not the curator's: nothing is recorded.
    ann = ensure_annotator(db, name="ann")
    mine = next(s for s in list_spans(db, document_id=doc) if s.annotator_id == ann.id)
    delete_spans(db, span_ids=[mine.id])
    with db.reading() as repo:
        assert removed(repo, doc).spans == frozenset()


def test_an_agreed_span_the_curator_changes_in_gold_is_not_merged_again(
    db: Database, doc: int
) -> None:
    merge_agreed(db, document_id=doc)
    gold = ensure_annotator(db, name="gold")
    (friday,) = [
        s
        for s in list_spans(db, document_id=doc)
        if s.annotator_id == gold.id and s.quote == "Friday"
    ]
    relabel_span(db, span_id=friday.id, label_id=get_schema(db).label_named(CLAIM).id)
    start = TEXT.index("on Friday")
    set_span_bounds(db, span_id=friday.id, start=start, end=friday.end)

    assert merge_agreed(db, document_id=doc).empty  # the agreed DATE "Friday" stays out
    assert ("on Friday", CLAIM) in gold_of(db, doc)
    assert ("Friday", DATE) not in gold_of(db, doc)
