"""Importing city feedback (spec §4, §5, §8): verify, apply the Sequence rules, apply records newer-wins.

Each package is its own transaction: a refused package changes nothing (no row, no evidence file, no
package-log line). Records naming objects the unit does not have yet are kept (`kept_records`) and
applied when the object appears. Parts of a multi-part group wait in the data folder's `incoming/`.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, make_dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import JSON, ScalarResult, Table, insert, or_, select
from sqlalchemy.orm import Session

from core import audit, counters
from core import settings as settings_mod
from core.dates import now_ts
from core.errors import Cancelled, MachineError, PackageRejected, UserError
from core.exchange import bag, refusals
from core.exchange.keys import apply_city_rotation, city_key_for
from core.exchange.records import RecordError
from core.ledger.tasks import NodeInput, TaskInput, live_nodes, refresh
from core.ledger.tasks import _check as check_task_input
from core.text import shown
from core.workspace import Workspace
from db.models import (
    Appeal,
    Base,
    Deduction,
    FileAck,
    KeptRecord,
    Node,
    Notice,
    ObjectVersion,
    PackageLog,
    Person,
    Review,
    Section,
    Task,
)

log = logging.getLogger("core.exchange")
CITY = "市督查平台"
REPORT_SEQ = "report_seq"

_TYPE_WORDS = {"assignment": "交办任务", "notice": "督办通知", "notice_closure": "督办办结", "review": "审核结果",
               "deduction": "扣分", "appeal_result": "申诉结果", "ack": "报送回执", "settings": "参数设置",
               "key": "密钥更换"}


@dataclass
class ImportResult:
    path: Path
    status: str  # accepted | already | waiting
    sequence: int
    package_id: str
    part: tuple[int, int] = (1, 1)
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)
    preview: bool = False  # computed by FeedbackImporter.preview: nothing was changed

    def headline(self) -> str:
        name = shown(self.path.name)  # a file name is data: one visible line
        if self.preview and self.status == "accepted":
            parts = summary_words(self.summary)
            return f"{name}：第 {self.sequence} 号反馈包可以导入" + (f"（{parts}）" if parts else "") + "。"
        if self.status == "already":
            return f"{name}：已经导入过（第 {self.sequence} 号反馈包），没有任何改动。"
        if self.status == "waiting":
            return (f"{name}：第 {self.sequence} 号反馈包的第 {self.part[0]}/{self.part[1]} 卷已收下，"
                    "等其余分卷到齐后一并导入。")
        parts = summary_words(self.summary)
        return f"{name}：已导入第 {self.sequence} 号反馈包" + (f"（{parts}）" if parts else "") + "。"


# Each count with its measure word: "参数设置 4 项", never a bare "参数 4".
_SUMMARY_WORDS = {"tasks_created": "新交办任务 {} 项", "tasks_updated": "更新任务 {} 项", "notices": "督办通知 {} 份",
                  "closures": "办结通知 {} 份", "reviews": "审核结果 {} 条", "deductions": "扣分 {} 条",
                  "appeal_results": "申诉结果 {} 条", "acks": "报送回执 {} 份", "settings": "参数设置 {} 项",
                  "keys": "密钥更换 {} 次", "kept": "暂存记录 {} 条", "files": "附件 {} 个",
                  "older_skipped": "较旧记录 {} 条未覆盖"}


def summary_words(summary: dict[str, int]) -> str:
    return "，".join(_SUMMARY_WORDS.get(k, k + " {}").format(v) for k, v in summary.items() if v)


@dataclass
class ImportOutcome:
    path: Path
    result: ImportResult | None = None
    error: UserError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Preview:
    """What importing a package would change, computed in a transaction that is rolled back."""

    result: ImportResult
    created_tasks: list[str] = field(default_factory=list)
    changed_tasks: list[str] = field(default_factory=list)


class FeedbackImporter:
    def __init__(self, ws: Workspace, *, progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> None:
        self.ws = ws
        self.progress = progress
        self.cancel = cancel

    # -- public API -------------------------------------------------------------------------
    def import_files(self, paths: list[Path]) -> list[ImportOutcome]:
        """Each package in its own transaction; a refusal is logged and reported, never fatal."""
        out = []
        for p in paths:
            try:
                out.append(ImportOutcome(Path(p), result=self.import_file(Path(p))))
            except (MachineError, Cancelled):
                raise  # a full disk or Cancel is not this package's fault: it stops the batch, said as it is
            except UserError as exc:
                out.append(ImportOutcome(Path(p), error=exc))
            except Exception:  # noqa: BLE001 - a bug on one package must not stop the others (issue 15)
                log.exception("feedback package %s: unexpected error", p)
                out.append(ImportOutcome(Path(p), error=_unexpected()))
        return out

    def preview_files(self, paths: list[Path]) -> list[tuple[Path, Preview | None, UserError | None]]:
        """`preview` of each package on its own: one that fails (even by a bug) leaves the others' previews."""
        out: list[tuple[Path, Preview | None, UserError | None]] = []
        for p in paths:
            try:
                out.append((Path(p), self.preview(Path(p)), None))
            except UserError as exc:
                out.append((Path(p), None, exc))
            except Exception:  # noqa: BLE001 - see import_files
                log.exception("feedback package %s: unexpected error in preview", p)
                out.append((Path(p), None, _unexpected()))
        return out

    def import_file(self, path: Path) -> ImportResult:
        try:
            return self._run(Path(path), dry_run=False)[0]
        except UserError as exc:
            self._refused(Path(path), exc)
            raise

    def preview(self, path: Path) -> Preview:
        """Nothing is changed; a refusal is recorded all the same (the clerk was told it was refused)."""
        try:
            result, applier = self._run(Path(path), dry_run=True)
        except UserError as exc:
            self._refused(Path(path), exc)
            raise
        result.preview = True
        pv = Preview(result)
        if applier is not None:
            pv.created_tasks, pv.changed_tasks = applier.created, applier.changed
        return pv

    def _refused(self, path: Path, exc: UserError) -> None:
        """Into the log and the exchange page's history; the user's own cancel is no refusal."""
        if not (self.cancel is not None and self.cancel()):
            refusals.record(self.ws.paths, path, exc)

    # -- steps ------------------------------------------------------------------------------
    def verify(self, path: Path) -> bag.Package:
        with self.ws.read() as s:
            unit = self.ws.require_unit(s)
            return bag.read_package(
                path, expected_type="city-feedback", expected_unit=unit.code,
                key_for=lambda kid, seq: city_key_for(s, kid, seq), progress=self.progress, cancel=self.cancel)

    def _run(self, path: Path, dry_run: bool) -> tuple[ImportResult, _Applier | None]:
        # Tens of thousands of short-lived ORM objects: the cyclic GC would rescan them again and again.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._run_once(path, dry_run)
        finally:
            if enabled:
                gc.enable()

    def _run_once(self, path: Path, dry_run: bool) -> tuple[ImportResult, _Applier | None]:
        pkg = self.verify(path)
        created_files: list[Path] = []
        try:
            if dry_run:
                s = self.ws.read()
                try:
                    return self._apply_package(s, pkg, path, created_files, dry_run=True)
                finally:
                    s.rollback()
                    s.close()
            self.ws.ensure_sound()  # never write an import into a damaged database (full check, once per opening)
            with self.ws.session() as s:
                result, applier = self._apply_package(s, pkg, path, created_files, dry_run=False)
        except BaseException:
            for f in created_files:
                bag.remove_quietly(f)
            raise
        if result.status == "accepted":
            remove_kept_parts(self.ws, pkg)
        log.info("feedback package %s: %s seq %s", path, result.status, result.sequence)
        return result, applier

    def _apply_package(self, s: Session, pkg: bag.Package, path: Path, created_files: list[Path],
                       dry_run: bool) -> tuple[ImportResult, _Applier | None]:
        result = ImportResult(path, "accepted", pkg.sequence, pkg.package_id, (pkg.part_no, pkg.part_count))
        row = s.get(PackageLog, pkg.package_id)
        if row is not None:
            if row.direction == "in" and row.digest == pkg.digest:
                result.status = "already"
                return result, None
            raise PackageRejected(f"数据包编号 {pkg.package_id} 已被另一个内容不同的数据包使用，疑似重放或伪造。",
                                  reason_code="replay", hint="请勿使用这个数据包，并向市督查室核实。")
        accepted = dict(s.execute(select(PackageLog.sequence, PackageLog.group_digest).where(
            PackageLog.direction == "in", PackageLog.status == "accepted", PackageLog.part_no == 1,
            PackageLog.package_type == "city-feedback")).all())
        if pkg.sequence in accepted:
            raise PackageRejected(
                f"第 {pkg.sequence} 号反馈包已经导入过，这是另一个声称同一序号的数据包（重放或伪造）。",
                reason_code="replay", hint="请勿使用这个数据包，并向市督查室核实。")
        gathered = gather_parts(s, self.ws, pkg, path, created_files, dry_run,
                                lambda p: self._reverify(s, p), "市督查室")
        if gathered is None:
            result.status = "waiting"
            return result, None
        parts = gathered
        head = parts[0]
        group_digest = head.digest
        result.warnings += _sequence_warnings(pkg.sequence, pkg.previous_digest, accepted)
        files: dict[str, bag.Package] = {}
        for p in parts:
            for sha in p.files:
                files[sha] = p
        applier = _Applier(self.ws, s, head.key_id, files, result, created_files, dry_run)
        for p in parts[1:]:  # §6: only part 1 carries records; never drop others without a word
            if p.records or p.unknown:
                result.warnings.append(f"第 {p.part_no} 卷带有 {len(p.records) + len(p.unknown)} 条记录，按交换格式只有"
                                       "第 1 卷带记录，这些记录没有导入，请向市督查室核实。")
        for line, typ in head.unknown:
            result.warnings.append(f"第 {line} 行是本程序不认识的记录类型“{typ}”，已跳过。")
        with s.no_autoflush:
            applier.prepare(head.records)
            for line, record in head.records:
                applier.apply(record, pkg.sequence, line)
            applier.retry_kept()
            applier.finish()
        accept_parts(s, pkg, path, group_digest, result.warnings, result.summary)
        after: dict[str, Any] = {"sequence": pkg.sequence, "summary": result.summary}
        if applier.attachments_present:  # which notice attachments this ledger holds: `verify` checks them
            after["attachments"] = sorted(applier.attachments_present)
        audit.record(s, CITY, "package.import", "package", pkg.package_id, after=after)
        s.flush()
        return result, applier

    def _reverify(self, s: Session, path: Path) -> bag.Package:
        unit = self.ws.require_unit(s)
        try:
            return bag.read_package(path, expected_type="city-feedback", expected_unit=unit.code,
                                    key_for=lambda kid, seq: city_key_for(s, kid, seq))
        except PackageRejected as exc:
            raise PackageRejected(f"先前收下的分卷“{path.name}”已损坏：{exc.message}", reason_code="part_damaged",
                                  hint="请重新导入该分卷。") from None


