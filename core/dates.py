"""Dates: strict YYYY-MM-DD and RFC 3339 as the spec and the ledger store them; the forms people type."""

from __future__ import annotations

import calendar
import re
import unicodedata
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


_YMD = re.compile(r"^(\d{4})\s*(?:年|[./\-\\])\s*(\d{1,2})\s*(?:月|[./\-\\])\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class DayFormat(ValueError):
    """Not written as a day at all."""


class NoSuchDay(ValueError):
    """Written as a day that does not exist; the message says why."""


def read_day(value: str) -> date:
    """The forms people type: 2026-06-30, 2026年6月30日, 2026.6.30, 2026/6/30, 20260630, in full-width digits
    too (a Chinese input method's ２０２６－０６－３０). Raises DayFormat or NoSuchDay."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    m = _YMD.match(text) or _COMPACT.match(text)
    if not m:
        raise DayFormat(text)
    y, mo, d = (int(x) for x in m.groups())
    if y < 1:
        raise NoSuchDay(f"“{text}”不是有效日期：没有{y}年")
    if not 1 <= mo <= 12:
        raise NoSuchDay(f"“{text}”不是有效日期：没有{mo}月")
    last = calendar.monthrange(y, mo)[1]
    if not 1 <= d <= last:
        raise NoSuchDay(f"“{text}”不是有效日期：{y}年{mo}月只有{last}天")
    return date(y, mo, d)


FIRST_YEAR, LAST_YEAR = 2000, 2099  # a typed year outside is a typo (1900, 0206, 2206), not a deadline


def parse_date(value: str, what: str = "日期") -> date:
    """A day a person typed (see `read_day`), which must exist: 2026-02-30 is refused, and says why."""
    try:
        day = read_day(value)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InputRefused(f"{what}“{value}”的年份不对。",
                               hint=f"请检查年份（应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间），例如 2026-06-30。")
        return day
    except DayFormat:
        raise InputRefused(f"{what}“{value}”格式不对。",
                           hint="请按 年-月-日 填写，例如 2026-06-30（也可写 2026年6月30日）。") from None
    except NoSuchDay as exc:
        raise InputRefused(f"{what}{exc}。", hint="请检查月份和天数。") from None


def now_ts() -> str:
    """The current time as RFC 3339 with the local offset."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def days_between(earlier: str, later: date) -> int:
    return (later - date.fromisoformat(earlier)).days
