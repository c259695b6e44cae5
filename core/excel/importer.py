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
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
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
    header_text,
    is_canonical,
    node_state,
    parse_typed_date,
)
from core.excel.readers import (  # noqa: F401 - the limits are this module's public figures too
    MAX_PART_BYTES,
    MAX_SHEET_BYTES,
    MAX_TOTAL_BYTES,
    MAX_XLSX_ENTRIES,
    Book,
    Row,
    open_book,
)
from core.ledger.tasks import NodeInput, TaskInput, create_task, refresh
from core.text import person_name
from db.models import Node, Person, Section, Task

HEADER_SCAN_ROWS = 30
# A list ends where a long run of empty rows starts: a sheet "formatted" down to row 1,048,576 (a border or a
# fill applied to whole columns, as WPS and Excel leave it) must not be read row by row for a minute.
EMPTY_RUN_STOP = 1000
# Row errors listed one by one; past this many, bad rows are only counted (a sheet with an error on each of
# millions of rows keeps memory flat and the preview readable).
MAX_ROW_ERRORS = 1000
# Past that, a run of this many bad rows in a row ends the checking (each costs a parse: a million of them took
# minutes); the rows after are counted, not read, and none of them is imported (the preview says so).
FLOOD_RUN = 5000
_NODE_LINE = re.compile(
    r"^\s*(?:\d+\s*[.．、)]\s*)?(?P<title>.+?)\s*(?:@\s*(?P<d1>.+)|[（(]\s*(?:期限)?\s*(?P<d2>[^（()）]+)"
    r"\s*[)）])\s*$"
)
_NODE_SPLIT = re.compile(r"[，,；;]")


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number, as Excel shows it
    column: str  # the column's header as written in the file
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class RowState:
    """Where a task of an exported 台账 stood: its status, the nodes done, the dates of completion and 销号."""

    status: str = "open"
    completed: str = ""
    closed_on: str = ""
    nodes: list[tuple[str, str]] = field(default_factory=list)  # (pending|done|confirmed, done date)


@dataclass(frozen=True)
class RowPlan:
    """Measures and nodes the clerk copied into one row from a similar problem (相似问题) before importing."""

    measures: str
    nodes: tuple[NodeInput, ...] = ()
    taken_from: str = ""  # the suggestion's title, as the preview shows it


@dataclass
class ParsedRow:
    row: int
    values: dict[str, str]
    data: TaskInput | None = None
    city_ref: str | None = None
    errors: list[RowError] = field(default_factory=list)
    duplicate: str = ""  # why it is already in the ledger (then it is skipped, not an error)
    state: RowState | None = None
    plan: RowPlan | None = None

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors and not self.duplicate

    def task_input(self) -> TaskInput | None:
        """What is imported: the row as read, with the copied plan's measures after the row's own and its nodes
        after the row's own nodes (none due after the row's 整改时限: such a node is due on it)."""
        if self.data is None or self.plan is None:
            return self.data
        from core.measures.similar import merge_measures

        last = self.data.deadline
        copied = [NodeInput(n.title, min(n.due, last)) if last else n for n in self.plan.nodes]
        return replace(self.data, measures=merge_measures(self.data.measures, self.plan.measures),
                       nodes=[*self.data.nodes, *copied])

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
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook, in order
    headers: list[str] = field(default_factory=list)  # the header row's cells, one line each
    unrecognised: list[str] = field(default_factory=list)  # header cells that name no field
    defaults: dict[str, str] = field(default_factory=dict)  # field -> one value for every row
    more_bad_rows: int = 0  # bad rows past MAX_ROW_ERRORS: counted, not listed
    more_errors: int = 0
    unchecked_rows: int = 0  # rows after a flood of bad rows: counted, not checked, not imported
    unknown_status: dict[str, list[int]] = field(default_factory=dict)  # 整改状态 words not ours -> rows
    kind: str = ""  # xlsx | xls | ods | csv
    column_fields: dict[int, str] = field(default_factory=dict)  # column index -> field it is read as
    first_values: list[str] = field(default_factory=list)  # the first data row, as text (the mapping step)

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def bad_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.errors]

    @property
    def bad_count(self) -> int:
        return len(self.bad_rows) + self.more_bad_rows

    @property
    def row_count(self) -> int:
        return len(self.rows) + self.more_bad_rows + self.unchecked_rows

    @property
    def importable(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.ok]

    @property
    def arriving_closed(self) -> list[ParsedRow]:
        """Rows that become tasks already 销号 (a 台账 moved in from Excel)."""
        return [r for r in self.importable if r.state is not None and r.state.status == "closed"]

    @property
    def duplicates(self) -> list[RowError]:
        return [RowError(r.row, "", r.duplicate) for r in self.rows if r.duplicate and not r.errors]

    @property
    def missing(self) -> list[str]:
        """Required fields with neither a column nor a value for all rows."""
        return [k for k in REQUIRED if k not in self.columns and k not in self.defaults]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "sheet": self.sheet,
            "sheets": list(self.sheets),
            "header_row": self.header_row,
            "columns": self.columns,
            "unrecognised": list(self.unrecognised),
            "defaults": dict(self.defaults),
            "rows": self.row_count,
            "importable": len(self.importable),
            "bad_rows": [r.row for r in self.bad_rows],
            "bad_row_count": self.bad_count,
            "errors": [e.as_json() for e in self.errors],
            "errors_not_listed": self.more_errors,
            "rows_not_checked": self.unchecked_rows,
            "duplicates": [d.as_json() for d in self.duplicates],
            "arriving_closed": [r.row for r in self.arriving_closed],
            "notes": list(self.notes),
        }