def gather_parts(s: Session, ws: Workspace, pkg: bag.Package, path: Path, created_files: list[Path],
                 dry_run: bool, reverify: Callable[[Path], bag.Package], sender: str,
                 section_code: str | None = None) -> list[bag.Package] | None:
    """Spec §6 for any reader: a part of a group is kept in `incoming/` (and logged as waiting) until all
    have arrived; then every part, in order (the waiting ones verified again). None while parts are missing."""
    if not pkg.multi_part:
        return [pkg]
    waiting = list(s.scalars(select(PackageLog).where(
        PackageLog.direction == "in", PackageLog.status == "waiting", PackageLog.group_id == pkg.group_id)))
    for w in waiting:
        if w.part_no == pkg.part_no:
            raise PackageRejected(f"第 {pkg.sequence} 号数据包的第 {pkg.part_no} 卷已经收到过另一份。",
                                  reason_code="replay", hint=f"请勿使用这个数据包，并向{sender}核实。")
        if (w.sequence, w.part_count, w.previous_digest, w.package_type) != (
                pkg.sequence, pkg.part_count, pkg.previous_digest, pkg.package_type):
            raise PackageRejected("这一卷与同组已收到的分卷不一致（序号或分卷数不同）。",
                                  reason_code="part_mismatch", hint=f"请向{sender}索取完整的一组分卷。")
    keep = ws.paths.incoming / f"{pkg.group_id}_{pkg.part_no:02d}_{pkg.package_id}.zgb"
    if not dry_run:
        _copy_atomic(path, keep)
        created_files.append(keep)
    row = _log_row(pkg, "waiting", keep.name)
    row.section_code = section_code
    s.add(row)
    if len(waiting) + 1 < pkg.part_count:
        s.flush()
        return None
    parts = [pkg] + [reverify(ws.paths.incoming / w.file_name) for w in waiting]
    parts.sort(key=lambda p: p.part_no)
    return parts


