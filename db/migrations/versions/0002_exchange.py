"""Exchange and collaboration: notices, reviews, deductions, appeals, handovers, re-checks, keys, package log.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "file_acks",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("report_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_file_acks")),
    )
    op.create_table(
        "kept_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref_kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=120), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("package_seq", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_records")),
    )
    with op.batch_alter_table("kept_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_records_ref"), ["ref"], unique=False)
    op.create_table(
        "keys",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=8), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=True),
        sa.Column("valid_from_sequence", sa.Integer(), nullable=False),
        sa.Column("valid_to_sequence", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("added", sa.String(length=40), nullable=False),
        sa.Column("announced_in", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_keys")),
    )
    op.create_table(
        "object_versions",
        sa.Column("object_key", sa.String(length=200), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("object_key", name=op.f("pk_object_versions")),
    )
    op.create_table(
        "package_log",
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("package_type", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("part_no", sa.Integer(), nullable=False),
        sa.Column("part_count", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("group_digest", sa.String(length=64), nullable=True),
        sa.Column("previous_digest", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("created", sa.String(length=40), nullable=False),
        sa.Column("logged", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ack_reason", sa.Text(), nullable=False),
        sa.Column("max_change_no", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("package_id", name=op.f("pk_package_log")),
    )
    with op.batch_alter_table("package_log", schema=None) as batch_op:
        batch_op.create_index("ix_package_log_dir_seq", ["direction", "sequence"], unique=False)
    op.create_table(
        "responses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("notice_id", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("responded", sa.String(length=40), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("evidence_ids", sa.JSON(), nullable=False),
        sa.Column("change_no", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
    )
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_responses_notice_id"), ["notice_id"], unique=False)
    op.create_table(
        "appeals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=120), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("filed", sa.String(length=40), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("evidence_ids", sa.JSON(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=True),
        sa.Column("decided", sa.String(length=40), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("result_seq", sa.Integer(), nullable=False),
        sa.Column("change_no", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_appeals_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
    )
    op.create_table(
        "deductions",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("task_ref", sa.String(length=80), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("issued", sa.String(length=40), nullable=False),
        sa.Column("reverses", sa.String(length=80), nullable=True),
        sa.Column("reversed_by", sa.String(length=80), nullable=True),
        sa.Column("package_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_deductions_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deductions")),
    )
    op.create_table(
        "handovers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("from_person", sa.String(length=100), nullable=False),
        sa.Column("to_person", sa.String(length=100), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("change_no", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_handovers_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handovers_task_id"), ["task_id"], unique=False)
    op.create_table(
        "rechecks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("due", sa.String(length=10), nullable=False),
        sa.Column("done", sa.String(length=10), nullable=True),
        sa.Column("result", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=True),
        sa.Column("evidence_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_rechecks_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rechecks")),
    )
    with op.batch_alter_table("rechecks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rechecks_task_id"), ["task_id"], unique=False)
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("task_ref", sa.String(length=80), nullable=False),
        sa.Column("node_ref", sa.String(length=120), nullable=True),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("node_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("issued", sa.String(length=40), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("respond_by", sa.String(length=10), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("closed", sa.String(length=40), nullable=True),
        sa.Column("closure_comment", sa.Text(), nullable=False),
        sa.Column("read_at", sa.String(length=40), nullable=True),
        sa.Column("content_seq", sa.Integer(), nullable=False),
        sa.Column("state_seq", sa.Integer(), nullable=False),
        sa.Column("state_line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["node_id"], ["nodes.id"], name=op.f("fk_notices_node_id_nodes")),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_notices_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index("ix_notices_task_state", ["task_id", "state"], unique=False)
    op.create_table(
        "reviews",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("target", sa.String(length=8), nullable=False),
        sa.Column("target_id", sa.String(length=120), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("node_id", sa.String(length=36), nullable=True),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("reviewed", sa.String(length=40), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("package_seq", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["node_id"], ["nodes.id"], name=op.f("fk_reviews_node_id_nodes")),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_reviews_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )


def downgrade() -> None:
    op.drop_table("reviews")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_task_state")
    op.drop_table("notices")
    with op.batch_alter_table("rechecks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rechecks_task_id"))
    op.drop_table("rechecks")
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handovers_task_id"))
    op.drop_table("handovers")
    op.drop_table("deductions")
    op.drop_table("appeals")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responses_notice_id"))
    op.drop_table("responses")
    with op.batch_alter_table("package_log", schema=None) as batch_op:
        batch_op.drop_index("ix_package_log_dir_seq")
    op.drop_table("package_log")
    op.drop_table("object_versions")
    op.drop_table("keys")
    with op.batch_alter_table("kept_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_records_ref"))
    op.drop_table("kept_records")
    op.drop_table("file_acks")