# -- header ---------------------------------------------------------------------------------------------
Mapping = dict[str, str]  # header text (one line) -> field, "" to leave the column out


def header_signature(texts: list[str]) -> str:
    """What identifies a sender's layout: the set of its header texts."""
    return "\x1f".join(sorted({t for t in texts if t}))


def _find_header(rows: list[tuple[int, Row]], mapping: Mapping | None, memory: Any,
                 given: dict[str, str] | None) -> tuple[int, dict[int, str], dict[str, str], list[str]] | None:
    """The first row (below any title rows) whose cells name the list's columns: (index in rows, column ->
    field, field -> header as written, the row's header texts)."""
    best: tuple[int, dict[int, str], dict[str, str], list[str]] | None = None
    for index, (_number, row) in enumerate(rows):
        texts = [header_text(v) if isinstance(v, str) else "" for v in row]
        signature = header_signature(texts)
        chosen = mapping if mapping is not None else (memory.get(signature) if memory else None)
        defaults = given if given is not None else (memory.defaults(signature) if memory else {})
        keys: dict[int, str] = {}
        names: dict[str, str] = {}
        canonical: set[str] = set()
        for col, value in enumerate(row):
            text = texts[col]
            key = chosen[text] if chosen and text in chosen else header_key(value)
            if not key or key not in LABELS:
                continue
            if key in names and (key in canonical or not is_canonical(key, value)):
                continue  # the first column naming a field wins, unless a later one is the export's own name
            if key in names:
                keys = {c: k for c, k in keys.items() if k != key}
            keys[col] = key
            names[key] = header_text(value)
            if is_canonical(key, value):
                canonical.add(key)
        if "title" in names and len(names) + len(set(defaults) - set(names)) >= 3 and (
                best is None or len(names) > len(best[2])):
            best = (index, keys, names, texts)
            if len(names) >= 6:
                break
    return best


def _sheet_index(book: Book, sheet: str | int | None) -> list[int]:
    if sheet is None:
        return list(range(len(book.sheet_names)))
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.strip().isdigit()
                                  and sheet.strip() not in book.sheet_names):
        n = int(sheet)
        if 1 <= n <= len(book.sheet_names):
            return [n - 1]
    elif sheet in book.sheet_names:
        return [book.sheet_names.index(sheet)]
    raise InputRefused(
        f"“{book.path.name}”中没有工作表“{sheet}”。",
        hint=f"表中的工作表：{'、'.join(book.sheet_names)}（可写名称，或从 1 起的序号）。",
    )


