"""Errors of the machine become messages: the one mapping from OSError and SQLite errors to plain Chinese.

A full disk, a file held by an antivirus scanner or another program, a read-only folder and a failing disk
are not bugs: `explain(exc, where=…, need=…)` turns each into a `MachineError` that says what is full or
held, how much room is needed and what to do (the data is as it was: every write is one transaction and
every file is written to a temporary name first). The command line (`core.cli.run`) and the window
(`AppContext`, `ui.messages.show_error`, the crash handler) both call it; raw SQL and its parameters never
reach the clerk. A damaged database is `DatabaseDamaged` (see `core.dbcheck`).

`retrying(fn, ...)` is for renames and deletes of files another program may hold for a moment (Windows
antivirus, the search indexer, Explorer's preview): a few tries with a short back-off before giving up.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from core.errors import DatabaseDamaged, MachineError, UserError

log = logging.getLogger(__name__)

T = TypeVar("T")

# Windows error numbers (OSError.winerror) of a file held by another program, of a full disk, of a network fault.
_WIN_SHARING = {5, 32, 33, 1224}  # access denied, sharing violation, lock violation, user-mapped section
_WIN_FULL = {39, 112}
_WIN_GONE = {21, 53, 64, 67, 1167}  # device not ready, network path lost, device not connected

UNCHANGED = "台账数据没有改动。"
MIN_ROOM = 200 * 1024 * 1024  # what to ask for when the size of the work is not known


def size_text(n: int) -> str:
    if n >= 1024 ** 3:
        return f"{n / 1024 ** 3:.1f} GB"
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


def free_space(where: Path | None) -> int | None:
    """Free bytes on the disk holding `where` (its nearest existing parent); None when it cannot be told."""
    if where is None:
        return None
    p = Path(where)
    for candidate in (p, *p.parents):
        try:
            if candidate.exists():
                return shutil.disk_usage(candidate).free
        except OSError:
            return None
    return None


def _drive(where: Path | None) -> str:
    if where is None:
        return "磁盘"
    anchor = Path(where).anchor
    if os.name == "nt" and anchor:
        return f"{anchor.rstrip(chr(92))} 盘"
    return f"“{where}”所在的磁盘"


def disk_full(where: Path | None, need: int | None = None) -> MachineError:
    free = free_space(where)
    have = f"，现在只剩 {size_text(free)}" if free is not None else ""
    room = f"至少 {size_text(max(need, 0) + 20 * 1024 * 1024)}" if need else f"至少 {size_text(MIN_ROOM)}"
    return MachineError(f"{_drive(where)}空间不足{have}，这一步没有完成。",
                        hint=f"请腾出{room}的空间（删除不需要的文件、清空回收站、把旧备份移到U盘）"
                             f"或换一个空间更大的位置，然后重试；{UNCHANGED}")


def held(where: Path | None) -> MachineError:
    what = f"文件“{where}”" if where else "数据文件夹中的文件"
    return MachineError(f"{what}正被其他程序占用，或没有访问权限。",
                        hint="常见原因是杀毒软件正在扫描它，或它在另一个程序里打开着。请稍等片刻再试；"
                             f"如一直如此，请关闭占用它的程序，或请管理员把该文件夹设为可写。{UNCHANGED}")


def read_only(where: Path | None) -> MachineError:
    what = f"“{where}”" if where else "数据文件夹"
    return MachineError(f"{what}是只读的，无法写入。",
                        hint="请检查U盘是否打开了写保护、文件夹属性是否为只读，或换一个可写的位置；"
                             f"{UNCHANGED}")


def io_error(where: Path | None) -> MachineError:
    what = f"“{where}”" if where else "磁盘"
    return MachineError(f"读写{what}时磁盘出错（I/O 错误），这一步没有完成。",
                        hint="磁盘或U盘可能有故障，或已被拔出、网络已断开。请插好后重试，并尽快在另一个磁盘上做一次备份；"
                             f"{UNCHANGED}")


def busy() -> MachineError:
    return MachineError("台账正被另一项操作占用，这一步没有完成。",
                        hint=f"请等前一项操作（导入、添加佐证材料、备份）结束后再试；{UNCHANGED}")


def damaged(where: Path | None, detail: str = "") -> DatabaseDamaged:
    what = f"“{where}”" if where else "台账数据库"
    more = f"（{detail}）" if detail else ""
    return DatabaseDamaged(f"台账数据库{what}已损坏{more}。",
                           hint="请从最近一次完好的备份恢复（设置 → 从备份恢复，或 restore 命令）；"
                                "恢复前程序会把损坏的文件另存一份，供技术支持查看。")


def _from_os(exc: OSError, where: Path | None, need: int | None) -> MachineError | None:
    where = where or (Path(exc.filename) if isinstance(exc.filename, str) and exc.filename else None)
    win = getattr(exc, "winerror", None)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or win in _WIN_FULL:
        return disk_full(where, need)
    if exc.errno == errno.EROFS or win == 19:
        return read_only(where)
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EBUSY) \
            or win in _WIN_SHARING:
        return held(where)
    if exc.errno in (errno.EIO, errno.ENXIO, errno.ENODEV, errno.ESTALE if hasattr(errno, "ESTALE") else -1) \
            or win in _WIN_GONE:
        return io_error(where)
    return None


def _from_sqlite(text: str, where: Path | None, need: int | None) -> UserError | None:
    t = text.lower()
    if "database or disk is full" in t or "disk is full" in t:
        return disk_full(where, need)
    if "disk i/o error" in t:
        free = free_space(where)
        if free is not None and free < 4 * 1024 * 1024:  # SQLite says "I/O error" when it cannot grow its files
            return disk_full(where, need)
        return io_error(where)
    if "readonly database" in t or "read-only" in t:
        return read_only(where)
    if "unable to open database file" in t:
        return held(where)
    if "database is locked" in t or "database table is locked" in t:
        return busy()
    if "malformed" in t or "file is not a database" in t or "database corrupt" in t:
        return damaged(where, "")
    return None


def explain(exc: BaseException, *, where: Path | None = None, need: int | None = None) -> UserError | None:
    """A plain message for an error of the machine (or the UserError itself); None for a real bug.

    `where` is the file or folder the work was writing (for SQLite errors: the database), `need` the
    bytes the work needs when known (then the disk-full message says how much room to make)."""
    if isinstance(exc, UserError):
        return exc
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error (and carries the SQL: never shown)
    if isinstance(orig, BaseException) and orig is not exc:
        mapped = explain(orig, where=where, need=need)
        if mapped is not None:
            return mapped
    if isinstance(exc, OSError):
        return _from_os(exc, where, need)
    import sqlite3

    if isinstance(exc, sqlite3.Error):
        return _from_sqlite(str(exc), where, need)
    return None


def is_transient(exc: OSError) -> bool:
    """A file held for a moment by another program (antivirus, indexer): worth another try."""
    win = getattr(exc, "winerror", None)
    return isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EBUSY) or win in _WIN_SHARING


def retrying(fn: Callable[..., T], *args: object, tries: int = 5, first_delay: float = 0.1,
             sleep: Callable[[float], None] | None = None) -> T:
    """Call `fn(*args)`; when another program holds the file, try again (0.1, 0.2, 0.4, 0.8 s: ~1.5 s in all).

    Other errors, and the last failure, propagate as they are (callers turn them into messages)."""
    delay = first_delay
    for attempt in range(tries):
        try:
            return fn(*args)
        except OSError as exc:
            if attempt == tries - 1 or not is_transient(exc):
                raise
            log.info("file held (%s), try %d of %d in %.1f s", exc, attempt + 2, tries, delay)
            (sleep or time.sleep)(delay)
            delay *= 2
    raise AssertionError("unreachable")


def replace(src: Path, dst: Path) -> None:
    """os.replace, retried while another program holds either file."""
    retrying(os.replace, src, dst)


def unlink(path: Path, *, missing_ok: bool = True) -> None:
    """Path.unlink, retried while another program holds the file."""
    retrying(Path(path).unlink, missing_ok)
