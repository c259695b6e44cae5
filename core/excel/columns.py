"""The columns of the city's problem list (整改问题清单): names, synonyms, dates as people type them."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime

from core.dates import FIRST_YEAR, LAST_YEAR, DayFormat, NoSuchDay, read_day

# The city's own layout (the order of its sheet), then the columns RectiDesk adds on export.
CITY_COLUMNS: list[tuple[str, str]] = [
    ("seq", "序号"),
    ("source", "问题来源"),
    ("batch", "批次"),
    ("title", "问题描述"),
    ("category", "整改类别"),
    ("leader", "责任领导"),
    ("section", "责任科室"),
    ("owner", "责任人"),
    ("deadline", "整改时限"),
    ("measures", "整改措施"),
    ("note", "备注"),
]
EXTRA_COLUMNS: list[tuple[str, str]] = [
    ("city_ref", "问题编号"),
    ("description", "问题详情"),
    ("nodes", "整改节点"),
    ("status", "整改状态"),
    ("light", "预警灯"),
    ("light_reason", "预警原因"),
    ("progress", "整改进展/完成情况"),
    ("closed_on", "销号日期"),
    ("unit", "责任单位"),
]
# Read back from the export (a ledger kept in Excel moves in with its state): when the work was reported done
# (提交审核); the 销号 date is among the columns above. Written by the export after them.
STATE_COLUMNS: list[tuple[str, str]] = [
    ("completed", "完成日期"),
]
# The 公示 version (published): no person's name, no internal notes; the 责任科室 stays.
PUBLIC_COLUMNS: list[tuple[str, str]] = [
    ("seq", "序号"),
    ("city_ref", "问题编号"),
    ("source", "问题来源"),
    ("batch", "批次"),
    ("title", "问题描述"),
    ("category", "整改类别"),
    ("section", "责任科室"),
    ("unit", "责任单位"),
    ("measures", "整改措施"),
    ("deadline", "整改时限"),
    ("status", "整改状态"),
    ("progress", "整改进展/完成情况"),
    ("closed_on", "销号日期"),
]
# 责任单位 here is the unit that keeps the ledger; a city list's 责任单位 column means the 责任科室
# (SYNONYMS), and the 责任科室 column comes first in the export, so reading it back takes that one.
# The state (整改状态, 销号日期) is read back: a ledger kept in Excel moves in with it.
EXPORT_ONLY = {"light", "light_reason", "progress", "unit"}

SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "顺序号", "No", "No.", "NO"),
    "city_ref": ("问题编号", "编号", "任务编号", "清单编号", "市平台编号", "问题序号编号"),
    "source": ("问题来源", "来源", "反馈来源", "问题类型", "检查类型"),
    "batch": ("批次", "反馈批次", "巡察批次", "轮次", "巡察轮次"),
    "title": (
        "问题描述",
        "问题",
        "存在问题",
        "问题表现",
        "问题内容",
        "问题名称",
        "问题标题",
        "主要问题",
        "具体问题",
        "反馈问题",
    ),
    "description": ("问题详情", "详细描述", "具体表现", "问题说明", "详细情况"),
    "category": ("整改类别", "整改类型", "类别", "整改方式", "整改要求"),
    "leader": ("责任领导", "分管领导", "牵头领导", "责任领导（分管）"),
    "section": ("责任科室", "责任单位", "责任部门", "牵头科室", "责任股室", "牵头单位"),
    "owner": ("责任人", "具体责任人", "经办人", "直接责任人"),
    "deadline": ("整改时限", "整改期限", "完成时限", "整改完成时限", "完成时间", "时限", "整改完成时间"),
    "measures": ("整改措施", "措施", "整改举措", "整改方案"),
    "nodes": ("整改节点", "节点", "阶段节点"),
    "note": ("备注", "说明"),
    "status": ("整改状态", "状态", "任务状态"),
    "light": ("预警灯", "预警"),
    "light_reason": ("预警原因", "预警说明"),
    "completed": ("完成日期", "实际完成日期", "实际完成时间", "提交审核日期"),
    "closed_on": ("销号日期", "销号时间", "实际销号日期"),
    "progress": ("整改进度", "整改进展", "完成情况", "整改进展/完成情况", "整改进展情况", "整改完成情况", "进展情况"),
}
LABELS = dict(CITY_COLUMNS + EXTRA_COLUMNS + STATE_COLUMNS)
LABELS["progress"] = "整改进展/完成情况"
PUBLIC_KEYS = {key for key, _ in PUBLIC_COLUMNS}
# What a clerk may map a column to in the mapping step, in the order offered.
MAPPABLE = [key for key, _ in CITY_COLUMNS + EXTRA_COLUMNS + STATE_COLUMNS
            if key not in ("light", "light_reason", "unit")]
REQUIRED = ("title", "source", "category", "owner", "deadline")

_HEADER_NOISE = re.compile(r"[\s\u3000*＊:：]|（必填）|\(必填\)")
_NOTE = re.compile(r"[（(【\[<《].*?(?:[）)】\]>》]|$)")
_LOOKUP = {_HEADER_NOISE.sub("", name).lower(): key for key, names in SYNONYMS.items() for name in names}
_BY_LENGTH = sorted(_LOOKUP, key=len, reverse=True)


def header_text(value: object) -> str:
    """A header cell as the clerk reads it: one line, no padding (what the mapping step shows and keys on);
    a line break between Chinese words (整改\n时限) joins them."""
    return _CJK_GAP.sub("", " ".join(str(value or "").split()))


_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff）)])\s+(?=[\u3400-\u9fff（(])")


def header_key(value: object) -> str | None:
    """The field a header cell names, or None. Headers as people write them: line breaks (整改\n时限), notes in
    brackets (责任人（签字）, 责任单位（科室）), a required mark (*问题描述), a unit after the name."""
    if value is None or isinstance(value, (int, float)):
        return None
    text = unicodedata.normalize("NFKC", str(value)).replace("（", "(").replace("）", ")")
    plain = _HEADER_NOISE.sub("", text).lower()
    if not plain or len(plain) > 40:
        return None
    found = _LOOKUP.get(plain) or _LOOKUP.get(_HEADER_NOISE.sub("", str(value)).lower())
    if found:
        return found
    stripped = _HEADER_NOISE.sub("", _NOTE.sub("", text)).lower()
    if stripped and stripped in _LOOKUP:
        return _LOOKUP[stripped]
    first_line = _HEADER_NOISE.sub("", str(value).strip().splitlines()[0] if str(value).strip() else "").lower()
    if first_line in _LOOKUP:
        return _LOOKUP[first_line]
    # 整改时限要求, 问题描述及表现: a known name followed by a few more words (two characters at least)
    for name in _BY_LENGTH:
        if len(name) >= 3 and stripped.startswith(name) and len(stripped) - len(name) <= 4:
            return _LOOKUP[name]
    return None


def is_canonical(key: str, value: object) -> bool:
    """The header is the export's own name for the field (责任科室, not 责任单位)."""
    return _HEADER_NOISE.sub("", str(value or "")) == LABELS.get(key)


