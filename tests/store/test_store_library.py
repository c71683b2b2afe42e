"""Library internals that the services cannot show: span counts stay exact, every page strategy
gives the same answer, pages come from indexes, deleted documents give their space back."""

from __future__ import annotations

import contextlib
import random
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text

from annotator.domain.errors import DuplicateSpanError, NotFoundError
from annotator.domain.library import (
    AddedDocument,
    DocumentStatus,
    LibraryFilter,
    LibrarySort,
)
from annotator.domain.model import DocumentMeta
from annotator.store import Database
from annotator.store import library as store_library
from annotator.store.models import DocumentRow, SpanRow


def _add_docs(db: Database, n: int, *, size: int = 60, seed: int = 1) -> list[int]:
    rng = random.Random(seed)
    items = []
    for i in range(n):
        body = " ".join(rng.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(size // 6))
        items.append(
            (
                DocumentMeta(
                    title=f"T{rng.randint(0, 5)}",
                    source=rng.choice([None, "AP", "KCNA"]),
                    published=rng.choice([None, "2024-01-01", "2023-06-30"]),
                ),
                f"doc {i}: {body}"[: max(size, 12)],
                tuple(rng.sample(["x", "y", "z"], rng.randint(0, 2))),
            )
        )
    with db.transaction() as repo:
        results = repo.add_documents(items)
    assert all(isinstance(r, AddedDocument) for r in results)
    return [r.id for r in results]  # type: ignore[union-attr]


def _stored_counts_match(db: Database) -> None:
    with db.engine.connect() as conn:
        stored = {i: n for i, n in conn.execute(select(DocumentRow.id, DocumentRow.span_count))}
        real = {
            i: n
            for i, n in conn.execute(
                select(SpanRow.document_id, func.count()).group_by(SpanRow.document_id)
            )
        }
    assert stored == {doc_id: real.get(doc_id, 0) for doc_id in stored}


def test_span_counts_stay_exact_through_every_kind_of_edit(any_db: Database, world):
    ids = [world.document.id, *_add_docs(any_db, 4)]
    rng = random.Random(3)
    label_ids = [label.id for label in world.labels.values()]
    deleted_docs = None
    for _step in range(60):
        action = rng.random()
        with any_db.transaction() as repo:
            live = [i for i in ids if _exists(repo, i)]
            doc_id = rng.choice(live)
            spans = repo.spans(doc_id)
            if action < 0.5:
                start = rng.randint(0, 8)
                # The same span twice is refused; that is fine here.
                with contextlib.suppress(DuplicateSpanError):
                    repo.add_span(
                        document_id=doc_id,
                        start=start,
                        end=start + rng.randint(1, 3),
                        label_id=rng.choice(label_ids),
                        annotator_id=rng.choice([world.alice.id, world.bob.id]),
                    )
            elif action < 0.7 and spans:
                gone = repo.delete_spans([s.id for s in spans[: rng.randint(1, len(spans))]])
                if rng.random() < 0.5:
                    for s in gone:
                        repo.add_span(
                            document_id=s.document_id,
                            start=s.start,
                            end=s.end,
                            label_id=s.label_id,
                            annotator_id=s.annotator_id,
                            quote=s.quote,
                            span_id=s.id,
                            created=s.created,
                        )
            elif action < 0.8 and spans:
                with contextlib.suppress(DuplicateSpanError):
                    repo.relabel_span(spans[0].id, rng.choice(label_ids))
            elif action < 0.9 and deleted_docs is None and len(live) > 1:
                deleted_docs = repo.delete_documents([doc_id])
            elif deleted_docs is not None:
                repo.restore_documents(deleted_docs)
                deleted_docs = None
        _stored_counts_match(any_db)


def _exists(repo, doc_id: int) -> bool:
    try:
        repo.document(doc_id)
    except NotFoundError:
        return False
    return True


# Page strategies ------------------------------------------------------------------------------

STRATEGIES = {
    "default": {},
    "always probe with IN": {"DRIVE_BELOW": 0, "LOOKUP_UP_TO": 0},
    "always probe with lookups": {"DRIVE_BELOW": 0, "LOOKUP_UP_TO": 10**9},
    "always drive": {"DRIVE_BELOW": 10**9, "LOOKUP_UP_TO": 0},
}

FILTERS = [
    LibraryFilter(),
    LibraryFilter(status=DocumentStatus.NEW),
    LibraryFilter(status=DocumentStatus.DONE),
    LibraryFilter(source="KCNA"),
    LibraryFilter(tag="x"),
    LibraryFilter(text="alpha gamma"),
    LibraryFilter(tag="y", status=DocumentStatus.NEW, source="AP"),
    LibraryFilter(label_id=1, status=DocumentStatus.IN_PROGRESS),
]


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_every_page_strategy_gives_the_same_pages_and_counts(
    any_db: Database, world, monkeypatch, strategy
):
    ids = _add_docs(any_db, 40)
    rng = random.Random(9)
    with any_db.transaction() as repo:
        for doc_id in ids:
            status = rng.choice(list(DocumentStatus))
            repo.set_status(document_id=doc_id, annotator_id=world.alice.id, status=status)
            if rng.random() < 0.4:
                repo.add_span(
                    document_id=doc_id,
                    start=0,
                    end=3,
                    label_id=world.labels["ACTOR"].id,
                    annotator_id=world.bob.id,
                )
    # The reference: everything read with the default strategy in one page per filter.
    reference = {}
    for f in FILTERS:
        for sort in LibrarySort:
            with any_db.transaction() as repo:
                reference[f, sort] = [
                    r.id
                    for r in repo.page_documents(
                        annotator_id=world.alice.id,
                        sort=sort,
                        descending=sort is LibrarySort.SPANS,
                        filters=f,
                        offset=0,
                        limit=1000,
                    )
                ]
    assert sum(len(v) for v in reference.values()) > 100
    for name, value in STRATEGIES[strategy].items():
        monkeypatch.setattr(store_library, name, value)
    for (f, sort), expected in reference.items():
        got: list[int] = []
        with any_db.transaction() as repo:
            for offset in range(0, 45, 6):
                got += [
                    r.id
                    for r in repo.page_documents(
                        annotator_id=world.alice.id,
                        sort=sort,
                        descending=sort is LibrarySort.SPANS,
                        filters=f,
                        offset=offset,
                        limit=6,
                    )
                ]
            count = repo.count_documents(annotator_id=world.alice.id, filters=f)
        assert got == expected, (f, sort)
        assert count == len(expected), f


@pytest.mark.parametrize("sort", [s for s in LibrarySort if s is not LibrarySort.STATUS])
def test_on_sqlite_an_unfiltered_page_is_read_from_the_sort_index_alone(tmp_path, sort):
    db = Database(tmp_path / "plan.sqlite3")
    statements: list[str] = []
    try:

        @event.listens_for(db.engine, "before_cursor_execute")
        def _record(conn, cursor, statement, parameters, context, executemany):
            if " ".join(statement.split()).startswith("SELECT documents.id FROM documents"):
                statements.append(statement)

        with db.transaction() as repo:
            repo.page_documents(
                annotator_id=1,
                sort=sort,
                descending=False,
                filters=LibraryFilter(),
                offset=10,
                limit=5,
            )
        (statement,) = statements
        with db.engine.connect() as conn:
            plan = " | ".join(
                row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", (5, 10))
            )
    finally:
        db.dispose()
    column = {"spans": "span_count"}.get(sort.value, sort.value)
    assert f"COVERING INDEX ix_documents_{column}" in plan
    assert "TEMP B-TREE" not in plan  # no sorting: the index is already in order


# Space ------------------------------------------------------------------------------------------


def _pragma(path: Path, name: str) -> int:
    """Read a pragma through a separate plain connection (outside the app's transactions)."""
    plain = sqlite3.connect(path)
    try:
        return int(plain.execute(f"PRAGMA {name}").fetchone()[0])
    finally:
        plain.close()


def test_on_sqlite_deleting_documents_gives_their_pages_back_to_the_file(db_path: Path):
    db = Database(db_path)
    try:
        ids = _add_docs(db, 300, size=20_000)
        _pragma(db_path, "wal_checkpoint(TRUNCATE)")
        full_pages = _pragma(db_path, "page_count")
        full_size = db_path.stat().st_size
        assert full_size > 5_000_000

        with db.transaction() as repo:
            deleted = repo.delete_documents(ids[:-10])
        assert len(deleted.documents) == 290
        assert _pragma(db_path, "freelist_count") == 0
        assert _pragma(db_path, "page_count") < full_pages / 4
        db.dispose()
        _pragma(db_path, "wal_checkpoint(TRUNCATE)")
        assert db_path.stat().st_size < full_size / 4
    finally:
        db.dispose()
    assert _pragma(db_path, "auto_vacuum") == 2  # incremental
    plain = sqlite3.connect(db_path)
    try:
        assert plain.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        plain.close()


def test_a_new_sqlite_file_is_made_with_incremental_auto_vacuum(db_path: Path):
    Database(db_path).dispose()
    assert _pragma(db_path, "auto_vacuum") == 2


def test_restored_documents_keep_their_creation_time_and_text(any_db: Database, world):
    with any_db.transaction() as repo:
        before = repo.document(world.document.id)
        deleted = repo.delete_documents([world.document.id])
    with any_db.transaction() as repo:
        repo.restore_documents(deleted)
    with any_db.transaction() as repo:
        after = repo.document(world.document.id)
    assert after == before
    with any_db.engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM documents")).scalar()
    assert n == 1


def test_a_stored_new_status_counts_as_no_status(any_db: Database, world):
    """set_status('new') deletes the row, but a row saying 'new' (another writer, an older
    version) must mean the same everywhere."""
    with any_db.transaction() as repo:
        other = repo.add_document(DocumentMeta(title="Other"), "Other text.").id
        repo.set_status(document_id=other, annotator_id=world.alice.id, status=DocumentStatus.DONE)
    with any_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO document_status (document_id, annotator_id, status, updated) "
                "VALUES (:d, :a, 'new', :w)"
            ),
            {"d": world.document.id, "a": world.alice.id, "w": "2024-01-01 00:00:00.000000"},
        )
    new = LibraryFilter(status=DocumentStatus.NEW)
    with any_db.transaction() as repo:
        rows = repo.page_documents(
            annotator_id=world.alice.id,
            sort=LibrarySort.STATUS,
            descending=False,
            filters=LibraryFilter(),
            offset=0,
            limit=10,
        )
        assert [(r.id, r.status) for r in rows] == [
            (world.document.id, DocumentStatus.NEW),
            (other, DocumentStatus.DONE),
        ]
        assert repo.count_documents(annotator_id=world.alice.id, filters=new) == 1
        assert [
            r.id
            for r in repo.page_documents(
                annotator_id=world.alice.id,
                sort=LibrarySort.TITLE,
                descending=False,
                filters=new,
                offset=0,
                limit=10,
            )
        ] == [world.document.id]
        assert repo.progress(annotator_id=world.alice.id) == (1, 2)


