"""rejections per annotator: each annotator's "no" to a suggestion is their own

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 14:40:00

`uq_rejections_exact` held one rejection per place (document, label, start, end), so one
annotator turning a suggestion down decided it for everyone. It now holds one per place and
annotator: each annotator's list leaves out what they rejected, and the engines stop
proposing a place once every annotator of the document has rejected it. Existing rows all
fit the wider constraint.

SQLite cannot alter a constraint: the small `rejections` table is rebuilt by batch mode (it
has no triggers; foreign keys are off during migrations). The downgrade keeps the oldest
rejection of each place, the one the narrower constraint allows.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

PLACE = ["document_id", "label_id", "start", "end"]


def _replace_constraint(columns: list[str]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("rejections") as batch_op:
            batch_op.drop_constraint("uq_rejections_exact", type_="unique")
            batch_op.create_unique_constraint("uq_rejections_exact", columns)
    else:
        op.drop_constraint("uq_rejections_exact", "rejections", type_="unique")
        op.create_unique_constraint("uq_rejections_exact", "rejections", columns)


def upgrade() -> None:
    _replace_constraint([*PLACE, "annotator_id"])


def downgrade() -> None:
    op.execute(
        "DELETE FROM rejections WHERE id NOT IN (SELECT min(id) FROM rejections "
        'GROUP BY document_id, label_id, start, "end")'
    )
    _replace_constraint(PLACE)
