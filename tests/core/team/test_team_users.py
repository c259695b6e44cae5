"""Accounts and roles: scrypt hashes, login only with several users, roles enforced in core."""

from __future__ import annotations

from datetime import date

import pytest
from teamkit import PASSWORDS, make_task

from core.errors import InputRefused, PermissionDenied
from core.ledger.tasks import complete_node, confirm_node
from core.team import users
from db.models import AuditEntry, Person


def test_password_hash_is_scrypt_salted_and_self_describing() -> None:
    a, b = users.hash_password("secret-1"), users.hash_password("secret-1")
    assert a.startswith("scrypt$16384$8$1$") and a != b  # salted
    assert users.check_password(a, "secret-1")
    assert not users.check_password(a, "secret-2")
    assert not users.check_password("garbage", "secret-1")
    assert not users.check_password(None, "")


def test_login_needed_only_once_the_unit_has_a_second_user(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        assert not users.login_required(s)  # only the admin from init
        users.set_password(s, "张三", "张三", "admin-pass-1")
        users.add_user(s, "张三", "李审", "reviewer", "review-pass-2")
        assert users.login_required(s)
        users.disable_user(s, "张三", "李审", date(2026, 4, 15))
        assert not users.login_required(s)
        # roles without passwords (the demo ledger) cannot log in, so no login is asked
        s.add(Person(name="演示审核人", role="reviewer", active=True))
        assert not users.login_required(s)


def test_authenticate_says_plainly_what_is_wrong(team) -> None:  # noqa: ANN001
    with team.read() as s:
        assert users.authenticate(s, "李审", PASSWORDS["李审"]).role == "reviewer"
        with pytest.raises(PermissionDenied, match="密码不对"):
            users.authenticate(s, "李审", "wrong")
        with pytest.raises(PermissionDenied, match="没有名为“赵六”的用户"):
            users.authenticate(s, "赵六", "x" * 8)
    with team.session() as s:
        users.disable_user(s, "张三", "王填", date(2026, 4, 15))
    with team.read() as s, pytest.raises(PermissionDenied, match="已停用"):
        users.authenticate(s, "王填", PASSWORDS["王填"])


def test_only_an_admin_manages_users_and_settings(team) -> None:  # noqa: ANN001
    for actor in ("王填", "李审", "外人"):
        with pytest.raises(PermissionDenied), team.session() as s:
            users.add_user(s, actor, "赵六", "clerk", "pass-word-6")
        with pytest.raises(PermissionDenied), team.session() as s:
            users.disable_user(s, actor, "王填", date(2026, 4, 15))
        with pytest.raises(PermissionDenied), team.session() as s:
            users.set_setting(s, actor, "due_soon_days", 7)
        with pytest.raises(PermissionDenied), team.session() as s:
            users.set_password(s, actor, "张三", "hijacked-1")
    with team.session() as s:
        users.set_setting(s, "张三", "due_soon_days", 7)
        users.set_password(s, "王填", "王填", "my-own-new-1")  # everyone may change their own
    with team.read() as s:
        from core.settings import get_int

        assert get_int(s, "due_soon_days") == 7
        assert users.authenticate(s, "王填", "my-own-new-1")
        assert {u.name for u in users.list_users(s)} == {"张三", "李审", "王填"}


def test_two_person_check_needs_the_reviewer_role(team) -> None:  # noqa: ANN001
    with team.session() as s:
        tid = make_task(s, owner="王填").id
        complete_node(s, "王填", tid, 1, done=date(2026, 4, 10))
    with pytest.raises(PermissionDenied, match="审核人"), team.session() as s:
        confirm_node(s, "李四", tid, 1)  # a colleague without an account
    with team.session() as s:
        users.set_role(s, "张三", "李审", "clerk")
    with pytest.raises(PermissionDenied), team.session() as s:
        confirm_node(s, "李审", tid, 1)
    with team.session() as s:
        users.set_role(s, "张三", "李审", "审核人")
        assert confirm_node(s, "李审", tid, 1).status == "confirmed"


def test_account_rules_that_protect_the_unit(team) -> None:  # noqa: ANN001
    with pytest.raises(InputRefused, match="太短"), team.session() as s:
        users.add_user(s, "张三", "赵六", "clerk", "123")
    with pytest.raises(InputRefused, match="已经存在"), team.session() as s:
        users.add_user(s, "张三", "李审", "clerk", "pass-word-6")
    with pytest.raises(InputRefused, match="你自己"), team.session() as s:
        users.disable_user(s, "张三", "张三", date(2026, 4, 15))
    with pytest.raises(InputRefused, match="最后一位管理员"), team.session() as s:
        users.set_role(s, "张三", "张三", "clerk")


def test_admin_without_password_must_set_one_before_adding_a_second_user(workspace) -> None:  # noqa: ANN001
    with pytest.raises(InputRefused, match="先为你自己设置密码"), workspace.session() as s:
        users.add_user(s, "张三", "李审", "reviewer", "review-pass-2")
    with workspace.read() as s:
        assert not users.login_required(s)


def test_a_responsible_person_becomes_a_user_and_keeps_their_tasks(team) -> None:  # noqa: ANN001
    with team.session() as s:
        tid = make_task(s, owner="李四").id
        users.add_user(s, "张三", "李四", "clerk", "pass-word-4")
    with team.read() as s:
        p = s.query(Person).filter_by(name="李四").one()
        assert p.role == "clerk" and s.query(Person).filter_by(name="李四").count() == 1
        from db.models import Task

        assert s.get(Task, tid).owner_id == p.id


def test_user_changes_are_audited_without_the_hash(team) -> None:  # noqa: ANN001
    with team.read() as s:
        entries = s.query(AuditEntry).filter(AuditEntry.action.like("user.%")).all()
        assert {e.action for e in entries} >= {"user.add", "user.password"}
        assert all("scrypt" not in e.summary for e in entries)
        assert all(e.user == "张三" for e in entries)