def accept_parts(s: Session, pkg: bag.Package, path: Path, group_digest: str, warnings: list[str],
                 summary: dict[str, Any], section_code: str | None = None) -> None:
    """Log a package (or every part of its group) as accepted, its warnings and summary on part 1."""
    if pkg.multi_part:
        for r in s.scalars(select(PackageLog).where(PackageLog.group_id == pkg.group_id,
                                                     PackageLog.direction == "in")):
            r.status, r.group_digest = "accepted", group_digest
            if r.part_no == 1:
                r.warnings, r.summary = list(warnings), dict(summary)
    else:
        row = _log_row(pkg, "accepted", path.name)
        row.group_digest = group_digest
        row.section_code = section_code
        row.warnings, row.summary = list(warnings), dict(summary)
        s.add(row)


def remove_kept_parts(ws: Workspace, pkg: bag.Package) -> None:
    """After a group was applied, its parts kept in `incoming/` are no longer needed."""
    if pkg.multi_part:
        for f in ws.paths.incoming.glob(f"{pkg.group_id}_*.zgb"):
            bag.remove_quietly(f)


def _unexpected() -> UserError:
    return UserError("导入时程序出错，这个数据包没有导入，没有做任何改动。",
                     hint="其余数据包照常处理；详细信息已写入日志文件，请把日志发给技术支持。")


def _copy_atomic(src: Path, dst: Path) -> None:
    tmp = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(src, "rb") as i, open(tmp, "wb") as o:
            shutil.copyfileobj(i, o, 1024 * 1024)
            o.flush()
            os.fsync(o.fileno())
        os.replace(tmp, dst)
    except OSError as exc:
        bag.remove_quietly(tmp)
        raise UserError(f"无法保存分卷到数据文件夹（{exc.strerror or exc}）。", hint="请检查磁盘空间。") from None


def _log_row(pkg: bag.Package, status: str, file_name: str) -> PackageLog:
    return PackageLog(package_id=pkg.package_id, direction="in", package_type=pkg.package_type,
                      unit_code=pkg.unit_code, sequence=pkg.sequence, group_id=pkg.group_id, part_no=pkg.part_no,
                      part_count=pkg.part_count, digest=pkg.digest, group_digest=None,
                      previous_digest=pkg.previous_digest, key_id=pkg.key_id, created=pkg.created, logged=now_ts(),
                      file_name=file_name, size=pkg.size, status=status, warnings=[], summary={})


def missing_ranges(seq: int, accepted: Iterable[int], shown: int = 10) -> str:
    """The Sequences below `seq` never accepted, as ranges ("3、5–999999"): never a list as long as a
    package's claim. Work and text grow with the accepted Sequences, of which at most `shown` gaps are named."""
    gaps: list[tuple[int, int]] = []
    expected = 1
    for n in sorted(x for x in set(accepted) if x < seq):
        if n > expected:
            gaps.append((expected, n - 1))
        expected = n + 1
    if expected < seq:
        gaps.append((expected, seq - 1))
    words = ["、".join(map(str, range(a, b + 1))) if b - a < 3 else f"{a}–{b}" for a, b in gaps[:shown]]
    text = "、".join(words)
    if len(gaps) > shown:
        rest = sum(b - a + 1 for a, b in gaps[shown:])
        text += f" 等（另有 {len(gaps) - shown} 段共 {rest} 个）"
    return text


def _sequence_warnings(seq: int, previous: str, accepted: dict[int, str | None]) -> list[str]:
    out = []
    highest = max(accepted, default=0)
    if seq > highest + 1:
        out.append(f"缺少第 {missing_ranges(seq, accepted)} 号反馈包，请向市督查室索取。")
    elif seq < highest:
        out.append(f"第 {seq} 号反馈包迟到了（已导入到第 {highest} 号）：其中较旧的内容不会覆盖较新的。")
    before = accepted.get(seq - 1)
    if (before and previous != before) or (previous == "none" and seq > 1):
        out.append(f"第 {seq} 号反馈包记载的上一包与本单位收到的第 {seq - 1} 号不一致，反馈记录出现分叉，"
                   "请向市督查室核实。")
    return out


TASK_COLS = tuple(c.name for c in Task.__table__.columns)
NODE_COLS = tuple(c.name for c in Node.__table__.columns)


def _row_class(name: str, cols: tuple[str, ...], extra: list[tuple[str, Any, Any]]) -> type:
    """A slotted plain-row class with every column of a table, in table order (`Cls(*db_row)` builds one)."""
    fields: list[Any] = [(c, Any) for c in cols] + extra + [("new", bool, False), ("orig", Any, None)]
    return make_dataclass(name, fields, slots=True, eq=False, repr=False,
                          namespace={"COLS": cols})


# A task or node held as plain values during an import (no ORM bookkeeping), written back set-based. It has
# every column of its table, so `refresh`, `live_nodes` and the audit digests work on it unchanged; a task
# row also has `nodes`, `owner` and `section` (with `id` and `name`). `new`: not inserted yet; `orig`: the
# values as read, so that an update sets only the columns that changed (fewer indexes to maintain).
_TaskRow: Any = _row_class("_TaskRow", TASK_COLS, [("nodes", list, field(default_factory=list)),
                                                   ("owner", Any, None), ("section", Any, None)])
_NodeRow: Any = _row_class("_NodeRow", NODE_COLS, [])


class _Named:
    __slots__ = ("id", "name")

    def __init__(self, id: int, name: str) -> None:  # noqa: A002
        self.id, self.name = id, name


