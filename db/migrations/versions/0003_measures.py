"""The unit's own 整改措施库 entries (the starter library ships as a file in resources/measures/).

Revision ID: 0003_measures
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_measures"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measure_entries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("family", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("nodes", sa.JSON(), nullable=False),
        sa.Column("created", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("deleted", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_entries")),
    )


def downgrade() -> None:
    op.drop_table("measure_entries")
