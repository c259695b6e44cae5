"""SQLAlchemy 2 models of the unit's rectification ledger (整改台账), designed once for every issue."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Alembic's batch mode on SQLite recreates tables; it needs every constraint named.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Dates are stored as ISO text (YYYY-MM-DD) and timestamps as RFC 3339 text with offset:
# they compare as strings, travel unchanged in packages and stay readable with plain sqlite3.


class Unit(Base):
    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16), default="township")
    created: Mapped[str] = mapped_column(String(40))


class Setting(Base):
    """One setting value; `source` says whether the city set it (then the UI shows it read-only)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(8), default="local")  # local | city
    city_seq: Mapped[int | None] = mapped_column(Integer)  # newer-wins bookkeeping per field


class Section(Base):
    """科室 / 股室 / 办: an organisational part of the unit."""

    __tablename__ = "sections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str | None] = mapped_column(String(16), unique=True)  # set when it runs a section desk


class Person(Base):
    """责任人; with a role and password also a local user (填报员 / 审核人 / 管理员)."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False: has left the unit
    role: Mapped[str | None] = mapped_column(String(16))  # clerk | reviewer | admin | None (not a user)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    phone: Mapped[str | None] = mapped_column(String(40))
    left_on: Mapped[str | None] = mapped_column(String(10))

    section: Mapped[Section | None] = relationship()


class Task(Base):
    """整改任务 with its 三明确: what (title), by when (deadline), who (owner, leader)."""

    __tablename__ = "tasks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID
    city_ref: Mapped[str | None] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")  # 整改措施
    source: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(16))
    batch: Mapped[str] = mapped_column(String(100), default="")
    leader: Mapped[str] = mapped_column(String(100), default="")  # 责任领导
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    deadline: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(16), default="open")
    review_state: Mapped[str | None] = mapped_column(String(16))  # None | returned | accepted
    review_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[str | None] = mapped_column(String(40))
    closed_on: Mapped[str | None] = mapped_column(String(10))
    # Earliest due date among pending nodes: kept by core.ledger.rollup so lights are set-based.
    next_due: Mapped[str | None] = mapped_column(String(10))
    search_text: Mapped[str] = mapped_column(Text, default="")
    from_city: Mapped[bool] = mapped_column(Boolean, default=False)
    rev: Mapped[int] = mapped_column(Integer, default=1)
    created: Mapped[str] = mapped_column(String(40))
    updated: Mapped[str] = mapped_column(String(40))
    change_no: Mapped[int] = mapped_column(Integer, default=0)  # global change counter, for delta exports
    deleted: Mapped[str | None] = mapped_column(String(40))  # tombstone timestamp

    section: Mapped[Section | None] = relationship()
    owner: Mapped[Person | None] = relationship()
    nodes: Mapped[list[Node]] = relationship(
        back_populates="task", order_by="Node.seq", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_tasks_deleted_status", "deleted", "status"),
        Index("ix_tasks_deadline", "deadline"),
        Index("ix_tasks_change_no", "change_no"),
        Index("ix_tasks_owner", "owner_id"),
    )


class Node(Base):
    """节点: a milestone of a task with its own due date."""

    __tablename__ = "nodes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"))
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    due: Mapped[str] = mapped_column(String(10))
    done: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done | confirmed
    note: Mapped[str] = mapped_column(Text, default="")
    done_by: Mapped[str | None] = mapped_column(String(100))
    confirmed_by: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[str | None] = mapped_column(String(40))
    city_result: Mapped[str | None] = mapped_column(String(16))  # accepted | returned
    city_comment: Mapped[str] = mapped_column(Text, default="")
    from_city: Mapped[bool] = mapped_column(Boolean, default=False)
    rev: Mapped[int] = mapped_column(Integer, default=1)
    updated: Mapped[str] = mapped_column(String(40))
    change_no: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[str | None] = mapped_column(String(40))

    task: Mapped[Task] = relationship(back_populates="nodes")

    __table_args__ = (
        Index("ix_nodes_task_status_due", "task_id", "status", "due"),
        Index("ix_nodes_change_no", "change_no"),
        Index("ix_nodes_status_due", "status", "due", "deleted", "task_id"),  # covers the dashboard's node counts
    )


class Evidence(Base):
    """佐证材料: a file in the content-addressed evidence store, attached to a task (and maybe a node)."""

    __tablename__ = "evidence"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"))
    node_id: Mapped[str | None] = mapped_column(ForeignKey("nodes.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    added: Mapped[str] = mapped_column(String(40))
    added_by: Mapped[str] = mapped_column(String(100), default="")
    file_date: Mapped[str | None] = mapped_column(String(10))  # the file's own date, for quality flags
    change_no: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (Index("ix_evidence_task", "task_id"), Index("ix_evidence_change_no", "change_no"))


class FileAck(Base):
    """Evidence files the city acknowledged receiving: a delta report leaves them out."""

    __tablename__ = "file_acks"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    report_seq: Mapped[int] = mapped_column(Integer)


class Notice(Base):
    """督办通知 from the city: red (挂牌督办) or yellow (滞后警示)."""

    __tablename__ = "notices"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    level: Mapped[str] = mapped_column(String(8))
    task_ref: Mapped[str] = mapped_column(String(80))
    node_ref: Mapped[str | None] = mapped_column(String(120))
    task_id: Mapped[str | None] = mapped_column(ForeignKey("tasks.id"))  # resolved, None while unknown
    node_id: Mapped[str | None] = mapped_column(ForeignKey("nodes.id"))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    issued: Mapped[str] = mapped_column(String(40))
    issuer: Mapped[str] = mapped_column(String(200))
    respond_by: Mapped[str] = mapped_column(String(10))
    attachments: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(8), default="open")  # open | closed
    closed: Mapped[str | None] = mapped_column(String(40))
    closure_comment: Mapped[str] = mapped_column(Text, default="")
    read_at: Mapped[str | None] = mapped_column(String(40))
    content_seq: Mapped[int] = mapped_column(Integer, default=0)
    state_seq: Mapped[int] = mapped_column(Integer, default=0)
    state_line: Mapped[int] = mapped_column(Integer, default=0)
    # None: the city's; "unit": the unit's own 督办 to a section (never goes to the city); "parent": at a section
    # desk, a notice that came in a 科室任务包
    origin: Mapped[str | None] = mapped_column(String(8))
    section_code: Mapped[str | None] = mapped_column(String(16))  # the unit's own 督办: the section it went to

    __table_args__ = (Index("ix_notices_task_state", "task_id", "state"),)


class Response(Base):
    """The unit's response (整改情况反馈) to a notice; travels in the next report."""

    __tablename__ = "responses"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    notice_id: Mapped[str] = mapped_column(String(80), index=True)
    text: Mapped[str] = mapped_column(Text)
    responded: Mapped[str] = mapped_column(String(40))
    by: Mapped[str] = mapped_column(String(100))
    evidence_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    change_no: Mapped[int] = mapped_column(Integer, default=0)
    section_code: Mapped[str | None] = mapped_column(String(16))  # at the unit: answered by that section's desk