def test_document_contents_reads_what_the_single_document_reads_give(any_db: Database, world):
    """The export's bulk read agrees with the per-document reads, in the order asked for."""
    other = _add_docs(any_db, 3)
    with any_db.transaction() as repo:
        doc = world.document
        actor, date = world.labels["ACTOR"], world.labels["DATE"]
        kim = repo.add_span(
            document_id=doc.id, start=0, end=11, label_id=actor.id, annotator_id=world.alice.id
        )
        may = repo.add_span(
            document_id=doc.id,
            start=42,
            end=52,
            label_id=date.id,
            annotator_id=world.bob.id,
            attributes={"value": "2024-05-03"},
            note="checked",
        )
        whole = repo.add_span(  # starts where "Kim" starts and is longer: it comes first
            document_id=doc.id,
            start=0,
            end=52,
            label_id=world.labels["CLAIM"].id,
            annotator_id=world.alice.id,
        )
        time = repo.save_relation_type(
            name="WHEN", source_label_id=None, target_label_id=date.id, colour="#000000"
        )
        link = repo.add_relation(
            type_id=time.id, source_id=whole.id, target_id=may.id, annotator_id=world.alice.id
        )
        repo.set_status(document_id=doc.id, annotator_id=world.bob.id, status="done")
        repo.update_document_meta(document_id=doc.id, meta=doc.meta, tags=["b", "a"])
    asked = [other[2], doc.id, other[0]]
    with any_db.transaction() as repo:
        contents = repo.document_contents(asked)
        assert [c.document.id for c in contents] == asked
        for c in contents:
            i = c.document.id
            assert c.document == repo.document(i)
            assert list(c.spans) == repo.spans(i)
            assert list(c.relations) == repo.relations(i)
            assert c.tags == repo.document_tags(i)
            assert c.statuses == repo.document_statuses(i)
        mine = contents[1]
        assert [s.id for s in mine.spans] == [whole.id, kim.id, may.id]
        assert mine.spans[2].attributes == {"value": "2024-05-03"}
        assert mine.relations == (link,)
        assert mine.tags == ("a", "b") and mine.statuses == {world.bob.id: DocumentStatus.DONE}
        with pytest.raises(NotFoundError, match="document 999999 does not exist"):
            repo.document_contents([doc.id, 999999])
