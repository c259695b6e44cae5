"""Settings declared once, each with a type, a default and whether the city may set it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.errors import InputRefused

if TYPE_CHECKING:  # imported where used: the window's first paint reads thresholds without the ORM
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: int
    label: str
    city: bool  # the city's `settings` record may set it (then it is read-only here)
    minimum: int = 0


SPECS: dict[str, SettingSpec] = {
    s.key: s
    for s in (
        SettingSpec("yellow_after_days", 0, "逾期超过多少天亮黄灯", city=True),
        SettingSpec("red_after_days", 10, "逾期超过多少天亮红灯", city=True),
        SettingSpec("due_soon_days", 3, "临期提醒天数", city=True),
        SettingSpec("volume_limit_mb", 20, "报送包分卷大小（MB）", city=True, minimum=1),
        SettingSpec("recheck_first_months", 3, "销号后第一次回头看（月）", city=False, minimum=1),
        SettingSpec("recheck_second_months", 6, "销号后第二次回头看（月）", city=False, minimum=1),
        SettingSpec("backups_kept", 10, "保留自动备份份数", city=False, minimum=1),
    )
}


@dataclass(frozen=True)
class TextSpec:
    key: str
    default: str
    label: str
    max_length: int = 100


# Settings that are words, not numbers (the unit's own; the city does not set them).
TEXT_SPECS: dict[str, TextSpec] = {
    s.key: s for s in (TextSpec("report_recipient", "市督查室", "整改报告的主送机关"),)
}


def get_text(session: Session, key: str) -> str:
    from db.models import Setting

    row = session.get(Setting, key)
    return row.value if row is not None else TEXT_SPECS[key].default


def set_text(session: Session, key: str, value: str) -> None:
    """A word setting; blank puts the default back. Control characters and surrounding spaces are dropped."""
    from core.text import clean_text
    from db.models import Setting

    spec = TEXT_SPECS.get(key)
    if spec is None:
        raise InputRefused(f"没有名为“{key}”的设置。")
    text = " ".join(clean_text(value).split())
    if len(text) > spec.max_length:
        raise InputRefused(f"“{spec.label}”太长了（最多 {spec.max_length} 个字）。")
    row = session.get(Setting, key)
    if not text:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(Setting(key=key, value=text, source="local"))
    else:
        row.value = text


@dataclass(frozen=True)
class Thresholds:
    yellow_after_days: int = 0
    red_after_days: int = 10
    due_soon_days: int = 3


def parse_int(key: str, stored: str | None) -> int:
    """A stored setting as a number; missing or unreadable gives the default."""
    spec = SPECS[key]
    if stored is None:
        return spec.default
    try:
        return int(stored)
    except ValueError:
        return spec.default


def get_int(session: Session, key: str) -> int:
    from db.models import Setting

    row = session.get(Setting, key)
    return parse_int(key, row.value if row is not None else None)


def all_values(session: Session) -> dict[str, tuple[int, str]]:
    """Every setting with its value and who set it (local / city)."""
    from sqlalchemy import select

    from db.models import Setting

    rows = {r.key: r for r in session.scalars(select(Setting))}
    out: dict[str, tuple[int, str]] = {}
    for key, spec in SPECS.items():
        row = rows.get(key)
        out[key] = (int(row.value), row.source) if row else (spec.default, "default")
    return out


def set_local(session: Session, key: str, value: int) -> None:
    from db.models import Setting

    spec = SPECS.get(key)
    if spec is None:
        raise InputRefused(f"没有名为“{key}”的设置。")
    if value < spec.minimum:
        raise InputRefused(f"“{spec.label}”不能小于 {spec.minimum}。")
    row = session.get(Setting, key)
    if row is not None and row.source == "city":
        raise InputRefused(f"“{spec.label}”由市督查平台设定，本单位不能修改。")
    if row is None:
        session.add(Setting(key=key, value=str(value), source="local"))
    else:
        row.value = str(value)


def set_from_city(session: Session, key: str, value: int, sequence: int) -> None:
    from db.models import Setting

    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=str(value), source="city", city_seq=sequence))
    else:
        row.value, row.source, row.city_seq = str(value), "city", sequence


def thresholds_from(stored: dict[str, str]) -> Thresholds:
    """The light thresholds from stored setting values (key -> text), defaults where missing."""
    return Thresholds(**{k: parse_int(k, stored.get(k)) for k in THRESHOLD_KEYS})


THRESHOLD_KEYS = ("yellow_after_days", "red_after_days", "due_soon_days")


def thresholds_statement() -> Any:
    """The stored rows `thresholds_from` reads: (key, value)."""
    from sqlalchemy import select

    from db.models import Setting

    return select(Setting.key, Setting.value).where(Setting.key.in_(THRESHOLD_KEYS))


def thresholds(session: Session) -> Thresholds:
    return thresholds_from({k: v for k, v in session.execute(thresholds_statement())})
