"""Setting up the unit (单位) of a fresh data folder."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, enums
from core.dates import now_ts
from core.errors import InputRefused
from core.text import clean_text
from db.models import Person, Unit

_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]{1,62}$")


def init_unit(session: Session, code: str, name: str, level: str = "township", admin: str = "") -> Unit:
    if session.scalar(select(Unit).limit(1)) is not None:
        raise InputRefused("这个数据文件夹已经建立了台账。", hint="如需新建，请用 --data-dir 指定一个空文件夹。")
    # A Chinese input method may type ４４２０００－０１７: the same code in full-width characters.
    code = unicodedata.normalize("NFKC", clean_text(code or "")).strip()
    if not _CODE_RE.match(code):
        raise InputRefused(f"单位代码“{code}”格式不对。",
                           hint="单位代码由市督查室分配，只含数字、字母和短横线，例如 442000-017。")
    name = clean_text(name or "")
    admin = clean_text(admin or "")
    if not name.strip():
        raise InputRefused("单位名称不能为空。")
    unit = Unit(code=code, name=name.strip(), level=enums.parse("level", level), created=now_ts())
    session.add(unit)
    if admin.strip():
        person = session.scalar(select(Person).where(Person.name == admin.strip()))
        if person is None:
            session.add(Person(name=admin.strip(), role="admin", active=True))
        else:
            person.role = "admin"
    session.flush()
    audit.record(session, admin or "system", "unit.init", "unit", code, after={"code": code, "name": unit.name})
    return unit
