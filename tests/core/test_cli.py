"""The command line as a contract: round trip through `ledger --json`, exit codes, clear messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _init(cli) -> None:  # noqa: ANN001
    code, _, err = cli("init", "--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府", "--admin", "张三")
    assert code == 0, err


def test_round_trip_through_ledger_json(cli, tmp_path: Path) -> None:  # noqa: ANN001
    _init(cli)
    code, out, err = cli("task", "add", "--title", "村务公开不及时", "--source", "巡察",
                         "--category", "立行立改", "--owner", "李四", "--deadline", "2026-05-31",
                         "--section", "党政办", "--node", "公开栏更新@2026-04-10", "--node", "建立制度@2026-05-31")
    assert code == 0, err
    task_id = out.strip()
    assert cli("--today", "2026-04-15", "node", "done", task_id, "1", "--date", "2026-04-09")[0] == 0
    ev = tmp_path / "公开栏照片.png"
    ev.write_bytes(b"\x89PNG fake")
    assert cli("evidence", "add", task_id, str(ev), "--node", "1")[0] == 0
    code, out, _ = cli("--today", "2026-04-15", "ledger", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["unit"] == {"code": "442000-017", "name": "中山市某某镇人民政府"}
    assert data["today"] == "2026-04-15"
    (t,) = data["tasks"]
    assert t["id"] == task_id and t["source"] == "inspection" and t["category"] == "immediate"
    assert t["status"] == "in_progress" and t["light"] == "green" and t["light_reason"]
    assert t["owner"] == "李四" and t["section"] == "党政办" and t["city_ref"] is None
    assert [(n["seq"], n["status"], n["done"]) for n in t["nodes"]] == [(1, "done", "2026-04-09"), (2, "pending", None)]
    assert t["open_notices"] == []
    # later: the node is overdue and the light follows
    code, out, _ = cli("--today", "2026-06-15", "ledger", "--json", "--light", "红")
    assert [x["id"] for x in json.loads(out)["tasks"]] == [task_id]


def test_exit_codes_and_messages(cli) -> None:  # noqa: ANN001
    _init(cli)
    code, _, err = cli("task", "edit", "no-such-id", "--title", "x")
    assert code == 3 and "找不到" in err
    code, _, err = cli("task", "add", "--title", "x", "--source", "audit", "--category", "phased", "--owner", "a",
                       "--deadline", "2026-02-30")
    assert code == 3 and "只有28天" in err
    code, _, err = cli("evidence", "add", "x", "/nonexistent/file.pdf")
    assert code == 3
    with pytest.raises(SystemExit) as exc:
        cli("task", "add", "--title")
    assert exc.value.code == 2


def _second_user(cli, monkeypatch, name: str = "李四", role: str = "reviewer") -> None:  # noqa: ANN001
    """张三 sets a password, then adds `name`: from then on every command logs in."""
    monkeypatch.setenv("RECTIDESK_NEW_PASSWORD", "admin-pass-1")
    assert cli("user", "passwd", "张三")[0] == 0
    monkeypatch.setenv("RECTIDESK_NEW_PASSWORD", f"{name}-pass-2")
    monkeypatch.setenv("RECTIDESK_PASSWORD", "admin-pass-1")
    code, _, err = cli("--user", "张三", "user", "add", name, "--role", role)
    assert code == 0, err


def test_same_person_cannot_confirm(cli, monkeypatch) -> None:  # noqa: ANN001
    _init(cli)
    _second_user(cli, monkeypatch, "李四", "clerk")
    monkeypatch.setenv("RECTIDESK_PASSWORD", "李四-pass-2")
    _, out, _ = cli("--user", "李四", "task", "add", "--title", "t", "--source", "audit", "--category", "phased",
                    "--owner", "李四", "--deadline", "2026-05-31", "--node", "n@2026-05-01")
    tid = out.strip()
    assert cli("--user", "李四", "node", "done", tid, "1")[0] == 0
    code, _, err = cli("--user", "李四", "node", "confirm", tid, "1")
    assert code == 3 and "本人" in err
    monkeypatch.setenv("RECTIDESK_PASSWORD", "admin-pass-1")
    code, out, _ = cli("--user", "张三", "node", "confirm", tid, "1")
    assert code == 0


def test_commands_before_init_say_what_to_do(cli) -> None:  # noqa: ANN001
    code, _, err = cli("ledger")
    assert code == 3 and "init" in err


def _run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_unwritable_data_folder_is_a_clear_message(tmp_path: Path) -> None:
    # A path below a plain file can never be created, even by root (who ignores read-only modes).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    r = _run("--data-dir", str(blocker / "data"), "ledger")
    assert r.returncode == 1 and "无法写入" in r.stderr and "Traceback" not in r.stderr


def test_data_folder_in_use_by_another_copy(tmp_path: Path) -> None:
    from core.workspace import Workspace

    data = tmp_path / "d"
    ws = Workspace.open(data)
    try:
        r = _run("--data-dir", str(data), "dashboard")
        assert r.returncode == 1 and "正被另一个" in r.stderr and "Traceback" not in r.stderr
    finally:
        ws.close()
    r = _run("--data-dir", str(data), "ledger")
    assert "正被另一个" not in r.stderr


def test_every_command_needs_a_login_once_several_users_have_passwords(cli, monkeypatch) -> None:  # noqa: ANN001
    _init(cli)
    _second_user(cli, monkeypatch, "李审", "reviewer")
    monkeypatch.delenv("RECTIDESK_PASSWORD")
    code, _, err = cli("--user", "张三", "ledger")
    assert code == 3 and "密码" in err
    code, _, err = cli("ledger")
    assert code == 2 and "张三、李审" in err and "--user" in err and "RECTIDESK_PASSWORD" in err
    monkeypatch.setenv("RECTIDESK_PASSWORD", "李审-pass-2")
    assert cli("--user", "李审", "ledger")[0] == 0


def test_an_argument_the_system_could_not_decode_is_refused_plainly(cli, workspace) -> None:  # noqa: ANN001
    """On Linux, bytes that are not UTF-8 arrive as lone surrogates; nothing is stored, exit 2."""
    workspace.close()
    code, _, err = cli("--user", "张三", "task", "add", "--title", "bad\udcffbyte", "--source", "巡察",
                       "--category", "立行立改", "--owner", "王五", "--deadline", "2026-12-01")
    assert code == 2 and "不是有效的 UTF-8" in err
    code, out, _ = cli("ledger")
    assert code == 0 and "共 0 条" in out


def test_a_file_whose_name_is_not_utf8_is_attached_under_a_readable_name(cli, workspace, tmp_path) -> None:  # noqa: ANN001
    """Linux lets a name hold any bytes (a USB stick written in GBK, a newline); the file is still taken."""
    import os

    from core.ledger.tasks import TaskInput, create_task

    with workspace.session() as s:
        task_id = create_task(s, "张三", TaskInput(title="公车登记不规范", source="inspection", category="immediate",
                                                   owner="王五", deadline="2026-12-31")).id
    workspace.close()
    raw = os.fsencode(tmp_path) + b"/\xd5\xfb\xb8\xc4\nscan.pdf"  # “整改” in GBK, then a line break
    with open(raw, "wb") as f:
        f.write(b"%PDF-1.4 scanned")
    code, _, err = cli("--user", "张三", "evidence", "add", task_id, os.fsdecode(raw))
    assert code == 0, err
    from sqlalchemy import select

    from core.workspace import Workspace
    from db.models import Evidence

    ws = Workspace.open(workspace.paths.root)
    try:
        with ws.read() as s:
            names = list(s.scalars(select(Evidence.filename).where(Evidence.task_id == task_id)))
    finally:
        ws.close()
    assert names == ["���� scan.pdf"]  # each undecodable byte shows as �, the line break as a space


def test_a_unit_code_typed_in_full_width_characters_is_the_same_code(cli) -> None:  # noqa: ANN001
    code, out, err = cli("init", "--unit-code", "４４２０００－０１７", "--unit-name", "某镇人民政府",
                         "--admin", "张三")
    assert code == 0, err
    assert "442000-017" in out


def test_an_option_is_never_read_as_an_abbreviation_of_another(cli) -> None:  # noqa: ANN001
    """`handover --from A --to B`, as the README writes it, is not `--today B`."""
    from core.cli import build_parser

    args = build_parser().parse_args(["handover", "--from", "张三", "--to", "李四"])
    assert args.today is None
    with pytest.raises(SystemExit) as exit_:
        cli("--tod", "2026-04-15", "ledger")
    assert exit_.value.code == 2  # "--tod" is not an option: a usage error, not a date


def test_json_is_utf8_whatever_the_console_code_page(cli, data_dir: Path) -> None:  # noqa: ANN001
    """A Chinese Windows console writes GBK; `ledger --json > f.json` must still be UTF-8, without '?'."""
    _init(cli)
    title = "€ 𠀀村务公开㐀"  # none of €, 𠀀 (Ext. B) or 㐀 (Ext. A) exists in GBK
    code, _, err = cli("task", "add", "--title", title, "--source", "巡察", "--category", "立行立改",
                       "--owner", "李四", "--deadline", "2026-05-31")
    assert code == 0, err
    env = dict(os.environ, PYTHONIOENCODING="gbk", LANG="zh_CN.GBK", LC_ALL="zh_CN.GBK", PYTHONUTF8="0")
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), "ledger", "--json"],
                       capture_output=True, env=env, timeout=120, check=False)
    assert r.returncode == 0, r.stderr.decode("gbk", "replace")
    data = json.loads(r.stdout.decode("utf-8"))  # strict: GBK bytes would not decode
    assert [t["title"] for t in data["tasks"]] == [title]
    # Messages for a person follow the console's encoding, a '?' where it lacks a character, never a crash.
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), "task", "edit",
                        "nosuch-€"], capture_output=True, env=env, timeout=120, check=False)
    assert r.returncode in (2, 3) and "Traceback" not in r.stderr.decode("gbk", "replace")


def test_the_windowed_program_without_a_console_can_still_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """RectiDesk.exe (no console) starts with sys.stdout/sys.stderr = None: a message must not crash it."""
    from core.cli import prepare_streams
    from core.cli.common import print_json

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    prepare_streams()
    sys.stderr.write("用法错误\n")
    print_json({"ok": True})
