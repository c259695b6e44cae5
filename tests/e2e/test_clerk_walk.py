"""A clerk's day in the window with two people, as issue 12 walks it: first run -> import both feedback
packages -> respond to the red notice with a file -> mark a node done -> add a second user -> switch to them
and confirm the node (双人核查) -> export -> the city's checker accepts it, and every name in the report is
a person of the unit: never the computer's login name."""

from __future__ import annotations

import getpass
import importlib.util
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.conftest import FIXTURES, ROOT
from tests.ui.conftest import press_ok

PASSPHRASE = "镇政府整改口令2026"
OS_LOGIN = "pc-admin-x"
UNIT_USERS = {"张伟", "李审"}


def _city_desk() -> Any:
    spec = importlib.util.spec_from_file_location("city_desk", ROOT / "tools" / "city_desk.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_people_from_first_run_to_a_verified_report(data_dir: Path, qtbot: Any, messages: list[str],
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("USER", "LOGNAME", "USERNAME", "LNAME"):
        monkeypatch.setenv(var, OS_LOGIN)
    assert getpass.getuser() == OS_LOGIN  # what the old code recorded: it must appear nowhere

    from core.workspace import Workspace
    from ui.dialogs import first_run, people_dialogs, task_editor
    from ui.dialogs.import_preview import ImportPreviewDialog
    from ui.dialogs.people_dialogs import AddUserDialog, LoginDialog
    from ui.dialogs.respond_dialog import RespondDialog
    from ui.main_window import MainWindow

    today = date(2026, 4, 15)
    # 1. first run: the clerk's own name is the first user (the field starts empty)
    with Workspace.open(data_dir, today=today) as ws:
        monkeypatch.setattr(first_run, "confirm", lambda *_a: False)  # the key backup is offered; later
        dialog = first_run.FirstRunDialog(ws)
        qtbot.addWidget(dialog)
        assert dialog.admin.text() == ""
        dialog.code.setText("442000-017")
        dialog.name.setText("中山市某某镇人民政府")
        dialog.admin.setText("张伟")
        dialog.pass1.setText(PASSPHRASE)
        dialog.pass2.setText(PASSPHRASE)
        dialog.set_city_key(FIXTURES / "keys" / "test-city.pub.json")
        dialog.create()
        assert dialog.result() == dialog.DialogCode.Accepted

    # 2. the second start: one user, so no question; the window shows who is working
    ws = Workspace.open(data_dir, today=today)
    try:
        assert people_dialogs.log_in(ws) and ws.user == "张伟"
        win = MainWindow(ws)
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.show()
        assert "张伟" in win.user_label.text()

        # 3. the city's two feedback packages
        monkeypatch.setattr(ImportPreviewDialog, "exec", lambda _d: 1)
        for n in (1, 2):
            win.exchange_page.import_feedback([FIXTURES / "packages" / f"442000-017_city-feedback_00000{n}.zgb"])
            qtbot.waitUntil(lambda n=n: any(f"已导入第 {n} 号反馈包" in m for m in messages), timeout=30000)

        # 4. the red notice: the city's attachment, then the response with a file
        win.show_page("notices")
        page = win.notices_page
        assert [page.model.rows[i]["level"] for i in range(page.model.rowCount())] == ["red"]
        notice = page.model.rows[0]
        task_id = notice["task_id"]
        assert task_id
        # the city's 督办单 on the red notice: named with its size, and opened from the notice's link
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        opened: list[str] = []
        monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
        page.table.selectRow(0)
        assert "督办通知附件.txt（1 KB）" in page.detail.toPlainText()
        page._anchor(QUrl("attachment:0"))
        assert opened and Path(opened[0]).read_text("utf-8").startswith("督办单")
        proof = tmp_path / "拨付凭证.png"
        proof.write_bytes(b"\x89PNG\r\n\x1a\n" + b"proof" * 50)

        def answer(d: RespondDialog) -> int:
            d.text.setPlainText("已拨付专项资金并公示，附拨付凭证。")
            d.add_files([proof])
            return press_ok(d)  # the dialog sends it while open (with a file: off the GUI thread)

        monkeypatch.setattr(RespondDialog, "exec", answer)
        page.respond()
        qtbot.waitUntil(lambda: win.badge_count() == 0, timeout=30000)

        # 5. 张伟 marks the task's first node done
        editor = task_editor.TaskEditor(win.ctx, task_id, win)
        qtbot.addWidget(editor)
        assert editor.nodes.topLevelItemCount() >= 1
        monkeypatch.setattr(task_editor.NodeDialog, "exec", press_ok)
        monkeypatch.setattr(task_editor.NodeDialog, "value", lambda _self: ("资金已拨付到位。", "2026-04-14"))
        editor.nodes.setCurrentItem(editor.nodes.topLevelItem(0))
        editor.complete_node()
        assert editor.nodes.topLevelItem(0).text(3) == "已完成"

        # 6. 张伟 adds a colleague (setting their own password in the same dialog)
        def add(d: AddUserDialog) -> int:
            assert d.asks_own_password
            d.own_first.setText("张伟的密码2026")
            d.own_second.setText("张伟的密码2026")
            d.name.setText("李审")
            d.role.setCurrentIndex(d.role.findData("reviewer"))
            d.password.setText("李审的密码2026")
            d.try_add()
            return int(d.result())

        monkeypatch.setattr(AddUserDialog, "exec", add)
        win.settings_page.add_user()

        # 7. 双人核查: 张伟 cannot confirm his own node; the message offers 切换用户, 李审 logs in and confirms
        from PySide6.QtWidgets import QMessageBox

        def click_switch(box: QMessageBox) -> int:
            messages.append(box.text())
            switch = next(b for b in box.buttons() if "切换用户" in b.text())
            monkeypatch.setattr(box, "clickedButton", lambda: switch)
            return 0

        def login(d: LoginDialog) -> int:
            d.users.setCurrentItem(d.users.findItems("李审", Qt.MatchFlag.MatchExactly)[0])
            assert d.password.isVisibleTo(d)
            d.password.setText("李审的密码2026")
            d.try_login()
            return int(d.result())

        monkeypatch.setattr(QMessageBox, "exec", click_switch)
        monkeypatch.setattr(LoginDialog, "exec", login)
        editor.nodes.setCurrentItem(editor.nodes.topLevelItem(0))
        editor.confirm_node()
        assert "切换用户" in messages[-1]
        assert editor.nodes.topLevelItem(0).text(3) == "已核查"
        assert ws.user == "李审" and "李审" in win.user_label.text()
        editor.close()

        # 8. export to the USB stick
        monkeypatch.setattr(win.exchange_page, "ask_passphrase", lambda: PASSPHRASE)
        usb = tmp_path / "U盘"
        usb.mkdir()
        win.exchange_page.export_report(usb)
        qtbot.waitUntil(lambda: "号报送包已生成" in messages[-1], timeout=30000)
        win.close()
    finally:
        ws.close()

    # 9. the city's own checker accepts it ...
    (report,) = sorted(usb.glob("*.zgb"))
    pub = usb / "442000-017.pub.json"
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "city_desk.py"), "verify", str(report),
                           "--unit-key", str(pub)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # ... and every person it names is a person of the unit
    pkg = _city_desk().verify_report(report, json.loads(pub.read_text(encoding="utf-8")))
    records = [r for _line, r in pkg.records]
    names = {(r["type"], k): v for r in records for k, v in r.items() if k.endswith("by") and v}
    assert names, "the report names who did what"
    assert set(names.values()) <= UNIT_USERS, names
    assert OS_LOGIN not in json.dumps(records, ensure_ascii=False)
    node = next(r for r in records if r["type"] == "node" and r.get("confirmed_by"))
    assert (node["done_by"], node["confirmed_by"]) == ("张伟", "李审")
    response = next(r for r in records if r["type"] == "response")
    assert response["by"] == "张伟" and response.get("evidence_ids")
