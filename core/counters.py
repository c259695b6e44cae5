"""Named monotonic counters kept in the database (global change number, report Sequence)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import Counter


def next_change_no(session: Session) -> int:
    return bump(session, "change")


def bump(session: Session, name: str, at_least: int = 0) -> int:
    row = session.get(Counter, name)
    if row is None:
        row = Counter(name=name, value=0)
        session.add(row)
    row.value = max(row.value + 1, at_least)
    return row.value


def peek(session: Session, name: str) -> int:
    row = session.get(Counter, name)
    return row.value if row else 0


def raise_to(session: Session, name: str, value: int) -> None:
    row = session.get(Counter, name)
    if row is None:
        session.add(Counter(name=name, value=value))
    elif row.value < value:
        row.value = value
