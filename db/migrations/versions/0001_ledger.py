"""The ledger: unit, settings, sections, people, tasks, nodes, evidence, audit log.

Revision ID: 0001
Revises: None
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("created", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("city_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sections")),
        sa.UniqueConstraint("name", name=op.f("uq_sections_name")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("password_hash", sa.String(length=256), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("left_on", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(["section_id"], ["sections.id"], name=op.f("fk_people_section_id_sections")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("name", name=op.f("uq_people_name")),
    )
    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counters")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("user", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.String(length=120), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_task_id"), ["task_id"], unique=False)
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("city_ref", sa.String(length=80), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("batch", sa.String(length=100), nullable=False),
        sa.Column("leader", sa.String(length=100), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("review_state", sa.String(length=16), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.String(length=40), nullable=True),
        sa.Column("closed_on", sa.String(length=10), nullable=True),
        sa.Column("next_due", sa.String(length=10), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("from_city", sa.Boolean(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("created", sa.String(length=40), nullable=False),
        sa.Column("updated", sa.String(length=40), nullable=False),
        sa.Column("change_no", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["people.id"], name=op.f("fk_tasks_owner_id_people")),
        sa.ForeignKeyConstraint(["section_id"], ["sections.id"], name=op.f("fk_tasks_section_id_sections")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("city_ref", name=op.f("uq_tasks_city_ref")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_change_no", ["change_no"], unique=False)
        batch_op.create_index("ix_tasks_deadline", ["deadline"], unique=False)
        batch_op.create_index("ix_tasks_deleted_status", ["deleted", "status"], unique=False)
        batch_op.create_index("ix_tasks_owner", ["owner_id"], unique=False)
    op.create_table(
        "nodes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("due", sa.String(length=10), nullable=False),
        sa.Column("done", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("done_by", sa.String(length=100), nullable=True),
        sa.Column("confirmed_by", sa.String(length=100), nullable=True),
        sa.Column("confirmed_at", sa.String(length=40), nullable=True),
        sa.Column("city_result", sa.String(length=16), nullable=True),
        sa.Column("city_comment", sa.Text(), nullable=False),
        sa.Column("from_city", sa.Boolean(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("updated", sa.String(length=40), nullable=False),
        sa.Column("change_no", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_nodes_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nodes")),
    )
    with op.batch_alter_table("nodes", schema=None) as batch_op:
        batch_op.create_index("ix_nodes_change_no", ["change_no"], unique=False)
        batch_op.create_index("ix_nodes_task_status_due", ["task_id", "status", "due"], unique=False)
        batch_op.create_index("ix_nodes_status_due", ["status", "due", "deleted", "task_id"], unique=False)
    op.create_table(
        "evidence",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("node_id", sa.String(length=36), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("added", sa.String(length=40), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("file_date", sa.String(length=10), nullable=True),
        sa.Column("change_no", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["node_id"], ["nodes.id"], name=op.f("fk_evidence_node_id_nodes")),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_evidence_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_change_no", ["change_no"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_sha256"), ["sha256"], unique=False)
        batch_op.create_index("ix_evidence_task", ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_task")
        batch_op.drop_index(batch_op.f("ix_evidence_sha256"))
        batch_op.drop_index("ix_evidence_change_no")
    op.drop_table("evidence")
    with op.batch_alter_table("nodes", schema=None) as batch_op:
        batch_op.drop_index("ix_nodes_status_due")
        batch_op.drop_index("ix_nodes_task_status_due")
        batch_op.drop_index("ix_nodes_change_no")
    op.drop_table("nodes")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_owner")
        batch_op.drop_index("ix_tasks_deleted_status")
        batch_op.drop_index("ix_tasks_deadline")
        batch_op.drop_index("ix_tasks_change_no")
    op.drop_table("tasks")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_task_id"))
    op.drop_table("audit_log")
    op.drop_table("counters")
    op.drop_table("people")
    op.drop_table("sections")
    op.drop_table("settings")
    op.drop_table("unit")
