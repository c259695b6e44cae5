"""The application log (logs/rectidesk.log): bugs with tracebacks, refused packages, notable events."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from core.text import escape_controls

_configured: set[Path] = set()
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
    path = log_dir / "rectidesk.log"
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
