"""The records of `data/records.jsonl` (spec §5): which fields each type requires, and their kinds."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from core.dates import is_date, is_timestamp
from core.errors import PackageRejected
from core.text import escape_controls

DATE_FIELDS = {"deadline", "due", "done", "date", "respond_by"}
TS_FIELDS = {"updated", "added", "responded", "filed", "issued", "closed", "reviewed", "received", "decided"}
INT1_FIELDS = {"seq", "unit_sequence", "valid_from_sequence"}
INT0_FIELDS = {"rev", "size", "yellow_after_days", "red_after_days", "due_soon_days", "volume_limit_mb"}
INT_LIST_FIELDS = {"accepted", "missing"}
LIST_FIELDS = {"evidence_ids", "attachments", "nodes"}
BOOL_FIELDS = {"included"}

# Spec §5 "Strict JSON and ranges".
MAX_LINE = 2**20
MAX_DEPTH = 8
MAX_SAFE_INT = 2**53 - 1
MAX_SEQ = 1_000_000
RANGES: dict[str, tuple[int, int]] = {
    "seq": (1, MAX_SEQ), "unit_sequence": (1, MAX_SEQ), "valid_from_sequence": (1, MAX_SEQ), "rev": (0, MAX_SEQ),
    "size": (0, MAX_SAFE_INT), "yellow_after_days": (0, 3650), "red_after_days": (0, 3650),
    "due_soon_days": (0, 3650), "volume_limit_mb": (1, 1024),
}
MAX_POINTS = 100
LIST_LIMITS = {"accepted": 100_000, "missing": 1_000}
MAX_ID = 128
_ID_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f/\\]")
_TEXT_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # controls but tab and line feed
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"20[0-9]{2}-[0-9]{2}-[0-9]{2}")
_TS = re.compile(r"20[0-9]{2}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
                 r"([Zz]|[+-][0-9]{2}:[0-9]{2})")
_NUMBER_CHARS = 40  # longer than any number a valid record carries (2^53 − 1 has 16 digits)
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")

SOURCES = {"inspection", "audit", "assessment", "supervision", "petition", "other"}
CATEGORIES = {"immediate", "phased", "long_term"}

# type -> (required, optional, enumerations)
Schema = tuple[tuple[str, ...], tuple[str, ...], dict[str, set[str]]]

UNIT_REPORT: dict[str, Schema] = {
    "unit": (("id", "name", "level"), (), {"level": {"township", "department", "other"}}),
    "task": (("id", "title", "source", "category", "owner", "deadline", "status", "light", "rev", "updated"),
             ("city_ref", "description", "batch", "leader", "section"),
             {"source": SOURCES, "category": CATEGORIES,
              "status": {"open", "in_progress", "submitted", "returned", "closed"},
              "light": {"green", "yellow", "red"}}),
    "node": (("id", "task_id", "seq", "title", "due", "status", "rev", "updated"),
             ("done", "note", "done_by", "confirmed_by"),
             {"status": {"pending", "done", "confirmed"}}),
    "evidence": (("id", "task_id", "filename", "sha256", "size", "media_type", "added", "added_by", "included"),
                 ("node_id", "description"), {}),
    "response": (("id", "notice_id", "text", "responded", "by"), ("evidence_ids",), {}),
    "appeal": (("id", "target_type", "target_id", "reason", "filed", "by"), ("evidence_ids",),
               {"target_type": {"deduction", "review", "notice"}}),
    "handover": (("id", "task_id", "from", "to", "date"), ("note",), {}),
    "deletion": (("id", "target_type", "target_id"), (), {"target_type": {"task", "node", "evidence"}}),
    "receipt": (("id", "accepted", "missing"), (), {}),
    "key": (("id", "alg", "public_key", "key_id", "valid_from_sequence"), (), {"alg": {"Ed25519"}}),
}

CITY_FEEDBACK: dict[str, Schema] = {
    "assignment": (("id", "title", "source", "category", "deadline", "issued"),
                   ("description", "batch", "owner", "nodes"), {"source": SOURCES, "category": CATEGORIES}),
    "notice": (("id", "level", "task_ref", "title", "text", "issued", "issuer", "respond_by"),
               ("node_ref", "attachments"), {"level": {"red", "yellow"}}),
    "notice_closure": (("id", "notice_id", "closed"), ("comment",), {}),
    "review": (("id", "target", "target_id", "result", "reviewed", "reviewer"), ("comment",),
               {"target": {"task", "node"}, "result": {"accepted", "returned"}}),
    "deduction": (("id", "task_ref", "points", "kind", "reason", "issued"), ("reverses",),
                  {"kind": {"pre", "final", "reversed"}}),
    "appeal_result": (("id", "appeal_id", "result", "decided"), ("comment",),
                      {"result": {"upheld", "rejected"}}),
    "ack": (("id", "unit_sequence", "status", "received"), ("reason",), {"status": {"accepted", "rejected"}}),
    "settings": (("id",), ("yellow_after_days", "red_after_days", "due_soon_days", "volume_limit_mb"), {}),
    "key": (("id", "alg", "public_key", "key_id", "valid_from_sequence"), (), {"alg": {"Ed25519"}}),
}

# The unit <-> section profile (docs/section-exchange.md): the same records, fewer of them.
SECTION_TASKS: dict[str, Schema] = {k: UNIT_REPORT[k] for k in ("unit", "task", "node", "deletion", "receipt",
                                                                 "key")} | {
    k: CITY_FEEDBACK[k] for k in ("notice", "notice_closure")}
SECTION_REPORT: dict[str, Schema] = {k: UNIT_REPORT[k] for k in ("node", "evidence", "response", "receipt", "key")}

SCHEMAS = {"unit-report": UNIT_REPORT, "city-feedback": CITY_FEEDBACK,
           "section-tasks": SECTION_TASKS, "section-report": SECTION_REPORT}

_KIND_WORDS = {
    "str": "文字", "id": "非空文字", "date": "日期（年-月-日）", "ts": "带时区的时间（RFC 3339）",
    "int0": "不小于 0 的整数", "int1": "不小于 1 的整数", "points": "大于 0 的数", "bool": "是/否（true/false）",
    "int_list": "整数列表", "list": "列表",
}


@functools.cache
def field_kind(name: str) -> str:
    if name == "id" or name.endswith("_id") or name.endswith("_ref"):
        return "id"
    if name in DATE_FIELDS:
        return "date"
    if name in TS_FIELDS:
        return "ts"
    if name in INT1_FIELDS:
        return "int1"
    if name in INT0_FIELDS:
        return "int0"
    if name in INT_LIST_FIELDS:
        return "int_list"
    if name in LIST_FIELDS:
        return "list"
    if name in BOOL_FIELDS:
        return "bool"
    if name == "points":
        return "points"
    return "str"


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def kind_ok(kind: str, v: Any) -> bool:
    if kind == "str":
        return isinstance(v, str)
    if kind == "id":
        return isinstance(v, str) and v != ""
    if kind == "date":
        return is_date(v) and bool(_DATE.fullmatch(v))
    if kind == "ts":
        return is_timestamp(v) and bool(_TS.fullmatch(v))
    if kind == "int0":
        return _is_int(v) and v >= 0
    if kind == "int1":
        return _is_int(v) and v >= 1
    if kind == "points":
        return (_is_int(v) or isinstance(v, float)) and math.isfinite(v) and 0 < v <= MAX_POINTS
    if kind == "bool":
        return isinstance(v, bool)
    if kind == "int_list":
        return isinstance(v, list) and all(_is_int(x) for x in v)
    if kind == "list":
        return isinstance(v, list)
    return False


def range_problem(name: str, kind: str, v: Any) -> str | None:
    """Spec §5 ranges for a value of the right JSON type: what is wrong, or None."""
    if name in RANGES:
        lo, hi = RANGES[name]
        if not lo <= v <= hi:
            return f"应在 {lo} 至 {hi} 之间，实际是 {v}"
    if kind in ("date", "ts"):
        return None  # the year 2000 … 2099 is in the pattern
    if kind == "id":
        if len(v) > MAX_ID:
            return f"过长（{len(v)} 个字符，最多 {MAX_ID} 个）"
        if _ID_FORBIDDEN.search(v):
            return "含有控制字符或斜杠"
    if kind == "str" and _TEXT_FORBIDDEN.search(v):
        return "含有控制字符"
    if name in LIST_LIMITS:
        if len(v) > LIST_LIMITS[name]:
            return f"条目过多（{len(v)} 个，最多 {LIST_LIMITS[name]} 个）"
        if not all(1 <= x <= MAX_SEQ for x in v):
            return f"应为 1 至 {MAX_SEQ} 的序号"
    return None


def key_id_for(raw: bytes) -> str:
    """Spec §3: the first 16 hex characters of SHA-256 over the 32 raw public-key bytes."""
    return hashlib.sha256(raw).hexdigest()[:16]


def decode_public_key(text: Any) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


class RecordError(PackageRejected):
    def __init__(self, line: int, detail: str, code: str = "bad_record", field_name: str = "") -> None:
        super().__init__(f"records.jsonl 第 {line} 行有误：{detail}。", reason_code=code,
                         hint="数据包内容不符合交换格式，请向发送方索取一份正确的数据包。")
        self.line = line
        self.field_name = field_name  # the field whose value broke §5, when one did


ID_LIKE = {"reverses"}  # an id not named *_id / *_ref


def _check_field(line: int, rtype: str, name: str, value: Any, enums: dict[str, set[str]]) -> None:
    try:
        _check_value(line, rtype, name, value, enums)
    except RecordError as exc:
        exc.field_name = exc.field_name or name
        raise


def _check_value(line: int, rtype: str, name: str, value: Any, enums: dict[str, set[str]]) -> None:
    if name in enums:
        if not isinstance(value, str) or value not in enums[name]:
            allowed = "、".join(sorted(enums[name]))
            raise RecordError(line, f"“{rtype}”记录的 {name} 值“{value}”不在允许范围内（{allowed}）")
        return
    kind = "id" if name in ID_LIKE else field_kind(name)
    if not kind_ok(kind, value):
        shown = json.dumps(value, ensure_ascii=True)[:60]
        raise RecordError(line, f"“{rtype}”记录的 {name} 应为{_KIND_WORDS[kind]}，实际是 {shown}")
    problem = range_problem(name, kind, value)
    if problem:
        raise RecordError(line, f"“{rtype}”记录的 {name} {problem}")
    if name == "evidence_ids":
        for x in value:
            if not isinstance(x, str) or not x or range_problem("id", "id", x):
                raise RecordError(line, f"“{rtype}”记录的 evidence_ids 应为编号列表（每个 1 至 {MAX_ID} 个字符）")
    if name == "attachments" and not all(isinstance(x, str) and _HEX64.fullmatch(x) for x in value):
        raise RecordError(line, f"“{rtype}”记录的 attachments 应为文件校验值列表（64 位小写十六进制，不能是路径）")
    if name == "sha256" and not _HEX64.fullmatch(value):
        raise RecordError(line, f"“{rtype}”记录的 sha256 应为 64 位小写十六进制校验值")
    if name == "nodes":
        seen: set[int] = set()
        for i, node in enumerate(value, start=1):
            if not isinstance(node, dict):
                raise RecordError(line, f"“{rtype}”记录的第 {i} 个节点不是对象")
            for sub in ("seq", "title", "due"):
                if node.get(sub) is None:
                    raise RecordError(line, f"“{rtype}”记录的第 {i} 个节点缺少 {sub}")
                _check_field(line, rtype, sub, node[sub], {})
            if node["seq"] in seen:
                raise RecordError(line, f"“{rtype}”记录中有两个节点的序号都是 {node['seq']}")
            seen.add(node["seq"])


def validate_record(line: int, record: Any, schemas: dict[str, Schema], sequence: int) -> bool:
    """Check one record; False for an unknown type (skipped with a warning by the caller)."""
    if not isinstance(record, dict):
        raise RecordError(line, "不是一个 JSON 对象")
    rtype = record.get("type")
    if not isinstance(rtype, str) or not rtype:
        raise RecordError(line, "缺少记录类型 type")
    if len(rtype) > MAX_ID or _ID_FORBIDDEN.search(rtype):
        raise RecordError(line, f"记录类型“{escape_controls(rtype[:40])}”不对")
    if not isinstance(record.get("id"), str) or not record.get("id"):
        raise RecordError(line, f"“{rtype}”记录缺少编号 id")
    problem = range_problem("id", "id", record["id"])
    if problem:
        raise RecordError(line, f"“{rtype}”记录的编号 id {problem}")
    schema = schemas.get(rtype)
    if schema is None:
        return False
    required, optional, enums = schema
    for name in required:
        if record.get(name) is None:
            raise RecordError(line, f"“{rtype}”记录缺少必填字段 {name}")
        _check_field(line, rtype, name, record[name], enums)
    for name in optional:
        if record.get(name) is not None:
            _check_field(line, rtype, name, record[name], enums)
    if rtype == "deduction" and record["kind"] == "reversed" and not record.get("reverses"):
        raise RecordError(line, "撤销扣分记录缺少 reverses（被撤销的扣分编号）")
    if rtype == "key":
        raw = decode_public_key(record["public_key"])
        if raw is None or key_id_for(raw) != record["key_id"]:
            raise RecordError(line, "密钥记录中的公钥或密钥编号不正确", code="bad_key_record")
        if record["valid_from_sequence"] <= sequence:
            raise RecordError(
                line, f"密钥更换记录的生效序号 {record['valid_from_sequence']} 不大于本包序号 {sequence}",
                code="rotation_invalid")
    return True


class _NotStrict(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NotStrict(f"含有 JSON 不允许的数值 {name}")


def _int(text: str) -> int:
    if len(text) > _NUMBER_CHARS:
        raise _NotStrict(f"含有一个 {len(text)} 位的数字")
    v = int(text)
    if abs(v) > MAX_SAFE_INT:
        raise _NotStrict(f"整数 {text} 超过 2^53−1")
    return v


def _float(text: str) -> float:
    if len(text) > _NUMBER_CHARS:
        raise _NotStrict(f"含有一个 {len(text)} 个字符的数字")
    v = float(text)
    if not math.isfinite(v):
        raise _NotStrict(f"数字 {text} 超出范围（不是有限数）")
    return v


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _v in pairs:
            if k in seen:
                raise _NotStrict(f"同一对象中的成员名“{escape_controls(k[:40])}”出现了两次")
            seen.add(k)
    return out


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects, in linear time and without recursion."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0
    brackets = _NOT_BRACKET.sub("", _STRINGS.sub("", text))
    depth = deepest = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _lone_surrogate(value: Any) -> bool:
    """Any string (member names too) holding a lone surrogate (a "\ud800" escape), walked without recursion."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def strict_json(no: int, raw: bytes) -> Any:
    """One line as strict JSON (spec §5): size, UTF-8, nesting, numbers, constants, duplicates, surrogates."""
    if len(raw) > MAX_LINE:
        raise RecordError(no, f"过长（超过 {MAX_LINE // 2**20} MiB）")
    try:
        text = raw.decode("utf-8-sig" if no == 1 else "utf-8")
    except UnicodeDecodeError:
        raise RecordError(no, "不是 UTF-8 文字") from None
    if _depth(text) > MAX_DEPTH:
        raise RecordError(no, f"嵌套超过 {MAX_DEPTH} 层")
    try:
        record = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant,
                            parse_int=_int, parse_float=_float)
    except _NotStrict as exc:
        raise RecordError(no, str(exc)) from None
    except json.JSONDecodeError as exc:
        raise RecordError(no, f"不是有效的 JSON（{exc.msg}）") from None
    except (ValueError, RecursionError):
        raise RecordError(no, "不是有效的 JSON") from None
    # Valid UTF-8 never decodes to a surrogate: only a \uD800-style escape can make one, so look only then.
    if _SURROGATE_ESCAPE.search(text) and _lone_surrogate(record):
        raise RecordError(no, "含有无效的文字（单独的代理码点）")
    return record


