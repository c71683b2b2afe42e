"""Undoing a deletion puts the span back under its old identity."""

from __future__ import annotations

from annotator.store import Database


def test_deleted_span_is_restored_with_its_id_attributes_and_note(any_db: Database, world):
    attributes = {"identity": "Kim Jong Un", "kind": "person", "aliases": ["Kim", "leader"]}
    with any_db.transaction() as repo:
        keep = repo.add_span(
            document_id=world.document.id,
            start=30,
            end=38,
            quote="ministry",
            label_id=world.labels["ACTOR"].id,
            annotator_id=world.alice.id,
        )
        old = repo.add_span(
            document_id=world.document.id,
            start=0,
            end=11,
            label_id=world.labels["ACTOR"].id,
            annotator_id=world.alice.id,
            attributes=attributes,
            note="Named in the first sentence; «leader» elsewhere.",
        )
    with any_db.transaction() as repo:
        (deleted,) = repo.delete_spans([old.id])
    assert deleted == old
    with any_db.transaction() as repo:
        assert [s.id for s in repo.spans(world.document.id)] == [keep.id]

    with any_db.transaction() as repo:
        repo.add_span(
            document_id=deleted.document_id,
            start=deleted.start,
            end=deleted.end,
            label_id=deleted.label_id,
            annotator_id=deleted.annotator_id,
            quote=deleted.quote,
            attributes=deleted.attributes,
            note=deleted.note,
            span_id=deleted.id,
            created=deleted.created,
        )
    with any_db.transaction() as repo:
        back = repo.span(old.id)
        ids = [s.id for s in repo.spans(world.document.id)]
    assert ids == [old.id, keep.id]  # ordered by start
    assert back.id == old.id
    assert back.created == old.created
    assert back.attributes == attributes
    assert back.note == old.note
    assert (back.start, back.end, back.quote, back.label_id, back.annotator_id) == (
        old.start,
        old.end,
        old.quote,
        old.label_id,
        old.annotator_id,
    )


def test_new_spans_after_a_restore_get_fresh_ids(any_db: Database, world):
    common = {
        "document_id": world.document.id,
        "label_id": world.labels["ACTOR"].id,
        "annotator_id": world.alice.id,
    }
    with any_db.transaction() as repo:
        first = repo.add_span(start=0, end=3, **common)
        second = repo.add_span(start=4, end=8, **common)
    with any_db.transaction() as repo:
        (gone,) = repo.delete_spans([second.id])
    with any_db.transaction() as repo:
        repo.add_span(
            start=gone.start, end=gone.end, span_id=gone.id, created=gone.created, **common
        )
    with any_db.transaction() as repo:
        third = repo.add_span(start=9, end=11, **common)
    assert third.id not in {first.id, second.id}
    with any_db.transaction() as repo:
        assert [s.id for s in repo.spans(world.document.id)] == [first.id, second.id, third.id]
