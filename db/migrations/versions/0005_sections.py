"""Section desks (内部督办): a section's code, and which section a package log row belongs to.

Revision ID: 0005_sections
Revises: 0004_reports
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_sections"
down_revision = "0004_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sections") as batch:
        batch.add_column(sa.Column("code", sa.String(length=16), nullable=True))
        batch.create_unique_constraint(op.f("uq_sections_code"), ["code"])
    with op.batch_alter_table("package_log") as batch:
        batch.add_column(sa.Column("section_code", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("package_log") as batch:
        batch.drop_column("section_code")
    with op.batch_alter_table("sections") as batch:
        batch.drop_constraint(op.f("uq_sections_code"), type_="unique")
        batch.drop_column("code")
