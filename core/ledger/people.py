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
