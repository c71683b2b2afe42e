"""Schema migrations: new databases reach head, models and migrations agree, reopening is safe."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, inspect, text

from annotator.domain.library import AddedDocument, LibraryFilter, LibrarySort, parse_search_query
from annotator.domain.model import DocumentMeta
from annotator.domain.text import sha256_of
from annotator.services.documents import open_document
from annotator.services.library import add_documents, set_status
from annotator.services.search import search_documents
from annotator.store import Database
from annotator.store.database import _alembic_config
from annotator.store.models import Base
from annotator.store.schema_extras import include_name, include_object_for

TABLES = {
    "alembic_version",
    "annotators",
    "documents",
    "labels",
    "spans",
    "actors",
    "relation_types",
    "relations",
    "document_tags",
    "document_status",
    "suggestions",
    "suggestion_links",
    "document_assignments",
    "document_revisions",
    "span_reviews",
    "rejections",
    "settings",
    "gazetteer",
    "actor_models",
}
# FTS5 makes its own shadow tables beside the virtual table (no `_content`: external content).
SQLITE_FTS_TABLES = {
    "documents_fts",
    "documents_fts_data",
    "documents_fts_idx",
    "documents_fts_docsize",
    "documents_fts_config",
    "documents_fts_pending",
    "documents_fts_defer",
}


def test_new_database_is_upgraded_to_head_on_open(any_db: Database):
    head = any_db.head_revision()
    assert head is not None
    assert any_db.current_revision() == head
    expected = TABLES | (SQLITE_FTS_TABLES if any_db.url.get_backend_name() == "sqlite" else set())
    assert set(inspect(any_db.engine).get_table_names()) == expected


def test_models_and_migrations_agree(any_db: Database):
    with any_db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": include_name,
                "include_object": include_object_for(conn.dialect.name),
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_the_search_objects_the_comparison_leaves_out_exist(any_db: Database):
    with any_db.engine.connect() as conn:
        if any_db.url.get_backend_name() == "sqlite":
            triggers = conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            ).scalars()
            assert list(triggers) == ["documents_fts_ad", "documents_fts_ai", "documents_fts_au"]
        else:
            (definition,) = conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_documents_search'")
            ).scalars()
            assert "USING gin (search_vector)" in definition
            generated = conn.execute(
                text(
                    "SELECT is_generated FROM information_schema.columns "
                    "WHERE table_name = 'documents' AND column_name = 'search_vector'"
                )
            ).scalar()
            assert generated == "ALWAYS"


def test_the_url_index_takes_urls_of_any_length(any_db: Database):
    """A new version of an article is found by its URL; PostgreSQL's btree refuses entries over
    about 2.7 kB, so there the migration makes the index a hash (the model does not say so,
    and the comparison does not look at index methods)."""
    with any_db.engine.connect() as conn:
        if any_db.url.get_backend_name() == "sqlite":
            (definition,) = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'ix_documents_url'")
            ).scalars()
            assert "(url)" in definition
        else:
            (definition,) = conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_documents_url'")
            ).scalars()
            assert "USING hash (url)" in definition


def test_the_comparison_would_see_a_missing_table(any_db: Database):
    """The include_name hook hides only the search objects, not real differences."""
    with any_db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE document_tags")
    with any_db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": include_name,
                "include_object": include_object_for(conn.dialect.name),
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert [d[0] for d in diff if isinstance(d, tuple)][:1] == ["add_table"]


def test_reopening_an_upgraded_database_is_a_no_op_and_keeps_data(any_db: Database, reopen):
    with any_db.transaction() as repo:
        doc = repo.add_document(DocumentMeta(title="Kept"), "Text that must survive.")
    revision = any_db.current_revision()
    any_db.dispose()

    again = reopen(any_db, upgrade=False)
    statements: list[str] = []

    @event.listens_for(again.engine, "before_cursor_execute")
    def _record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    again.upgrade()
    changes = [
        s
        for s in statements
        if s.lstrip().split(None, 1)[0].upper() in {"CREATE", "ALTER", "DROP", "INSERT", "UPDATE"}
    ]
    assert changes == []
    assert again.current_revision() == revision
    with again.transaction() as repo:
        kept = repo.document(doc.id)
    assert kept.text == "Text that must survive."
    assert kept.title == "Kept"


# From the first schema to head -----------------------------------------------------------------

WHEN = "2024-05-03 10:00:00.000000"
OLD_DOCUMENTS = [
    (1, "Car gift", "KCNA", "Kim Jong Un gave a car to the ministry."),
    (2, "Harbour", None, "The mayor opened the harbour on Tuesday."),
    (5, "Zürich talks", "AP", "Bankers met in Zürich; Kim was mentioned."),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def old_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database at revision 0001 holding documents, labels, an annotator and spans, as the
    first release left it (on SQLite: a file without auto_vacuum, as it made them)."""
    if request.param == "sqlite":
        path = tmp_path / "old.sqlite3"
        plain = sqlite3.connect(path)
        plain.execute("CREATE TABLE t (x)")  # fixes auto_vacuum = NONE for this file
        plain.execute("DROP TABLE t")
        plain.close()
        target: str | Path = path
    else:
        target = request.getfixturevalue("pg_database_url")
    db = Database(target, upgrade=False)
    db.upgrade("0001")
    assert db.current_revision() == "0001"
    with db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO annotators (id, name, created) VALUES (1, 'alice', :w)"), {"w": WHEN}
        )
        for label_id, name in ((1, "ACTOR"), (2, "DATE"), (3, "CLAIM")):
            conn.execute(
                text(
                    "INSERT INTO labels (id, name, colour, hotkey, position, style, description) "
                    "VALUES (:i, :n, '#56B4E9', :k, :i, 'background', '')"
                ),
                {"i": label_id, "n": name, "k": str(label_id)},
            )
        for doc_id, title, source, body in OLD_DOCUMENTS:
            conn.execute(
                text(
                    "INSERT INTO documents (id, title, source, text, sha256, created) "
                    "VALUES (:i, :t, :s, :x, :h, :w)"
                ),
                {"i": doc_id, "t": title, "s": source, "x": body, "h": sha256_of(body), "w": WHEN},
            )
        for span_id, doc_id, start, end in [(1, 1, 0, 11), (2, 1, 30, 38), (3, 5, 29, 32)]:
            body = dict((d[0], d[3]) for d in OLD_DOCUMENTS)[doc_id]
            conn.execute(
                text(
                    'INSERT INTO spans (id, document_id, start, "end", label_id, quote, '
                    "annotator_id, created, updated, attributes) "
                    "VALUES (:i, :d, :s, :e, 1, :q, 1, :w, :w, '{}')"
                ),
                {"i": span_id, "d": doc_id, "s": start, "e": end, "q": body[start:end], "w": WHEN},
            )
        if request.param == "postgresql":
            # The rows above were given ids by hand; the app's rows would have moved the
            # sequences past them.
            for table in ("annotators", "labels", "documents", "spans"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    yield db
    db.dispose()


def test_upgrading_a_first_schema_database_keeps_data_and_makes_it_searchable(old_db: Database):
    old_db.upgrade()
    assert old_db.current_revision() == old_db.head_revision()

    with old_db.transaction() as repo:
        for doc_id, title, source, body in OLD_DOCUMENTS:
            doc = repo.document(doc_id)
            assert (doc.title, doc.meta.source, doc.text) == (title, source, body)
        assert [s.quote for s in repo.spans(1)] == ["Kim Jong Un", "ministry"]
        hits = repo.search_documents(parse_search_query("kim"), limit=10, offset=0)
        rows = repo.page_documents(
            annotator_id=1,
            sort=LibrarySort.SPANS,
            descending=True,
            filters=LibraryFilter(),
            offset=0,
            limit=10,
        )
    assert {h.document_id for h in hits} == {1, 5}
    assert [(r.id, r.span_count) for r in rows] == [(1, 2), (5, 1), (2, 0)]
    assert search_documents(old_db, query="zürich")[0].document_id == 5

    # The new tables work, and a new document never reuses an old id.
    set_status(old_db, document_id=2, annotator_id=1, status="done")
    (added,) = add_documents(old_db, items=[(DocumentMeta(title="New"), "fresh kim text", ())])
    assert isinstance(added, AddedDocument) and added.id > 5
    assert {h.document_id for h in search_documents(old_db, query="kim")} == {1, 5, added.id}

    # Revision 0003: the old labels get the default attributes and relation types, the old
    # spans can be linked, and deleting a span takes its links.
    with old_db.transaction() as repo:
        schema = repo.schema()
        assert [a.name for a in schema.label_named("ACTOR").attributes] == ["kind"]
        assert [a.name for a in schema.label_named("DATE").attributes] == ["value"]
        assert [t.name for t in schema.relation_types] == ["SOURCE", "TIME", "REPORTED_IN"]
        assert [s.actor_id for s in repo.spans(1)] == [None, None]
        repo.relabel_span(1, 3)  # "Kim Jong Un" as a claim, to link it to "ministry"
        source = schema.relation_type_named("SOURCE")
        repo.add_relation(type_id=source.id, source_id=1, target_id=2, annotator_id=1)
        repo.delete_spans([2])
        assert repo.relations(1) == []

    if old_db.url.get_backend_name() == "sqlite":
        old_db.dispose()
        plain = sqlite3.connect(str(old_db.url.database))
        try:
            assert plain.execute("PRAGMA auto_vacuum").fetchone() == (2,)  # converted once
            assert plain.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert plain.execute("PRAGMA foreign_key_check").fetchall() == []
            columns = [row[1] for row in plain.execute("PRAGMA table_info(documents)")]
            assert columns[-1] == "text"
        finally:
            plain.close()


def test_downgrading_to_the_first_schema_and_back_keeps_the_documents(old_db: Database, reopen):
    old_db.upgrade()
    with old_db.engine.connect() as conn:
        if old_db.url.get_backend_name() == "sqlite":
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        with conn.begin():
            cfg = _alembic_config(old_db.url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
    assert old_db.current_revision() == "0001"
    with old_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM spans")).scalar() == 3
    old_db.dispose()
    again = reopen(old_db)  # upgrades to head again
    assert again.current_revision() == again.head_revision()
    assert {h.document_id for h in search_documents(again, query="kim")} == {1, 5}
    assert open_document(again, document_id=1)[1][1].quote == "ministry"


def test_head_revision_constant_matches_the_newest_migration(tmp_path) -> None:
    """Opening skips Alembic when the database is at HEAD_REVISION; it must be the real head."""
    from annotator.store.database import HEAD_REVISION, Database

    db = Database(tmp_path / "head.sqlite3")
    try:
        assert db.head_revision() == HEAD_REVISION
        assert db.current_revision() == HEAD_REVISION
    finally:
        db.dispose()


def test_rejections_are_per_annotator_and_downgrading_keeps_one_per_place(any_db: Database, reopen):
    from annotator.services.database import ensure_annotator, seed_new_database
    from annotator.services.decisions import reject_suggestion
    from annotator.services.documents import add_document
    from annotator.services.suggestions import list_suggestions, run_suggestions

    seed_new_database(any_db)
    ann = ensure_annotator(any_db, name="ann").id
    bob = ensure_annotator(any_db, name="bob").id
    doc = add_document(any_db, text="The talks end on 3 March 2025.", meta=DocumentMeta("Talks")).id
    run_suggestions(any_db, document_ids=[doc], engines=["dates"])
    (date,) = list_suggestions(any_db, document_id=doc)
    assert date.attributes["value"] == "2025-03-03"  # read back as stored, on both backends
    for who in (ann, bob):
        reject_suggestion(any_db, suggestion_id=date.id, annotator_id=who)
    with any_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM rejections")).scalar() == 2
    with any_db.engine.connect() as conn:
        if any_db.url.get_backend_name() == "sqlite":
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        with conn.begin():
            cfg = _alembic_config(any_db.url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0005")
    with any_db.engine.connect() as conn:
        kept = conn.execute(text("SELECT annotator_id FROM rejections")).scalars().all()
    assert kept == [ann]  # the oldest of the place, as the one-per-place constraint allows
    any_db.dispose()
    again = reopen(any_db)  # upgrades to head again
    assert again.current_revision() == again.head_revision()
    reject_suggestion(again, suggestion_id=date.id, annotator_id=bob)
    with again.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM rejections")).scalar() == 2
