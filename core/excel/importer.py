"""Import the city's Excel problem list: find the header, read every row, report bad rows, import the rest.

Reading (`read_problem_list`) changes nothing and gives the preview the window shows: the parsed rows,
each bad row with its row number, column and reason, and the rows already in the ledger. Importing
(`import_problem_list`) creates the valid rows in the caller's transaction (one per user action).

Identity, so that importing the same list twice creates nothing new: the list's 问题编号 column when it has
one (kept as the task's city_ref); otherwise the same 问题描述 + 问题来源 + 批次 as a live task.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core import audit, enums
from core.counters import bump, peek
from core.dates import now_ts
from core.errors import InputRefused
from core.excel.columns import (
    EXPORT_ONLY,
    LABELS,
    REQUIRED,
    DateProblem,
    cell_text,
    header_key,
    parse_typed_date,
)
from core.ledger.tasks import NodeInput, TaskInput, create_task, refresh
from core.text import person_name
from db.models import Node, Person, Section, Task

HEADER_SCAN_ROWS = 30
# A list ends where a long run of empty rows starts: a sheet "formatted" down to row 1,048,576 (a border or a
# fill applied to whole columns, as WPS and Excel leave it) must not be read row by row for a minute.
EMPTY_RUN_STOP = 1000
# Sizes, read from the ZIP directory before openpyxl parses anything: openpyxl loads the shared string table
# and the styles whole, so a few hundred KB that inflate to gigabytes ("spreadsheet bomb") are refused here.
MAX_XLSX_ENTRIES = 10_000
MAX_PART_BYTES = 32 * 2**20  # sharedStrings.xml, styles.xml, workbook.xml ... (a real list: a few MB)
MAX_SHEET_BYTES = 512 * 2**20  # worksheets are streamed, but a bound on the work still applies
MAX_TOTAL_BYTES = 1024 * 2**20
_NODE_LINE = re.compile(
    r"^\s*(?:\d+\s*[.．、)]\s*)?(?P<title>.+?)\s*(?:@\s*(?P<d1>.+)|[（(]\s*(?:期限)?\s*(?P<d2>[^（()）]+)"
    r"\s*[)）])\s*$"
)


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number, as Excel shows it
    column: str  # the column's header as written in the file
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ParsedRow:
    row: int
    values: dict[str, str]
    data: TaskInput | None = None
    city_ref: str | None = None
    errors: list[RowError] = field(default_factory=list)
    duplicate: str = ""  # why it is already in the ledger (then it is skipped, not an error)

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors and not self.duplicate

    def identity(self) -> tuple[str, ...]:
        if self.city_ref:
            return ("ref", self.city_ref)
        v = self.values
        return (
            "tsb",
            v.get("title", ""),
            self.data.source if self.data else v.get("source", ""),
            v.get("batch", ""),
        )


@dataclass
class Preview:
    path: Path
    sheet: str
    header_row: int
    columns: dict[str, str]  # field -> header as written
    rows: list[ParsedRow]
    notes: list[str] = field(default_factory=list)  # what the clerk should know about how the file was read

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def bad_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.errors]

    @property
    def importable(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.ok]

    @property
    def duplicates(self) -> list[RowError]:
        return [RowError(r.row, "", r.duplicate) for r in self.rows if r.duplicate and not r.errors]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": self.columns,
            "rows": len(self.rows),
            "importable": len(self.importable),
            "bad_rows": [r.row for r in self.bad_rows],
            "errors": [e.as_json() for e in self.errors],
            "duplicates": [d.as_json() for d in self.duplicates],
            "notes": list(self.notes),
        }


# -- opening the file ---------------------------------------------------------------------------
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _names_encrypted_package(path: Path) -> bool:
    """An OLE file holding an `EncryptedPackage` stream is a password-protected .xlsx (MS-OFFCRYPTO).

    Read in chunks (an old .xls may be large), with an overlap so a name across two chunks is found.
    """
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            if _ENCRYPTED in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTED):]
    return False


def _open_workbook(path: Path) -> Any:
    import openpyxl

    if not path.is_file():
        raise InputRefused(f"找不到文件“{path}”。", hint="请检查文件路径。")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if _names_encrypted_package(path):
            raise InputRefused(
                f"“{path.name}”设置了打开密码，无法读取。",
                hint="请在 Excel 中输入密码打开后，用“文件—信息—保护工作簿—用密码进行加密”清除密码，另存后再导入。",
            )
        raise InputRefused(
            f"“{path.name}”是旧版 Excel（.xls）文件。",
            hint="请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入。",
        )
    if not zipfile.is_zipfile(path):
        raise InputRefused(
            f"“{path.name}”不是 Excel 表格文件。",
            hint="请选择市里下发的问题清单（.xlsx）。如是 WPS 表格，请另存为 .xlsx。",
        )
    _check_sizes(path)
    _bound_openpyxl()
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parse failure of a foreign file is the user's file, not our bug
        raise InputRefused(
            f"“{path.name}”无法作为 Excel 工作簿打开，文件可能已损坏。",
            hint="请在 Excel 中打开并另存为 .xlsx 后再导入。",
        ) from None


def _dimensions_before_data(self: Any) -> None:
    """openpyxl's read-only sheet looks for <dimension> with "end" events, so a sheet without one (WPS, some
    city exports) is parsed whole at load, a million formatted rows included. <dimension> comes before
    <sheetData> in every valid sheet: read "start" events and stop there. Same result, bounded work."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    src = self._get_source()
    try:
        for _event, element in iterparse(src, events=("start",)):
            if element.tag == DIMENSION_TAG:
                dims = SheetDimension.from_tree(element).boundaries
                if dims is not None:
                    self._min_column, self._min_row, self._max_column, self._max_row = dims
                return
            if element.tag == DATA_TAG:
                return
    finally:
        src.close()


