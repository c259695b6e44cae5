"""First run sets up unit, user and keys in one go; the settings page manages the keys through core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tests_ui_paths import FIXTURES

from db.models import Key, Unit
from tests.ui.conftest import press_ok

CITY_PUB = FIXTURES / "keys" / "test-city.pub.json"


@pytest.fixture
def empty_ws(data_dir: Path) -> Any:
    from core.workspace import Workspace

    ws = Workspace.open(data_dir, user="张三")
    yield ws
    ws.close()


def _fill(dialog: Any, passphrase: str = "很长的口令123", again: str | None = None) -> None:
    dialog.code.setText("442000-017")
    dialog.name.setText("中山市某某镇人民政府")
    dialog.admin.setText("王主任")
    dialog.pass1.setText(passphrase)
    dialog.pass2.setText(passphrase if again is None else again)


def test_first_run_creates_unit_key_and_trusts_the_city(empty_ws: Any, qtbot: Any,
                                                        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ui.dialogs import first_run

    backup = tmp_path / "key-backup.json"
    monkeypatch.setattr(first_run, "ask_key_backup_file", lambda _parent: backup)
    dialog = first_run.FirstRunDialog(empty_ws)
    qtbot.addWidget(dialog)
    _fill(dialog)
    dialog.set_city_key(CITY_PUB)
    assert "密钥标识" in dialog.city_key_label.text()
    dialog.create()
    assert dialog.result() == dialog.DialogCode.Accepted
    with empty_ws.read() as s:
        assert s.scalar(select(Unit.code)) == "442000-017"
        owners = sorted(s.scalars(select(Key.owner)))
    assert owners == ["city", "unit"]
    assert backup.exists()  # the offered key backup was written
    assert empty_ws.user == "王主任"


def test_first_run_mismatched_passphrases_change_nothing(empty_ws: Any, qtbot: Any) -> None:
    from ui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog(empty_ws)
    qtbot.addWidget(dialog)
    _fill(dialog, again="另一个口令123")
    dialog.create()
    assert "不一致" in dialog.error.text()
    assert empty_ws.unit() is None


def test_first_run_refusal_leaves_the_folder_empty(empty_ws: Any, qtbot: Any, messages: list[str]) -> None:
    from ui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog(empty_ws)
    qtbot.addWidget(dialog)
    _fill(dialog, passphrase="短")  # too short: core refuses the key
    dialog.create()
    assert "密钥密码" in messages[-1]
    assert empty_ws.unit() is None  # the unit was not half set up


def test_settings_key_buttons_work_through_core(window: Any, messages: list[str],
                                                monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ui.dialogs import file_dialogs
    from ui.dialogs.key_dialogs import PassphraseDialog
    from ui.pages import settings

    page = window.settings_page
    window.show_page("settings")
    assert page.key_buttons["create_key"].isVisible()
    monkeypatch.setattr(PassphraseDialog, "exec", press_ok)
    monkeypatch.setattr(PassphraseDialog, "passphrase", lambda _self: "演示单位口令2026")
    page.create_key()
    assert "签名密钥" in messages[-1]
    assert page.keys.topLevelItemCount() == 1
    assert not page.key_buttons["create_key"].isVisible()

    monkeypatch.setattr(settings, "ask_city_key_file", lambda _parent: CITY_PUB)
    page.trust_city()
    assert "密钥标识" in messages[-1]  # asked to compare the key id before trusting
    assert page.keys.topLevelItemCount() == 2

    out = tmp_path / "unit.pub.json"
    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), ""))
    page.export_public_key()
    assert out.exists() and "key_id" in out.read_text(encoding="utf-8")


def test_handover_moves_open_tasks_through_core(window: Any, demo_ws: Any, messages: list[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from core.ledger.queries import LedgerFilter, LedgerQuery
    from ui.dialogs.people_dialogs import HandoverDialog

    def open_tasks(name: str) -> int:
        with demo_ws.read() as s:
            return LedgerQuery(s, demo_ws.today).count(LedgerFilter(owner=name, include_closed=False))

    before = open_tasks("周敏")
    assert before > 0
    demo_ws.set_user("陈晓红")  # handovers are the administrator's
    page = window.settings_page
    window.show_page("settings")
    row = next(i for i in range(page.people.topLevelItemCount()) if page.people.topLevelItem(i).text(0) == "周敏")
    page.people.setCurrentItem(page.people.topLevelItem(row))
    monkeypatch.setattr(HandoverDialog, "exec", lambda self: (self.to.setCurrentText("何静"), press_ok(self))[1])
    page.hand_over()
    assert open_tasks("周敏") == 0
    assert f"{before} " in messages[-1] and "何静" in messages[-1]


def test_add_user_through_core(window: Any, demo_ws: Any, monkeypatch: pytest.MonkeyPatch,
                               messages: list[str]) -> None:
    from ui.dialogs.people_dialogs import AddUserDialog

    def fill(dialog: AddUserDialog) -> int:
        dialog.name.setText("赵新")
        dialog.role.setCurrentIndex(dialog.role.findData("reviewer"))
        dialog.password.setText("初始密码2026")
        dialog.try_add()
        return int(dialog.result())

    from core.team.users import set_password

    demo_ws.set_user("陈晓红")
    with demo_ws.session() as s:
        set_password(s, "陈晓红", "陈晓红", "管理员密码2026")  # core: the admin sets a password first
    monkeypatch.setattr(AddUserDialog, "exec", fill)
    page = window.settings_page
    window.show_page("settings")
    page.add_user()
    rows = {page.people.topLevelItem(i).text(0): page.people.topLevelItem(i).text(1)
            for i in range(page.people.topLevelItemCount())}
    assert len(messages) == 1 and "切换用户" in messages[0]  # says how a colleague then works
    assert rows["赵新"] == "审核人"


def test_login_is_asked_once_core_requires_it(demo_ws: Any, qtbot: Any) -> None:
    from core.team.users import add_user, set_password
    from ui.dialogs import people_dialogs
    from ui.dialogs.people_dialogs import LoginDialog

    with demo_ws.session() as s:
        set_password(s, "陈晓红", "陈晓红", "管理员密码2026")
        add_user(s, "陈晓红", "赵新", "clerk", "初始密码2026")
    made: list[LoginDialog] = []
    real = people_dialogs.LoginDialog

    def keep(*a: Any, **k: Any) -> LoginDialog:
        made.append(real(*a, **k))
        return made[-1]

    people_dialogs.LoginDialog = keep  # type: ignore[misc]
    try:
        real.exec = lambda _self: 0  # type: ignore[method-assign]
        people_dialogs.log_in(demo_ws, requested="赵新")
    finally:
        people_dialogs.LoginDialog = real  # type: ignore[misc]
        del real.exec
    (dialog,) = made
    qtbot.addWidget(dialog)
    assert dialog.chosen() == "赵新" and not dialog.password.isHidden()
    dialog.password.setText("错误的密码")
    dialog.try_login()
    assert "密码不对" in dialog.error.text() and dialog.result() != dialog.DialogCode.Accepted
    dialog.password.setText("初始密码2026")
    dialog.try_login()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_backup_then_restore_brings_the_ledger_back(window: Any, demo_ws: Any, messages: list[str],
                                                     tmp_path: Path, qtbot: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs import file_dialogs

    demo_ws.set_user("陈晓红")
    page = window.settings_page
    monkeypatch.setattr(file_dialogs.QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(tmp_path))
    page.backup()
    with qtbot.waitSignal(page.last_job.done, timeout=30000):
        pass
    backup = next(tmp_path.glob("*.zip"))
    ledger = window.ledger_page
    row = ledger.model.row(0)
    from ui.dialogs.delete_task import DeleteTaskDialog

    monkeypatch.setattr(DeleteTaskDialog, "exec", lambda _self: 1)  # a task with a city ref: confirmed
    ledger.delete_task(row.id, row.title)
    assert ledger.model.rowCount() == 59
    page.restore(backup)  # checked and swapped off the GUI thread
    with qtbot.waitSignal(page.restore_flow.done, timeout=60_000):
        pass
    assert "恢复" in messages[-1]
    assert ledger.model.rowCount() == 60


def test_without_a_key_no_passphrase_is_asked_and_the_message_names_the_button(ctx, messages,  # noqa: ANN001
                                                                                 monkeypatch) -> None:  # noqa: ANN001
    """发送任务, 生成报送包 …: with no signing key yet, a passphrase opens nothing — say where to make one."""
    from ui.dialogs import key_dialogs

    with ctx.ws.read() as s:
        from core.exchange.keys import current_unit_key

        assert current_unit_key(s) is None
    asked: list[int] = []
    monkeypatch.setattr(key_dialogs.AskPassphraseDialog, "exec", lambda _self: asked.append(1) or 0)
    monkeypatch.delenv("RECTIDESK_PASSPHRASE", raising=False)
    assert key_dialogs.ask_signing_passphrase(None, ctx) is None
    assert not asked
    assert any("建立签名密钥" in m for m in messages), messages