def read_problem_list(path: Path, session: Session | None = None, *, sheet: str | int | None = None,
                      mapping: Mapping | None = None, memory: Any = None,
                      defaults: dict[str, str] | None = None) -> Preview:
    """Parse the list; with a session, also mark the rows already in the ledger. Changes nothing.

    `sheet`: a name or a number from 1 (default: the first sheet with a recognisable header row);
    `mapping`: header text -> field for columns the clerk mapped (`memory`: mappings remembered per layout,
    an object with get(signature)); `defaults`: field -> one value for every row, for columns the list lacks.
    """
    path = Path(path)
    given = None if defaults is None else {k: v for k, v in defaults.items() if v is not None and str(v).strip()}
    book = open_book(path)
    try:
        for index in _sheet_index(book, sheet):
            preview = _read_sheet(book, index, mapping, memory, given)
            if preview is None:
                continue
            _mark_ledger(preview, session)
            return preview
    finally:
        book.close()
    where = f"工作表“{sheet}”" if sheet is not None else f"“{path.name}”"
    raise InputRefused(
        f"在{where}中找不到问题清单的表头。",
        hint="表头应包含“问题描述”“问题来源”“整改类别”“责任人”“整改时限”等列名，请检查后重试。",
    )


def _read_sheet(book: Book, index: int, mapping: Mapping | None, memory: Any,
                given: dict[str, str] | None) -> Preview | None:
    """One sheet; `given` defaults, or None for the ones remembered for this layout (if any)."""
    it: Iterator[tuple[int, Row]] = book.rows(index)
    top: list[tuple[int, Row]] = []
    for numbered in it:
        top.append(numbered)
        if len(top) >= HEADER_SCAN_ROWS:
            break
    found = _find_header(top, mapping, memory, given)
    if found is None:
        return None
    at, keys, names, texts = found
    defaults = given if given is not None else (memory.defaults(header_signature(texts)) if memory else {})
    preview = Preview(book.path, book.sheet_names[index], top[at][0], names, [], sheets=list(book.sheet_names),
                      headers=[t for t in texts], kind=book.kind,
                      defaults={k: v for k, v in defaults.items() if k not in names})
    preview.unrecognised = [t for col, t in enumerate(texts) if t and col not in keys]
    preview.column_fields = dict(keys)
    seen: dict[tuple[str, ...], int] = {}
    listed = 0
    empty_run = 0
    bad_run = 0
    flood_from = 0
    stopped = 0
    last = top[at][0]
    for source in (iter(top[at + 1:]), it):
        for row_no, values in source:
            if row_no - last > 1:
                empty_run += row_no - last - 1
            last = row_no
            pr = _read_row(row_no, values, keys, preview.defaults)
            if pr is None:
                empty_run += 1
                if empty_run >= EMPTY_RUN_STOP:
                    stopped = row_no - EMPTY_RUN_STOP + 1
                    break
                continue
            if empty_run >= EMPTY_RUN_STOP:
                stopped = row_no - empty_run
                break
            empty_run = 0
            if not preview.first_values:
                preview.first_values = [cell_text(v) for v in values]
            _parse(preview, pr)
            _check_repeat(preview, pr, seen)
            if pr.errors:
                bad_run += 1
                if listed >= MAX_ROW_ERRORS:
                    preview.more_bad_rows += 1
                    preview.more_errors += len(pr.errors)
                    if bad_run >= FLOOD_RUN:
                        flood_from = row_no - bad_run + 1
                        preview.unchecked_rows = book.count_rest(it, row_no)
                        break
                    continue
                listed += len(pr.errors)
            else:
                bad_run = 0
            preview.rows.append(pr)
        if stopped or flood_from:
            break
    if stopped:
        preview.notes.append(
            f"从第 {stopped} 行起连续 {EMPTY_RUN_STOP} 行都是空行，已停止读取其后的内容。"
            "如空行之后还有问题，请在表格中删除这些空行后重新导入。"
        )
    for word, seen_at in list(preview.unknown_status.items())[:20]:
        preview.notes.append(f"整改状态“{word}”不是本软件的状态（第 {'、'.join(map(str, seen_at))} 行等），"
                             f"这些行按“待整改”导入（可用的状态：{'、'.join(enums.TASK_STATUSES.values())}）。")
    if flood_from:
        preview.notes.append(
            f"从第 {flood_from} 行起连续 {FLOOD_RUN} 行都有问题，已停止检查：其后还有 {preview.unchecked_rows} 行"
            "未检查、未导入。请先改正表头或整列的格式（如整改时限的年份）后重新导入。"
        )
    if preview.more_bad_rows:
        preview.notes.append(
            f"有问题的行太多：只列出前 {MAX_ROW_ERRORS} 处，另有 {preview.more_bad_rows} 行"
            f"（{preview.more_errors} 处）未列出。请先检查表头和整列的格式是否正确。"
        )
    return preview


