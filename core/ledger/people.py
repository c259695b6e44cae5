"""People (责任人) and sections (科室): looked up by name, created on first use."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.text import person_name
from db.models import Person, Section


def section_named(session: Session, name: str | None) -> Section | None:
    name = (name or "").strip()
    if not name:
        return None
    found = session.scalar(select(Section).where(Section.name == name))
    if found is None:
        found = Section(name=name)
        session.add(found)
        session.flush()
    return found


def person_named(session: Session, name: str | None, section: Section | None = None) -> Person | None:
    name = person_name(name or "")
    if not name:
        return None
    found = session.scalar(select(Person).where(Person.name == name))
    if found is None:
        found = Person(name=name, section_id=section.id if section else None, active=True)
        session.add(found)
        session.flush()
    return found


def unit_people(session: Session, also: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The names a 责任人 field offers: the unit's users first, then the other people in post, then `also`
    (owners already in the ledger); people who left are not offered for new work."""
    rows = session.execute(select(Person.name, Person.role).where(Person.active.is_(True))
                           .order_by(Person.role.is_(None), Person.name)).all()
    names = [n for n, _ in rows]
    left = set(session.scalars(select(Person.name).where(Person.active.is_(False))))
    return list(dict.fromkeys([*names, *(a for a in also if a and a not in left)]))
