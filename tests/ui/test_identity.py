"""Who is working, in the window: the login list, 切换用户, 双人核查 by switching, adding a user right after
the first run, the unit corrected by an administrator — and never the computer's login name."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import press_ok
from ui.dialogs import people_dialogs
from ui.dialogs.people_dialogs import AddUserDialog, LoginDialog

OS_LOGIN = "pc-admin-x"


@pytest.fixture(autouse=True)
def _distinctive_login_name(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("USER", "LOGNAME", "USERNAME", "LNAME"):
        monkeypatch.setenv(var, OS_LOGIN)


def _choose(monkeypatch: pytest.MonkeyPatch, name: str, password: str = "") -> list[LoginDialog]:
    """The login dialog, answered as a clerk would: their name in the list, their password."""
    seen: list[LoginDialog] = []

    def exec_(d: LoginDialog) -> int:
        seen.append(d)
        items = d.users.findItems(name, Qt.MatchFlag.MatchExactly)
        if not items:
            return 0
        d.users.setCurrentItem(items[0])
        d.password.setText(password)
        d.try_login()
        return int(d.result())

    monkeypatch.setattr(LoginDialog, "exec", exec_)
    return seen


def _first_run(ws: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, admin: str = "张伟") -> None:
    from ui.dialogs import first_run

    monkeypatch.setattr(first_run, "confirm", lambda *_a: False)  # no key backup now
    dialog = first_run.FirstRunDialog(ws)
    qtbot.addWidget(dialog)
    assert dialog.admin.text() == ""  # never the computer's login name as the default first user
    dialog.code.setText("442000-017")
    dialog.name.setText("中山市某某镇人民政府")
    dialog.admin.setText(admin)
    dialog.pass1.setText("镇政府整改口令2026")
    dialog.pass2.setText("镇政府整改口令2026")
    dialog.create()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_demo_ledger_asks_who_is_working_from_a_list(demo_ws: Any, qtbot: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    demo_ws.set_user(None)
    seen = _choose(monkeypatch, "陈晓红")
    assert people_dialogs.log_in(demo_ws)
    (dialog,) = seen
    qtbot.addWidget(dialog)
    names = [dialog.users.item(i).text() for i in range(dialog.users.count())]
    assert names == ["陈晓红", "李志强"] and OS_LOGIN not in names
    assert dialog.password.isHidden()  # nobody has a password in the demo: choosing is enough
    assert demo_ws.user == "陈晓红"


def test_login_asks_the_password_and_says_plainly_when_it_is_wrong(demo_ws: Any, qtbot: Any) -> None:
    from core.team.users import add_user, authenticate, needs_password, set_password

    with demo_ws.session() as s:
        set_password(s, "陈晓红", "陈晓红", "管理员密码2026")
        add_user(s, "陈晓红", "赵新", "clerk", "初始密码2026")

    def check(name: str, password: str) -> object:
        with demo_ws.read() as s:
            return authenticate(s, name, password)

    def needs(name: str) -> bool:
        with demo_ws.read() as s:
            return needs_password(s, name)

    dialog = LoginDialog(["陈晓红", "李志强", "赵新"], needs, check, "赵新")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.chosen() == "赵新" and dialog.password.isVisible()
    dialog.password.setText("错误的密码")
    dialog.try_login()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "密码不对" in dialog.error.text() and dialog.error.isVisible()
    qtbot.waitUntil(lambda: dialog.error.height() >= dialog.error.heightForWidth(dialog.error.width()))
    assert dialog.chosen() == "赵新"  # the name stays chosen; only the password is asked again
    dialog.password.setText("初始密码2026")
    dialog.try_login()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_switch_user_changes_who_acts_and_what_the_window_shows(window: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert "李志强" in window.user_label.text()
    assert window.switch_user_button.isVisible() and "切换用户" in window.switch_user_button.text()
    changed: list[bool] = []
    window.ctx.changed.connect(lambda: changed.append(True))
    _choose(monkeypatch, "陈晓红")
    assert window.switch_user()
    assert window.ctx.user == "陈晓红" and "陈晓红" in window.user_label.text()
    assert changed  # every page reads afresh
    _choose(monkeypatch, "nobody")  # cancelled: nothing changes
    assert not window.switch_user() and window.ctx.user == "陈晓红"


def test_same_person_confirming_is_offered_switch_user_and_the_colleague_confirms(
        ctx: Any, qtbot: Any, demo_ws: Any, monkeypatch: pytest.MonkeyPatch, messages: list[str]) -> None:
    from core.ledger.tasks import NodeInput, TaskInput, complete_node, create_task
    from ui.dialogs.task_editor import TaskEditor

    with demo_ws.session() as s:
        t = create_task(s, "李志强", TaskInput(title="公车登记不规范", source="inspection", category="phased",
                                              owner="李志强", deadline="2026-12-31",
                                              nodes=[NodeInput("节点1", "2026-12-01")]))
        complete_node(s, "李志强", t.id, 1, done=date(2026, 11, 20), note="已完成")
        task_id = t.id
    ed = TaskEditor(ctx, task_id)
    qtbot.addWidget(ed)

    def click_switch(box: QMessageBox) -> int:
        messages.append(box.text())
        switch = next(b for b in box.buttons() if "切换用户" in b.text())
        monkeypatch.setattr(box, "clickedButton", lambda: switch)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_switch)
    _choose(monkeypatch, "陈晓红")
    ed.nodes.setCurrentItem(ed.nodes.topLevelItem(0))
    ed.confirm_node()
    assert "切换用户" in messages[-1] and "user" not in messages[-1] and "--" not in messages[-1]
    assert ed.nodes.topLevelItem(0).text(3) == "已核查"
    assert ed.nodes.topLevelItem(0).text(6) == "陈晓红"


def test_right_after_first_run_the_user_adds_a_colleague_and_sets_a_password(
        data_dir: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch, messages: list[str]) -> None:
    from core.team.users import list_users
    from core.workspace import Workspace
    from ui.main_window import MainWindow

    with Workspace.open(data_dir) as ws:
        _first_run(ws, qtbot, monkeypatch)
        assert ws.user == "张伟"
    with Workspace.open(data_dir) as ws:  # the second start: the one user acts, no question asked
        assert people_dialogs.log_in(ws) and ws.user == "张伟"
        win = MainWindow(ws)
        qtbot.addWidget(win)
        assert "张伟" in win.user_label.text() and OS_LOGIN not in win._status.text()
        page = win.settings_page

        def fill(d: AddUserDialog) -> int:
            assert d.asks_own_password  # 张伟 has no password yet: set it in the same dialog
            d.own_first.setText("张伟的密码2026")
            d.own_second.setText("张伟的密码2026")
            d.name.setText("李审")
            d.role.setCurrentIndex(d.role.findData("reviewer"))
            d.password.setText("李审的密码2026")
            d.try_add()
            return int(d.result())

        monkeypatch.setattr(AddUserDialog, "exec", fill)
        page.add_user()
        with ws.read() as s:
            users = {u.name: u.has_password for u in list_users(s)}
        assert users == {"张伟": True, "李审": True}

        from ui.dialogs.people_dialogs import PasswordDialog

        def new_password(d: PasswordDialog) -> int:
            d.first.setText("张伟的新密码2026")
            d.second.setText("张伟的新密码2026")
            return press_ok(d)

        monkeypatch.setattr(PasswordDialog, "exec", new_password)
        page.set_my_password()
        assert "密码" in messages[-1] and "不是本单位的用户" not in " ".join(messages)
    with Workspace.open(data_dir) as ws:  # the next start asks who is working, with the password
        seen = _choose(monkeypatch, "李审", "李审的密码2026")
        assert people_dialogs.log_in(ws) and ws.user == "李审"
        assert not seen[0].password.isHidden()


def test_a_refused_add_user_keeps_what_was_typed_and_marks_the_field(window: Any, demo_ws: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from core.team.users import set_password

    demo_ws.set_user("陈晓红")
    with demo_ws.session() as s:
        set_password(s, "陈晓红", "陈晓红", "管理员密码2026")
    seen: list[AddUserDialog] = []

    def fill(d: AddUserDialog) -> int:
        seen.append(d)
        d.name.setText("李志强")  # already a user
        d.section.setText("党政办")
        d.password.setText("初始密码2026")
        d.try_add()
        return int(d.result())

    monkeypatch.setattr(AddUserDialog, "exec", fill)
    window.settings_page.add_user()
    (d,) = seen
    assert d.result() != d.DialogCode.Accepted  # still open
    assert "已经存在" in d.error.text() and d.error.isVisibleTo(d)
    assert (d.name.text(), d.section.text(), d.password.text()) == ("李志强", "党政办", "初始密码2026")
    assert "c5221f" in d.name.styleSheet() and d.password.styleSheet() == ""
    d.password.setText("短")
    d.name.setText("赵新")
    d.try_add()
    assert "太短" in d.error.text() and "c5221f" in d.password.styleSheet() and d.name.styleSheet() == ""


def test_first_run_shows_every_problem_at_once(data_dir: Path, qtbot: Any) -> None:
    from core.workspace import Workspace
    from ui.dialogs.first_run import FirstRunDialog

    with Workspace.open(data_dir) as ws:
        dialog = FirstRunDialog(ws)
        qtbot.addWidget(dialog)
        dialog.code.setText("44200-17")
        dialog.pass1.setText("镇政府整改口令2026")
        dialog.pass2.setText("另一个口令")
        dialog.create()
        text = dialog.error.text()
        assert text.count("•") == 4, text
        assert "格式不对" in text and "442000-017" in text and "单位名称" in text and "第一个用户" in text
        assert "不一致" in text
        for field in (dialog.code, dialog.name, dialog.admin, dialog.pass2):
            assert "c5221f" in field.styleSheet()
        assert ws.unit() is None


def test_an_administrator_corrects_the_unit_in_settings(window: Any, demo_ws: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.first_run import UnitDialog

    demo_ws.set_user("陈晓红")
    seen: list[UnitDialog] = []

    def fill(d: UnitDialog) -> int:
        seen.append(d)
        d.code.setText("442000-1")
        d.try_save()
        if d.result() == d.DialogCode.Accepted:
            return 1
        assert "格式不对" in d.error.text() and d.code.text() == "442000-1"
        d.code.setText("442000-018")
        d.name.setText("中山市某某镇人民政府（更正）")
        d.try_save()
        return int(d.result())

    monkeypatch.setattr(UnitDialog, "exec", fill)
    window.show_page("settings")
    window.settings_page.edit_unit()
    assert len(seen) == 1
    assert "442000-018" in window.settings_page.unit_label.text()
    assert "更正" in window.windowTitle()


def test_the_first_window_uses_a_laptop_screen_whole(demo_ws: Any, qtbot: Any) -> None:
    from ui.main_window import MainWindow, first_size

    assert first_size(1366, 728) == (1280, 728, True)  # 1366×768 less the taskbar: maximized
    assert first_size(1920, 1040) == (1280, 760, False)
    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    screen = win.screen().availableGeometry()
    assert bool(win.windowState() & Qt.WindowState.WindowMaximized) == first_size(screen.width(),
                                                                                 screen.height())[2]


def test_an_administrator_sets_a_colleagues_password_in_the_window(window: Any, demo_ws: Any, messages: list[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from core.team.users import authenticate
    from ui.dialogs.people_dialogs import PasswordDialog

    demo_ws.set_user("陈晓红")
    page = window.settings_page
    window.show_page("settings")
    row = next(i for i in range(page.people.topLevelItemCount()) if page.people.topLevelItem(i).text(0) == "李志强")
    page.people.setCurrentItem(page.people.topLevelItem(row))

    def fill(d: PasswordDialog) -> int:
        assert "李志强" in d.windowTitle()
        d.first.setText("新的密码2026")
        d.second.setText("新的密码2026")
        return press_ok(d)  # the dialog sets it while open: a refusal keeps what was typed

    monkeypatch.setattr(PasswordDialog, "exec", fill)
    page.set_selected_password()
    assert "李志强" in messages[-1]
    with demo_ws.read() as s:
        assert authenticate(s, "李志强", "新的密码2026").name == "李志强"


def test_after_a_restore_someone_of_the_restored_unit_acts(window: Any, demo_ws: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    demo_ws.set_user("别的单位的人")  # as if the backup came with other users
    seen = _choose(monkeypatch, "陈晓红")
    window.settings_page._who_acts_after_restore()
    assert seen and window.ctx.user == "陈晓红"
    demo_ws.set_user("李志强")
    seen.clear()
    window.settings_page._who_acts_after_restore()
    assert not seen and window.ctx.user == "李志强"  # still a user of the ledger: nothing asked
