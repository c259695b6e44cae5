"""The PC clock: lights use the date the user sees, but an obviously wrong clock is pointed out.

Old township PCs often lose their date (a flat CMOS battery sets them back years). Nothing in the
ledger depends on the clock for its correctness (sequences are counters, newer-wins uses Sequence), but the
lights and reminders do, so the user is warned when today is earlier than the newest package we hold.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import PackageLog


def newest_known_date(session: Session) -> date | None:
    """The latest 'Created' date of any package accepted or written (the city's clock or ours at the time)."""
    latest = session.scalar(select(func.max(PackageLog.created)))
    if not latest:
        return None
    try:
        return datetime.fromisoformat(latest.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def clock_warning(session: Session, today: date) -> str | None:
    newest = newest_known_date(session)
    if newest is None or today >= newest:
        return None
    return (f"电脑的日期（{today.isoformat()}）早于最近一个报送/反馈包的日期（{newest.isoformat()}），"
            "电脑时钟可能不准。预警灯按电脑日期计算，请先校正电脑的日期和时间。")
