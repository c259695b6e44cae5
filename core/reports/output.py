"""Writing a report or spreadsheet safely: a temporary file, flushed to disk, then renamed into place."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from core.errors import InputRefused


def write_atomic(path: Path, build: Callable[[Path], object]) -> Path:
    """`build(tmp)` writes the file; a failure leaves neither half a file nor the temporary one behind.

    A target held open by another program (a PDF reader, Excel or WPS on Windows) is a plain refusal."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        build(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise InputRefused(
            f"无法写入“{path}”：{exc.strerror or exc}。",
            hint="文件可能正被其他程序（PDF 阅读器、Excel、WPS）打开，或文件夹不可写。请关闭后重试，或换一个位置保存。",
        ) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
