"""Local user accounts (填报员 / 审核人 / 管理员): scrypt password hashes, login, roles enforced in core.

A person (责任人) becomes a user when given a role. While the unit has no user account at all, the
program runs open (one clerk on one PC); once accounts exist every guarded action checks the actor's
role here, whatever front end called it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, enums, places
from core.errors import InputRefused, NotFound, PermissionDenied, UsageError
from core.ledger.people import section_named
from core.sqltypes import AnySelect
from db.models import Person

ROLES = ("clerk", "reviewer", "admin")
MIN_PASSWORD = 6
# scrypt with n=2**14, r=8: 16 MiB per hash, about 50 ms on an old PC; stored with its parameters
# so they can be raised later without breaking existing passwords.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(stored: str | None, password: str) -> bool:
    """True when `password` matches the stored self-describing hash; a malformed hash never matches."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, digest = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        got = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=int(n), r=int(r), p=int(p),
                             dklen=len(digest), maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, digest)


# -- who is a user ---------------------------------------------------------------------------

def _is_account(p: Person) -> bool:
    return p.role is not None


def accounts_exist(session: Session) -> bool:
    return session.scalar(select(Person.id).where(Person.role.is_not(None)).limit(1)) is not None


def login_required(session: Session) -> bool:
    """A login at start is needed once more than one person with a password uses this ledger.

    Accounts without a password cannot log in, so they do not count: the demo ledger (roles but no
    passwords) stays open, while `add_user` always sets a password and first makes the admin set one.
    """
    return int(session.scalar(password_accounts_statement()) or 0) > 1


def password_accounts_statement() -> AnySelect:
    """How many active accounts have a password (a login is required above one)."""
    return select(func.count()).select_from(Person).where(
        Person.role.is_not(None), Person.active.is_(True), Person.password_hash.is_not(None))


# -- who is acting ---------------------------------------------------------------------------
# The program always acts as a person of the unit, never as the computer's login name. One rule for
# the window and the command line: with one active user, that user; with several, the caller names one
# (the window's login list, the command line's --user); a user with a password gives it (`needs_password`).


