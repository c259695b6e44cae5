"""The application log (logs/rectidesk.log): bugs with tracebacks, refused packages, notable events."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

_configured: set[Path] = set()


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
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    _configured.add(path)
    return path
