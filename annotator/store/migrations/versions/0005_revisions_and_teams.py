"""revisions and teams: earlier texts of an article, spans to review, assignments, gold layer

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 13:30:00

Adds `document_revisions` (the earlier texts of a document, kept when a new version of its
article is imported), `span_reviews` (spans the new version moved in a way a person must
check, kept whole when they could not be placed), `document_assignments` (which annotator
annotates which document), `annotators.role` ("gold" marks the curated layer) and an index
on `documents.url`, by which a new version of an article is found. (Ids in doccano or Label
Studio files are row numbers of that file, not identities of an article: matching on them
would make one article a version of another.)

The role is added in place (SQLite's ADD COLUMN, with its CHECK inline), so the tables that
refer to annotators are untouched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # ADD COLUMN keeps a column CHECK; alembic's add_column would need a table rebuild.
        op.execute(
            "ALTER TABLE annotators ADD COLUMN role VARCHAR(20) DEFAULT 'annotator' NOT NULL "
            "CONSTRAINT ck_annotators_role_known CHECK (role IN ('annotator', 'gold'))"
        )
    else:
        op.add_column(
            "annotators",
            sa.Column("role", sa.String(length=20), server_default="annotator", nullable=False),
        )
        op.create_check_constraint("role_known", "annotators", "role IN ('annotator', 'gold')")
    op.create_index("ix_documents_url", "documents", ["url"], postgresql_using="hash")
    op.create_table(
        "document_assignments",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotators.id"],
            name=op.f("fk_document_assignments_annotator_id_annotators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_assignments_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "document_id", "annotator_id", name=op.f("pk_document_assignments")
        ),
    )
    op.create_index(
        "ix_document_assignments_annotator",
        "document_assignments",
        ["annotator_id", "document_id"],
    )
    op.create_table(
        "document_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_document_revisions_number_positive")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_revisions_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_revisions")),
        sa.UniqueConstraint("document_id", "number", name="uq_document_revisions_number"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "span_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("span_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("label_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("old_start", sa.Integer(), nullable=False),
        sa.Column("old_end", sa.Integer(), nullable=False),
        sa.Column("old_quote", sa.Text(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("resolved", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "reason IN ('unplaced', 'changed')", name=op.f("ck_span_reviews_reason_known")
        ),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('kept', 'placed', 'discarded')",
            name=op.f("ck_span_reviews_resolution_known"),
        ),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotators.id"],
            name=op.f("fk_span_reviews_annotator_id_annotators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_span_reviews_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["label_id"],
            ["labels.id"],
            name=op.f("fk_span_reviews_label_id_labels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["document_revisions.id"],
            name=op.f("fk_span_reviews_revision_id_document_revisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["span_id"],
            ["spans.id"],
            name=op.f("fk_span_reviews_span_id_spans"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_span_reviews")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_span_reviews_document", "span_reviews", ["document_id", "resolution"])


def downgrade() -> None:
    op.drop_index("ix_span_reviews_document", table_name="span_reviews")
    op.drop_table("span_reviews")
    op.drop_table("document_revisions")
    op.drop_index("ix_document_assignments_annotator", table_name="document_assignments")
    op.drop_table("document_assignments")
    op.drop_index("ix_documents_url", table_name="documents")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite refuses DROP COLUMN on a column with a CHECK: rebuild the small table (foreign
        # keys are off during migrations).
        with op.batch_alter_table("annotators") as batch_op:
            batch_op.drop_constraint(op.f("ck_annotators_role_known"), type_="check")
            batch_op.drop_column("role")
    else:
        op.drop_column("annotators", "role")  # drops its CHECK with it