# The values Excel shows for a formula that failed (#N/A from a VLOOKUP that found nothing, …).
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!"})
_RAW_KEPT = ("deadline", "completed", "closed_on")


def _read_row(row_no: int, values: Row, keys: dict[int, str], defaults: dict[str, str]) -> ParsedRow | None:
    raw: dict[str, Any] = {}
    for col, key in keys.items():
        if col < len(values) and key not in EXPORT_ONLY:
            raw[key] = values[col]
    if all(cell_text(v) == "" for k, v in raw.items() if k != "seq"):
        return None  # an empty line, or a line holding only a 序号
    for key, value in defaults.items():
        raw[key] = value
    pr = ParsedRow(row_no, {k: cell_text(v) for k, v in raw.items()})
    for key in _RAW_KEPT:
        if key in raw:
            pr.values["_raw_" + key] = raw[key]
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


def _check_repeat(preview: Preview, pr: ParsedRow, seen: dict[tuple[str, ...], int]) -> None:
    """The same problem twice in one list is the second row's error."""
    if pr.data is None:
        return
    ident = pr.identity()
    if ident in seen:
        what = f"问题编号“{pr.city_ref}”" if pr.city_ref else "问题描述、来源和批次"
        pr.errors.append(RowError(pr.row, _col(preview, "city_ref" if pr.city_ref else "title"),
                                  f"与第 {seen[ident]} 行的{what}相同，重复了"))
        pr.data = None
        return
    seen[ident] = pr.row


def _mark_ledger(preview: Preview, session: Session | None) -> None:
    if session is not None:
        _mark_duplicates(preview, *_ledger_identities(session))


def _date_of(preview: Preview, pr: ParsedRow, key: str, raw: Any) -> str:
    """An optional date column (完成日期, 销号日期): "" when empty, a row error when it is no sane date."""
    if raw in (None, "") or cell_text(raw) == "":
        return ""
    try:
        return parse_typed_date(raw).isoformat()
    except DateProblem as exc:
        pr.errors.append(RowError(pr.row, _col(preview, key), str(exc)))
        return ""


def _state(preview: Preview, pr: ParsedRow, node_states: list[tuple[str, str]], raw: dict[str, Any],
           deadline: str) -> RowState | None:
    """The task's state as the exported 台账 shows it; None for a plain problem list (every task 待整改)."""
    v = pr.values
    completed = _date_of(preview, pr, "completed", raw.get("completed"))
    closed_on = _date_of(preview, pr, "closed_on", raw.get("closed_on"))
    status = "open"
    if v.get("status"):
        parsed = enums.try_parse("status", v["status"])
        if parsed is None:  # another program's wording (推进中, 80%): the row still imports, as 待整改
            rows = preview.unknown_status.setdefault(v["status"][:40], [])
            if len(rows) < 5 and len(preview.unknown_status) <= 20:
                rows.append(pr.row)
        status = parsed or "open"
    if status == "open" and not completed and not closed_on and all(st == "pending" for st, _ in node_states):
        return None
    if status in ("submitted", "closed"):
        done_on = completed or closed_on or deadline
        node_states = [(st, d) if st != "pending" else ("done", done_on) for st, d in node_states]
        completed = completed or max((d for _, d in node_states if d), default="") or done_on
        if status == "closed":
            closed_on = closed_on or completed
    return RowState(status=status, completed=completed, closed_on=closed_on, nodes=node_states)


def _parse(preview: Preview, pr: ParsedRow) -> None:
    v = pr.values
    raw = {key: v.pop("_raw_" + key, None) for key in _RAW_KEPT}
    raw_deadline = raw["deadline"]
    errors = pr.errors
    for key in REQUIRED:
        if (key in preview.columns or key in preview.defaults) and not v.get(key):
            errors.append(RowError(pr.row, _col(preview, key), "未填写"))
    for key in REQUIRED:
        if key not in preview.columns and key not in preview.defaults:
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
    node_states: list[tuple[str, str]] = []
    for line in (v.get("nodes") or "").splitlines():
        if not line.strip():
            continue
        m = _NODE_LINE.match(line)
        try:
            if not m:
                raise DateProblem(f"节点“{line.strip()}”没有期限，请写成 节点名称（2026-05-31）")
            when, _, extra = _NODE_SPLIT.sub("，", m.group("d1") or m.group("d2")).partition("，")
            due = parse_typed_date(when)
            node_states.append(node_state(extra))
            nodes.append(NodeInput(m.group("title").strip(), due.isoformat()))
        except DateProblem as exc:
            errors.append(RowError(pr.row, _col(preview, "nodes"), str(exc)))
    state = _state(preview, pr, node_states, raw, deadline.isoformat() if deadline else "") if not errors else None
    if errors:
        return
    pr.state = state
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
    if len(rows) < BULK_FROM and not any(r.state for r in rows):
        return [create_task(session, actor, d, city_ref=pr.city_ref).id for pr in rows if (d := pr.task_input())]
    return _create_in_bulk(session, actor, rows)


