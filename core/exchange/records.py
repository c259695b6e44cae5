"""The records of `data/records.jsonl` (spec §5): which fields each type requires, and their kinds."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from core.dates import is_date, is_timestamp
from core.errors import PackageRejected

DATE_FIELDS = {"deadline", "due", "done", "date", "respond_by"}
TS_FIELDS = {"updated", "added", "responded", "filed", "issued", "closed", "reviewed", "received", "decided"}
INT1_FIELDS = {"seq", "unit_sequence", "valid_from_sequence"}
INT0_FIELDS = {"rev", "size", "yellow_after_days", "red_after_days", "due_soon_days", "volume_limit_mb"}
INT_LIST_FIELDS = {"accepted", "missing"}
LIST_FIELDS = {"evidence_ids", "attachments", "nodes"}
BOOL_FIELDS = {"included"}

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

SCHEMAS = {"unit-report": UNIT_REPORT, "city-feedback": CITY_FEEDBACK}

_KIND_WORDS = {
    "str": "文字", "id": "非空文字", "date": "日期（年-月-日）", "ts": "带时区的时间（RFC 3339）",
    "int0": "不小于 0 的整数", "int1": "不小于 1 的整数", "points": "大于 0 的数", "bool": "是/否（true/false）",
    "int_list": "整数列表", "list": "列表",
}


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
        return is_date(v)
    if kind == "ts":
        return is_timestamp(v)
    if kind == "int0":
        return _is_int(v) and v >= 0
    if kind == "int1":
        return _is_int(v) and v >= 1
    if kind == "points":
        return (_is_int(v) or isinstance(v, float)) and v > 0
    if kind == "bool":
        return isinstance(v, bool)
    if kind == "int_list":
        return isinstance(v, list) and all(_is_int(x) for x in v)
    if kind == "list":
        return isinstance(v, list)
    return False


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
    def __init__(self, line: int, detail: str, code: str = "bad_record") -> None:
        super().__init__(f"records.jsonl 第 {line} 行有误：{detail}。", reason_code=code,
                         hint="数据包内容不符合交换格式，请向发送方索取一份正确的数据包。")
        self.line = line


def _check_field(line: int, rtype: str, name: str, value: Any, enums: dict[str, set[str]]) -> None:
    if name in enums:
        if not isinstance(value, str) or value not in enums[name]:
            allowed = "、".join(sorted(enums[name]))
            raise RecordError(line, f"“{rtype}”记录的 {name} 值“{value}”不在允许范围内（{allowed}）")
        return
    kind = field_kind(name)
    if not kind_ok(kind, value):
        shown = json.dumps(value, ensure_ascii=False)[:60]
        raise RecordError(line, f"“{rtype}”记录的 {name} 应为{_KIND_WORDS[kind]}，实际是 {shown}")
    if name == "evidence_ids" and not all(isinstance(x, str) and x for x in value):
        raise RecordError(line, f"“{rtype}”记录的 evidence_ids 应为编号列表")
    if name == "attachments" and not all(isinstance(x, str) and x for x in value):
        raise RecordError(line, f"“{rtype}”记录的 attachments 应为文件校验值列表")
    if name == "nodes":
        for i, node in enumerate(value, start=1):
            if not isinstance(node, dict):
                raise RecordError(line, f"“{rtype}”记录的第 {i} 个节点不是对象")
            for sub in ("seq", "title", "due"):
                if node.get(sub) is None:
                    raise RecordError(line, f"“{rtype}”记录的第 {i} 个节点缺少 {sub}")
                _check_field(line, rtype, sub, node[sub], {})


def validate_record(line: int, record: Any, schemas: dict[str, Schema], sequence: int) -> bool:
    """Check one record; False for an unknown type (skipped with a warning by the caller)."""
    if not isinstance(record, dict):
        raise RecordError(line, "不是一个 JSON 对象")
    rtype = record.get("type")
    if not isinstance(rtype, str) or not rtype:
        raise RecordError(line, "缺少记录类型 type")
    if not isinstance(record.get("id"), str) or not record.get("id"):
        raise RecordError(line, f"“{rtype}”记录缺少编号 id")
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


def parse_lines(lines: Iterable[bytes], package_type: str, sequence: int) -> Iterator[tuple[int, dict[str, Any], bool]]:
    """(line number, record, known type) for each non-empty line; refuses the package on a bad line."""
    schemas = SCHEMAS[package_type]
    for no, raw in enumerate(lines, start=1):
        text = raw.rstrip(b"\r\n")
        if not text.strip():
            continue
        try:
            record = json.loads(text.decode("utf-8-sig" if no == 1 else "utf-8"))
        except UnicodeDecodeError:
            raise RecordError(no, "不是 UTF-8 文字") from None
        except json.JSONDecodeError as exc:
            raise RecordError(no, f"不是有效的 JSON（{exc.msg}）") from None
        known = validate_record(no, record, schemas, sequence)
        yield no, record, known


def dump_line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
