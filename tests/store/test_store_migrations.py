"""Schema migrations: new databases reach head, models and migrations agree, reopening is safe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, inspect

from annotator.domain.model import DocumentMeta
from annotator.store import Database
from annotator.store.models import Base

TABLES = {"alembic_version", "annotators", "documents", "labels", "spans"}


def test_new_database_is_upgraded_to_head_on_open(any_db: Database):
    head = any_db.head_revision()
    assert head is not None
    assert any_db.current_revision() == head
    assert set(inspect(any_db.engine).get_table_names()) == TABLES


def test_models_and_migrations_agree(any_db: Database):
    with any_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


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
