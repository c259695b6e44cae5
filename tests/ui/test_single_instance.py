"""A second start hands its .zgb to the running window, which comes to the front with the import preview."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests_ui_paths import FIXTURES, ROOT

from ui.single_instance import InstanceServer, hand_over, server_name

PACKAGE = FIXTURES / "packages" / "442000-017_city-feedback_000001.zgb"


def test_the_name_is_per_data_folder(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert server_name(a) == server_name(tmp_path / "x" / ".." / "a")
    assert server_name(a) != server_name(b)
    assert len(server_name(a)) < 40  # a Unix socket path has ~100 bytes in all


class _SecondStart:
    """The second start's side, blocking as it is in RectiDesk.exe: another process running hand_over."""

    def __init__(self, name: str, files: list[Path]) -> None:
        code = ("import sys; sys.path.insert(0, sys.argv[1]); from PySide6.QtCore import QCoreApplication; "
                "app = QCoreApplication([]); from pathlib import Path; from ui.single_instance import hand_over; "
                "print(hand_over(sys.argv[2], [Path(f) for f in sys.argv[3:]]))")
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(ROOT), name, *map(str, files)],
                                     stdout=subprocess.PIPE, text=True)
        self.result: list[bool] = []

    def done(self) -> bool:
        if self.proc.poll() is None:
            return False
        self.result = [self.proc.communicate()[0].strip() == "True"]
        return True


@pytest.mark.usefixtures("qapp")
def test_nobody_listening_means_start_a_window(tmp_path: Path) -> None:
    assert hand_over(server_name(tmp_path / "nobody"), []) is False


# Each server has a Qt parent, as the application's has: a Python-owned one could be collected by the cycle
# collector in the middle of Qt's event processing, its sockets with it.


def test_requests_wait_until_the_window_listens(tmp_path: Path, qtbot: Any, qapp: Any) -> None:
    server = InstanceServer(server_name(tmp_path / "d"), qapp)
    assert server.listen()
    try:
        second = _SecondStart(server.name, [PACKAGE])
        qtbot.waitUntil(second.done, timeout=30000)
        assert second.result == [True] and server.pending == [[PACKAGE.resolve()]]
        got: list[list[Path]] = []
        server.set_handler(got.append)
        assert got == [[PACKAGE.resolve()]] and server.pending == []
        second = _SecondStart(server.name, [])  # a plain second start: just come forward
        qtbot.waitUntil(second.done, timeout=30000)
        assert got[1] == [] and second.result == [True]
    finally:
        server.close()


def test_a_stale_socket_of_a_crashed_window_is_taken_over(tmp_path: Path, qapp: Any) -> None:
    name = server_name(tmp_path / "d")
    first = InstanceServer(name, qapp)
    assert first.listen()
    second = InstanceServer(name, qapp)
    try:
        assert second.listen()  # the first never answers here: as after a crash, the name is taken over
    finally:
        first.close()
        second.close()


def test_a_second_start_brings_the_window_forward_with_the_import_preview(
        workspace: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.import_preview import ImportPreviewDialog
    from ui.main_window import MainWindow

    previews: list[str] = []
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda d: previews.append(d.text) or 0)
    win = MainWindow(workspace, start_page="ledger")
    qtbot.addWidget(win)
    win.show()
    win.showMinimized()
    server = InstanceServer(server_name(workspace.paths.root), win)
    assert server.listen()
    server.set_handler(win.come_forward)
    try:
        second = _SecondStart(server.name, [PACKAGE])
        qtbot.waitUntil(lambda: bool(previews), timeout=30000)
        qtbot.waitUntil(second.done, timeout=30000)
    finally:
        server.close()
    assert second.result == [True]
    assert win.current_page() == "exchange" and not win.isMinimized()
    assert PACKAGE.name in previews[0] or "反馈包" in previews[0]


def _main(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_two_processes_one_window(tmp_path: Path, qapp: Any) -> None:  # noqa: ARG001
    """main.py FILE.zgb while a window runs on that folder: the second process hands it over and ends (exit 0)."""
    import time

    data = tmp_path / "d"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RECTIDESK_DATA_DIR=str(data))
    init = subprocess.run([sys.executable, str(ROOT / "main.py"), "init", "--unit-code", "442000-017",
                           "--unit-name", "某某镇", "--admin", "张三"], env=env, capture_output=True, check=False)
    assert init.returncode == 0, init.stderr.decode()
    first = _main(env=env)
    try:
        while not hand_over(server_name(data), []):  # until the first window listens
            assert first.poll() is None, first.communicate()
            time.sleep(0.1)
        second = subprocess.run([sys.executable, str(ROOT / "main.py"), str(PACKAGE)], env=env,
                                capture_output=True, timeout=120, check=False)
        assert second.returncode == 0, second.stderr.decode()
        assert "正被另一个" not in second.stderr.decode()  # no "data folder in use" refusal
        log = (data / "logs" / "rectidesk.log").read_text(encoding="utf-8")
        assert "handed 1 file(s) to the window already open" in log
        assert "a second start handed over 1 file(s)" in log
        assert first.poll() is None  # the first window still runs
    finally:
        first.terminate()
        first.communicate(timeout=60)