def row_plan(suggestion: Any, start: date) -> RowPlan:
    """A similar problem's measures and node plan (its nodes due as many days after `start` as in the past
    task or the library's plan), for one row of the list."""
    from core.measures.similar import plan_from

    return RowPlan(suggestion.measures, tuple(NodeInput(t, due.isoformat()) for t, due in plan_from(suggestion, start)),
                   suggestion.title)


def row_problems(preview: Preview) -> list[tuple[int, str, str]]:
    """(row, title, description) of every row that is imported: what its similar problems are looked up by."""
    return [(r.row, r.data.title, r.values.get("description", "")) for r in preview.importable if r.data]


def set_row_plan(preview: Preview, row: int, plan: RowPlan | None) -> ParsedRow:
    """Copy a similar problem's measures and nodes into the row (spreadsheet row number) for the import, or take
    them out again (None). Only a row that is imported can carry one."""
    pr = next((r for r in preview.rows if r.row == row), None)
    if pr is None or not pr.ok:
        raise InputRefused(f"第 {row} 行不会导入，不能给它复制整改措施和节点。",
                           hint="只有可以导入的行才能采用相似问题的措施；请先改正这一行。")
    pr.plan = plan
    return pr


BULK_FROM = 50


def _create_in_bulk(session: Session, actor: str, rows: list[ParsedRow]) -> list[str]:
    """What create_task does, set-based for thousands of rows: people and sections looked up once, tasks,
    nodes and their audit entries (same content, same hash chain) inserted as plain rows.
    The rows were checked by _parse already (enumerations and dates normalised)."""
    sections = {sec.name: sec for sec in session.scalars(select(Section))}
    people = {p.name: p for p in session.scalars(select(Person))}
    inputs = [pr.task_input() for pr in rows]
    for d in inputs:
        name = d.section.strip() if d else ""
        if name and name not in sections:
            sections[name] = Section(name=name)
            session.add(sections[name])
    session.flush()
    for d in inputs:
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

    for k, (pr, d) in enumerate(zip(rows, inputs, strict=True)):
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
            node_status, node_done = pr.state.nodes[i - 1] if pr.state and i <= len(pr.state.nodes) else ("pending", "")
            task.nodes.append(
                SimpleNamespace(
                    id=str(uuid.uuid4()),
                    task_id=tid,
                    seq=i,
                    title=n.title.strip(),
                    due=n.due,
                    done=(node_done or pr.state.completed or d.deadline) if pr.state and node_status != "pending"
                    else None,
                    status=node_status,
                    note="",
                    done_by=actor if node_status != "pending" else None,
                    confirmed_by=actor if node_status == "confirmed" else None,
                    confirmed_at=now if node_status == "confirmed" else None,
                    city_result=None,
                    city_comment="",
                    from_city=False,
                    rev=1,
                    updated=now,
                    change_no=first + k,
                    deleted=None,
                )
            )
        if pr.state:
            _apply_state(task, pr.state)
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


def _apply_state(task: SimpleNamespace, state: RowState) -> None:
    """The task's review state from the 台账's status; refresh() then derives the same status from it."""
    if state.status in ("submitted", "closed") and state.completed:
        task.submitted_at = f"{state.completed}T12:00:00+08:00"
    if state.status == "closed":
        task.review_state = "accepted"
        task.closed_on = state.closed_on or state.completed or task.deadline
    elif state.status == "returned":
        task.review_state = "returned"


_TASK_COLUMNS = [c.key for c in Task.__table__.columns]
_NODE_COLUMNS = [c.key for c in Node.__table__.columns]