class _Applier:
    """Applies records newer-wins; each handler returns False when its target is unknown (then kept).

    Tasks and nodes are read once into plain rows, changed in Python, and written back with a few set-based
    statements (`sync`); audit entries are pinned when the change happens and appended in bulk at the end.
    """

    def __init__(self, ws: Workspace, s: Session, signer_key_id: str, files: dict[str, bag.Package],
                 result: ImportResult, created_files: list[Path], dry_run: bool) -> None:
        self.ws = ws
        self.s = s
        self.signer = signer_key_id
        self.files = files
        self.result = result
        self.created_files = created_files
        self.dry_run = dry_run
        self.created: list[str] = []
        self.changed: list[str] = []
        self.now = now_ts()
        self.entries: list[dict[str, Any]] = []  # audit entries, appended in bulk by finish()
        self._change = 0  # the global change counter, advanced here and written back by finish()
        self._versions: dict[str, tuple[int, int]] = {}
        self._looked_up: set[str] = set()
        self._dirty_versions: set[str] = set()
        self.new_notices: dict[str, Any] = {}
        self.new_reviews: dict[str, Any] = {}
        self.new_deductions: dict[str, Any] = {}
        self.by_id: dict[str, _TaskRow] = {}  # every task row read or made, live or deleted
        self.tasks: dict[str, _TaskRow] = {}  # live tasks by id and by city_ref
        self.nodes_by_id: dict[str, _NodeRow] = {}
        self.dirty_tasks: dict[str, _TaskRow] = {}
        self.dirty_nodes: dict[str, _NodeRow] = {}
        self.known_refs: set[str] = set()
        self.notices: dict[str, Notice | SimpleNamespace] = {}  # new ones are plain rows until finish()
        self.reviews: dict[str, Review | SimpleNamespace] = {}
        self.deductions: dict[str, Any] = {}
        self.appeals: dict[str, Appeal] = {}
        self.reversals: dict[str, str] = {}  # deduction id -> id of the deduction that reverses it
        self.by_ref: dict[str, list[Any]] = {}  # task ref -> notices and deductions naming it
        self.deleted_by_ref: dict[str, _TaskRow] = {}
        self.people: dict[str, _Named] = {}
        self.sections: dict[int, _Named] = {}
        self._file_acks: set[str] | None = None
        self.attachments_present: set[str] = set()  # notice attachments stored (or already held) by this import

    # -- reading, in bulk -------------------------------------------------------------------------
    def prepare(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        self._change = counters.peek(self.s, "change")
        self.people = {name: _Named(pid, name) for pid, name in self.s.execute(select(Person.id, Person.name))}
        self.sections = {sid: _Named(sid, name) for sid, name in self.s.execute(select(Section.id, Section.name))}
        refs: set[str] = set()
        node_ids: set[str] = set()
        ids: dict[str, set[str]] = {"notice": set(), "review": set(), "deduction": set(), "appeal": set()}
        kept = [(k.line, k.record) for k in self.s.scalars(select(KeptRecord))]
        for _line, r in list(records) + kept:
            t = r["type"]
            if t == "assignment":
                refs.add(r["id"])
            elif t == "notice":
                refs.add(r["task_ref"])
                ids["notice"].add(r["id"])
                _node_ref(r.get("node_ref"), refs, node_ids)
            elif t == "notice_closure":
                ids["notice"].add(r["notice_id"])
            elif t == "review":
                ids["review"].add(r["id"])
                if r["target"] == "node":
                    _node_ref(r["target_id"], refs, node_ids)
                else:
                    refs.add(r["target_id"])
            elif t == "deduction":
                refs.add(r["task_ref"])
                ids["deduction"].update(x for x in (r["id"], r.get("reverses")) if x)
            elif t == "appeal_result":
                ids["appeal"].add(r["appeal_id"])
        for chunk in _chunks(sorted(refs)):
            self._load(or_(Task.id.in_(chunk), Task.city_ref.in_(chunk)))
        for chunk in _chunks(sorted(node_ids)):
            self._load(Task.id.in_(select(Node.task_id).where(Node.id.in_(chunk))))
        self.known_refs = refs
        # (select() of a union of models is typed by their common base: the casts name the real row types)
        ref_models: tuple[type[Notice] | type[Deduction], ...] = (Notice, Deduction)
        for chunk in _chunks(sorted(refs)):
            for ref_model in ref_models:
                ref_rows = self.s.scalars(select(ref_model).where(ref_model.task_ref.in_(chunk)))
                for ref_row in cast("ScalarResult[Notice | Deduction]", ref_rows):
                    self.by_ref.setdefault(ref_row.task_ref, []).append(ref_row)
        stores: tuple[tuple[type[Notice] | type[Review] | type[Deduction] | type[Appeal], dict[str, Any]], ...] = (
            (Notice, self.notices), (Review, self.reviews), (Deduction, self.deductions), (Appeal, self.appeals))
        for model, store in stores:
            wanted = ids[model.__tablename__[:-1]]
            for chunk in _chunks(sorted(wanted)):
                rows = self.s.scalars(select(model).where(model.id.in_(chunk)))
                for row in cast("ScalarResult[Notice | Review | Deduction | Appeal]", rows):
                    store[row.id] = row
        for chunk in _chunks(sorted(ids["deduction"])):
            for target, rid in self.s.execute(select(Deduction.reverses, Deduction.id).where(
                    Deduction.reverses.in_(chunk), Deduction.kind == "reversed")):
                assert target is not None  # selected by `reverses IN (...)`, so never NULL
                self.reversals[target] = rid
        # Newer-wins bookkeeping grows with every object ever received: read only the keys this package
        # (and the kept records) can touch; `newer` looks up any other key on demand.
        wanted_keys = {f"review:task:{tid}" for tid in self.by_id} | {f"review:node:{nid}" for nid in self.nodes_by_id}
        for _line, r in list(records) + kept:
            t = r["type"]
            if t == "assignment":
                wanted_keys.add(f"assignment:{r['id']}")
            elif t in ("notice", "notice_closure"):
                nid = r["id"] if t == "notice" else r["notice_id"]
                wanted_keys.update((f"notice:{nid}:content", f"notice:{nid}:state"))
            elif t == "appeal_result":
                wanted_keys.add(f"appeal:{r['appeal_id']}")
            elif t == "ack":
                wanted_keys.add(f"ack:{r['unit_sequence']}")
            elif t == "settings":
                wanted_keys.update(f"setting:{name}" for name in r)
            elif t == "key":
                wanted_keys.add(f"key:{r['key_id']}")
        self._versions = {}
        for chunk in _chunks(sorted(wanted_keys)):
            self._versions.update((k, (q, ln)) for k, q, ln in self.s.execute(
                select(ObjectVersion.object_key, ObjectVersion.sequence, ObjectVersion.line)
                .where(ObjectVersion.object_key.in_(chunk))))
        self._looked_up = wanted_keys

    def _load(self, where: Any) -> None:
        """Read the tasks matching `where` (live or deleted) with all their nodes into plain rows."""
        fresh = []
        for m in self.s.execute(select(*Task.__table__.columns).where(where)):
            if m.id in self.by_id:
                continue
            t = _TaskRow(*m)
            t.orig = tuple(m)
            t.section = self.sections.get(t.section_id)
            fresh.append(t)
            self.by_id[t.id] = t
            self._cache_task(t)
        owners = {t.owner_id for t in fresh if t.owner_id is not None}
        if owners:
            by_pid = {p.id: p for p in self.people.values()}
            for t in fresh:
                t.owner = by_pid.get(t.owner_id)
        for chunk in _chunks([t.id for t in fresh]):
            q = select(*Node.__table__.columns).where(Node.task_id.in_(chunk)).order_by(Node.seq)
            for m in self.s.execute(q):
                node = _NodeRow(*m)
                node.orig = tuple(m)
                self.by_id[node.task_id].nodes.append(node)
                self.nodes_by_id[node.id] = node

    def _cache_task(self, t: _TaskRow) -> None:
        if t.deleted is None:
            self.tasks[t.id] = t
            if t.city_ref:
                self.tasks[t.city_ref] = t
                self.deleted_by_ref.pop(t.city_ref, None)
        elif t.city_ref:
            self.deleted_by_ref[t.city_ref] = t

    def find_task(self, ref: str) -> _TaskRow | None:
        if ref in self.tasks:
            return self.tasks[ref]
        if ref in self.known_refs:
            return None
        self._load(or_(Task.id == ref, Task.city_ref == ref))
        self.known_refs.add(ref)
        return self.tasks.get(ref)

    def find_node(self, ref: str) -> _NodeRow | None:
        if "#" in ref:
            task_ref, _, seq = ref.rpartition("#")
            task = self.find_task(task_ref)
            if task is None or not seq.isdigit():
                return None
            return next((n for n in live_nodes(task) if n.seq == int(seq)), None)
        if ref not in self.nodes_by_id:
            self._load(Task.id.in_(select(Node.task_id).where(Node.id == ref)))
        node = self.nodes_by_id.get(ref)
        return node if node is not None and node.deleted is None else None

    def _person(self, name: str) -> _Named | None:
        """The person with that name, added when new (as `person_named` does, without an ORM flush)."""
        name = (name or "").strip()
        if not name:
            return None
        if name not in self.people:
            res = self.s.connection().execute(insert(_table_of(Person)).values(name=name, active=True))
            pk = res.inserted_primary_key
            assert pk is not None  # always set for a single-row INSERT
            self.people[name] = _Named(pk[0], name)
        return self.people[name]

    # -- changing, in Python ----------------------------------------------------------------------
    def count(self, what: str, n: int = 1) -> None:
        self.result.summary[what] = self.result.summary.get(what, 0) + n

    def warn(self, text: str) -> None:
        self.result.warnings.append(text)

    def audit(self, action: str, etype: str, eid: str, *, obj: Any = None, before: dict[str, Any] | None = None,
              after: dict[str, Any] | None = None, task_id: str | None = None) -> None:
        self.entries.append(audit.pending_entry(CITY, action, etype, eid, obj=obj, before=before, after=after,
                                                task_id=task_id, at=self.now))

    def touch(self, row: Any) -> None:
        """What `core.ledger.tasks.touch` does, on a plain row."""
        self._change += 1
        row.change_no, row.updated, row.rev = self._change, self.now, (row.rev or 0) + 1
        (self.dirty_tasks if isinstance(row, _TaskRow) else self.dirty_nodes)[row.id] = row

    def refresh(self, task: _TaskRow) -> None:
        refresh(task)  # the same rules as for an ORM task
        self.dirty_tasks[task.id] = task

    def sync(self) -> None:
        """Write the changed task rows, then the node rows (new ones inserted, the others updated by id)."""
        for model, dirty in ((Task, self.dirty_tasks), (Node, self.dirty_nodes)):
            new: list[dict[str, Any]] = []
            changed: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for r in dirty.values():
                now = tuple(getattr(r, c) for c in r.COLS)
                if r.new:
                    new.append(dict(zip(r.COLS, now, strict=True)))
                else:
                    cols = tuple(c for c, a, b in zip(r.COLS, now, r.orig, strict=True) if a != b)
                    if cols:
                        changed.setdefault(cols, []).append({"id": r.id, **{c: getattr(r, c) for c in cols}})
                r.new, r.orig = False, now
            bulk_write(self.s, _table_of(model), new)
            for rows in changed.values():
                bulk_write(self.s, _table_of(model), rows, update_by="id")
            dirty.clear()

    # -- newer wins ---------------------------------------------------------------------------
    def newer(self, key: str, seq: int, line: int) -> bool:
        if key not in self._looked_up:
            self._looked_up.add(key)
            found = self.s.execute(select(ObjectVersion.sequence, ObjectVersion.line)
                                   .where(ObjectVersion.object_key == key)).first()
            if found is not None:
                self._versions[key] = (found[0], found[1])
        ov = self._versions.get(key)
        return ov is None or (seq, line) > ov

    def older(self, key: str, seq: int, line: int) -> bool:
        """A newer record already set `key` (newer wins, §4): this one is skipped, and counted."""
        if self.newer(key, seq, line):
            return False
        self.count("older_skipped")
        return True

    def mark(self, key: str, seq: int, line: int) -> None:
        self._versions[key] = (seq, line)
        self._dirty_versions.add(key)

    def finish(self) -> None:
        """Write everything kept as plain values in a few set-based statements, then the audit entries."""
        self.sync()
        self.s.flush()
        for model, rows in ((Notice, self.new_notices), (Review, self.new_reviews), (Deduction, self.new_deductions)):
            bulk_write(self.s, _table_of(model), [vars(r) for r in rows.values()])
        if self._dirty_versions:
            self.s.connection().exec_driver_sql(
                "INSERT INTO object_versions (object_key, sequence, line) VALUES (?, ?, ?) ON CONFLICT (object_key) "
                "DO UPDATE SET sequence = excluded.sequence, line = excluded.line",
                [(k, *self._versions[k]) for k in sorted(self._dirty_versions)])
        counters.raise_to(self.s, "change", self._change)
        audit.record_many(self.s, self.entries)
        self.new_notices, self.new_reviews, self.new_deductions, self._dirty_versions = {}, {}, {}, set()
        self.entries = []

    # -- dispatch -------------------------------------------------------------------------------
    def apply(self, record: dict[str, Any], seq: int, line: int) -> None:
        handler = getattr(self, "_" + record["type"])
        try:
            found = handler(record, seq, line)
        except (PackageRejected, MachineError, Cancelled):
            raise
        except UserError as exc:
            raise RecordError(line, exc.message) from None
        if found is False:
            self._keep(record, seq, line)

    def _keep(self, record: dict[str, Any], seq: int, line: int) -> None:
        kind, ref = _ref_of(record)
        self.s.add(KeptRecord(ref_kind=kind, ref=ref, record=record, package_seq=seq, line=line))
        what = {"task": "任务", "node": "节点", "notice": "督办通知", "appeal": "申诉"}[kind]
        self.warn(f"第 {line} 行的{_TYPE_WORDS.get(record['type'], record['type'])}针对的{what}“{ref}”本单位还没有，"
                  "已暂存，等它到达后自动处理。")
        self.count("kept")

    def retry_kept(self) -> None:
        """Apply kept records whose object now exists (in their own Sequence/line order)."""
        if self.s.scalar(select(KeptRecord.id).limit(1)) is None and not self.result.summary.get("kept"):
            return
        self.sync()
        self.s.flush()
        kept = list(self.s.scalars(select(KeptRecord).order_by(KeptRecord.package_seq, KeptRecord.line)))
        for k in kept:
            handler = getattr(self, "_" + k.record["type"])
            try:
                found = handler(dict(k.record), k.package_seq, k.line)
            except (MachineError, Cancelled):
                raise
            except UserError:
                found = False
            if found is not False:
                self.s.delete(k)

    # -- handlers -------------------------------------------------------------------------------
    def _assignment(self, r: dict[str, Any], seq: int, line: int) -> bool:
        key = f"assignment:{r['id']}"
        task = self.find_task(r["id"])
        if task is not None and task.city_ref != r["id"]:
            task = None  # the id names a unit task, not the city's reference
        if task is None:
            task = self.deleted_by_ref.get(r["id"])
        if self.older(key, seq, line):
            return True
        nodes = sorted(r.get("nodes") or [], key=lambda n: n["seq"])
        if task is None:
            task = self._create(r, nodes)
        else:
            self._update(r, task, nodes)
        self.mark(key, seq, line)
        self._resolve_refs(task)
        return True

    def _create(self, r: dict[str, Any], nodes: list[dict[str, Any]]) -> _TaskRow:
        """The rows `create_task` would make (same checks, status, next_due, search_text, change_no, audit),
        keeping the city's node numbers."""
        data = TaskInput(title=r["title"], source=r["source"], category=r["category"], deadline=r["deadline"],
                         owner=r.get("owner") or "", batch=r.get("batch") or "",
                         description=r.get("description") or "",
                         nodes=[NodeInput(n["title"], n["due"]) for n in nodes])
        fields = check_task_input(data)
        owner = self._person(data.owner)
        self._change += 1
        task = _TaskRow(id=str(uuid.uuid4()), city_ref=r["id"], section_id=None, owner_id=owner.id if owner else None,
                    status="open", review_state=None, review_comment="", submitted_at=None, closed_on=None,
                    next_due=None, search_text="", from_city=True, rev=1, created=self.now, updated=self.now,
                    change_no=self._change, deleted=None, nodes=[], owner=owner, section=None, new=True, **fields)
        for n in nodes:
            node = _NodeRow(id=str(uuid.uuid4()), task_id=task.id, seq=n["seq"], title=n["title"].strip(), due=n["due"],
                        done=None, status="pending", note="", done_by=None, confirmed_by=None, confirmed_at=None,
                        city_result=None, city_comment="", from_city=True, rev=1, updated=self.now,
                        change_no=task.change_no, deleted=None, new=True)
            task.nodes.append(node)
            self.nodes_by_id[node.id] = node
            self.dirty_nodes[node.id] = node
        self.by_id[task.id] = task
        self._cache_task(task)
        self.refresh(task)
        self.audit("task.create", "task", task.id, obj=task, task_id=task.id)
        for node in task.nodes:
            self.audit("node.create", "node", node.id, obj=node, task_id=task.id)
        self.count("tasks_created")
        self.created.append(r["id"])
        return task

    def _update(self, r: dict[str, Any], task: _TaskRow, nodes: list[dict[str, Any]]) -> None:
        # The same checks as for a new task (issue 15: an update may not set what a creation may not).
        data = TaskInput(title=r["title"], source=r["source"], category=r["category"], deadline=r["deadline"],
                         batch=r.get("batch") or "", description=r.get("description") or "",
                         nodes=[NodeInput(n["title"], n["due"]) for n in nodes])
        fields = check_task_input(data)
        nodes = [dict(n, title=checked.title.strip()) for n, checked in zip(nodes, data.nodes, strict=True)]
        before = audit.snapshot("task", task)
        task.title, task.source, task.category, task.deadline = (fields["title"], fields["source"],
                                                                 fields["category"], fields["deadline"])
        for name in ("description", "batch"):
            if r.get(name) is not None:
                setattr(task, name, fields[name])
        if r.get("owner") and task.owner is None:
            task.owner = self._person(r["owner"])
            task.owner_id = task.owner.id if task.owner else None
        task.from_city = True
        if task.deleted:
            task.deleted = None
            self._cache_task(task)
        self.audit("task.assign", "task", task.id, obj=task, before=before, task_id=task.id)
        self.count("tasks_updated")
        self.changed.append(r["id"])
        if r.get("nodes") is not None:
            self._assign_nodes(task, nodes, r["id"])
        self.touch(task)
        self.refresh(task)

    def _assign_nodes(self, task: _TaskRow, nodes: list[dict[str, Any]], ref: str) -> None:
        wanted = {n["seq"]: n for n in nodes}
        live = live_nodes(task)
        for n in live:
            if not n.from_city and n.seq in wanted:  # a local node sits where the city puts its own: move it
                before = audit.snapshot("node", n)
                n.seq = max([x.seq for x in live] + list(wanted)) + 1
                self.touch(n)
                self.audit("node.renumber", "node", n.id, obj=n, before=before, task_id=task.id)
        by_seq = {n.seq: n for n in live_nodes(task) if n.from_city}
        for sq, spec in wanted.items():
            node = by_seq.get(sq)
            if node is None:
                node = _NodeRow(id=str(uuid.uuid4()), task_id=task.id, seq=sq, title=spec["title"], due=spec["due"],
                            done=None, status="pending", note="", done_by=None, confirmed_by=None, confirmed_at=None,
                            city_result=None, city_comment="", from_city=True, rev=1, updated=self.now, change_no=0,
                            deleted=None, new=True)
                task.nodes.append(node)
                self.nodes_by_id[node.id] = node
                self.touch(node)
                self.audit("node.create", "node", node.id, obj=node, task_id=task.id)
            elif (node.title, node.due) != (spec["title"], spec["due"]):
                before = audit.snapshot("node", node)
                node.title, node.due = spec["title"], spec["due"]
                self.touch(node)
                self.audit("node.assign", "node", node.id, obj=node, before=before, task_id=task.id)
        for sq, node in by_seq.items():
            if sq in wanted:
                continue
            if node.status != "pending":
                self.warn(f"市平台交办的任务“{ref}”取消了第 {sq} 个节点，但本单位已填报完成，予以保留。")
                continue
            node.deleted = self.now
            self.touch(node)
            self.audit("node.delete", "node", node.id, obj=node, task_id=task.id)

    def _resolve_refs(self, task: _TaskRow) -> None:
        """Notices and deductions that name this task (by id or city_ref) point at it from now on."""
        for ref in {task.id, task.city_ref or task.id}:
            for n in self.by_ref.pop(ref, []):
                if n.task_ref != ref:
                    continue
                n.task_id = task.id
                if getattr(n, "node_ref", None):
                    node = self.find_node(n.node_ref)
                    n.node_id = node.id if node else None

    def _notice(self, r: dict[str, Any], seq: int, line: int) -> bool:
        nid = r["id"]
        notice = self.notices.get(nid)
        content_key, state_key = f"notice:{nid}:content", f"notice:{nid}:state"
        if notice is None:
            notice = SimpleNamespace(id=nid, level=r["level"], task_ref=r["task_ref"], node_ref=None, task_id=None,
                                     node_id=None, title=r["title"], text=r["text"], issued=r["issued"],
                                     issuer=r["issuer"], respond_by=r["respond_by"], attachments=[], state="open",
                                     closed=None, closure_comment="", read_at=None, content_seq=0, state_seq=0,
                                     state_line=0)
            self.new_notices[nid] = notice
            self.notices[nid] = notice
        applied = False
        if self.newer(content_key, seq, line):
            notice.level, notice.task_ref, notice.node_ref = r["level"], r["task_ref"], r.get("node_ref")
            notice.title, notice.text, notice.issued = r["title"], r["text"], r["issued"]
            notice.issuer, notice.respond_by = r["issuer"], r["respond_by"]
            notice.attachments = list(r.get("attachments") or [])
            notice.content_seq = seq
            task = self.find_task(r["task_ref"])
            notice.task_id = task.id if task else None
            self.by_ref.setdefault(notice.task_ref, []).append(notice)
            node = self.find_node(r["node_ref"]) if r.get("node_ref") else None
            notice.node_id = node.id if node else None
            if task is None:
                self.warn(f"第 {line} 行的督办通知 {nid} 针对的任务“{r['task_ref']}”本单位还没有，"
                          "通知已收下，等任务到达后自动关联。")
            self._attachments(notice.attachments, nid)
            self.mark(content_key, seq, line)
            applied = True
        if self.newer(state_key, seq, line):
            notice.state, notice.closed, notice.closure_comment = "open", None, ""
            notice.state_seq, notice.state_line = seq, line
            self.mark(state_key, seq, line)
            applied = True
        # Notices are the city's own records: the package's audit entry covers them (one per package).
        self.count("notices" if applied else "older_skipped")
        return True

    def _attachments(self, shas: list[str], nid: str) -> None:
        for sha in shas:
            pkg = self.files.get(sha)
            if pkg is None:
                if not self.ws.evidence.has(sha):
                    self.warn(f"督办通知 {nid} 的附件 {sha[:12]}… 没有随包送达。")
                else:
                    self.attachments_present.add(sha)
                continue
            self.attachments_present.add(sha)
            if self.dry_run or self.ws.evidence.has(sha):
                continue
            stored = self.ws.evidence.add_stream(bag.file_reader(pkg, sha), expected_sha256=sha)
            if not stored.existed:
                self.created_files.append(self.ws.evidence.path_for(sha))
            self.count("files")

    def _notice_closure(self, r: dict[str, Any], seq: int, line: int) -> bool:
        notice = self.notices.get(r["notice_id"]) or self.s.get(Notice, r["notice_id"])
        if notice is None:
            return False
        key = f"notice:{notice.id}:state"
        if self.older(key, seq, line):
            return True
        notice.state, notice.closed, notice.closure_comment = "closed", r["closed"], r.get("comment") or ""
        notice.state_seq, notice.state_line = seq, line
        self.mark(key, seq, line)
        self.count("closures")
        return True

    def _review(self, r: dict[str, Any], seq: int, line: int) -> bool:
        if r["target"] == "task":
            task = self.find_task(r["target_id"])
            if task is None:
                return False
            node = None
            key = f"review:task:{task.id}"
        else:
            node = self.find_node(r["target_id"])
            if node is None:
                return False
            task = self.by_id[node.task_id]
            key = f"review:node:{node.id}"
        row = self.reviews.get(r["id"])
        if row is None:
            row = SimpleNamespace(id=r["id"])
            self.new_reviews[row.id] = row
            self.reviews[row.id] = row
        row.target, row.target_id, row.task_id = r["target"], r["target_id"], task.id
        row.node_id = node.id if node else None
        row.result, row.reviewed, row.reviewer = r["result"], r["reviewed"], r["reviewer"]
        row.comment, row.package_seq, row.line = r.get("comment") or "", seq, line
        if self.older(key, seq, line):
            return True
        comment = r.get("comment") or ""
        if node is None:
            before = audit.snapshot("task", task)
            task.review_state, task.review_comment = r["result"], comment
            if r["result"] == "accepted":
                task.closed_on = r["reviewed"][:10]
            else:
                task.closed_on = None
                task.submitted_at = None
            self.touch(task)
            self.refresh(task)
            self.audit(f"task.review.{r['result']}", "task", task.id, obj=task, before=before, task_id=task.id)
        else:
            before = audit.snapshot("node", node)
            node.city_result, node.city_comment = r["result"], comment
            if r["result"] == "returned":
                node.status, node.done, node.done_by = "pending", None, None
                node.confirmed_by, node.confirmed_at = None, None
                task.submitted_at = None
                self.touch(task)
            self.touch(node)
            self.refresh(task)
            self.audit(f"node.review.{r['result']}", "node", node.id, obj=node, before=before, task_id=task.id)
        self.mark(key, seq, line)
        self.changed.append(task.city_ref or task.id)
        self.count("reviews")
        return True

    def _deduction(self, r: dict[str, Any], seq: int, line: int) -> bool:
        if r["id"] in self.deductions:
            return True  # deductions are events: applied once by id
        task = self.find_task(r["task_ref"])
        d = SimpleNamespace(id=r["id"], task_ref=r["task_ref"], task_id=task.id if task else None,
                            points=float(r["points"]), kind=r["kind"], reason=r["reason"], issued=r["issued"],
                            reverses=r.get("reverses"), reversed_by=None, package_seq=seq)
        self.new_deductions[d.id] = d
        self.deductions[d.id] = d
        self.by_ref.setdefault(d.task_ref, []).append(d)
        if task is None:
            self.warn(f"第 {line} 行的扣分 {r['id']} 针对的任务“{r['task_ref']}”本单位还没有，"
                      "已记下，等任务到达后自动关联。")
        if r["kind"] == "reversed":
            self.reversals[r["reverses"]] = d.id
            target = self.deductions.get(r["reverses"])
            if target is not None:
                target.reversed_by = r["id"]
            else:
                self.warn(f"第 {line} 行撤销的扣分 {r['reverses']} 本单位还没有收到，收到后自动撤销。")
        later = self.reversals.get(r["id"])
        if later is not None:
            d.reversed_by = later
        self.audit("deduction.receive", "deduction", d.id, after={"points": d.points, "kind": d.kind},
                   task_id=d.task_id)
        self.count("deductions")
        return True

    def _appeal_result(self, r: dict[str, Any], seq: int, line: int) -> bool:
        appeal = self.appeals.get(r["appeal_id"]) or self.s.get(Appeal, r["appeal_id"])
        if appeal is None:
            return False
        key = f"appeal:{appeal.id}"
        if self.older(key, seq, line):
            return True
        appeal.result, appeal.decided, appeal.comment = r["result"], r["decided"], r.get("comment") or ""
        appeal.result_seq = seq
        self.mark(key, seq, line)
        self.audit("appeal.result", "appeal", appeal.id, after={"result": appeal.result}, task_id=appeal.task_id)
        self.count("appeal_results")
        return True

    def _ack(self, r: dict[str, Any], seq: int, line: int) -> bool:
        n = r["unit_sequence"]
        key = f"ack:{n}"
        if self.older(key, seq, line):
            return True
        rows = list(self.s.scalars(select(PackageLog).where(PackageLog.direction == "out",
                                                             PackageLog.package_type == "unit-report",
                                                             PackageLog.sequence == n)))
        self.mark(key, seq, line)
        if not rows:
            self.warn(f"回执针对本单位第 {n} 号报送包，但本机没有发出过这一号（可能重装过或恢复了旧备份）；"
                      f"下一次报送将从第 {n + 1} 号起编号。")
            counters.raise_to(self.s, REPORT_SEQ, n)
            return True
        if self._file_acks is None:
            self._file_acks = set(self.s.scalars(select(FileAck.sha256)))
        for row in rows:
            row.status = "acknowledged" if r["status"] == "accepted" else "rejected"
            row.ack_reason = r.get("reason") or ""
            if r["status"] == "accepted":
                for sha in (row.summary or {}).get("files", []):
                    if sha not in self._file_acks:
                        self._file_acks.add(sha)
                        self.s.add(FileAck(sha256=sha, report_seq=n))
            else:
                self.warn(f"市平台退回了本单位第 {n} 号报送包：{r.get('reason') or '未说明原因'}。"
                          "下一次报送会重新包含其内容。")
        self.count("acks")
        return True

    def _settings(self, r: dict[str, Any], seq: int, line: int) -> bool:
        for name in ("yellow_after_days", "red_after_days", "due_soon_days", "volume_limit_mb"):
            value = r.get(name)
            if value is None:
                continue
            key = f"setting:{name}"
            if not self.newer(key, seq, line):
                continue
            spec = settings_mod.SPECS[name]
            if value < spec.minimum:
                self.warn(f"第 {line} 行的参数 {name}={value} 小于允许的最小值 {spec.minimum}，未采用。")
                continue
            settings_mod.set_from_city(self.s, name, int(value), seq)
            self.mark(key, seq, line)
            self.count("settings")
        return True

    def _key(self, r: dict[str, Any], seq: int, line: int) -> bool:
        key = f"key:{r['key_id']}"
        if not self.newer(key, seq, line):
            return True
        self.sync()  # the rotation flushes the session: task rows first
        self.warn(apply_city_rotation(self.s, r, self.signer) + "。")
        self.mark(key, seq, line)
        self.count("keys")
        return True


def _table_of(model: type[Base]) -> Table:
    """The table a declarative model is mapped to (typed only as a FromClause by SQLAlchemy)."""
    return cast(Table, model.__table__)


def bulk_write(s: Session, table: Table, rows: list[dict[str, Any]], update_by: str | None = None) -> None:
    """Insert (or update by `update_by`) plain rows with one executemany on the driver, in the session's
    transaction: no per-row statement compilation. JSON columns are serialised as SQLAlchemy would."""
    if not rows:
        return
    names = [n for n in rows[0] if n != update_by] + ([update_by] if update_by else [])
    json_cols = {c.name for c in table.columns if isinstance(c.type, JSON)}
    if update_by:
        sets = ", ".join(f'"{n}" = ?' for n in names[:-1])
        sql = f'UPDATE "{table.name}" SET {sets} WHERE "{update_by}" = ?'
    else:
        cols = ", ".join(f'"{n}"' for n in names)
        sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({", ".join("?" * len(names))})'
    if json_cols:
        params = [tuple(json.dumps(r[n]) if n in json_cols else r[n] for n in names) for r in rows]
    else:
        params = [tuple(r[n] for n in names) for r in rows]
    s.connection().exec_driver_sql(sql, params)


def _node_ref(ref: str | None, refs: set[str], node_ids: set[str]) -> None:
    if not ref:
        return
    if "#" in ref:
        refs.add(ref.rpartition("#")[0])
    else:
        node_ids.add(ref)


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _ref_of(record: dict[str, Any]) -> tuple[str, str]:
    t = record["type"]
    if t == "notice_closure":
        return "notice", record["notice_id"]
    if t == "appeal_result":
        return "appeal", record["appeal_id"]
    if t == "review":
        return record["target"], record["target_id"]
    return "task", str(record.get("task_ref") or record["id"])