class DateProblem(ValueError):
    """A typed date that cannot be read; the message says why, in Chinese."""


_YM = re.compile(r"^(\d{4})\s*(?:年|[./\-])\s*(\d{1,2})\s*月?\s*(底|末)?$")
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()


def parse_typed_date(value: object) -> date:
    """Excel dates and the forms people type: 2026年6月30日, 2026.6.30, 2026/6/30, 2026-06-30, 20260630,
    2026年6月（底） (the month's last day). A year outside 2000–2099 is a typo (2206, 0206, 1900), whether typed
    as text or stored as an Excel date. Raises DateProblem with the reason."""
    day = _typed_date(value)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        shown = value.isoformat() if isinstance(value, (date, datetime)) else cell_text(value)
        raise DateProblem(f"“{shown}”的年份 {day.year} 不对，应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间"
                          "（是否输错了年份？）")
    return day


def _typed_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial number in a cell not formatted as a date
            return date.fromordinal(_EXCEL_EPOCH + int(value))
        text = str(int(value)) if float(value).is_integer() else str(value)
    else:
        text = str(value or "").strip()
    text = re.sub(r"(之前|以前|前)$", "", text).strip()
    if not text:
        raise DateProblem("未填写")
    try:
        return read_day(text)
    except NoSuchDay as exc:
        raise DateProblem(str(exc)) from None
    except DayFormat:
        pass
    text = unicodedata.normalize("NFKC", text)
    m = _YM.match(text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if y < 1:
            raise DateProblem(f"“{text}”不是有效日期：没有{y}年")
        if not 1 <= mo <= 12:
            raise DateProblem(f"“{text}”不是有效日期：没有{mo}月")
        return date(y, mo, calendar.monthrange(y, mo)[1])
    if any(word in text for word in ("长期", "持续", "常态", "长效")):
        # 长期坚持 is what ledgers often write for 长效整改; the city's platform still needs a date.
        raise DateProblem(f"“{text}”不是具体日期：长效整改也要写明阶段完成时限（如 2026-12-31），"
                          "“长期坚持”可写进整改措施")
    raise DateProblem(f"“{text}”看不出是哪一天，请写成 2026-06-30 或 2026年6月30日")


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


# A node in the 整改节点 column: “节点名称（2026-05-31）”, and once done “节点名称（2026-05-31，已完成 2026-05-20）”
# (已核查 once a second person confirmed it). The export writes these lines, the import reads them back.
NODE_DONE = {"done": "已完成", "confirmed": "已核查"}
_NODE_STATE = re.compile(r"^(已完成|已核查|完成于|核查于)\s*(.*)$")


def node_line(title: str, due: str, status: str = "pending", done: str | None = None) -> str:
    if status in NODE_DONE:
        return f"{title}（{due}，{NODE_DONE[status]}{' ' + done if done else ''}）"
    return f"{title}（{due}）"


def node_state(extra: str) -> tuple[str, str]:
    """“已完成 2026-05-20” -> ("done", "2026-05-20"); "" -> ("pending", ""). Raises DateProblem."""
    text = extra.strip()
    if not text:
        return "pending", ""
    m = _NODE_STATE.match(text)
    if not m:
        raise DateProblem(f"“{text}”看不出节点是否完成，请写成 已完成 2026-05-20")
    status = "confirmed" if m.group(1) in ("已核查", "核查于") else "done"
    return status, parse_typed_date(m.group(2)).isoformat() if m.group(2).strip() else ""


def field_named(name: str) -> str | None:
    """A field as the command line names it: the spec's word (source, owner …) or a header name (来源, 责任人 …)."""
    text = (name or "").strip()
    if text in LABELS:
        return text
    return header_key(text)
