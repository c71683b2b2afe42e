"""library and search: tags, per-annotator status, span counts, sort indexes, full-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:00:00

SQLite: `documents` is rebuilt (batch) to make its ids AUTOINCREMENT (never reused, so an undone
deletion gets its ids back) and to add `span_count`; then the FTS5 table `documents_fts` is
created as an external-content index over `documents(title, text)`, kept in sync by three
triggers, and filled from the existing rows.

PostgreSQL: a stored generated column `search_vector` (the title's words weighted A, the
text's D, configuration 'simple') with a GIN index. Not an expression index over
to_tsvector(title || ' ' || text): PostgreSQL then has to parse every matching document again
to rank it, and again to recheck a lossy bitmap, which on 100,000 articles of 5 KB took 2.7 s
for a word in one document in ten and 16 s or more for a common word; with the stored vector
the same searches take 0.05 s and 0.5 s.

!! Any later SQLite batch migration that rebuilds `documents` drops its triggers with the old
!! table: it must recreate the three `documents_fts_*` triggers below (same SQL) afterwards, and
!! run `INSERT INTO documents_fts(documents_fts) VALUES('rebuild')` if row ids could change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The names env.py and the tests leave out of the model comparison (annotator/store/
# schema_extras.py): made here per dialect, with no model.
FTS_TABLE = "documents_fts"
PG_SEARCH_INDEX = "ix_documents_search"
PG_SEARCH_COLUMN = "search_vector"

DOCUMENT_COLUMNS = (
    "id",
    "title",
    "source",
    "url",
    "author",
    "published",
    "language",
    "sha256",
    "created",
    "span_count",
    "text",
)

SQLITE_FTS = [
    # unicode61 with diacritics removed: "Pyongyang" finds "Pyŏngyang". External content: the
    # text is stored once, in `documents`; the index holds only the tokens.
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        title, text,
        content='documents', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    # A title word weighs ten text words in the ranking (ORDER BY rank).
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES('rank', 'bm25(10.0, 1.0)')",
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON documents BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON documents BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    # Only title and text are indexed: span_count and metadata updates must not re-index.
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    # Index the documents that existed before this migration.
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('rebuild')",
]

POSTGRES_SEARCH = [
    f"""ALTER TABLE documents ADD COLUMN {PG_SEARCH_COLUMN} tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title), 'A') || to_tsvector('simple', text)
        ) STORED""",
    f"CREATE INDEX {PG_SEARCH_INDEX} ON documents USING gin ({PG_SEARCH_COLUMN})",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    span_count = sa.Column("span_count", sa.Integer(), server_default="0", nullable=False)
    if dialect == "sqlite":
        # Rebuilt (copied; Database.upgrade runs this with foreign keys off, so the copy does
        # not cascade-delete spans) to make ids AUTOINCREMENT and to put `text` last: SQLite
        # keeps a long value in a chain of overflow pages, and reading any column stored after
        # it walks the whole chain. With `text` last, a library page reads one page a row.
        with op.batch_alter_table(
            "documents",
            recreate="always",
            table_kwargs={"sqlite_autoincrement": True},
            partial_reordering=[DOCUMENT_COLUMNS],
        ) as batch_op:
            batch_op.add_column(span_count)
    else:
        op.add_column("documents", span_count)
    op.execute(
        "UPDATE documents SET span_count = "
        "(SELECT count(*) FROM spans WHERE spans.document_id = documents.id)"
    )
    op.create_index("ix_documents_title", "documents", ["title", "id"])
    for column in ("published", "source"):
        # Missing values sort first in the library. PostgreSQL indexes put NULL last unless
        # told otherwise; SQLite puts it first and has no NULLS FIRST in CREATE INDEX.
        if dialect == "postgresql":
            op.create_index(
                f"ix_documents_{column}_nulls_first",
                "documents",
                [sa.text(f"{column} NULLS FIRST"), "id"],
            )
        else:
            op.create_index(f"ix_documents_{column}", "documents", [column, "id"])
    op.create_index("ix_documents_created", "documents", ["created", "id"])
    op.create_index("ix_documents_span_count", "documents", ["span_count", "id"])
    op.create_index("ix_spans_label_id", "spans", ["label_id", "document_id"])

    op.create_table(
        "document_tags",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.CheckConstraint("length(tag) > 0", name=op.f("ck_document_tags_tag_not_empty")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_tags_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "tag", name=op.f("pk_document_tags")),
    )
    op.create_index("ix_document_tags_tag", "document_tags", ["tag", "document_id"])

    op.create_table(
        "document_status",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('new', 'in_progress', 'done')",
            name=op.f("ck_document_status_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotators.id"],
            name=op.f("fk_document_status_annotator_id_annotators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_status_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "annotator_id", name=op.f("pk_document_status")),
    )
    op.create_index(
        "ix_document_status_annotator_id",
        "document_status",
        ["annotator_id", "status", "document_id"],
    )

    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in POSTGRES_SEARCH:  # generated columns: PostgreSQL 12 or later
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif dialect == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {PG_SEARCH_INDEX}")
        op.execute(f"ALTER TABLE documents DROP COLUMN IF EXISTS {PG_SEARCH_COLUMN}")
    op.drop_index("ix_document_status_annotator_id", table_name="document_status")
    op.drop_table("document_status")
    op.drop_index("ix_document_tags_tag", table_name="document_tags")
    op.drop_table("document_tags")
    op.drop_index("ix_spans_label_id", table_name="spans")
    for name in ("span_count", "created", "title"):
        op.drop_index(f"ix_documents_{name}", table_name="documents")
    for name in ("published", "source"):
        suffix = "_nulls_first" if dialect == "postgresql" else ""
        op.drop_index(f"ix_documents_{name}{suffix}", table_name="documents")
    if dialect == "sqlite":
        with op.batch_alter_table(
            "documents", recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ) as batch_op:
            batch_op.drop_column("span_count")
    else:
        op.drop_column("documents", "span_count")