class UserNotChosen(UsageError):
    """Several users work with this ledger and nobody said who is acting (the front end adds how)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"本单位有 {len(names)} 名用户（{'、'.join(names)}），需要说明由谁操作。")
        self.names = names


class NoUsers(InputRefused):
    """A ledger without any active user account (made by an older version without a first user)."""

    def __init__(self) -> None:
        super().__init__("本单位还没有用户，需要先登记第一个用户（管理员）。")


def active_user_names(session: Session) -> list[str]:
    """The active user accounts, the first one made first."""
    return list(session.scalars(select(Person.name).where(Person.role.is_not(None), Person.active.is_(True))
                                .order_by(Person.id)))


def acting_user(session: Session, requested: str | None = None) -> str:
    """Who acts: the named active user, or the only one; never anyone else."""
    names = active_user_names(session)
    name = (requested or "").strip()
    if name:
        if name not in names:
            listed = "、".join(names) if names else "（还没有用户）"
            raise PermissionDenied(f"“{name}”不是本单位在岗的用户。", hint=f"本单位的用户：{listed}。")
        return name
    if len(names) == 1:
        return names[0]
    if not names:
        raise NoUsers()
    raise UserNotChosen(names)


def needs_password(session: Session, name: str) -> bool:
    """Whether `name` must give a password before acting.

    With one user there is nobody to tell apart: no login. With several, a user who has a password
    gives it; a user without one may act only while nobody needs a login (`login_required`), else
    `authenticate` says the password must be set first.
    """
    if len(active_user_names(session)) < 2:
        return False
    person = session.scalar(select(Person).where(Person.name == (name or "").strip()))
    return person is not None and (bool(person.password_hash) or login_required(session))


def has_password(session: Session, name: str) -> bool:
    person = session.scalar(select(Person).where(Person.name == (name or "").strip()))
    return person is not None and bool(person.password_hash)


def add_first_user(session: Session, name: str, password: str = "") -> Person:
    """The first account of a ledger that has none (an older one): an administrator, who then acts."""
    if active_user_names(session):
        raise InputRefused("本单位已经有用户了。", hint="添加其他用户需要由管理员操作。")
    name = clean_person_name(name)
    if not name:
        raise refused("name", "请填写第一个用户（管理员）的姓名。")
    if password:
        _check_password_text(password)
    person = session.scalar(select(Person).where(Person.name == name))
    before = _account_view(person) if person is not None else None
    if person is None:
        person = Person(name=name, active=True)
        session.add(person)
    person.role, person.active, person.left_on = "admin", True, None
    person.password_hash = hash_password(password) if password else None
    session.flush()
    audit.record(session, name, "user.add", "person", str(person.id), before=before, after=_account_view(person))
    return person


def clean_person_name(value: str) -> str:
    from core.text import person_name

    return person_name(value or "").strip()


def active_accounts_statement() -> AnySelect:
    """How many active accounts there are: the window asks who is working unless exactly one."""
    return select(func.count()).select_from(Person).where(Person.role.is_not(None), Person.active.is_(True))


def find_user(session: Session, name: str) -> Person:
    person = session.scalar(select(Person).where(Person.name == (name or "").strip()))
    if person is None or not _is_account(person):
        raise NotFound(f"没有名为“{name}”的用户。", hint="可用 user list 查看本单位的用户。",
                       window_hint=f"本单位的用户列在 {places.USERS} 中。")
    return person


def require_role(session: Session, actor: str, *roles: str, action: str = "执行此操作") -> Person | None:
    """Refuse unless `actor` is an active user with one of `roles` (admin may always act).

    Returns the actor's account, or None while the unit keeps no accounts (single-user mode).
    Kept in step with core.ledger.tasks._check_reviewer (the same rule for 双人核查).
    """
    if not accounts_exist(session):
        return None
    allowed = set(roles) | {"admin"}
    person = session.scalar(select(Person).where(Person.name == (actor or "").strip()))
    if person is None or not _is_account(person):
        raise PermissionDenied(f"“{actor}”不是本单位的用户，不能{action}。", hint="请用本人的用户名登录。")
    if not person.active:
        raise PermissionDenied(f"用户“{actor}”已停用，不能{action}。", hint="请由在岗的同事登录操作。")
    if person.role not in allowed:
        need = "、".join(enums.label("role", r) for r in ROLES if r in allowed)
        raise PermissionDenied(f"“{actor}”是{enums.label('role', person.role)}，不能{action}。",
                               hint=f"此操作需要{need}权限，请由有权限的同事登录操作。")
    return person


def authenticate(session: Session, name: str, password: str) -> Person:
    """The login check: each refusal says plainly what is wrong."""
    name = (name or "").strip()
    if not name:
        raise InputRefused("请输入用户名。")
    person = session.scalar(select(Person).where(Person.name == name))
    if person is None or not _is_account(person):
        raise PermissionDenied(f"没有名为“{name}”的用户。",
                               hint="请检查姓名是否写对，或请管理员为你建立账户。")
    if not person.active:
        raise PermissionDenied(f"用户“{name}”已停用。", hint="如需重新使用，请联系本单位管理员。")
    if not person.password_hash:
        raise PermissionDenied(f"用户“{name}”还没有设置密码。", hint="请管理员先为其设置密码。")
    if not check_password(person.password_hash, password or ""):
        raise PermissionDenied("密码不对。",
                               hint="请注意大小写和输入法状态后重新输入；忘记密码请联系管理员重设。")
    return person


# -- managing accounts (admin only) ----------------------------------------------------------

def refused(field: str, message: str, hint: str = "", window_hint: str | None = None) -> InputRefused:
    """A refusal that names the form field to fix (`field`), so a dialog can mark it."""
    return InputRefused(message, hint=hint, window_hint=window_hint, field=field)


def _check_password_text(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise refused("password", f"密码太短，至少需要 {MIN_PASSWORD} 位。", hint="请设置一个不容易被猜到的密码。")
    return password


def _account_view(p: Person) -> dict[str, object]:
    """What the audit log keeps of an account: never the password hash."""
    return {"name": p.name, "role": p.role, "active": p.active, "section_id": p.section_id,
            "left_on": p.left_on, "has_password": bool(p.password_hash)}


def add_user(session: Session, actor: str, name: str, role: str, password: str, *,
             section: str = "") -> Person:
    actor_account = require_role(session, actor, "admin", action="管理用户")
    name = (name or "").strip()
    if not name:
        raise refused("name", "用户姓名不能为空。")
    role = enums.parse("role", role)
    _check_password_text(password)
    if actor_account is not None and not actor_account.password_hash and actor_account.name != name:
        # Otherwise the admin would be locked out by the login that a second account switches on.
        raise refused("own_password", "请先为你自己设置密码，再添加其他用户。",
                      hint=f"运行 user passwd {actor_account.name}，添加第二个用户后启动时需要登录。",
                      window_hint=f"请先点 {places.SET_MY_PASSWORD} 设置密码，添加第二个用户后启动时需要登录。")
    person = session.scalar(select(Person).where(Person.name == name))
    if person is not None and _is_account(person):
        raise refused("name", f"用户“{name}”已经存在。", hint="如需修改密码请用 user passwd。",
                      window_hint=f"如需修改密码，请本人点 {places.SET_MY_PASSWORD}，"
                                  f"或由管理员在 {places.USERS} 中设置。")
    if person is not None and not person.active:
        raise refused("name", f"“{name}”已登记为离岗人员，不能作为用户添加。",
                      hint="如是同名的新同事，请在姓名后加以区分。")
    before = _account_view(person) if person is not None else None
    if person is None:
        person = Person(name=name, active=True)
        session.add(person)
    person.role = role
    person.password_hash = hash_password(password)
    if section.strip():
        sec = section_named(session, section)
        person.section_id = sec.id if sec else None
    session.flush()
    audit.record(session, actor, "user.add", "person", str(person.id), before=before,
                 after=_account_view(person))
    return person


def _last_admin(session: Session, person: Person) -> bool:
    others = session.scalar(select(func.count()).select_from(Person).where(
        Person.role == "admin", Person.active.is_(True), Person.id != person.id)) or 0
    return person.role == "admin" and person.active and others == 0


def disable_user(session: Session, actor: str, name: str, today: date) -> Person:
    """停用: the person has left; history keeps the name, the account can no longer log in."""
    require_role(session, actor, "admin", action="管理用户")
    person = find_user(session, name)
    if not person.active:
        raise InputRefused(f"用户“{name}”已经停用。")
    if person.name == (actor or "").strip():
        raise InputRefused("不能停用你自己的账户。", hint="请由另一位管理员操作。")
    if _last_admin(session, person):
        raise InputRefused(f"“{name}”是本单位最后一位管理员，不能停用。", hint="请先把另一位用户设为管理员。")
    before = _account_view(person)
    person.active = False
    person.left_on = today.isoformat()
    audit.record(session, actor, "user.disable", "person", str(person.id), before=before,
                 after=_account_view(person))
    return person


def set_password(session: Session, actor: str, name: str, password: str) -> Person:
    """A user changes their own password; an admin may set anyone's."""
    person = find_user(session, name)
    if person.name != (actor or "").strip():
        require_role(session, actor, "admin", action="修改别人的密码")
    elif accounts_exist(session):
        require_role(session, actor, *ROLES, action="修改密码")
    _check_password_text(password)
    person.password_hash = hash_password(password)
    audit.record(session, actor, "user.password", "person", str(person.id), after={"name": person.name})
    return person