def _bound_openpyxl() -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if ReadOnlyWorksheet._get_size is not _dimensions_before_data:
        ReadOnlyWorksheet._get_size = _dimensions_before_data


def _check_sizes(path: Path) -> None:
    """Refuse a workbook whose parts would inflate beyond what a problem list can need (declared sizes bound
    what zipfile will inflate: it stops at the declared size and fails the CRC)."""
    too_big = InputRefused(
        f"“{path.name}”解压后异常庞大，疑似“表格炸弹”，为保护电脑没有打开。",
        hint="请向发送方核实文件；如确是问题清单，请在 Excel 中删除多余的行和内容后另存为 .xlsx 再导入。",
    )
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputRefused(
            f"“{path.name}”无法作为 Excel 工作簿打开，文件可能已损坏。",
            hint="请在 Excel 中打开并另存为 .xlsx 后再导入。",
        ) from None
    if len(infos) > MAX_XLSX_ENTRIES:
        raise too_big
    total = 0
    for info in infos:
        total += info.file_size
        limit = MAX_SHEET_BYTES if info.filename.startswith("xl/worksheets/") else MAX_PART_BYTES
        if info.file_size > limit or total > MAX_TOTAL_BYTES:
            raise too_big


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[int, str], dict[str, str]] | None:
    """The first row (below any title rows) whose cells name the list's columns."""
    best: tuple[int, dict[int, str], dict[str, str]] | None = None
    for index, row in enumerate(rows):
        keys: dict[int, str] = {}
        names: dict[str, str] = {}
        for col, value in enumerate(row):
            key = header_key(value)
            if key and key not in names:
                keys[col] = key
                names[key] = cell_text(value)
        if "title" in names and len(names) >= 3 and (best is None or len(names) > len(best[2])):
            best = (index, keys, names)
            if len(names) >= 6:
                break
    return best


