"""Setting up the unit (单位) of a fresh data folder."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, enums
from core.dates import now_ts
from core.errors import InputRefused
from core.text import clean_text, person_name
from db.models import PackageLog, Person, Unit

# The city's format: the six-digit area code, a dash, the unit's three-digit number (442000-017).
UNIT_CODE_RE = re.compile(r"^[0-9]{6}-[0-9]{3}$")
MAX_NAME = 100  # the longest official unit names have about 40 characters
CODE_HINT = "单位代码由市督查室分配，格式是六位数字、短横线、三位数字，例如 442000-017。"


class UnitFormRefused(InputRefused):
    """Every problem of the unit's form at once, keyed by field (code, name, admin)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("；".join(problems.values()) + "。",
                         hint=CODE_HINT if "code" in problems else "")
        self.problems = problems


def normal_code(code: str) -> str:
    """A Chinese input method may type ４４２０００－０１７: the same code in full-width characters."""
    return unicodedata.normalize("NFKC", clean_text(code or "")).strip()


def unit_problems(code: str, name: str, admin: str | None = None) -> dict[str, str]:
    """What is wrong with a unit's code, name (and first user, when given): all of it, not the first."""
    problems: dict[str, str] = {}
    code = normal_code(code)
    if not code:
        problems["code"] = "请填写单位代码"
    elif not UNIT_CODE_RE.match(code):
        problems["code"] = f"单位代码“{code}”格式不对"
    name = clean_text(name or "").strip()
    if not name:
        problems["name"] = "单位名称不能为空"
    elif "\n" in name or "\r" in name:
        problems["name"] = "单位名称应写在一行内"  # it travels as one bag-info.txt line (spec §2)
    elif len(name) > MAX_NAME:
        problems["name"] = f"单位名称太长（{len(name)} 个字，最多 {MAX_NAME} 个字）"
    if admin is not None and not person_name(admin):
        problems["admin"] = "请填写第一个用户（管理员）的姓名"
    return problems


def init_unit(session: Session, code: str, name: str, level: str = "township", admin: str = "") -> Unit:
    if session.scalar(select(Unit).limit(1)) is not None:
        raise InputRefused("这个数据文件夹已经建立了台账。", hint="如需新建，请用 --data-dir 指定一个空文件夹。",
                           window_hint="如需新建，请换一个空的数据文件夹。")
    problems = unit_problems(code, name, admin)
    if problems:
        raise UnitFormRefused(problems)
    code, name, admin = normal_code(code), clean_text(name).strip(), person_name(admin)
    unit = Unit(code=code, name=name, level=enums.parse("level", level), created=now_ts())
    session.add(unit)
    person = session.scalar(select(Person).where(Person.name == admin))
    if person is None:
        session.add(Person(name=admin, role="admin", active=True))
    else:
        person.role, person.active = "admin", True
    session.flush()
    audit.record(session, admin, "unit.init", "unit", code, after={"code": code, "name": unit.name})
    return unit


def set_unit(session: Session, actor: str, *, code: str | None = None, name: str | None = None) -> Unit:
    """An administrator corrects the unit's code or name (a typo at the first run), recorded in the audit log.

    The code names every package: once a package went to or came from the city it stays as it is.
    """
    from core.team.users import require_role

    require_role(session, actor, "admin", action="修改本单位的代码和名称")
    unit = session.scalar(select(Unit).limit(1))
    if unit is None:
        raise InputRefused("这个数据文件夹还没有建立本单位的台账。")
    new_code = unit.code if code is None else normal_code(code)
    new_name = unit.name if name is None else clean_text(name).strip()
    problems = unit_problems(new_code, new_name)
    if problems:
        raise UnitFormRefused(problems)
    if new_code != unit.code and session.scalar(select(PackageLog.package_id).limit(1)) is not None:
        raise InputRefused(f"本单位已经用代码“{unit.code}”与市督查平台交换过数据包，不能再改代码。",
                           hint="如代码确实有误，请联系市督查室。")
    before = {"code": unit.code, "name": unit.name}
    unit.code, unit.name = new_code, new_name
    after = {"code": unit.code, "name": unit.name}
    if after != before:
        audit.record(session, actor, "unit.edit", "unit", unit.code, before=before, after=after)
    return unit
