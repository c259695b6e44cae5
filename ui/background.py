"""The one way to run long work off the GUI thread: run_in_background(parent, task, on_done, on_error).

The task is a plain function of one `Progress` argument; it opens its own database session, returns a
plain value and never touches a widget. A progress dialog with a Cancel button appears only when the
work takes longer than about half a second.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

log = logging.getLogger(__name__)

SHOW_PROGRESS_AFTER_MS = 500
_running: set[BackgroundJob] = set()


class Cancelled(Exception):  # noqa: N818 - reads naturally: raise Cancelled
    """Raised by a task that noticed `progress.cancelled`; the job then ends quietly."""


class Progress:
    """Handed to the task: it reports how far it got and checks whether the user cancelled."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def report(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled
        self._emit(done, total, text)


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, task: Callable[[Progress], Any], signals: _Signals, progress: Progress) -> None:
        super().__init__()
        self.task, self.signals, self.progress = task, signals, progress

    def run(self) -> None:
        try:
            result = self.task(self.progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class BackgroundJob(QObject):
    """A running task; `done` is emitted once, whatever the outcome (for tests and chaining)."""

    done = Signal()

    def __init__(self, parent: QWidget | None, title: str, on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None]) -> None:
        super().__init__(parent)
        self._on_done, self._on_error = on_done, on_error
        self.signals = _Signals()
        self.progress = Progress(self.signals.progressed.emit)
        self.title = title
        self.user_started = parent is not None  # (the daily backup has no parent window)
        self.dialog: QProgressDialog | None = None
        self.finished_ok = False
        self._parent = parent
        self._last: tuple[int, int, str] = (0, 0, "")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)
        # Slots of this GUI-thread object: the worker's signals arrive queued, on the GUI thread.
        self.signals.progressed.connect(self._on_progress)
        self.signals.finished.connect(self._finished)
        self.signals.failed.connect(self._failed)

    def cancel(self) -> None:
        self.progress.cancel()

    def _show_dialog(self) -> None:
        dlg = QProgressDialog(self.title, self.tr("Cancel"), 0, 0, self._parent)
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)  # progress names files from outside: text, never HTML
        dlg.setLabel(label)
        dlg.setLabelText(self.title)
        dlg.setWindowTitle(self.title)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.canceled.connect(self.cancel)
        self.dialog = dlg
        self._on_progress(*self._last)
        dlg.show()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self._last = (done, total, text)
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 0))
            self.dialog.setValue(min(done, total) if total else 0)
            if text:
                self.dialog.setLabelText(text)

    def _finished(self, result: object) -> None:
        self._close()
        self.finished_ok = True
        try:
            self._on_done(result)
        finally:
            self.done.emit()

    def _failed(self, exc: BaseException) -> None:
        self._close()
        try:
            if isinstance(exc, Cancelled):
                log.info("background task cancelled: %s", self.title)
            else:
                self._on_error(exc)
        finally:
            self.done.emit()

    def _close(self) -> None:
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None


def unfinished_jobs() -> list[BackgroundJob]:
    return list(_running)


def finish_all(timeout_ms: int = 120_000) -> bool:
    """The window is closing: cancel what can be cancelled, wait for every job to end (True if all did)."""
    for job in list(_running):
        job.cancel()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


def run_in_background(parent: QWidget | None, task: Callable[[Progress], Any],
                      on_done: Callable[[Any], None], on_error: Callable[[BaseException], None], *,
                      title: str = "") -> BackgroundJob:
    """Start `task(progress)` on the pool; `on_done(result)` or `on_error(exc)` then run on the GUI thread."""
    title = title or QCoreApplication.translate("Background", "Working…")
    job = BackgroundJob(parent, title, on_done, on_error)
    _running.add(job)  # a job without a parent must outlive this call
    job.done.connect(lambda: _running.discard(job))
    job._timer.start(SHOW_PROGRESS_AFTER_MS)
    QThreadPool.globalInstance().start(_Runnable(task, job.signals, job.progress))
    return job


_quiet: set[_Signals] = set()


def run_quietly(task: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
    """Background work the clerk did not ask for and need not wait on (suggestions while typing): no dialog,
    no Cancel; `on_done(result)` runs on the GUI thread, a failure is only logged. Pass a bound method of a
    widget as `on_done`: Qt drops the call when that widget is gone by then. The window's close waits for the
    work like any other job (it runs on the same pool)."""
    signals = _Signals()
    _quiet.add(signals)
    signals.finished.connect(on_done)
    signals.finished.connect(lambda _result: _quiet.discard(signals))
    signals.failed.connect(lambda exc: (_quiet.discard(signals), log.warning("background work failed: %r", exc)))
    QThreadPool.globalInstance().start(_Runnable(lambda _progress: task(), signals, Progress(lambda *_: None)))