def read_problem_list(path: Path, session: Session | None = None) -> Preview:
    """Parse the list; with a session, also mark the rows already in the ledger. Changes nothing."""
    path = Path(path)
    wb = _open_workbook(path)
    try:
        for sheet in [wb.active, *[s for s in wb.worksheets if s is not wb.active]]:
            if sheet is None:
                continue
            # Some programs write a wrong sheet size; read every row there is, not what the file claims.
            sheet.reset_dimensions()
            it = sheet.iter_rows(values_only=True)
            top: list[tuple[Any, ...]] = []
            for row in it:
                top.append(row)
                if len(top) >= HEADER_SCAN_ROWS:
                    break
            found = _find_header(top)
            if found is None:
                continue
            index, keys, names = found
            parsed: list[ParsedRow] = []
            rest = (r for r in top[index + 1 :])
            row_no = index + 2
            empty_run = 0
            stopped = 0
            for source in (rest, it):
                for values in source:
                    pr = _read_row(row_no, values, keys)
                    if pr is not None:
                        parsed.append(pr)
                        empty_run = 0
                    else:
                        empty_run += 1
                        if empty_run >= EMPTY_RUN_STOP:
                            stopped = row_no - EMPTY_RUN_STOP + 1
                            break
                    row_no += 1
                if stopped:
                    break
            preview = Preview(path, sheet.title, index + 1, names, parsed)
            if stopped:
                preview.notes.append(
                    f"从第 {stopped} 行起连续 {EMPTY_RUN_STOP} 行都是空行，已停止读取其后的内容。"
                    "如空行之后还有问题，请在表格中删除这些空行后重新导入。"
                )
            _check_rows(preview, session)
            return preview
    finally:
        wb.close()
    raise InputRefused(
        f"在“{path.name}”中找不到问题清单的表头。",
        hint="表头应包含“问题描述”“问题来源”“整改类别”“责任人”“整改时限”等列名，请检查后重试。",
    )


# The values Excel shows for a formula that failed (#N/A from a VLOOKUP that found nothing, …).
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!"})


def _read_row(row_no: int, values: tuple[Any, ...], keys: dict[int, str]) -> ParsedRow | None:
    raw: dict[str, Any] = {}
    for col, key in keys.items():
        if col < len(values) and key not in EXPORT_ONLY:
            raw[key] = values[col]
    if all(cell_text(v) == "" for k, v in raw.items() if k != "seq"):
        return None  # an empty line, or a line holding only a 序号
    pr = ParsedRow(row_no, {k: cell_text(v) for k, v in raw.items()})
    pr.values["_deadline_raw"] = raw.get("deadline")  # type: ignore[assignment]
    return pr


def _col(preview: Preview, key: str) -> str:
    return preview.columns.get(key, LABELS.get(key, key))


def _ledger_identities(session: Session) -> tuple[set[str], set[tuple[str, str, str]]]:
    """City numbers in use (deleted tasks too: the number stays taken) and live (title, source, batch)."""
    refs = {r for r in session.scalars(select(Task.city_ref).where(Task.city_ref.is_not(None))) if r}
    keys = {
        (t, so, b)
        for t, so, b in session.execute(select(Task.title, Task.source, Task.batch).where(Task.deleted.is_(None)))
    }
    return refs, keys


def _mark_duplicates(preview: Preview, refs: set[str], keys: set[tuple[str, str, str]]) -> None:
    for pr in preview.rows:
        if pr.data is None or pr.errors or pr.duplicate:
            continue
        if pr.city_ref and pr.city_ref in refs:
            pr.duplicate = f"问题编号“{pr.city_ref}”已在台账中"
        elif not pr.city_ref and (pr.data.title, pr.data.source, pr.data.batch) in keys:
            pr.duplicate = "同一问题（问题描述、来源、批次相同）已在台账中"


