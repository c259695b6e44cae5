"""Refused feedback packages: a line in the log and a short history shown beside the package log.

Spec §8: a refused package changes nothing, so it is no part of the data and is not in the ledger's
package log (that holds accepted packages). The clerk still needs to see what was refused, when and why:
`logs/refused-packages.jsonl` keeps the last refusals (one JSON object a line), for the exchange page's
history and the command line's `packages`.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from core.dates import now_ts
from core.errors import UserError
from core.paths import DataPaths
from core.text import clean_text, shown

log = logging.getLogger("core.exchange")
KEEP = 200  # refusals kept; the file is cut back to these when it holds twice as many
MAX_TEXT = 1000  # characters of a message kept (a message quotes names from the package)
MAX_READ = 4 * 2**20  # a damaged or swollen history file is read no further than this


@dataclass(frozen=True)
class Refusal:
    at: str  # when it was refused (RFC 3339, local time)
    file: str  # the package's file name
    reason_code: str  # spec §8 reason, "" when the refusal was not the package's own fault
    message: str
    hint: str  # for the command line
    window_hint: str  # for the window


def record(paths: DataPaths, path: Path, exc: UserError) -> Refusal:
    """Note a refusal in the log (control characters escaped) and in the refusal history."""
    code = str(getattr(exc, "reason_code", "") or "")
    refusal = Refusal(now_ts(), _short(Path(path).name), code, _short(exc.message), _short(exc.hint),
                      _short(exc.window_hint))
    log.warning("feedback package refused: %s: [%s] %s", shown(path), code, shown(exc.message))
    line = json.dumps(asdict(refusal), ensure_ascii=False) + "\n"
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        with open(paths.refusals_file, "a", encoding="utf-8") as f:
            f.write(line)
        _trim(paths.refusals_file)
    except OSError:
        log.warning("the refusal could not be added to %s", paths.refusals_file, exc_info=True)
    return refusal


def recent(paths: DataPaths, limit: int = 100) -> list[Refusal]:
    """The last refusals, newest first; a damaged line is skipped, a missing file is no refusal."""
    lines = _lines(paths.refusals_file)
    out: list[Refusal] = []
    for line in reversed(lines):
        try:
            data = json.loads(line)
            out.append(Refusal(**{k: str(data.get(k) or "") for k in Refusal.__dataclass_fields__}))
        except (ValueError, TypeError, AttributeError):
            continue
        if len(out) >= limit:
            break
    return out


def _short(text: str) -> str:
    text = clean_text(text or "")
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def _lines(path: Path) -> list[str]:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - MAX_READ))
            data = f.read(MAX_READ)
    except OSError:
        return []
    return [ln for ln in data.decode("utf-8", errors="replace").splitlines() if ln.strip()]


def _trim(path: Path) -> None:
    lines = _lines(path)
    if len(lines) <= 2 * KEEP:
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(ln + "\n" for ln in lines[-KEEP:]), encoding="utf-8")
    os.replace(tmp, path)
