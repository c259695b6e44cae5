"""The team commands end to end: users and login, handover, 回头看, reminders, quality."""

from __future__ import annotations

import json

import pytest
from teamkit import PASSWORDS


@pytest.fixture
def unit(cli):  # noqa: ANN001, ANN201
    code, _, err = cli("--user", "张三", "init", "--unit-code", "442000-017", "--unit-name", "某某镇",
                       "--admin", "张三")
    assert code == 0, err
    return cli


def _add_task(cli, owner: str, title: str) -> str:  # noqa: ANN001
    code, out, err = cli("--user", "张三", "task", "add", "--title", title, "--source", "巡察", "--category",
                         "立行立改",
                         "--owner", owner, "--deadline", "2026-05-31", "--node", "整改@2026-04-10")
    assert code == 0, err
    return out.strip()


def test_users_and_login_on_the_command_line(unit, monkeypatch) -> None:  # noqa: ANN001
    cli = unit
    monkeypatch.setenv("RECTIDESK_NEW_PASSWORD", PASSWORDS["张三"])
    assert cli("user", "passwd", "张三")[0] == 0  # the one user acts without --user
    monkeypatch.setenv("RECTIDESK_NEW_PASSWORD", PASSWORDS["李审"])
    code, out, err = cli("user", "add", "李审", "--role", "审核人")
    assert code == 0, err
    # now two users: a login is needed
    monkeypatch.setenv("RECTIDESK_NEW_PASSWORD", "clerk-pass-3")
    code, _, err = cli("--user", "张三", "user", "add", "王填", "--role", "clerk")
    assert code == 3 and "密码" in err
    code, _, err = cli("user", "add", "王填", "--role", "clerk")
    assert code == 2 and "张三、李审" in err and "--user" in err
    monkeypatch.setenv("RECTIDESK_PASSWORD", "wrong-one")
    code, _, err = cli("--user", "张三", "user", "add", "王填", "--role", "clerk")
    assert code == 3 and "密码不对" in err
    monkeypatch.setenv("RECTIDESK_PASSWORD", PASSWORDS["李审"])
    code, _, err = cli("--user", "李审", "user", "add", "王填", "--role", "clerk")
    assert code == 3 and "不能管理用户" in err  # a reviewer is not an admin
    monkeypatch.setenv("RECTIDESK_PASSWORD", PASSWORDS["张三"])
    assert cli("--user", "张三", "user", "add", "王填", "--role", "clerk")[0] == 0
    assert cli("--user", "张三", "user", "disable", "王填")[0] == 0
    code, out, _ = cli("--user", "张三", "user", "list", "--json")
    data = json.loads(out)
    assert data["login_required"] is True
    assert {u["name"]: (u["role"], u["active"]) for u in data["users"]} == {
        "张三": ("admin", True), "李审": ("reviewer", True), "王填": ("clerk", False)}


def test_a_password_is_never_a_command_line_argument(unit, monkeypatch) -> None:  # noqa: ANN001
    cli = unit
    for argv in (("user", "passwd", "张三", "--password", "secret-123"),
                 ("user", "add", "李审", "--role", "reviewer", "--password", "secret-123")):
        with pytest.raises(SystemExit) as exc:
            cli(*argv)
        assert exc.value.code == 2
    monkeypatch.delenv("RECTIDESK_NEW_PASSWORD", raising=False)
    code, _, err = cli("user", "passwd", "张三")  # no terminal, no environment variable: says how
    assert code == 2 and "RECTIDESK_NEW_PASSWORD" in err


def test_handover_recheck_reminders_quality_commands(unit, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    cli = unit
    ids = [_add_task(cli, "李四", f"问题{i}") for i in range(3)]
    code, out, err = cli("--user", "张三", "--today", "2026-04-15", "handover", "--from", "李四", "--to",
                         "王五",
                         "--new-person", "--note", "调岗", "--left", "--pdf", str(tmp_path / "交接清单.pdf"),
                         "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["count"] == 3 and data["marked_left"] and (tmp_path / "交接清单.pdf").stat().st_size > 1000
    code, out, _ = cli("handovers", "--person", "王五", "--json")
    assert len(json.loads(out)["handovers"]) == 3
    assert cli("handover", "--from", "李四", "--to", "王五")[0] == 3  # nothing left to hand over

    code, out, _ = cli("--today", "2026-04-15", "reminders", "--json")
    rem = json.loads(out)
    assert rem["counts"]["node_overdue"] == 3 and {i["owner"] for i in rem["items"]} == {"王五"}
    code, out, _ = cli("--today", "2026-04-15", "reminders")
    assert "节点已逾期（3）" in out

    # close one task by completing its node with a second person's check, then the city accepting it
    assert cli("--today", "2026-04-15", "node", "done", ids[0], "1", "--date", "2026-04-12")[0] == 0
    code, out, _ = cli("quality", "--json")
    flags = json.loads(out)
    assert flags["counts"]["late_without_note"] == 1
    monkeypatch.setenv("RECTIDESK_NEW_PASSWORD", PASSWORDS["张三"])
    assert cli("user", "passwd", "张三")[0] == 0
    monkeypatch.setenv("RECTIDESK_NEW_PASSWORD", PASSWORDS["李审"])
    assert cli("user", "add", "李审", "--role", "reviewer")[0] == 0
    monkeypatch.setenv("RECTIDESK_PASSWORD", PASSWORDS["李审"])
    assert cli("--user", "李审", "node", "confirm", ids[0], "1")[0] == 0
    monkeypatch.setenv("RECTIDESK_PASSWORD", PASSWORDS["张三"])
    from core.ledger.tasks import refresh
    from core.workspace import Workspace
    from db.models import Task

    with Workspace.open(tmp_path / "data") as ws, ws.session() as s:
        t = s.get(Task, ids[0])
        t.review_state, t.closed_on = "accepted", "2026-01-05"
        refresh(t)
    code, out, err = cli("--user", "张三", "recheck", "schedule")
    assert code == 0 and "2 次回头看" in out, err
    code, out, _ = cli("--user", "张三", "--today", "2026-04-15", "recheck", "list", "--json")
    assert [r["due"] for r in json.loads(out)["rechecks"]] == ["2026-04-05"]
    code, _, err = cli("--user", "张三", "--today", "2026-04-15", "recheck", "record", ids[0], "--result",
                       "未通过")
    assert code == 3 and "原因" in err
    code, out, err = cli("--user", "张三", "--today", "2026-04-15", "recheck", "record", ids[0], "--result",
                         "未通过",
                         "--note", "问题反弹")
    assert code == 0 and "重新打开" in out, err
    code, out, _ = cli("--user", "张三", "ledger", "--json")
    status = {t["id"]: t["status"] for t in json.loads(out)["tasks"]}
    assert status[ids[0]] != "closed"
