"""The report stamp: unit code, date and a SHA-256 of the ledger state, in a QR code and the PDF metadata.

`verify-report` reads the stamp back (PDF metadata, with pypdf) and recomputes the digest of the ledger as
it is now: equal digests mean the ledger has not changed since the report was made.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import InputRefused
from db.models import Deduction, Evidence, Handover, Node, Notice, Response, Review, Task, Unit

PREFIX = "RECTIDESK-REPORT/1"


def ledger_digest(session: Session) -> str:
    """SHA-256 over everything a report shows, in a fixed order (independent of the day it is computed)."""
    h = hashlib.sha256()
    queries = [
        select(Unit.code, Unit.name).order_by(Unit.id),
        select(
            Task.id,
            Task.rev,
            Task.change_no,
            Task.status,
            Task.review_state,
            Task.deadline,
            Task.title,
            Task.deleted,
            Task.closed_on,
            Task.owner_id,
            Task.section_id,
        ).order_by(Task.id),
        select(
            Node.id,
            Node.rev,
            Node.change_no,
            Node.status,
            Node.due,
            Node.done,
            Node.deleted,
            Node.city_result,
        ).order_by(Node.id),
        select(Evidence.id, Evidence.sha256, Evidence.deleted).order_by(Evidence.id),
        select(Notice.id, Notice.state, Notice.content_seq, Notice.state_seq, Notice.task_id).order_by(Notice.id),
        select(Response.id, Response.notice_id).order_by(Response.id),
        select(Review.id, Review.result).order_by(Review.id),
        select(Deduction.id, Deduction.kind, Deduction.points, Deduction.reversed_by).order_by(Deduction.id),
        select(Handover.id, Handover.to_person).order_by(Handover.id),
    ]
    for i, q in enumerate(queries):
        h.update(f"#{i}\n".encode())
        for row in session.execute(q):
            h.update("\x1f".join("" if v is None else str(v) for v in row).encode("utf-8"))
            h.update(b"\n")
    return h.hexdigest()


@dataclass(frozen=True)
class Stamp:
    unit_code: str
    date: str
    kind: str
    sha256: str

    def payload(self) -> str:
        return f"{PREFIX};unit={self.unit_code};date={self.date};kind={self.kind};sha256={self.sha256}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        parts = text.strip().split(";")
        if not parts or parts[0] != PREFIX:
            raise ValueError("not a stamp")
        fields = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
        return cls(fields["unit"], fields["date"], fields.get("kind", ""), fields["sha256"])


def read_stamp(pdf: Path) -> Stamp:
    """The stamp stored in a report's metadata; a clear refusal for any other file."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not pdf.is_file():
        raise InputRefused(f"找不到文件“{pdf}”。", hint="请检查文件路径。")
    try:
        meta: Any = PdfReader(str(pdf)).metadata or {}
        raw = meta.get("/Keywords") or ""  # written by ReportLab as the document keywords
        return Stamp.parse(str(raw))
    except (PyPdfError, ValueError, KeyError, OSError):
        raise InputRefused(
            f"“{pdf.name}”不是本软件生成的整改报告，无法核验。", hint="请选择由“生成报告”导出的 PDF 文件。"
        ) from None


@dataclass(frozen=True)
class VerifyResult:
    stamp: Stamp
    current: str
    same_unit: bool
    signed: bool = False
    signature: str = ""

    @property
    def matches(self) -> bool:
        return self.same_unit and self.current == self.stamp.sha256


def verify_report(session: Session, pdf: Path) -> VerifyResult:
    """The file must be byte for byte a report this unit printed (core.reports.proof); then its ledger
    digest, as registered when it was printed, is compared with the ledger as it is now."""
    from core.reports.proof import check_file, signature_status

    unit = session.scalar(select(Unit).limit(1))
    try:
        found = check_file(session, pdf)
    except InputRefused:
        other = _stamp_of(pdf)
        if other is not None and unit is not None and other.unit_code != unit.code:
            raise InputRefused(
                f"“{pdf.name}”是单位 {other.unit_code} 的报告，不是本单位生成的，无法用本单位的台账核验。",
                hint="请在生成这份报告的单位的整改通中核验。",
            ) from None
        raise
    row = found.row
    stamp = Stamp(unit.code if unit else "", row.date, row.kind, row.ledger_sha256)
    signature = ""
    if found.signed:
        from core.exchange.keys import unit_keys

        signature = signature_status(pdf.read_bytes(), {k.public_key for k in unit_keys(session)})
    return VerifyResult(stamp, ledger_digest(session), True, found.signed, signature)


def _stamp_of(pdf: Path) -> Stamp | None:
    try:
        return read_stamp(pdf)
    except InputRefused:
        return None
