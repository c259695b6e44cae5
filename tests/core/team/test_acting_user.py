"""Who acts: always a person of the unit, never the computer's login name (window and command line alike)."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from sqlalchemy import text

from core.errors import PermissionDenied
from core.team.users import (
    NoUsers,
    UserNotChosen,
    acting_user,
    add_first_user,
    add_user,
    needs_password,
    set_password,
)
from db.models import Node, Person

OS_LOGIN = "pc-admin-x"


@pytest.fixture(autouse=True)
def _distinctive_login_name(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("USER", "LOGNAME", "USERNAME", "LNAME"):
        monkeypatch.setenv(var, OS_LOGIN)
    assert getpass.getuser() == OS_LOGIN


def test_the_one_user_acts_and_nobody_else(workspace) -> None:  # noqa: ANN001
    ws = workspace
    ws.set_user(None)
    assert ws.user == "张三"  # init made 张三 the first user
    with ws.read() as s:
        assert acting_user(s) == "张三"
        with pytest.raises(PermissionDenied, match=OS_LOGIN) as exc:
            acting_user(s, OS_LOGIN)
        assert "张三" in exc.value.hint  # says who the users are


def test_with_several_users_someone_must_be_named(workspace) -> None:  # noqa: ANN001
    ws = workspace
    with ws.session() as s:
        set_password(s, "张三", "张三", "admin-pass-1")
        add_user(s, "张三", "李审", "reviewer", "review-pass-2")
    ws.set_user(None)
    with pytest.raises(UserNotChosen) as exc:
        _ = ws.user
    assert exc.value.names == ["张三", "李审"] and exc.value.exit_code == 2
    with ws.read() as s:
        assert acting_user(s, "李审") == "李审"
        assert needs_password(s, "李审") and needs_password(s, "张三")


def test_one_user_needs_no_password_and_a_ledger_without_users_asks_for_the_first(workspace) -> None:  # noqa: ANN001
    ws = workspace
    with ws.session() as s:
        set_password(s, "张三", "张三", "admin-pass-1")
        assert not needs_password(s, "张三")  # nobody to tell apart
        s.query(Person).update({Person.role: None})  # a ledger from an older version: no accounts
    ws.set_user(None)
    with pytest.raises(NoUsers):
        _ = ws.user
    with ws.session() as s:
        add_first_user(s, "王主任")
    assert ws.user == "王主任"


def test_cli_acts_as_the_one_user_not_the_login_name(cli, data_dir: Path) -> None:  # noqa: ANN001
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张伟")[0] == 0
    code, out, err = cli("task", "add", "--title", "t", "--source", "audit", "--category", "phased",
                         "--owner", "李四", "--deadline", "2026-05-31", "--node", "n@2026-05-01")
    assert code == 0, err
    tid = out.strip()
    assert cli("node", "done", tid, "1")[0] == 0
    from core.workspace import Workspace

    with Workspace.open(data_dir) as ws, ws.read() as s:
        (node,) = s.query(Node).all()
        assert node.done_by == "张伟"
        users = {u for (u,) in s.execute(text("SELECT user FROM audit_log"))}
    assert OS_LOGIN not in users and users <= {"张伟", "system"}


def test_cli_init_needs_the_first_user(cli) -> None:  # noqa: ANN001
    code, _, err = cli("init", "--unit-code", "442000-017", "--unit-name", "某镇")
    assert code == 2 and "--admin" in err


def test_cli_with_several_users_refuses_an_unnamed_action_and_lists_the_users(cli, data_dir: Path) -> None:  # noqa: ANN001
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张伟")[0] == 0
    code, out, _ = cli("task", "add", "--title", "t", "--source", "audit", "--category", "phased",
                       "--owner", "李四", "--deadline", "2026-05-31")
    assert code == 0
    tid = out.strip()
    from core.workspace import Workspace

    with Workspace.open(data_dir) as ws, ws.session() as s:  # a second account without passwords (as the demo)
        s.add(Person(name="李审", role="reviewer", active=True))
    assert cli("ledger", "--json")[0] == 0  # reading goes on
    code, _, err = cli("task", "delete", tid)
    assert code == 2 and "张伟、李审" in err and "--user" in err
    code, _, err = cli("--user", OS_LOGIN, "task", "delete", tid)
    assert code == 3 and "不是本单位在岗的用户" in err and "张伟、李审" in err
    code, _, err = cli("--user", "张伟", "task", "delete", tid)
    assert code == 0, err
