"""Exporting the unit report (spec §1, §5, §6): delta or full, signed, split into parts, verified on disk.

The report is built inside one transaction. Its files are written to hidden temporary names and re-opened
and verified exactly as the city would; then the Sequence, the package log and a pending key rotation are
committed, and only then do the files get their real names. Any failure before the commit removes what was
written and leaves the ledger as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import GENERATOR, audit, counters, places
from core import settings as settings_mod
from core.dates import now_ts
from core.errors import InputRefused, PackageRejected, UserError
from core.exchange import bag
from core.exchange import records as rec
from core.exchange.importer import REPORT_SEQ
from core.exchange.keys import (
    PENDING,
    pending_unit_key,
    public_file,
    signing_key,
    unit_key_for,
    write_json_atomic,
)
from core.exchange.records import LIST_LIMITS, MAX_LINE, dump_line
from core.ledger.lights import LightRule, OpenNotice, PendingDate
from core.text import human_size, shown
from core.workspace import Workspace
from db.models import (
    Appeal,
    Counter,
    Evidence,
    FileAck,
    Handover,
    Key,
    Node,
    Notice,
    PackageLog,
    ReportPrint,
    Response,
    Task,
)

MAX_MISSING = LIST_LIMITS["missing"]
MAX_ACCEPTED = LIST_LIMITS["accepted"]

MAX_PART_ENTRIES = 99_990


@dataclass
class ExportResult:
    sequence: int
    paths: list[Path]
    digest: str
    full: bool
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    file_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    public_key_file: Path | None = None  # written next to the first report (spec §3 registration)


@dataclass
class ExportPlan:
    """What the next report would carry (for the window's preview)."""

    sequence: int
    full: bool
    counts: dict[str, int]
    files: int
    file_bytes: int


class ReportExporter:
    def __init__(self, ws: Workspace, *, progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> None:
        self.ws = ws
        self.progress = progress
        self.cancel = cancel

    def plan(self, full: bool = False) -> ExportPlan:
        with self.ws.read() as s:
            seq = counters.peek(s, REPORT_SEQ) + 1
            records, files = self._collect(s, seq, full)
            counts = _count(records)
            return ExportPlan(seq, full, counts, len(files), sum(f.size for f in files))

    def export(self, out_dir: Path, *, passphrase: str, full: bool = False,
               volume_mb: int | None = None) -> ExportResult:
        out_dir = Path(out_dir)
        if not out_dir.is_dir():
            raise InputRefused(f"找不到文件夹“{out_dir}”。", hint="请插好U盘，或选择一个已有的文件夹。")
        written: list[Path] = []  # hidden temporary files, removed on any failure
        try:
            with self.ws.session() as s:
                unit = self.ws.require_unit(s)
                refuse_bad_unit(unit.code, unit.name)
                from core.sections.common import refuse_city_export

                refuse_city_export(s)  # a section desk reports to its unit, never to the city
                key, private = signing_key(s, passphrase)
                seq = counters.bump(s, REPORT_SEQ)
                if seq > bag.MAX_SEQUENCE:  # spec §2: a Sequence is at most 1,000,000
                    raise InputRefused(f"本单位的报送包序号已到交换格式的上限（{bag.MAX_SEQUENCE:,}），无法再导出。",
                                       hint="请联系市督查室。")
                records, files = self._collect(s, seq, full)
                pending = pending_unit_key(s)
                if pending is not None:
                    records.append({"type": "key", "id": f"key-{pending.key_id}", "alg": "Ed25519",
                                    "public_key": pending.public_key, "key_id": pending.key_id,
                                    "valid_from_sequence": seq + 1})
                limit_mb = volume_mb or settings_mod.get_int(s, "volume_limit_mb")
                if limit_mb < 1:
                    raise InputRefused("分卷大小至少为 1 MB。")
                registered = s.scalar(select(PackageLog.package_id).where(
                    PackageLog.direction == "out", PackageLog.package_type == "unit-report",
                    PackageLog.status == "acknowledged").limit(1)) is not None
                result = self._write(s, unit.code, unit.name, seq, key.key_id, private, records, files,
                                     limit_mb * 1_000_000, out_dir, written, full)
                public = public_file(key)
                if pending is not None:
                    key.valid_to_sequence = seq + 1
                    pending.valid_from_sequence = seq + 1
                    pending.announced_in = seq
                audit.record(s, self.ws.user, "package.export", "package", str(seq),
                             after={"sequence": seq, "full": full, "counts": result.counts})
            # Recorded first, named second: a crash in between leaves only hidden temporary files and a
            # ledger that counts the report as sent (the next delta repeats what the city has not acknowledged).
            # The other order could leave a valid package the ledger does not know, whose Sequence the next
            # export would reuse, and the city would refuse that one as a replay.
            published: list[Path] = []
            try:
                for tmp, final in zip(written, result.paths, strict=True):
                    bag.publish_package(tmp, final)
                    published.append(final)
            except BaseException:
                for p in published:
                    bag.remove_quietly(p)
                self._undo_recorded(seq, rotated=pending is not None)
                raise
            written.clear()
            if not registered:
                # Until the city has acknowledged a report, every report carries the unit's public key file
                # for registration (§3): the first one may have been lost or never handed over.
                pub = out_dir / f"{unit.code}.pub.json"
                write_json_atomic(pub, public)
                result.public_key_file = pub
        except BaseException:
            for p in written:
                bag.remove_quietly(p)
            raise
        return result

    def _undo_recorded(self, seq: int, rotated: bool) -> None:
        """The stick failed between recording the report and naming its files: forget the report again,
        so that its Sequence is reused and nothing of it exists anywhere."""
        with self.ws.session() as s:
            for row in s.scalars(select(PackageLog).where(PackageLog.direction == "out",
                                                          PackageLog.package_type == "unit-report",
                                                          PackageLog.sequence == seq)):
                s.delete(row)
            counter = s.get(Counter, REPORT_SEQ)
            if counter is not None and counter.value == seq:
                if seq == 1:
                    s.delete(counter)  # as before the first export: no counter yet
                else:
                    counter.value = seq - 1
            if rotated:
                for k in s.scalars(select(Key).where(Key.owner == "unit")):
                    if k.valid_to_sequence == seq + 1:
                        k.valid_to_sequence = None
                    if k.announced_in == seq:
                        k.announced_in = None
                        k.valid_from_sequence = PENDING
            audit.record(s, self.ws.user, "package.export.undone", "package", str(seq),
                         after={"sequence": seq, "reason": "the files could not be named on the target"})

    # -- what goes in -----------------------------------------------------------------------
    def _watermark(self, s: Session) -> int:
        return watermark(s, "unit-report")

    def _collect(self, s: Session, seq: int, full: bool) -> tuple[list[dict[str, Any]], list[bag.SourceFile]]:
        unit = self.ws.require_unit(s)
        mark = 0 if full else self._watermark(s)
        rule = LightRule(settings_mod.thresholds(s), self.ws.today)
        records: list[dict[str, Any]] = [{"type": "unit", "id": unit.code, "name": unit.name, "level": unit.level}]
        deletions: list[dict[str, Any]] = []
        notices: dict[str, list[OpenNotice]] = {}
        for n in s.scalars(select(Notice).where(Notice.state == "open", Notice.task_id.is_not(None),
                                                Notice.origin.is_(None))):  # the unit's own 督办 stays home
            notices.setdefault(str(n.task_id), []).append(OpenNotice(n.id, n.level, n.title))
        tasks = list(s.scalars(select(Task).where(Task.change_no > mark).order_by(Task.change_no)))
        for t in tasks:
            if t.deleted:
                deletions.append(_deletion("task", t.id))
                continue
            records.append(_task_record(t, rule, notices.get(t.id, [])))
        q = select(Node).where(Node.change_no > mark).order_by(Node.change_no)
        for node in s.scalars(q):
            if node.deleted or node.task.deleted:
                deletions.append(_deletion("node", node.id))
                continue
            records.append(_node_record(node))
        ev_records, files, ev_deletions = evidence_delta(s, self.ws, mark)
        records.extend(ev_records)
        deletions.extend(ev_deletions)
        records.extend(response_delta(s, mark))
        for a in s.scalars(select(Appeal).where(Appeal.change_no > mark).order_by(Appeal.change_no)):
            records.append(_clean({"type": "appeal", "id": a.id, "target_type": a.target_type,
                                   "target_id": a.target_id, "reason": a.reason, "filed": a.filed, "by": a.by,
                                   "evidence_ids": a.evidence_ids or None}))
        for h in s.scalars(select(Handover).where(Handover.change_no > mark).order_by(Handover.change_no)):
            records.append(_clean({"type": "handover", "id": h.id, "task_id": h.task_id, "from": h.from_person,
                                   "to": h.to_person, "date": h.date, "note": h.note or None}))
        records.extend(report_prints(s, mark))
        records.extend(deletions)
        accepted = sorted(set(s.scalars(select(PackageLog.sequence).where(
            PackageLog.direction == "in", PackageLog.status == "accepted",
            PackageLog.package_type == "city-feedback"))))
        seen = set(accepted)
        missing: list[int] = []  # spec §5: at most 1,000, the highest (walking down, never every number)
        below = max(accepted, default=0) - 1
        while below >= 1 and len(missing) < MAX_MISSING:
            if below not in seen:
                missing.append(below)
            below -= 1
        missing.reverse()
        # spec §5: at most 100,000 accepted Sequences; like `missing`, the receipt lists the highest.
        accepted = accepted[-MAX_ACCEPTED:]
        records.append({"type": "receipt", "id": f"receipt-{seq}", "accepted": accepted, "missing": missing})
        return records, files

    # -- writing ------------------------------------------------------------------------------
    def _write(self, s: Session, code: str, name: str, seq: int, key_id: str, private: Any,
               records: list[dict[str, Any]], files: list[bag.SourceFile], limit: int, out_dir: Path,
               written: list[Path], full: bool) -> ExportResult:
        lines = [dump_line(r) for r in records]
        check_records(records, lines, seq)
        body = b"".join(lines)
        unit_line = dump_line(records[0])
        parts = bag.plan_parts(len(body), files, limit, MAX_PART_ENTRIES)
        count = len(parts)
        group = str(uuid.uuid4())
        prev_row = s.scalar(select(PackageLog).where(PackageLog.direction == "out", PackageLog.sequence == seq - 1,
                                                      PackageLog.package_type == "unit-report",
                                                      PackageLog.part_no == 1))
        previous = (prev_row.group_digest or prev_row.digest) if prev_row else "none"
        created = now_ts()
        warnings = []
        total = sum(f.size for f in files) + len(body)
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if self.progress:
                self.progress(done, total)

        results: list[bag.WrittenPackage] = []
        for i, part_files in enumerate(parts, start=1):
            if count > 1 and len(part_files) == 1 and part_files[0].size > limit:
                warnings.append(f"有一个佐证材料文件（{human_size(part_files[0].size)}）超过分卷大小，单独成卷，"
                                f"第 {i} 卷会超过 {limit / 1e6:.0f} MB。")
            info = {"Source-Organization": name, "Bagging-Date": created[:10],
                    "External-Identifier": str(uuid.uuid4())}
            if count > 1:
                info["Bag-Group-Identifier"] = group
            info.update({"Bag-Count": f"{i} of {count}", "Exchange-Format": bag.FORMAT,
                         "Package-Type": "unit-report", "Unit-Code": code, "Sequence": str(seq),
                         "Previous-Package-Digest": previous, "Created": created, "Generator": GENERATOR})
            target = out_dir / bag.package_file_name(code, "unit-report", seq, i, count)
            wp = bag.write_package(target, info=info, records=[body if i == 1 else unit_line], files=part_files,
                                   signer=private, key_id=key_id, progress=tick, cancel=self.cancel, publish=False)
            written.append(wp.path)
            if i == 1 and wp.size > limit:  # part 1 carries every record (§6): they cannot be split
                warnings.append(f"报送记录较多，第 1 卷有 {human_size(wp.size)}，超过分卷大小 {limit / 1e6:.0f} MB。")
            self._verify_written(s, wp.path, target.name, code)
            results.append(bag.WrittenPackage(target, wp.package_id, wp.digest, wp.size, wp.files))
        group_digest = results[0].digest
        now = now_ts()
        max_change = counters.peek(s, "change")
        for i, wp in enumerate(results, start=1):
            summary: dict[str, Any] = {"counts": _count(records) if i == 1 else {}, "files": wp.files,
                                       "full": full}
            s.add(PackageLog(package_id=wp.package_id, direction="out", package_type="unit-report", unit_code=code,
                             sequence=seq, group_id=group if count > 1 else wp.package_id, part_no=i,
                             part_count=count, digest=wp.digest, group_digest=group_digest, previous_digest=previous,
                             key_id=key_id, created=created, logged=now, file_name=wp.path.name, size=wp.size,
                             status="sent", max_change_no=max_change, warnings=warnings if i == 1 else [],
                             summary=summary))
        s.flush()
        return ExportResult(seq, [w.path for w in results], group_digest, full, _count(records), len(files),
                            sum(f.size for f in files), warnings)

    def _verify_written(self, s: Session, path: Path, name: str, code: str) -> None:
        try:
            bag.read_package(path, expected_type="unit-report", expected_unit=code,
                             key_for=lambda kid, seq: unit_key_for(s, kid, seq))
        except PackageRejected as exc:
            raise UserError(f"写出的数据包“{name}”复核未通过（{exc.message}），已删除。",
                            hint="可能是U盘有坏块或被拔出，请换一个U盘重新导出。") from None
        except OSError as exc:
            raise bag.write_failure(exc, path) from None


def watermark(s: Session, package_type: str) -> int:
    """The change counter covered by the newest report of this type the other side acknowledged (0: none)."""
    row = s.scalar(select(PackageLog).where(PackageLog.direction == "out", PackageLog.status == "acknowledged",
                                            PackageLog.package_type == package_type)
                   .order_by(PackageLog.sequence.desc()).limit(1))
    return row.max_change_no if row else 0


def evidence_delta(s: Session, ws: Workspace, mark: int, task_ids: set[str] | None = None) -> tuple[
        list[dict[str, Any]], list[bag.SourceFile], list[dict[str, Any]]]:
    """Evidence changed since `mark`, and any whose file the other side has not acknowledged (with its file):
    (records, files, deletions); `task_ids` limits it to those tasks."""
    acked = set(s.scalars(select(FileAck.sha256)))
    records: list[dict[str, Any]] = []
    deletions: list[dict[str, Any]] = []
    files: dict[str, bag.SourceFile] = {}
    evq = select(Evidence).where((Evidence.change_no > mark) | Evidence.deleted.is_(None)).order_by(
        Evidence.change_no)
    for ev in s.scalars(evq):
        if task_ids is not None and ev.task_id not in task_ids:
            continue
        if ev.deleted:
            if ev.change_no > mark:
                deletions.append(_deletion("evidence", ev.id))
            continue
        if ev.change_no <= mark and ev.sha256 in acked:
            continue
        included = ev.sha256 not in acked
        records.append(_evidence_record(ev, included))
        if included and ev.sha256 not in files:
            files[ev.sha256] = bag.SourceFile(ev.sha256, ev.size, ws.evidence.path_for(ev.sha256))
    return records, list(files.values()), deletions


def response_delta(s: Session, mark: int, *, city: bool = True) -> list[dict[str, Any]]:
    """`response` records changed since `mark`; to the city only those to the city's notices."""
    q = select(Response).where(Response.change_no > mark).order_by(Response.change_no)
    if city:
        own = select(Notice.id).where(Notice.origin.is_not(None))
        q = q.where(~Response.notice_id.in_(own))
    return [_clean({"type": "response", "id": r.id, "notice_id": r.notice_id, "text": r.text,
                    "responded": r.responded, "by": r.by, "evidence_ids": r.evidence_ids or None})
            for r in s.scalars(q)]


# What a clerk calls the records and fields a report carries (for a refusal before writing).
_RECORD_WORDS = {"unit": "本单位", "task": "任务", "node": "节点", "evidence": "佐证材料", "response": "督办回复",
                 "appeal": "申诉", "handover": "任务交接", "report_print": "整改报告打印记录"}
_RECORD_NAME = {"task": "title", "node": "title", "evidence": "filename", "unit": "name"}
_FIELD_WORDS = {"title": "标题", "description": "问题描述", "owner": "责任人", "section": "责任科室",
                "leader": "分管领导", "batch": "批次", "note": "备注", "filename": "文件名", "name": "名称",
                "text": "回复内容", "reason": "理由", "from": "交出人", "to": "接手人", "by": "填写人",
                "done_by": "填报人", "confirmed_by": "核查人", "added_by": "上传人", "media_type": "文件类型",
                "id": "编号"}
_EVIDENCE_WORDS = {"description": "说明"}


def refuse_bad_unit(code: str, name: str) -> None:
    """The unit's code and name travel in every package (bag-info.txt, the `unit` record): the same rules as
    at input, for a unit stored before them (a name of several lines, or too long for §2's 8 KiB line)."""
    from core.unit import unit_problems

    problems = unit_problems(code, name)
    if problems:
        raise InputRefused(f"本单位的{'；'.join(problems.values())}，写不进数据包，无法导出。",
                           hint="请用 unit set --name（或 --code）更正后再导出。",
                           window_hint=f"请在“{places.EDIT_UNIT}”更正后再导出。")


def check_records(records: list[dict[str, Any]], lines: list[bytes], seq: int,
                  package_type: str = "unit-report") -> None:
    """Spec §5 exactly as the reader applies it, before a byte is written (`lines`: `records` dumped).

    A value the reader would refuse (a line over 1 MiB, a control character pasted into a text, a number out
    of range) is refused here with the record and the field to change: an invalid package is never written.
    """
    try:
        for _ in rec.parse_lines(lines, package_type, seq):
            pass
    except rec.RecordError as exc:
        r = records[exc.line - 1]
        kind = _RECORD_WORDS.get(r["type"], f"“{r['type']}”记录")
        label = r.get(_RECORD_NAME.get(r["type"], ""))
        what = f"{kind}“{shown(str(label)[:30])}”" if isinstance(label, str) and label else kind
        name = exc.field_name
        word = (_EVIDENCE_WORDS.get(name) if r["type"] == "evidence" else None) or _FIELD_WORDS.get(name, name)
        value = r.get(name)
        if len(lines[exc.line - 1].rstrip(b"\n")) > MAX_LINE:
            raise InputRefused(f"{what}的内容过长（超过交换格式规定的每条记录 1 MiB），无法导出。",
                               hint="请精简其中的长文字（问题描述、备注等），详细材料可作为佐证材料附上，然后再导出。",
                               ) from None
        if isinstance(value, str) and rec.range_problem(name, rec.field_kind(name), value) == "含有控制字符":
            raise InputRefused(f"{what}的{word}中有看不见的控制字符（例如回车符），交换格式不允许，无法导出。",
                               hint=f"请修改该{kind}，重新输入{word}（从别处复制粘贴的文字常带有这种字符），"
                                    "然后再导出。") from None
        if isinstance(value, str) and len(value) > rec.MAX_ID and rec.field_kind(name) == "id":
            raise InputRefused(f"{what}的{word}太长（{len(value)} 个字符，交换格式最多 {rec.MAX_ID} 个），无法导出。",
                               hint=f"请缩短{kind}的{word}后再导出。") from None
        detail = exc.message.split("：", 1)[-1].rstrip("。")
        raise InputRefused(f"{what}的{word}不符合交换格式（{detail}），无法导出。",
                           hint=f"请修改该{kind}的{word}后再导出；如不清楚怎样改，请联系市督查室。") from None


def report_prints(s: Session, mark: int) -> list[dict[str, Any]]:
    """The reports printed since the watermark (type `report_print`, docs/report-proof.md)."""
    from core.reports.proof import export_record

    q = select(ReportPrint).where(ReportPrint.change_no > mark).order_by(ReportPrint.change_no)
    return [export_record(r) for r in s.scalars(q)]


def _count(records: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in records:
        out[r["type"]] = out.get(r["type"], 0) + 1
    return out


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _deletion(target_type: str, target_id: str) -> dict[str, Any]:
    return {"type": "deletion", "id": f"del-{target_type}-{target_id}", "target_type": target_type,
            "target_id": target_id}


def _task_record(t: Task, rule: LightRule, notices: list[OpenNotice]) -> dict[str, Any]:
    pending = [PendingDate(n.due, f"节点{n.seq}") for n in t.nodes if n.deleted is None and n.status == "pending"]
    light = rule.for_task(t.status, t.deadline, pending, notices)
    return _clean({
        "type": "task", "id": t.id, "title": t.title, "source": t.source, "category": t.category,
        "owner": t.owner.name if t.owner else "", "deadline": t.deadline, "status": t.status, "light": light.color,
        "rev": t.rev, "updated": t.updated, "city_ref": t.city_ref, "description": t.description or None,
        "batch": t.batch or None, "leader": t.leader or None, "section": t.section.name if t.section else None,
    })


def _node_record(n: Node) -> dict[str, Any]:
    return _clean({"type": "node", "id": n.id, "task_id": n.task_id, "seq": n.seq, "title": n.title, "due": n.due,
                   "status": n.status, "rev": n.rev, "updated": n.updated, "done": n.done, "note": n.note or None,
                   "done_by": n.done_by, "confirmed_by": n.confirmed_by})


def _evidence_record(ev: Evidence, included: bool) -> dict[str, Any]:
    return _clean({"type": "evidence", "id": ev.id, "task_id": ev.task_id, "filename": ev.filename,
                   "sha256": ev.sha256, "size": ev.size, "media_type": ev.media_type, "added": ev.added,
                   "added_by": ev.added_by, "included": included, "node_id": ev.node_id,
                   "description": ev.description or None})


def iter_package_log(s: Session) -> Iterator[PackageLog]:
    yield from s.scalars(select(PackageLog).order_by(PackageLog.direction, PackageLog.sequence, PackageLog.part_no))
