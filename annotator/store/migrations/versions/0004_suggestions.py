"""suggestions: proposed spans and links apart from annotations, rejections, provenance

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:00:00

Adds the tables `suggestions` (spans an engine proposes), `suggestion_links` (their proposed
relations, to an annotation or to another suggestion), `rejections` (suggestions turned down,
never proposed again), `settings` (which engines run, per database), `gazetteer` (names the
user imported) and `actor_models` (the actor model trained on finished documents), and the
provenance columns `spans.origin` and `spans.origin_version`. Adding nullable columns needs no
table rebuild on SQLite, so the documents' FTS triggers are untouched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("spans", sa.Column("origin", sa.String(length=40), nullable=True))
    op.add_column("spans", sa.Column("origin_version", sa.String(length=64), nullable=True))
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("label_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("engine", sa.String(length=40), nullable=False),
        sa.Column("model_version", sa.String(length=64), server_default="", nullable=False),
        sa.Column("rule", sa.String(length=100), server_default="", nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('0 <= start AND start < "end"', name=op.f("ck_suggestions_range")),
        sa.CheckConstraint(
            'length(quote) = "end" - start', name=op.f("ck_suggestions_quote_length")
        ),
        sa.CheckConstraint("score >= 0 AND score <= 1", name=op.f("ck_suggestions_score_range")),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_suggestions_actor_id_actors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_suggestions_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["label_id"],
            ["labels.id"],
            name=op.f("fk_suggestions_label_id_labels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
        sa.UniqueConstraint("document_id", "label_id", "start", "end", name="uq_suggestions_exact"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_suggestions_document_start", "suggestions", ["document_id", "start"])
    op.create_index("ix_suggestions_engine", "suggestions", ["engine", "label_id"])
    op.create_table(
        "suggestion_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("target_span_id", sa.Integer(), nullable=True),
        sa.Column("target_suggestion_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(target_span_id IS NULL) <> (target_suggestion_id IS NULL)",
            name=op.f("ck_suggestion_links_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestions.id"],
            name=op.f("fk_suggestion_links_suggestion_id_suggestions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_span_id"],
            ["spans.id"],
            name=op.f("fk_suggestion_links_target_span_id_spans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_suggestion_id"],
            ["suggestions.id"],
            name=op.f("fk_suggestion_links_target_suggestion_id_suggestions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["relation_types.id"],
            name=op.f("fk_suggestion_links_type_id_relation_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_links")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_suggestion_links_suggestion_id", "suggestion_links", ["suggestion_id"])
    op.create_index("ix_suggestion_links_target_span_id", "suggestion_links", ["target_span_id"])
    op.create_index(
        "ix_suggestion_links_target_suggestion_id", "suggestion_links", ["target_suggestion_id"]
    )
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("label_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("engine", sa.String(length=40), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotators.id"],
            name=op.f("fk_rejections_annotator_id_annotators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_rejections_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["label_id"],
            ["labels.id"],
            name=op.f("fk_rejections_label_id_labels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejections")),
        sa.UniqueConstraint("document_id", "label_id", "start", "end", name="uq_rejections_exact"),
    )
    op.create_index("ix_rejections_engine", "rejections", ["engine", "label_id"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "gazetteer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=True),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_gazetteer_name_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gazetteer")),
        sa.UniqueConstraint("name", name="uq_gazetteer_name"),
    )
    op.create_table(
        "actor_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("spans", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_models")),
    )


def downgrade() -> None:
    op.drop_table("actor_models")
    op.drop_table("gazetteer")
    op.drop_table("settings")
    op.drop_index("ix_rejections_engine", table_name="rejections")
    op.drop_table("rejections")
    op.drop_table("suggestion_links")
    op.drop_index("ix_suggestions_engine", table_name="suggestions")
    op.drop_index("ix_suggestions_document_start", table_name="suggestions")
    op.drop_table("suggestions")
    with op.batch_alter_table("spans") as batch_op:
        batch_op.drop_column("origin_version")
        batch_op.drop_column("origin")
