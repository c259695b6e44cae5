"""The application log (logs/rectidesk.log) and crash files (logs/crash-*.txt).

The log holds bugs with tracebacks, refused packages, notable events and Qt's own messages. It is set up
first thing in `main.py` (the windowed RectiDesk.exe has no console: an error before the window exists must
still reach a file). A crash that kills the process (a fault in Qt or a driver) leaves no traceback for
Python to log: `faulthandler` writes the stacks of every thread into a crash file of this run, which the
window shows at the next start (`ui.crash.show_previous_crashes`) the way qutebrowser and Anki do.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from core.text import escape_controls

LOG_NAME = "rectidesk.log"
CRASH_PREFIX = "crash-"
SEEN_SUFFIX = ".seen.txt"  # a crash file shown once is kept for support under this name
_configured: set[Path] = set()
_crash: dict[str, tuple[Path, IO[str]]] = {}
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SafeFormatter(logging.Formatter):
    """One record, one line: file names and package values are data, never log lines of their own.

    Control characters in the message and its arguments (a line break, ESC, a bidirectional override …)
    are written as visible `\\uXXXX`. A traceback keeps its lines but each is indented, so no line that
    outside text produced can ever start like a record (with a time stamp).
    """

    def format(self, record: logging.LogRecord) -> str:
        record.message = escape_controls(record.getMessage())
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        out = self.formatMessage(record)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        for extra in (record.exc_text, self.formatStack(record.stack_info) if record.stack_info else None):
            if extra:
                out += "\n" + "\n".join("    " + line for line in escape_controls(extra, keep="\n").split("\n"))
        return out


def setup(log_dir: Path, level: int = logging.INFO) -> Path:
    path = log_dir / LOG_NAME
    if path in _configured:
        return path
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(SafeFormatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    _configured.add(path)
    return path


def data_dir_from_argv(argv: Sequence[str]) -> str | None:
    """`--data-dir DIR` or `--data-dir=DIR` as the command line gives it, before argparse runs."""
    for i, arg in enumerate(argv):
        if arg == "--data-dir" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--data-dir="):
            return arg.split("=", 1)[1]
    return None


def start(argv: Sequence[str]) -> Path | None:
    """First thing at start-up: the log of the data folder the command line names, and this run's crash file.

    Returns the log folder, or None when it cannot be written (the program then runs without a log: the
    data folder's own check says what is wrong with it).
    """
    from core.paths import DataPaths

    try:
        logs = DataPaths.resolve(data_dir_from_argv(argv)).logs
    except (OSError, RuntimeError, ValueError):
        return None
    setup(logs)
    sys.excepthook = _log_uncaught  # until the window installs its crash dialog
    enable_crash_file(logs)
    return logs


def _log_uncaught(exc_type: type[BaseException], exc: BaseException, tb: object) -> None:
    logging.getLogger("rectidesk").critical("uncaught error", exc_info=(exc_type, exc, tb))  # type: ignore[arg-type]
    sys.__excepthook__(exc_type, exc, tb)  # type: ignore[arg-type]


def enable_crash_file(log_dir: Path) -> Path | None:
    """faulthandler writes into logs/crash-<time>-<pid>.txt; an empty one is removed when the process ends."""
    if "file" in _crash:
        return _crash["file"][0]
    import atexit

    path = log_dir / f"{CRASH_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        fh = open(path, "w", encoding="utf-8")  # noqa: SIM115 - open until the process ends: faulthandler writes here
        fh.write(f"{system_block()}\n\n")
        fh.flush()
    except OSError:
        return None
    faulthandler.enable(fh, all_threads=True)
    _crash["file"] = (path, fh)
    atexit.register(disable_crash_file)
    return path


def note_in_crash_file(line: str) -> None:
    """A line for the header of this run's crash file (the window adds Qt's version once Qt is loaded)."""
    entry = _crash.get("file")
    if entry is None:
        return
    try:
        entry[1].write(line.rstrip("\n") + "\n")
        entry[1].flush()
    except (OSError, ValueError):
        pass


def disable_crash_file() -> None:
    """Normal end: no crash happened, so this run's crash file goes."""
    entry = _crash.pop("file", None)
    if entry is None:
        return
    path, fh = entry
    faulthandler.disable()
    try:
        fh.close()
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _own_crash_file() -> Path | None:
    entry = _crash.get("file")
    return entry[0] if entry else None


def previous_crashes(log_dir: Path) -> list[Path]:
    """Crash files that hold a report (a dump after the header) and were not shown yet; oldest first.

    Left-overs without a report (a process killed by the task manager leaves only the header) are removed.
    """
    found: list[Path] = []
    own = _own_crash_file()
    try:
        candidates = sorted(log_dir.glob(f"{CRASH_PREFIX}*.txt"))
    except OSError:
        return []
    for path in candidates:
        if path.name.endswith(SEEN_SUFFIX) or path == own:
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if has_report(text):
            found.append(path)
        elif not _held_by_running_process(path):
            try:
                path.unlink()
            except OSError:
                pass
    return found


def has_report(text: str) -> bool:
    """A faulthandler dump starts with "Fatal Python error" (or names the thread): more than our header."""
    return "Fatal Python error" in text or "Current thread" in text or "Thread 0x" in text


def _held_by_running_process(path: Path) -> bool:
    """The pid in the file's name is a running process (another copy of the program, e.g. a command)."""
    try:
        pid = int(path.stem.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def mark_seen(path: Path) -> None:
    """Shown once: kept for support, never shown again."""
    try:
        path.rename(path.with_name(path.name[: -len(".txt")] + SEEN_SUFFIX))
    except OSError:
        pass


def last_lines(log_dir: Path, count: int = 40) -> str:
    """The end of the application log, for the crash dialog (reads at most the last 64 KB)."""
    path = log_dir / LOG_NAME
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 65536))
            data = fh.read()
    except OSError:
        return ""
    return "\n".join(data.decode("utf-8", "replace").splitlines()[-count:])


def system_block(extra: Sequence[tuple[str, str]] = ()) -> str:
    """Version, Python, OS (and what the caller adds: Qt's version) — the lines support asks for first."""
    from core import APP_VERSION

    rows = [("RectiDesk", APP_VERSION + (" (bundle)" if getattr(sys, "frozen", False) else "")),
            ("Python", f"{platform.python_version()} ({platform.architecture()[0]})"),
            ("OS", platform.platform()),
            *extra]
    return "\n".join(f"{k}: {v}" for k, v in rows)
