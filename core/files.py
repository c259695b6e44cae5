"""Files named by the user (a package, a key file, a key backup, an evidence file, a spreadsheet).

`open_regular(path, limit)` is the one way to open such a file: it never blocks on a named pipe, a
device or a socket (opened without waiting, then checked with fstat), refuses a folder or anything that
is not a regular file, and refuses a file larger than `limit` before reading a byte of it. Every
refusal is a `FileRefused` (an `InputRefused`) with a plain message and a `reason` code
(not_found, directory, not_regular, too_large, unreadable) that callers may translate.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from core import text
from core.errors import InputRefused


class FileRefused(InputRefused):
    def __init__(self, message: str, *, reason: str, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.reason = reason


def _size_words(n: int) -> str:
    if n >= 2**30:
        return f"{n / 2**30:.1f} GB"
    if n >= 2**20:
        return f"{n / 2**20:.0f} MB"
    return f"{max(1, n // 1024)} KB"


def open_regular(path: str | os.PathLike[str], limit: int | None, *, what: str = "文件") -> BinaryIO:
    """Open `path` for reading in binary mode, only if it is a regular file of at most `limit` bytes.

    `what` names the file in messages ("数据包", "公钥文件" …). The caller closes the returned file.
    """
    p = Path(path)
    shown = text.shown(p)  # a file name is data: one visible line in the message
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if os.name != "posix":
        # No O_NONBLOCK: look first (a Windows pipe or device is never a regular file on stat).
        try:
            st = os.stat(p)
        except FileNotFoundError:
            raise FileRefused(f"找不到{what}“{shown}”。", reason="not_found", hint="请检查文件路径。") from None
        except OSError as exc:
            raise _unreadable(what, shown, exc) from None
        _check_mode(st, what, shown)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise FileRefused(f"找不到{what}“{shown}”。", reason="not_found", hint="请检查文件路径。") from None
    except IsADirectoryError:
        raise FileRefused(f"“{shown}”是文件夹，不是{what}。", reason="directory", hint="请选择具体的文件。") from None
    except OSError as exc:
        raise _unreadable(what, shown, exc) from None
    try:
        st = os.fstat(fd)
        _check_mode(st, what, shown)
        if limit is not None and st.st_size > limit:
            raise FileRefused(f"{what}“{shown}”太大（{_size_words(st.st_size)}，最多允许 {_size_words(limit)}）。",
                              reason="too_large", hint=f"请确认选择的是正确的{what}。")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def require_regular(path: str | os.PathLike[str], limit: int | None, *, what: str = "文件") -> None:
    """Refuse, with the reason, anything but a regular file of at most `limit` bytes, for readers that open the
    file themselves (zipfile, the spreadsheet readers): a named pipe never reaches them."""
    open_regular(path, limit, what=what).close()


def read_regular(path: str | os.PathLike[str], limit: int, *, what: str = "文件") -> bytes:
    """The whole content of a regular file of at most `limit` bytes (never more is read)."""
    with open_regular(path, limit, what=what) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # it grew after the check
        raise FileRefused(f"{what}“{path}”太大（最多允许 {_size_words(limit)}）。", reason="too_large")
    return data


def _check_mode(st: os.stat_result, what: str, shown: str) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise FileRefused(f"“{shown}”是文件夹，不是{what}。", reason="directory", hint="请选择具体的文件。")
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(f"“{shown}”不是普通文件（可能是管道、设备或特殊文件），不能作为{what}读取。",
                          reason="not_regular", hint=f"请选择一个真正的{what}。")


def _unreadable(what: str, shown: str, exc: OSError) -> FileRefused:
    if isinstance(exc, PermissionError):
        return FileRefused(f"没有权限读取{what}“{shown}”。", reason="unreadable",
                           hint="请确认文件没有被其他程序占用，或换一个位置再试。")
    return FileRefused(f"无法读取{what}“{shown}”（{exc.strerror or exc}）。", reason="unreadable")