def set_role(session: Session, actor: str, name: str, role: str) -> Person:
    require_role(session, actor, "admin", action="管理用户")
    person = find_user(session, name)
    role = enums.parse("role", role)
    if role != "admin" and _last_admin(session, person):
        raise InputRefused(f"“{name}”是本单位最后一位管理员，不能改为其他角色。",
                           hint="请先把另一位用户设为管理员。")
    before = _account_view(person)
    person.role = role
    audit.record(session, actor, "user.role", "person", str(person.id), before=before,
                 after=_account_view(person))
    return person


@dataclass
class UserRow:
    name: str
    role: str
    role_label: str
    section: str
    active: bool
    has_password: bool
    left_on: str | None

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def list_users(session: Session) -> list[UserRow]:
    rows = session.scalars(select(Person).where(Person.role.is_not(None)).order_by(Person.active.desc(),
                                                                                   Person.id))
    return [UserRow(p.name, p.role or "", enums.label("role", p.role), p.section.name if p.section else "",
                    bool(p.active), bool(p.password_hash), p.left_on) for p in rows]


def set_setting(session: Session, actor: str, key: str, value: int) -> None:
    """Settings are the admin's: the role check sits here so every front end gets it."""
    from core import settings

    require_role(session, actor, "admin", action="修改设置")
    before = settings.get_int(session, key) if key in settings.SPECS else None
    settings.set_local(session, key, value)
    audit.record(session, actor, "setting.set", "setting", key, before={"value": before},
                 after={"value": value})
