"""Crash reports as qutebrowser and Anki make them: the system block, the last log lines, the log folder,
Qt's messages in the log, and the crash of the previous run shown at the next start."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest

from core import applog
from ui import crash


def _raise(exc: BaseException) -> tuple[Any, ...]:
    try:
        raise exc
    except BaseException:  # noqa: BLE001
        return sys.exc_info()


def test_the_dialog_carries_versions_the_log_tail_and_opens_the_log_folder(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / applog.LOG_NAME).write_text("2026-04-15 INFO core: 已导入第 3 号反馈包\n", encoding="utf-8")
    dialog = crash.CrashDialog("Traceback …\nKeyError: 'x'", log_dir=tmp_path)
    qtbot.addWidget(dialog)
    text = dialog.details.toPlainText()
    for expected in ("RectiDesk: ", "Python: ", "OS: ", "Qt: 6.", "PySide6", "KeyError", "已导入第 3 号反馈包"):
        assert expected in text
    opened: list[str] = []
    monkeypatch.setattr(crash.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    dialog.open_logs.click()
    assert opened == [str(tmp_path)]


def test_the_crash_of_the_previous_run_is_shown_once_at_the_next_start(
        qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ARG001
    logs = tmp_path / "logs"
    logs.mkdir()
    dump = logs / "crash-20260415-093000-999999999.txt"
    dump.write_text("RectiDesk: 0.1.0\n\nFatal Python error: Segmentation fault\n\nCurrent thread 0x1 "
                    "(most recent call first):\n  File \"ui/pages/ledger.py\", line 42 in paint\n", encoding="utf-8")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(crash.CrashDialog, "exec",
                        lambda d: shown.append((d.intro.text(), d.details.toPlainText())) or 0)
    monkeypatch.setitem(crash._mode, "interactive", True)
    assert crash.show_previous_crashes(None, logs) == [dump]
    ((intro, details),) = shown
    assert "上次运行时意外退出" in intro and dump.name in intro
    assert "Segmentation fault" in details and "ui/pages/ledger.py" in details
    assert crash.show_previous_crashes(None, logs) == []  # once
    assert len(shown) == 1


@pytest.mark.no_qt_log  # pytest-qt would otherwise take the warning for itself
def test_qt_messages_reach_the_log(qapp: Any, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ARG001
    from PySide6.QtCore import qWarning

    crash.route_qt_messages()
    with caplog.at_level(logging.INFO, logger="qt"):
        qWarning("QFont::setPointSizeF: Point size <= 0 (-1.000000), must be greater than 0")
    assert any(r.name == "qt" and r.levelno == logging.WARNING and "setPointSizeF" in r.getMessage()
               for r in caplog.records)


@pytest.mark.slow
def test_a_window_killed_by_a_fault_is_reported_at_the_next_start(
        qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ARG001
    """A fault inside Qt kills the window: faulthandler's dump, with the versions, is shown at the next start."""
    import os
    import subprocess

    from tests_ui_paths import ROOT

    data = tmp_path / "d"
    code = (f"import sys, faulthandler; sys.path.insert(0, {str(ROOT)!r}); import ui.app, main; "
            "ui.app._start = lambda app, args: faulthandler._sigsegv(); "
            f"sys.exit(main.main(['--data-dir', {str(data)!r}]))")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=120, check=False)
    assert r.returncode != 0
    shown: list[str] = []
    monkeypatch.setattr(crash.CrashDialog, "exec", lambda d: shown.append(d.details.toPlainText()) or 0)
    monkeypatch.setitem(crash._mode, "interactive", True)
    assert len(crash.show_previous_crashes(None, data / "logs")) == 1
    (details,) = shown
    assert "Fatal Python error: Segmentation fault" in details
    assert details.count("RectiDesk: ") == 1 and "Qt: 6." in details and "in <lambda>" in details


def test_the_traceback_just_logged_is_not_repeated_from_the_log(qtbot: Any, tmp_path: Path) -> None:
    details = "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\nKeyError: 'x'"
    (tmp_path / applog.LOG_NAME).write_text("2026-04-15 INFO ui: 打开任务\n2026-04-15 ERROR rectidesk.crash: "
                                            f"unexpected error\n{details}\n", encoding="utf-8")
    dialog = crash.CrashDialog(details, log_dir=tmp_path)
    qtbot.addWidget(dialog)
    text = dialog.details.toPlainText()
    assert text.count("KeyError: 'x'") == 1 and "打开任务" in text and "unexpected error" in text
