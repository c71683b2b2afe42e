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
