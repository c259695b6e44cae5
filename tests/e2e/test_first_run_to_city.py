"""A clerk's first day, end to end in the window: first run -> import the city's feedback -> the red
notice shows with its badge -> respond -> export -> the city's own checker accepts the report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.ui.conftest import press_ok

PASSPHRASE = "镇政府整改口令2026"


def test_first_run_to_a_report_the_city_accepts(data_dir: Path, qtbot: Any, messages: list[str], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from core.workspace import Workspace
    from ui.dialogs import first_run
    from ui.dialogs.import_preview import ImportPreviewDialog
    from ui.dialogs.respond_dialog import RespondDialog
    from ui.main_window import MainWindow

    ws = Workspace.open(data_dir, user="张三", today=date(2026, 4, 15))
    try:
        # 1. first run: unit, first user, passphrase twice, the city's key (its id shown to compare by phone)
        monkeypatch.setattr(first_run, "ask_key_backup_file", lambda _parent: tmp_path / "key-backup.json")
        dialog = first_run.FirstRunDialog(ws)
        qtbot.addWidget(dialog)
        dialog.code.setText("442000-017")
        dialog.name.setText("中山市某某镇人民政府")
        dialog.admin.setText("王主任")
        dialog.pass1.setText(PASSPHRASE)
        dialog.pass2.setText(PASSPHRASE)
        dialog.set_city_key(FIXTURES / "keys" / "test-city.pub.json")
        assert "11e7-810d-d05d-7b61" in dialog.city_key_label.text()
        dialog.create()
        assert dialog.result() == dialog.DialogCode.Accepted

        # 2. the window; import the city's two feedback packages (each previewed, then applied)
        monkeypatch.setattr(ImportPreviewDialog, "exec", lambda _d: 1)
        win = MainWindow(ws)
        qtbot.addWidget(win)
        win.exchange_page.import_feedback([FIXTURES / "packages" / "442000-017_city-feedback_000001.zgb"])
        qtbot.waitUntil(lambda: any("已导入第 1 号反馈包" in m for m in messages), timeout=30000)
        win.exchange_page.import_feedback([FIXTURES / "packages" / "442000-017_city-feedback_000002.zgb"])
        qtbot.waitUntil(lambda: any("已导入第 2 号反馈包" in m for m in messages), timeout=30000)

        # 3. the red notice (挂牌督办) shows, with its badge in the navigation
        win.show_page("notices")
        model = win.notices_page.model
        assert [model.rows[i]["level"] for i in range(model.rowCount())] == ["red"]
        assert win.badge_count() == 1

        # 4. respond to it
        def answer(d: RespondDialog) -> int:
            d.text.setPlainText("已拨付专项资金并公示，附拨付凭证。")
            return press_ok(d)

        monkeypatch.setattr(RespondDialog, "exec", answer)
        win.notices_page.respond()
        assert win.badge_count() == 0

        # 5. export the report to the USB stick
        monkeypatch.setattr(win.exchange_page, "ask_passphrase", lambda: PASSPHRASE)
        usb = tmp_path / "U盘"
        usb.mkdir()
        win.exchange_page.export_report(usb)
        qtbot.waitUntil(lambda: "号报送包已生成" in messages[-1], timeout=30000)
        reports = sorted(usb.glob("*.zgb"))
        pub = usb / "442000-017.pub.json"  # registration file, carried until the city acknowledges a report
        assert reports and pub.exists()
    finally:
        ws.close()

    # 6. the city's own checker accepts it, and the response travelled
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "city_desk.py"), "verify", str(reports[0]),
                           "--unit-key", str(pub)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "response" in done.stdout
