"""What the repository and the database itself refuse, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from annotator.domain.errors import DuplicateDocumentError, DuplicateSpanError, InvalidSpanError
from annotator.domain.model import DocumentMeta
from annotator.store import Database
from annotator.store.models import Base

spans_table = Base.metadata.tables["spans"]
documents_table = Base.metadata.tables["documents"]
labels_table = Base.metadata.tables["labels"]


def _add(db: Database, world, *, start: int, end: int, label="ACTOR", who=None, quote=None):
    with db.transaction() as repo:
        return repo.add_span(
            document_id=world.document.id,
            start=start,
            end=end,
            label_id=world.labels[label].id,
            annotator_id=(who or world.alice).id,
            quote=quote,
        )


def _span_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(spans_table)) or 0


# The repository ----------------------------------------------------------------------------


def test_span_with_matching_quote_is_stored(any_db: Database, world):
    span = _add(any_db, world, start=0, end=11, quote="Kim Jong Un")
    assert span.quote == "Kim Jong Un"
    assert _span_count(any_db) == 1


def test_span_whose_quote_does_not_match_the_text_is_refused(any_db: Database, world):
    with pytest.raises(InvalidSpanError, match="does not match"):
        _add(any_db, world, start=0, end=11, quote="Kim Jong-un")
    assert _span_count(any_db) == 0


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 3), (5, 5), (6, 2), (0, 10_000), ("len", "len+1")],
    ids=["negative", "empty", "reversed", "past-end", "starts-at-end"],
)
def test_span_outside_the_text_or_empty_is_refused(any_db: Database, world, start, end):
    n = len(world.document.text)
    start = n if start == "len" else start
    end = n + 1 if end == "len+1" else end
    with pytest.raises(InvalidSpanError, match="outside the text"):
        _add(any_db, world, start=start, end=end)
    assert _span_count(any_db) == 0


def test_span_ending_at_the_end_of_the_text_is_accepted(any_db: Database, world):
    n = len(world.document.text)
    span = _add(any_db, world, start=n - 1, end=n)
    assert span.quote == "."


def test_exact_duplicate_is_refused(any_db: Database, world):
    _add(any_db, world, start=0, end=11)
    with pytest.raises(DuplicateSpanError):
        _add(any_db, world, start=0, end=11)
    assert _span_count(any_db) == 1


def test_duplicate_refusal_keeps_the_rest_of_the_transaction(any_db: Database, world):
    _add(any_db, world, start=0, end=11)
    with any_db.transaction() as repo:
        common = {"document_id": world.document.id, "annotator_id": world.alice.id}
        with pytest.raises(DuplicateSpanError):
            repo.add_span(start=0, end=11, label_id=world.labels["ACTOR"].id, **common)
        repo.add_span(start=19, end=22, label_id=world.labels["ACTOR"].id, **common)
    assert _span_count(any_db) == 2


def test_relabel_onto_an_existing_span_is_refused_and_undone(any_db: Database, world):
    actor = _add(any_db, world, start=0, end=11, label="ACTOR")
    claim = _add(any_db, world, start=0, end=11, label="CLAIM")
    with any_db.transaction() as repo:
        with pytest.raises(DuplicateSpanError):
            repo.relabel_span(claim.id, world.labels["ACTOR"].id)
        # The refusal undid only the relabel; the unit of work goes on and commits.
        assert repo.span(claim.id).label_id == world.labels["CLAIM"].id
        repo.relabel_span(actor.id, world.labels["DATE"].id)
    with any_db.transaction() as repo:
        assert repo.span(claim.id).label_id == world.labels["CLAIM"].id
        assert repo.span(actor.id).label_id == world.labels["DATE"].id


def test_same_offsets_with_another_label_or_annotator_are_accepted(any_db: Database, world):
    _add(any_db, world, start=0, end=11, label="ACTOR", who=world.alice)
    _add(any_db, world, start=0, end=11, label="CLAIM", who=world.alice)
    _add(any_db, world, start=0, end=11, label="ACTOR", who=world.bob)
    with any_db.transaction() as repo:
        spans = repo.spans(world.document.id)
    assert sorted((s.label_id, s.annotator_id) for s in spans) == sorted(
        [
            (world.labels["ACTOR"].id, world.alice.id),
            (world.labels["CLAIM"].id, world.alice.id),
            (world.labels["ACTOR"].id, world.bob.id),
        ]
    )


def test_document_with_text_already_stored_is_refused(any_db: Database, world):
    with pytest.raises(DuplicateDocumentError) as caught, any_db.transaction() as repo:
        repo.add_document(DocumentMeta(title="Another title"), world.document.text)
    assert caught.value.existing_id == world.document.id
    with any_db.transaction() as repo:
        assert repo.document_count() == 1
        # One character more is another document.
        repo.add_document(DocumentMeta(title="Edited"), world.document.text + " ")
        assert repo.document_count() == 2


# The database itself (a raw Core insert, bypassing the repository) ----------------------


def _raw_span(world, **overrides):
    now = datetime.now(UTC)
    row = {
        "document_id": world.document.id,
        "start": 0,
        "end": 3,
        "label_id": world.labels["ACTOR"].id,
        "quote": "Kim",
        "annotator_id": world.alice.id,
        "created": now,
        "updated": now,
        "attributes": {},
        "note": None,
    }
    row.update(overrides)
    return row


def test_raw_insert_of_a_valid_span_succeeds(any_db: Database, world):
    # The control for the refusals below: the raw insert itself works.
    with any_db.engine.begin() as conn:
        conn.execute(insert(spans_table).values(_raw_span(world)))
    assert _span_count(any_db) == 1


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        ({"start": -2, "end": 1, "quote": "abc"}, "ck_spans_range"),
        ({"start": 3, "end": 3, "quote": ""}, "ck_spans_range"),
        # No quote can have length -2, so either check may be the one that fires.
        ({"start": 4, "end": 2, "quote": ""}, "ck_spans_(range|quote_length)"),
        ({"start": 0, "end": 3, "quote": "Ki"}, "ck_spans_quote_length"),
        ({"start": 0, "end": 3, "quote": "Kim "}, "ck_spans_quote_length"),
    ],
    ids=["negative-start", "empty", "reversed", "quote-too-short", "quote-too-long"],
)
def test_database_refuses_a_broken_span(any_db: Database, world, overrides, constraint):
    with pytest.raises(IntegrityError, match=constraint), any_db.engine.begin() as conn:
        conn.execute(insert(spans_table).values(_raw_span(world, **overrides)))
    assert _span_count(any_db) == 0


def test_database_refuses_an_exact_duplicate(any_db: Database, world):
    with any_db.engine.begin() as conn:
        conn.execute(insert(spans_table).values(_raw_span(world)))
    with pytest.raises(IntegrityError), any_db.engine.begin() as conn:
        conn.execute(insert(spans_table).values(_raw_span(world)))
    assert _span_count(any_db) == 1


def test_database_refuses_a_span_of_a_missing_document(any_db: Database, world):
    with pytest.raises(IntegrityError), any_db.engine.begin() as conn:
        conn.execute(
            insert(spans_table).values(_raw_span(world, document_id=world.document.id + 99))
        )
    assert _span_count(any_db) == 0


def test_deleting_a_document_deletes_its_spans(any_db: Database, world):
    _add(any_db, world, start=0, end=11)
    _add(any_db, world, start=0, end=11, label="CLAIM")
    with any_db.transaction() as repo:
        other = repo.add_document(DocumentMeta(title="Other"), "Another article entirely.")
        repo.add_span(
            document_id=other.id,
            start=0,
            end=7,
            label_id=world.labels["ACTOR"].id,
            annotator_id=world.alice.id,
        )
    assert _span_count(any_db) == 3
    with any_db.engine.begin() as conn:
        conn.execute(delete(documents_table).where(documents_table.c.id == world.document.id))
    with any_db.transaction() as repo:
        assert repo.spans(world.document.id) == []
        assert [s.quote for s in repo.spans(other.id)] == ["Another"]
    assert _span_count(any_db) == 1


def test_a_label_in_use_cannot_be_deleted(any_db: Database, world):
    _add(any_db, world, start=0, end=11, label="ACTOR")
    with pytest.raises(IntegrityError), any_db.engine.begin() as conn:
        conn.execute(delete(labels_table).where(labels_table.c.id == world.labels["ACTOR"].id))
    with any_db.transaction() as repo:
        assert "ACTOR" in [label.name for label in repo.labels()]
        assert len(repo.spans(world.document.id)) == 1
    # The control: a label nobody uses can go.
    with any_db.engine.begin() as conn:
        conn.execute(delete(labels_table).where(labels_table.c.id == world.labels["DATE"].id))
    with any_db.transaction() as repo:
        assert [label.name for label in repo.labels()] == ["ACTOR", "CLAIM"]


# Bulk inserts (imports) --------------------------------------------------------------------


def _new(world, start: int, end: int, label: str = "ACTOR", **more):
    from annotator.domain.model import NewSpan

    return NewSpan(start, end, world.labels[label].id, world.alice.id, **more)


def test_add_spans_stores_all_in_order_with_their_details(any_db: Database, world):
    when = datetime(2023, 4, 5, 6, 7, 8, tzinfo=UTC)
    text = world.document.text
    kcna = text.index("KCNA")
    items = [
        _new(world, kcna, kcna + 4, note="agency", attributes={"kind": "media"}, created=when),
        _new(world, 0, 11, quote="Kim Jong Un"),
        _new(world, 0, 11, "CLAIM", updated=when),
    ]
    with any_db.transaction() as repo:
        ids = repo.add_spans(world.document.id, items)
    with any_db.transaction() as repo:
        spans = [repo.span(i) for i in ids]
    with any_db.engine.connect() as conn:
        count = conn.scalar(select(documents_table.c.span_count))
    assert [(s.start, s.quote) for s in spans] == [
        (kcna, "KCNA"),
        (0, "Kim Jong Un"),
        (0, "Kim Jong Un"),
    ]
    assert (spans[0].note, spans[0].attributes, spans[0].created) == (
        "agency",
        {"kind": "media"},
        when,
    )
    assert spans[2].updated == when and spans[2].created > when
    assert count == 3


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ((0, 11, "ACTOR", {"quote": "Kim Jong-un"}), InvalidSpanError),
        ((5, 5, "ACTOR", {}), InvalidSpanError),
        ((0, 11, "ACTOR", {}), DuplicateSpanError),  # already stored
        ((19, 22, "DATE", {}), DuplicateSpanError),  # twice in the same call
    ],
    ids=["wrong-quote", "empty", "stored", "twice"],
)
def test_add_spans_is_all_or_nothing(any_db: Database, world, bad, error):
    _add(any_db, world, start=0, end=11)
    start, end, label, more = bad
    items = [_new(world, 19, 22, "DATE"), _new(world, start, end, label, **more)]
    with any_db.transaction() as repo:
        with pytest.raises(error):
            repo.add_spans(world.document.id, items)
        repo.add_span(  # the refusal leaves the transaction usable
            document_id=world.document.id,
            start=33,
            end=40,
            label_id=world.labels["DATE"].id,
            annotator_id=world.alice.id,
        )
    assert _span_count(any_db) == 2  # the first span and the one added after the refusal
