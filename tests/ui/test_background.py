"""run_in_background: results and errors come back on the GUI thread; cancelling ends quietly."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from ui.background import Progress, run_in_background


def test_result_arrives_on_the_gui_thread(qtbot: Any) -> None:
    got: list[Any] = []
    gui = threading.get_ident()

    def task(progress: Progress) -> int:
        progress.report(1, 2, "half")
        return threading.get_ident()

    job = run_in_background(None, task, lambda r: got.append((r, threading.get_ident())), pytest.fail)
    with qtbot.waitSignal(job.done, timeout=5000):
        pass
    worker, called_on = got[0]
    assert worker != gui and called_on == gui
    assert job.finished_ok


def test_error_goes_to_on_error(qtbot: Any) -> None:
    errors: list[BaseException] = []

    def task(_p: Progress) -> None:
        raise ValueError("boom")

    job = run_in_background(None, task, pytest.fail, errors.append)
    with qtbot.waitSignal(job.done, timeout=5000):
        pass
    assert isinstance(errors[0], ValueError)


def test_cancel_stops_the_task_without_error(qtbot: Any) -> None:
    started = threading.Event()
    calls: list[str] = []

    def task(progress: Progress) -> None:
        started.set()
        while True:  # a long loop that reports progress; report() raises once cancelled
            progress.report(0, 0)

    job = run_in_background(None, task, lambda _r: calls.append("done"), lambda _e: calls.append("error"))
    assert started.wait(5)
    with qtbot.waitSignal(job.done, timeout=5000):
        job.cancel()
    assert calls == [] and not job.finished_ok


def test_progress_dialog_appears_only_for_slow_work(qtbot: Any) -> None:
    release = threading.Event()
    job = run_in_background(None, lambda _p: release.wait(10), lambda _r: None, pytest.fail, title="导出")
    assert job.dialog is None  # quick work never flashes a dialog
    qtbot.waitUntil(lambda: job.dialog is not None, timeout=3000)
    with qtbot.waitSignal(job.done, timeout=5000):
        release.set()
    assert job.dialog is None


def _endless(started: threading.Event) -> Any:
    def task(progress: Progress) -> None:
        started.set()
        while True:  # like an export to a slow USB stick: ends only when cancelled
            progress.report(1, 2)
            threading.Event().wait(0.01)

    return task


def test_closing_the_window_asks_then_cancels_work_in_progress(window: Any, qtbot: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing may run on after the data folder is closed: the clerk is asked, and the export is cancelled."""
    import ui.main_window
    from ui import background

    asked: list[str] = []
    answer = [False]

    def confirm(_parent: Any, _title: str, text: str) -> bool:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(ui.main_window, "confirm", confirm)
    started = threading.Event()
    job = run_in_background(window, _endless(started), pytest.fail, pytest.fail, title="导出报送包")
    assert started.wait(5)
    window.close()  # “No”: the window stays, the work goes on
    assert window.isVisible() and not job.progress.cancelled
    answer[0] = True
    window.close()  # “Yes”: cancelled, waited for, then closed
    assert len(asked) == 2 and "导出报送包" in asked[0]
    assert job.progress.cancelled and not window.isVisible()
    qtbot.waitUntil(lambda: job not in background._running, timeout=5000)
