"""The log is set up before anything else; a crash that kills the process leaves a crash file for the next start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core import applog

ROOT = Path(__file__).resolve().parents[2]


def _main_with(data: Path, replacement: str) -> subprocess.CompletedProcess[str]:
    """main.py as the windowed program runs it, with the window replaced by `replacement` (a failure)."""
    code = (f"import sys, faulthandler; sys.path.insert(0, {str(ROOT)!r}); import ui.app, main; "
            f"ui.app.run_app = lambda args: {replacement}; sys.exit(main.main(['--data-dir', {str(data)!r}]))")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                          check=False)


def test_an_error_before_the_window_exists_reaches_the_log(tmp_path: Path) -> None:
    data = tmp_path / "d"
    r = _main_with(data, "1 / 0")
    assert r.returncode != 0
    log = (data / "logs" / applog.LOG_NAME).read_text(encoding="utf-8")
    assert "uncaught error" in log and "ZeroDivisionError" in log
    assert applog.previous_crashes(data / "logs") == []  # a Python error is no crash: its file went at exit


def test_a_fatal_crash_leaves_a_crash_file_shown_once(tmp_path: Path) -> None:
    data = tmp_path / "d"
    r = _main_with(data, "faulthandler._sigsegv()")
    assert r.returncode != 0
    (crash,) = applog.previous_crashes(data / "logs")
    text = crash.read_text(encoding="utf-8")
    assert "Fatal Python error" in text and "RectiDesk:" in text and "OS:" in text
    assert text.index("OS:") < text.index("Fatal Python error")  # the header, then the dump
    assert "<lambda>" in text  # the Python stack at the crash
    applog.mark_seen(crash)
    assert applog.previous_crashes(data / "logs") == []
    assert len(list((data / "logs").glob("crash-*" + applog.SEEN_SUFFIX))) == 1  # kept for support


def test_a_normal_run_leaves_no_crash_file(tmp_path: Path) -> None:
    data = tmp_path / "d"
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), "ledger"],
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 3  # no unit yet
    assert list((data / "logs").glob("crash-*")) == []


def test_an_empty_left_over_of_a_killed_process_is_removed(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    left = logs / f"crash-20260101-120000-{dead}.txt"
    left.write_text(applog.system_block() + "\n\n", encoding="utf-8")  # the header only: killed, not crashed
    running = logs / f"crash-20260101-120000-{os.getpid()}.txt"
    running.write_text("header\n", encoding="utf-8")  # another copy of the program, still running
    assert applog.previous_crashes(logs) == []
    assert not left.exists() and running.exists()


def test_last_lines_of_the_log(tmp_path: Path) -> None:
    (tmp_path / applog.LOG_NAME).write_text("".join(f"line {i}\n" for i in range(100)), encoding="utf-8")
    tail = applog.last_lines(tmp_path, 3)
    assert tail.splitlines() == ["line 97", "line 98", "line 99"]
    assert applog.last_lines(tmp_path / "none") == ""