class Review(Base):
    """A city review result (审核) of a task or node."""

    __tablename__ = "reviews"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    target: Mapped[str] = mapped_column(String(8))  # task | node
    target_id: Mapped[str] = mapped_column(String(120))
    task_id: Mapped[str | None] = mapped_column(ForeignKey("tasks.id"))
    node_id: Mapped[str | None] = mapped_column(ForeignKey("nodes.id"))
    result: Mapped[str] = mapped_column(String(16))
    reviewed: Mapped[str] = mapped_column(String(40))
    reviewer: Mapped[str] = mapped_column(String(200))
    comment: Mapped[str] = mapped_column(Text, default="")
    package_seq: Mapped[int] = mapped_column(Integer, default=0)
    line: Mapped[int] = mapped_column(Integer, default=0)


class Deduction(Base):
    """预扣分 / 扣分 / reversal, applied once by id."""

    __tablename__ = "deductions"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    task_ref: Mapped[str] = mapped_column(String(80))
    task_id: Mapped[str | None] = mapped_column(ForeignKey("tasks.id"))
    points: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(16))  # pre | final | reversed
    reason: Mapped[str] = mapped_column(Text)
    issued: Mapped[str] = mapped_column(String(40))
    reverses: Mapped[str | None] = mapped_column(String(80))
    reversed_by: Mapped[str | None] = mapped_column(String(80))
    package_seq: Mapped[int] = mapped_column(Integer, default=0)


class Appeal(Base):
    """申诉 / 复核申请 against a deduction, a review or a notice, and the city's decision."""

    __tablename__ = "appeals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(120))
    task_id: Mapped[str | None] = mapped_column(ForeignKey("tasks.id"))
    reason: Mapped[str] = mapped_column(Text)
    filed: Mapped[str] = mapped_column(String(40))
    by: Mapped[str] = mapped_column(String(100))
    evidence_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    result: Mapped[str | None] = mapped_column(String(16))  # upheld | rejected
    decided: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")
    result_seq: Mapped[int] = mapped_column(Integer, default=0)
    change_no: Mapped[int] = mapped_column(Integer, default=0)


class Handover(Base):
    """交接: responsibility for a task passed from one person to another."""

    __tablename__ = "handovers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    from_person: Mapped[str] = mapped_column(String(100))
    to_person: Mapped[str] = mapped_column(String(100))
    date: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(100), default="")
    change_no: Mapped[int] = mapped_column(Integer, default=0)


class Recheck(Base):
    """回头看: a re-check of a closed task some months later."""

    __tablename__ = "rechecks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    due: Mapped[str] = mapped_column(String(10))
    done: Mapped[str | None] = mapped_column(String(10))
    result: Mapped[str | None] = mapped_column(String(16))  # passed | failed
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str | None] = mapped_column(String(100))
    evidence_ids: Mapped[list[str]] = mapped_column(JSON, default=list)


