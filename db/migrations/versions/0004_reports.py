"""Printed reports: each PDF report's SHA-256, kind, date and ledger digest (verify-report, the city's copy).

Revision ID: 0004_reports
Revises: 0003_measures
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_reports"
down_revision = "0003_measures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_prints",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("printed", sa.String(length=40), nullable=False),
        sa.Column("ledger_sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("change_no", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_report_prints")),
    )
    with op.batch_alter_table("report_prints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_prints_body_sha256"), ["body_sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_prints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_prints_body_sha256"))
    op.drop_table("report_prints")
