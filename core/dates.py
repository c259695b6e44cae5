"""Strict dates (YYYY-MM-DD) and RFC 3339 timestamps as the spec and the ledger store them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from core.errors import InputRefused

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TS_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
CHINA_TZ = timezone(timedelta(hours=8))


def is_date(value: object) -> bool:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_timestamp(value: object) -> bool:
    if not isinstance(value, str) or not _TS_RE.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def parse_date(value: str, what: str = "日期") -> date:
    """A date exactly as YYYY-MM-DD and real (2026-02-30 is refused)."""
    text = (value or "").strip()
    if not _DATE_RE.match(text):
        raise InputRefused(f"{what}“{value}”格式不对。", hint="请按 年-月-日 填写，例如 2026-06-30。")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputRefused(f"{what}“{value}”不是真实存在的日期。", hint="请检查月份和天数。") from None


def now_ts() -> str:
    """The current time as RFC 3339 with the local offset."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def days_between(earlier: str, later: date) -> int:
    return (later - date.fromisoformat(earlier)).days
