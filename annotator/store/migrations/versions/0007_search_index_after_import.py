"""search index after import: bulk imports leave their documents' full-text indexing for later

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 22:40:00

SQLite only (PostgreSQL's stored tsvector is computed by the server as the row is written and is
left as it is). Indexing a text for FTS5 costs about twice as much as storing it: two thirds of
an import of 2,000 articles of 5 kB. An import now stores its documents without indexing them
and lists them in `documents_fts_pending`; the index pass (annotator/store/search.py
`index_pending`) indexes them in batches afterwards: in the window, in the background once the
import is done; elsewhere, before the next search (annotator/services/search.py).

How an import asks for it: inside its write transaction, it sets the one row of
`documents_fts_defer` to 1 around its INSERT and back to 0 (annotator/store/library.py). Only
one program writes to a SQLite file at a time, and the flag is set and reset within one
transaction (a rollback undoes it too), so no other writer ever sees it set.

The three triggers of migration 0002 are replaced:
- after INSERT: index the row, or, when deferring, list it as pending;
- after DELETE: take the row out of the index unless it is pending (an external-content FTS5
  table must be told exactly the values it indexed: a 'delete' of values it never indexed
  damages it), and off the pending list;
- after UPDATE of title or text: the same for the old values, then index the new ones, unless
  the row is pending (the index pass reads the row as it is then).
`INSERT INTO documents_fts(documents_fts) VALUES('rebuild')` indexes every row, pending or
not: whoever runs it empties `documents_fts_pending` in the same transaction.

!! As with migration 0002: a later SQLite batch migration that rebuilds `documents` drops these
!! triggers with the old table and must create them again (TRIGGERS below).
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FTS_TABLE = "documents_fts"
PENDING = f"{FTS_TABLE}_pending"
DEFER = f"{FTS_TABLE}_defer"

_DEFERRING = f"(SELECT deferring FROM {DEFER})"
_PENDING_OLD = f"EXISTS (SELECT 1 FROM {PENDING} WHERE document_id = old.id)"

TRIGGERS = [
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON documents BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, text)
        SELECT new.id, new.title, new.text WHERE NOT {_DEFERRING};
        INSERT INTO {PENDING}(document_id) SELECT new.id WHERE {_DEFERRING};
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON documents BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
        SELECT 'delete', old.id, old.title, old.text WHERE NOT {_PENDING_OLD};
        DELETE FROM {PENDING} WHERE document_id = old.id;
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF title, text ON documents
        WHEN NOT {_PENDING_OLD} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
]

# Migration 0002's triggers, for the downgrade: written out again rather than read from that
# module, so that each migration stays the frozen record of its own schema change.
OLD_TRIGGERS = [
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON documents BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON documents BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
]


def _drop_triggers() -> None:
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE TABLE {PENDING} (document_id INTEGER PRIMARY KEY)")
    op.execute(f"CREATE TABLE {DEFER} (deferring INTEGER NOT NULL CHECK (deferring IN (0, 1)))")
    op.execute(f"INSERT INTO {DEFER} (deferring) VALUES (0)")
    _drop_triggers()
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # Index what is pending first: the old triggers know nothing of the list.
    op.execute(
        f"INSERT INTO {FTS_TABLE}(rowid, title, text) SELECT d.id, d.title, d.text "
        f"FROM documents AS d JOIN {PENDING} AS p ON p.document_id = d.id"
    )
    _drop_triggers()
    for statement in OLD_TRIGGERS:
        op.execute(statement)
    op.execute(f"DROP TABLE {PENDING}")
    op.execute(f"DROP TABLE {DEFER}")
