"""Section desks, the rest: the unit's own 督办 notices, sections' responses, what each section was sent.

Revision ID: 0006_deskcore
Revises: 0005_sections
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_deskcore"
down_revision = "0005_sections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notices") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("section_code", sa.String(length=16), nullable=True))
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("section_code", sa.String(length=16), nullable=True))
    op.create_table(
        "section_sent",
        sa.Column("section_code", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("object_id", sa.String(length=80), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("section_code", "kind", "object_id", name=op.f("pk_section_sent")),
    )


def downgrade() -> None:
    op.drop_table("section_sent")
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("section_code")
    with op.batch_alter_table("notices") as batch:
        batch.drop_column("section_code")
        batch.drop_column("origin")