def parse_lines(source: BinaryIO | Iterable[bytes], package_type: str,
                sequence: int) -> Iterator[tuple[int, dict[str, Any], bool]]:
    """(line number, record, known type) for each non-empty line; refuses the package on a bad line.

    A file is read a bounded line at a time: a line longer than 1 MiB is refused without being held whole.
    """
    schemas = SCHEMAS[package_type]
    seen: set[tuple[str, str]] = set()
    for no, raw in enumerate(_bounded_lines(source), start=1):
        text = raw.rstrip(b"\r\n") if raw.endswith(b"\n") else raw
        if not text.strip():
            continue
        record = strict_json(no, text)
        known = validate_record(no, record, schemas, sequence)
        key = (record["type"], record["id"])
        if key in seen:
            raise RecordError(no, f"“{escape_controls(key[0][:40])}”记录 {escape_controls(key[1][:60])} "
                                  "在本包中出现了两次")
        seen.add(key)
        yield no, record, known


def _bounded_lines(source: BinaryIO | Iterable[bytes]) -> Iterator[bytes]:
    readline = getattr(source, "readline", None)
    if readline is None:
        yield from source
        return
    while True:
        line = readline(MAX_LINE + 3)
        if not line:
            return
        yield line  # a longer line arrives cut at MAX_LINE + 3 bytes: refused by its length, the rest never read


def dump_line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
