"""Crash dialog once per kind; settings read-only when the city set them; notices and exchange pages."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest

from core import settings as core_settings
from core.errors import InputRefused
from ui import crash


def _raise(exc: BaseException) -> tuple[Any, ...]:
    try:
        raise exc
    except BaseException:  # noqa: BLE001
        return sys.exc_info()


@pytest.mark.usefixtures("qapp")
def test_bug_is_logged_and_shown_once_per_kind(monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    shown: list[str] = []
    monkeypatch.setattr(crash.CrashDialog, "exec", lambda self: shown.append(self.details.toPlainText()) or 0)
    monkeypatch.setattr(crash, "_seen", set())
    with caplog.at_level(logging.ERROR):
        for _ in range(2):
            crash.handle_exception(*_raise(KeyError("x")))  # the same line: the same kind
    assert len(shown) == 1 and "KeyError" in shown[0]
    assert sum("KeyError" in r.getMessage() for r in caplog.records) == 2  # logged every time
    crash.handle_exception(*_raise(ValueError("y")))
    assert len(shown) == 2


@pytest.mark.usefixtures("qapp")
def test_user_error_escaping_a_handler_is_a_plain_message(messages: list[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crash.CrashDialog, "exec", lambda _self: pytest.fail("no crash dialog for a refusal"))
    crash.handle_exception(*_raise(InputRefused("整改期限格式不对。", hint="请写成 2026-05-31。")))
    assert messages == ["整改期限格式不对。 请写成 2026-05-31。"]


def test_thresholds_set_by_the_city_are_read_only(window: Any, demo_ws: Any) -> None:
    with demo_ws.session() as s:
        core_settings.set_from_city(s, "red_after_days", 15, sequence=3)
    page = window.settings_page
    page.refresh()
    assert page.spins["red_after_days"].value() == 15
    assert not page.spins["red_after_days"].isEnabled()
    assert page.sources["red_after_days"].text() == "由市平台设定，不能修改"
    assert page.spins["due_soon_days"].isEnabled()


def test_local_threshold_is_saved_through_core(window: Any, demo_ws: Any) -> None:
    demo_ws.set_user("陈晓红")  # the demo unit's administrator
    page = window.settings_page
    page.spins["due_soon_days"].setValue(7)
    page.save_thresholds()
    with demo_ws.read() as s:
        assert core_settings.all_values(s)["due_soon_days"] == (7, "local")
    assert window.dashboard_page.cards["soon"].caption.text() == "7 天内到期节点"


def test_notices_page_lists_open_notices_with_details(window: Any, demo_ws: Any, add_notice: Any) -> None:
    add_notice(demo_ws, "red")
    window.ctx.changed.emit()
    window.show_page("notices")
    page = window.notices_page
    assert window.badge_count() == 1
    assert page.model.rowCount() == 1
    assert page.model.index(0, 0).data() == "挂牌督办"
    assert "请于期限内反馈整改落实情况" in page.detail.toPlainText()
    assert page.respond_button.isEnabled()


def test_exchange_actions_without_core_say_so_plainly(window: Any, messages: list[str], tmp_path: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import feature_links

    monkeypatch.setattr(feature_links.FeatureLink, "resolve", lambda _self: None)
    page = window.exchange_page
    page.import_feedback([tmp_path / "feedback.zip"])
    page.export_report(tmp_path)
    assert messages == [feature_links.not_ready_text()] * 2
    assert messages[0].startswith("此功能在当前版本中尚未提供")


def test_without_a_person_a_bug_goes_to_stderr_not_a_dialog(monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """`--smoke` must never wait on a modal crash dialog that nobody can close."""
    monkeypatch.setattr(crash.CrashDialog, "exec", lambda _self: pytest.fail("no dialog without a person"))
    monkeypatch.setattr(crash, "_seen", set())
    crash.install(interactive=False)
    try:
        crash.handle_exception(*_raise(ZeroDivisionError("z")))
    finally:
        crash.install()
    assert "ZeroDivisionError" in capsys.readouterr().err