def _check_rows(preview: Preview, session: Session | None) -> None:
    for pr in preview.rows:
        _parse(preview, pr)
    seen: dict[tuple[str, ...], int] = {}
    for pr in preview.rows:
        if pr.data is None:
            continue
        ident = pr.identity()
        if ident in seen:
            what = f"问题编号“{pr.city_ref}”" if pr.city_ref else "问题描述、来源和批次"
            pr.errors.append(
                RowError(
                    pr.row,
                    _col(preview, "city_ref" if pr.city_ref else "title"),
                    f"与第 {seen[ident]} 行的{what}相同，重复了",
                )
            )
            continue
        seen[ident] = pr.row
    if session is not None:
        _mark_duplicates(preview, *_ledger_identities(session))


def _parse(preview: Preview, pr: ParsedRow) -> None:
    v = pr.values
    raw_deadline = v.pop("_deadline_raw", None)
    errors = pr.errors
    for key in REQUIRED:
        if key in preview.columns and not v.get(key):
            errors.append(RowError(pr.row, _col(preview, key), "未填写"))
    for key in REQUIRED:
        if key not in preview.columns:
            errors.append(RowError(pr.row, LABELS[key], "表中没有这一列"))
    broken = {key for key, value in v.items() if value in EXCEL_ERRORS}
    for key in sorted(broken):  # a formula that failed in the city's sheet: its text is no content
        errors.append(RowError(pr.row, _col(preview, key),
                               f"是 Excel 的错误值 {v[key]}（这个单元格的公式出错了），请在 Excel 中改正后再导入"))
    source = enums.try_parse("source", v.get("source", "")) if v.get("source") else None
    if v.get("source") and source is None:
        errors.append(
            RowError(
                pr.row,
                _col(preview, "source"),
                f"“{v['source']}”不在问题来源清单内（可填：{'、'.join(enums.SOURCES.values())}）",
            )
        )
    category = enums.try_parse("category", v.get("category", "")) if v.get("category") else None
    if v.get("category") and category is None:
        errors.append(
            RowError(
                pr.row,
                _col(preview, "category"),
                f"“{v['category']}”不在整改类别清单内（可填：{'、'.join(enums.CATEGORIES.values())}）",
            )
        )
    deadline: date | None = None
    if "deadline" not in broken and (v.get("deadline") or raw_deadline not in (None, "")):
        try:
            deadline = parse_typed_date(raw_deadline)
        except DateProblem as exc:
            errors.append(RowError(pr.row, _col(preview, "deadline"), str(exc)))
    nodes: list[NodeInput] = []
    for line in (v.get("nodes") or "").splitlines():
        if not line.strip():
            continue
        m = _NODE_LINE.match(line)
        try:
            if not m:
                raise DateProblem(f"节点“{line.strip()}”没有期限，请写成 节点名称（2026-05-31）")
            due = parse_typed_date(m.group("d1") or m.group("d2"))
            nodes.append(NodeInput(m.group("title").strip(), due.isoformat()))
        except DateProblem as exc:
            errors.append(RowError(pr.row, _col(preview, "nodes"), str(exc)))
    if errors:
        return
    description = v.get("description", "")
    if v.get("note"):
        description = f"{description}\n备注：{v['note']}" if description else f"备注：{v['note']}"
    pr.city_ref = v.get("city_ref") or None
    pr.data = TaskInput(
        title=v["title"],
        source=source or "",
        category=category or "",
        owner=person_name(v.get("owner", "")),
        deadline=deadline.isoformat() if deadline else "",
        section=v.get("section", ""),
        leader=v.get("leader", ""),
        batch=v.get("batch", ""),
        description=description,
        measures=v.get("measures", ""),
        nodes=nodes,
    )


def import_problem_list(session: Session, actor: str, preview: Preview) -> list[str]:
    """Create the valid, new rows as tasks in the caller's transaction; returns their ids.

    The ledger is checked again here, so a preview shown a while ago cannot create duplicates."""
    _mark_duplicates(preview, *_ledger_identities(session))
    rows = preview.importable
    if len(rows) < BULK_FROM:
        return [create_task(session, actor, pr.data, city_ref=pr.city_ref).id for pr in rows if pr.data]
    return _create_in_bulk(session, actor, rows)


