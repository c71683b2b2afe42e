"""who said what, when: relation types and relations, label attributes, the actor registry

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:00:00

Adds `labels.attributes` (JSON list of attribute definitions), the tables `actors`,
`relation_types` and `relations`, and `spans.actor_id`. SQLite rebuilds `spans` (batch) to add
the foreign key; Database.upgrade runs this with foreign keys off, so the copy cascades nothing.
`documents` is not rebuilt, so its FTS triggers stay.

A database made before this revision gets the default attributes on its ACTOR, DATE and CLAIM
labels (when they have none) and the default relation types between them. The defaults are
written out here, not imported from annotator.domain.schema: a migration must do tomorrow what
it does today.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BOOLEAN = "boolean"
DEFAULT_ATTRIBUTES = {
    "ACTOR": [
        {
            "name": "kind",
            "kind": "choice",
            "options": ["person", "organization", "state", "media", "group"],
            "description": "What sort of actor this is.",
        }
    ],
    "DATE": [
        {
            "name": "value",
            "kind": "date",
            "description": "ISO 8601 / TIMEX3 value: 2024-02-18, 2023-09, 2023, 199 (the "
            "1990s), XXXX-02-18 (year unknown).",
        }
    ],
    "CLAIM": [
        {
            "name": "quote_type",
            "kind": "choice",
            "options": ["direct", "indirect", "paraphrase", "unattributed"],
            "description": "How the article renders the statement.",
        },
        {"name": "reporting_verb", "kind": "text", "description": "said, claimed, denied..."},
        {
            "name": "stance",
            "kind": "choice",
            "options": ["positive", "neutral", "negative"],
            "description": "The source's stance towards what the claim is about.",
        },
        {"name": "hedged", "kind": _BOOLEAN, "description": "Qualified: may, reportedly..."},
        {"name": "check_worthy", "kind": _BOOLEAN, "description": "Worth fact-checking."},
    ],
}
DEFAULT_RELATION_TYPES = [
    ("SOURCE", "CLAIM", "ACTOR", "#0072B2", "The actor who makes the claim."),
    ("TIME", "CLAIM", "DATE", "#D55E00", "The date the claim refers to."),
    (
        "REPORTED_IN",
        "CLAIM",
        "CLAIM",
        "#009E73",
        'The claim that reports this one: "KCNA reported that Kim Yo Jong said ..."',
    ),
]


def upgrade() -> None:
    op.add_column("labels", sa.Column("attributes", sa.JSON(), server_default="[]", nullable=False))
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=True),
        sa.Column("aliases", sa.JSON(), server_default="[]", nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(key) > 0", name=op.f("ck_actors_key_not_empty")),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_actors_name_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actors")),
        sa.UniqueConstraint("key", name=op.f("uq_actors_key")),
    )
    op.create_index("ix_actors_name", "actors", ["name"])
    with op.batch_alter_table("spans") as batch_op:
        batch_op.add_column(sa.Column("actor_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_spans_actor_id_actors"), "actors", ["actor_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_spans_actor_id", ["actor_id"])
    op.create_table(
        "relation_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("source_label_id", sa.Integer(), nullable=True),
        sa.Column("target_label_id", sa.Integer(), nullable=True),
        sa.Column("colour", sa.String(length=9), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_relation_types_name_not_empty")),
        sa.ForeignKeyConstraint(
            ["source_label_id"],
            ["labels.id"],
            name=op.f("fk_relation_types_source_label_id_labels"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["target_label_id"],
            ["labels.id"],
            name=op.f("fk_relation_types_target_label_id_labels"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation_types")),
        sa.UniqueConstraint("name", name=op.f("uq_relation_types_name")),
    )
    op.create_table(
        "relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source_id <> target_id", name=op.f("ck_relations_not_to_itself")),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotators.id"],
            name=op.f("fk_relations_annotator_id_annotators"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_relations_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["spans.id"],
            name=op.f("fk_relations_source_id_spans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["spans.id"],
            name=op.f("fk_relations_target_id_spans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["relation_types.id"],
            name=op.f("fk_relations_type_id_relation_types"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relations")),
        sa.UniqueConstraint("type_id", "source_id", "target_id", name=op.f("uq_relations_exact")),
    )
    op.create_index("ix_relations_document_id", "relations", ["document_id"])
    op.create_index("ix_relations_source_id", "relations", ["source_id"])
    op.create_index("ix_relations_target_id", "relations", ["target_id"])
    _add_defaults()


def _add_defaults() -> None:
    bind = op.get_bind()
    labels: dict[str, int] = dict(bind.execute(sa.text("SELECT name, id FROM labels")).all())
    for name, attributes in DEFAULT_ATTRIBUTES.items():
        if name in labels:
            # Every label has '[]' here: the column was just added.
            bind.execute(
                sa.text("UPDATE labels SET attributes = :a WHERE id = :id").bindparams(
                    sa.bindparam("a", type_=sa.JSON())
                ),
                {"a": attributes, "id": labels[name]},
            )
    for position, (name, source, target, colour, description) in enumerate(DEFAULT_RELATION_TYPES):
        if source in labels and target in labels:
            bind.execute(
                sa.text(
                    "INSERT INTO relation_types (name, source_label_id, target_label_id, "
                    "colour, position, description) VALUES (:n, :s, :t, :c, :p, :d)"
                ),
                {
                    "n": name,
                    "s": labels[source],
                    "t": labels[target],
                    "c": colour,
                    "p": position,
                    "d": description,
                },
            )


def downgrade() -> None:
    op.drop_index("ix_relations_target_id", table_name="relations")
    op.drop_index("ix_relations_source_id", table_name="relations")
    op.drop_index("ix_relations_document_id", table_name="relations")
    op.drop_table("relations")
    op.drop_table("relation_types")
    with op.batch_alter_table("spans") as batch_op:
        batch_op.drop_index("ix_spans_actor_id")
        batch_op.drop_constraint(op.f("fk_spans_actor_id_actors"), type_="foreignkey")
        batch_op.drop_column("actor_id")
    op.drop_index("ix_actors_name", table_name="actors")
    op.drop_table("actors")
    op.drop_column("labels", "attributes")