class Key(Base):
    """Ed25519 keys: the unit's own (private part encrypted) and the city's trust anchors."""

    __tablename__ = "keys"
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    owner: Mapped[str] = mapped_column(String(8))  # unit | city
    public_key: Mapped[str] = mapped_column(String(64))  # base64 of 32 raw bytes
    private_pem: Mapped[str | None] = mapped_column(Text)  # encrypted PKCS#8 (unit keys only)
    valid_from_sequence: Mapped[int] = mapped_column(Integer, default=1)
    valid_to_sequence: Mapped[int | None] = mapped_column(Integer)  # exclusive; None while current
    name: Mapped[str] = mapped_column(String(200), default="")
    code: Mapped[str] = mapped_column(String(64), default="")
    added: Mapped[str] = mapped_column(String(40))
    announced_in: Mapped[int | None] = mapped_column(Integer)  # unit key: report Sequence that announced it


class PackageLog(Base):
    """Accepted packages (and parts waiting for their group) in both directions."""

    __tablename__ = "package_log"
    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # External-Identifier
    direction: Mapped[str] = mapped_column(String(4))  # in | out
    package_type: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)
    group_id: Mapped[str] = mapped_column(String(36))
    part_no: Mapped[int] = mapped_column(Integer, default=1)
    part_count: Mapped[int] = mapped_column(Integer, default=1)
    digest: Mapped[str] = mapped_column(String(64))
    group_digest: Mapped[str | None] = mapped_column(String(64))
    previous_digest: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    created: Mapped[str] = mapped_column(String(40))
    logged: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    # in: accepted | waiting ; out: sent | acknowledged | rejected
    status: Mapped[str] = mapped_column(String(16))
    ack_reason: Mapped[str] = mapped_column(Text, default="")
    max_change_no: Mapped[int] = mapped_column(Integer, default=0)  # out: the change counter it covers
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    section_code: Mapped[str | None] = mapped_column(String(16))  # section packages: whose sequence it is

    __table_args__ = (Index("ix_package_log_dir_seq", "direction", "sequence"),)


class SectionSent(Base):
    """At the unit: what the last 科室任务包 carrying each task, node or notice said of it, per section.

    `fingerprint` is the SHA-256 of the record as sent (or "taken" once a deletion was sent); an object goes
    again when its record changed or the package that last carried it was not (yet) received by the section."""

    __tablename__ = "section_sent"
    section_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # task | node | notice
    object_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)


class KeptRecord(Base):
    """A feedback record naming an object the unit does not have (yet): kept, applied when it appears."""

    __tablename__ = "kept_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref_kind: Mapped[str] = mapped_column(String(16))  # task | node | notice | appeal
    ref: Mapped[str] = mapped_column(String(120), index=True)
    record: Mapped[dict] = mapped_column(JSON)
    package_seq: Mapped[int] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)


class ObjectVersion(Base):
    """Newer-wins bookkeeping: per city-set object (or field), the package Sequence and line that set it."""

    __tablename__ = "object_versions"
    object_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)


class AuditEntry(Base):
    """Who changed what and when; each entry's hash covers the previous one (tamper-evident chain)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(String(120))
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    summary: Mapped[str] = mapped_column(Text)  # JSON: {"before": {...}, "after": {...}}
    row_hash: Mapped[str] = mapped_column(String(64))  # hash of the entity's row after the change
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ReportPrint(Base):
    """A PDF report this unit printed: the file's SHA-256 (as signed), what it shows, and when.

    `verify-report` vouches only for a file whose bytes hash to one of these; `body_sha256` is the file
    before its signature was added (a copy with the signature cut off is incomplete, not foreign)."""

    __tablename__ = "report_prints"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    body_sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    date: Mapped[str] = mapped_column(String(10))  # the report's date (YYYY-MM-DD)
    printed: Mapped[str] = mapped_column(String(40))  # RFC 3339 timestamp
    ledger_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    key_id: Mapped[str | None] = mapped_column(String(16))  # the unit key that signed it; None: unsigned
    by: Mapped[str] = mapped_column(String(100), default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    change_no: Mapped[int] = mapped_column(Integer, default=0)


class Counter(Base):
    """Named monotonic counters (the global change number, the next report Sequence)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class MeasureEntry(Base):
    """An entry of the unit's own 整改措施库, beside the starter library shipped in resources/measures/."""

    __tablename__ = "measure_entries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    family: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    nodes: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)  # [{"title": …, "days": n}]
    created: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(100), default="")
    deleted: Mapped[str | None] = mapped_column(String(40))


__all__ = [
    "Base",
    "Unit",
    "Setting",
    "Section",
    "Person",
    "Task",
    "Node",
    "Evidence",
    "FileAck",
    "Notice",
    "Response",
    "Review",
    "Deduction",
    "Appeal",
    "Handover",
    "Recheck",
    "Key",
    "PackageLog",
    "KeptRecord",
    "SectionSent",
    "ObjectVersion",
    "AuditEntry",
    "Counter",
    "MeasureEntry",
    "ReportPrint",
]