BULK_FROM = 50


def _create_in_bulk(session: Session, actor: str, rows: list[ParsedRow]) -> list[str]:
    """What create_task does, set-based for thousands of rows: people and sections looked up once, tasks,
    nodes and their audit entries (same content, same hash chain) inserted as plain rows.
    The rows were checked by _parse already (enumerations and dates normalised)."""
    sections = {sec.name: sec for sec in session.scalars(select(Section))}
    people = {p.name: p for p in session.scalars(select(Person))}
    for pr in rows:
        name = pr.data.section.strip() if pr.data else ""
        if name and name not in sections:
            sections[name] = Section(name=name)
            session.add(sections[name])
    session.flush()
    for pr in rows:
        d = pr.data
        if d and d.owner.strip() and d.owner.strip() not in people:
            sec = sections.get(d.section.strip())
            people[d.owner.strip()] = Person(name=d.owner.strip(), section_id=sec.id if sec else None, active=True)
            session.add(people[d.owner.strip()])
    session.flush()
    first = peek(session, "change") + 1
    bump(session, "change", at_least=first + len(rows) - 1)
    now = now_ts()
    task_rows: list[dict[str, Any]] = []
    node_rows: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []

    def log(action: str, etype: str, obj: SimpleNamespace, task_id: str) -> None:
        entries.append(audit.pending_entry(actor, action, etype, obj.id, obj=obj, task_id=task_id, at=now))

    for k, pr in enumerate(rows):
        d = pr.data
        assert d is not None
        sec = sections.get(d.section.strip())
        owner = people.get(d.owner.strip())
        tid = str(uuid.uuid4())
        task = SimpleNamespace(
            id=tid,
            city_ref=pr.city_ref,
            title=d.title.strip(),
            description=d.description.strip(),
            measures=d.measures.strip(),
            source=d.source,
            category=d.category,
            batch=d.batch.strip(),
            leader=d.leader.strip(),
            section_id=sec.id if sec else None,
            owner_id=owner.id if owner else None,
            deadline=d.deadline,
            status="open",
            review_state=None,
            review_comment="",
            submitted_at=None,
            closed_on=None,
            next_due=None,
            search_text="",
            from_city=False,
            rev=1,
            created=now,
            updated=now,
            change_no=first + k,
            deleted=None,
            section=sec,
            owner=owner,
            nodes=[],
        )
        for i, n in enumerate(d.nodes, start=1):
            task.nodes.append(
                SimpleNamespace(
                    id=str(uuid.uuid4()),
                    task_id=tid,
                    seq=i,
                    title=n.title.strip(),
                    due=n.due,
                    done=None,
                    status="pending",
                    note="",
                    done_by=None,
                    confirmed_by=None,
                    confirmed_at=None,
                    city_result=None,
                    city_comment="",
                    from_city=False,
                    rev=1,
                    updated=now,
                    change_no=first + k,
                    deleted=None,
                )
            )
        refresh(task)  # type: ignore[arg-type]  # status, next_due, search_text exactly as for one task
        task_rows.append({c: getattr(task, c) for c in _TASK_COLUMNS})
        log("task.create", "task", task, tid)
        for n in task.nodes:
            node_rows.append({c: getattr(n, c) for c in _NODE_COLUMNS})
            log("node.create", "node", n, tid)
    for table, values in ((Task, task_rows), (Node, node_rows)):
        for chunk in range(0, len(values), 2000):
            session.execute(insert(table), values[chunk : chunk + 2000])
    audit.record_many(session, entries)  # the same hash chain as one-by-one creation
    return [t["id"] for t in task_rows]


_TASK_COLUMNS = [c.key for c in Task.__table__.columns]
_NODE_COLUMNS = [c.key for c in Node.__table__.columns]
