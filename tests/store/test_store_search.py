"""The full-text index follows the documents: inserts, title and text updates, deletes, undo."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from annotator.domain.library import parse_search_query
from annotator.domain.model import DocumentMeta
from annotator.store import Database


def found(db: Database, query: str) -> set[int]:
    with db.transaction() as repo:
        return {
            h.document_id
            for h in repo.search_documents(parse_search_query(query), limit=50, offset=0)
        }


def assert_fts_consistent(db: Database) -> None:
    """SQLite: FTS5 compares its index with the content table (rank 1: external content too)
    and raises 'database disk image is malformed' if they differ."""
    if db.url.get_backend_name() == "sqlite":
        with db.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")
            )


def test_index_follows_inserts_updates_and_deletes(any_db: Database, world):
    doc = world.document.id
    assert found(any_db, "ministry") == {doc}

    with any_db.transaction() as repo:
        other = repo.add_document(DocumentMeta(title="Orchard report"), "Apples grew well.").id
    assert found(any_db, "apples") == {other}
    assert found(any_db, "orchard") == {other}  # the title is indexed too

    with any_db.transaction() as repo:
        repo.update_document_meta(document_id=other, meta=DocumentMeta(title="Harvest"), tags=[])
    assert found(any_db, "orchard") == set()
    assert found(any_db, "harvest") == {other}
    assert found(any_db, "apples") == {other}

    # The app never changes a text (a changed article is a new revision), but the index must
    # follow whatever changes the table.
    with any_db.engine.begin() as conn:
        conn.execute(
            text("UPDATE documents SET text = 'Pears instead.' WHERE id = :i"), {"i": other}
        )
    assert found(any_db, "apples") == set()
    assert found(any_db, "pears") == {other}

    # Span counts change the row too; that must not disturb the index.
    with any_db.transaction() as repo:
        repo.add_span(
            document_id=doc,
            start=0,
            end=3,
            label_id=world.labels["ACTOR"].id,
            annotator_id=world.alice.id,
        )
    assert found(any_db, "ministry") == {doc}
    assert_fts_consistent(any_db)

    with any_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM documents WHERE id = :i"), {"i": other})
    assert found(any_db, "pears") == set()
    assert found(any_db, "harvest") == set()
    assert_fts_consistent(any_db)


def test_index_follows_bulk_add_delete_and_restore(any_db: Database, world):
    items = [(DocumentMeta(title=f"Note {i}"), f"quince number{i}", ()) for i in range(50)]
    with any_db.transaction() as repo:
        ids = [r.id for r in repo.add_documents(items)]  # type: ignore[union-attr]
    assert found(any_db, "quince") == set(ids)
    with any_db.transaction() as repo:
        deleted = repo.delete_documents(ids[:20])
    assert found(any_db, "quince") == set(ids[20:])
    assert found(any_db, "number3") == set()
    assert_fts_consistent(any_db)
    with any_db.transaction() as repo:
        repo.restore_documents(deleted)
    assert found(any_db, "quince") == set(ids)
    assert found(any_db, "number3") == {ids[3]}
    assert_fts_consistent(any_db)


def test_a_failed_bulk_add_leaves_no_index_entries(any_db: Database, world):
    with pytest.raises(ValueError), any_db.transaction() as repo:
        repo.add_documents([(DocumentMeta(title="Ghost"), "phantom words", ())])
        raise ValueError("the user cancelled")
    assert found(any_db, "phantom") == set()
    assert_fts_consistent(any_db)


def test_snippets_are_cut_from_long_texts_around_the_hit(any_db: Database, world):
    long_text = ("filler " * 2000) + "the needle is here " + ("filler " * 2000)
    with any_db.transaction() as repo:
        doc = repo.add_document(DocumentMeta(title="Haystack"), long_text).id
    with any_db.transaction() as repo:
        (hit,) = repo.search_documents(parse_search_query("needle"), limit=5, offset=0)
    assert hit.document_id == doc
    assert len(hit.snippet) < 400
    assert [hit.snippet[s:e] for s, e in hit.hits] == ["needle"]


def pending(db: Database) -> int:
    with db.reading() as repo:
        return repo.pending_search_count()


def test_an_import_leaves_its_documents_to_the_index_pass(any_db: Database, world):
    sqlite = any_db.url.get_backend_name() == "sqlite"
    items = [(DocumentMeta(title=f"Crate {i}"), f"medlar number{i}", ()) for i in range(30)]
    with any_db.transaction() as repo:
        ids = [r.id for r in repo.add_documents(items, defer_search=True)]  # type: ignore[union-attr]
        # The flag lasts for that one add: a document added after it is indexed at once.
        late = repo.add_document(DocumentMeta(title="Late"), "medlar latecomer").id
    if sqlite:
        assert pending(any_db) == 30
        assert found(any_db, "medlar") == {late}
        with any_db.transaction() as repo:
            assert repo.index_pending_search(limit=20) == 20
        assert found(any_db, "medlar") == set(ids[:20]) | {late}
        with any_db.transaction() as repo:
            assert repo.index_pending_search() == 10
            assert repo.index_pending_search() == 0
    else:  # PostgreSQL computes the stored tsvector as it writes the row
        assert pending(any_db) == 0
    assert pending(any_db) == 0
    assert found(any_db, "medlar") == set(ids) | {late}
    assert found(any_db, "crate") == set(ids)
    assert_fts_consistent(any_db)


def test_pending_documents_can_be_changed_deleted_and_restored(any_db: Database, world):
    items = [(DocumentMeta(title=f"Jar {i}"), f"sloe gin{i}", ()) for i in range(4)]
    with any_db.transaction() as repo:
        ids = [r.id for r in repo.add_documents(items, defer_search=True)]  # type: ignore[union-attr]
    with any_db.transaction() as repo:
        repo.update_document_meta(document_id=ids[0], meta=DocumentMeta(title="Flask"), tags=[])
        deleted = repo.delete_documents([ids[1]])
    with any_db.engine.begin() as conn:
        conn.execute(text("UPDATE documents SET text = 'damson' WHERE id = :i"), {"i": ids[2]})
    # Deleting or changing a document the index never held must not touch the index (an
    # external-content FTS5 table told to delete what it does not hold is damaged).
    assert_integrity_of_what_is_indexed(any_db)
    with any_db.transaction() as repo:
        while repo.index_pending_search():
            pass
    assert found(any_db, "flask") == {ids[0]}
    assert found(any_db, "jar") == {ids[2], ids[3]}
    assert found(any_db, "sloe") == {ids[0], ids[3]}
    assert found(any_db, "damson") == {ids[2]}
    assert_fts_consistent(any_db)
    with any_db.transaction() as repo:
        repo.restore_documents(deleted)  # restored as any added document: indexed at once
    assert pending(any_db) == 0
    assert found(any_db, "gin1") == {ids[1]}
    assert_fts_consistent(any_db)


def assert_integrity_of_what_is_indexed(db: Database) -> None:
    """The index's own structure (rank 0: not compared with the content table, which holds
    the pending documents the index does not)."""
    if db.url.get_backend_name() == "sqlite":
        with db.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 0)")
            )
