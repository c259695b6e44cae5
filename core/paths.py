"""The one module that owns where data lives: data folder, database, evidence store, logs, backups."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core import APP_NAME
from core.errors import DataFolderError

ENV_DATA_DIR = "RECTIDESK_DATA_DIR"


def default_data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    import platformdirs  # here, not at the top: the window's first paint imports this module

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
        return cls(Path(data_dir).expanduser().resolve() if data_dir else default_data_dir().resolve())

    @property
    def database(self) -> Path:
        return self.root / "rectidesk.sqlite3"

    @property
    def evidence(self) -> Path:
        return self.root / "evidence"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def incoming(self) -> Path:
        """Parts of multi-part feedback kept until their group is complete."""
        return self.root / "incoming"

    @property
    def first_page_cache(self) -> Path:
        """The compiled SQL of the ledger's first page (no data): see core.ledger.firstpage."""
        return self.root / "cache" / "first-page.json"

    @property
    def similar_index(self) -> Path:
        """The 相似问题 index: derived from the ledger, rebuilt when missing, never backed up."""
        return self.root / "cache" / "similar.sqlite3"

    @property
    def excel_mappings(self) -> Path:
        """Column mappings the clerk chose for a sender's Excel layout (see core.excel.mappings)."""
        return self.root / "excel-mappings.json"

    @property
    def refusals_file(self) -> Path:
        """Feedback packages refused (spec §8: not part of the data), newest last: core.exchange.refusals."""
        return self.logs / "refused-packages.jsonl"

    @property
    def lock_file(self) -> Path:
        return self.root / "rectidesk.lock"

    @property
    def holder_file(self) -> Path:
        return self.root / "rectidesk.lock.owner"

    def ensure(self) -> None:
        """Create the folders; a folder we cannot write is a clear error, not a traceback.

        A folder on a network share is refused (SQLite's WAL needs a local disk); the folders and the
        database are the user's alone where the system allows it (0700/0600 on Linux and macOS; on Windows
        the user's profile already is)."""
        refuse_network_folder(self.root)
        try:
            for folder in (self.root, self.evidence, self.logs, self.backups, self.tmp, self.incoming):
                folder.mkdir(parents=True, exist_ok=True)
            self.make_private()
            probe = tempfile.NamedTemporaryFile(dir=self.root, prefix=".probe-", delete=True)
            probe.close()
        except OSError as exc:
            raise DataFolderError(
                f"数据文件夹“{self.root}”无法写入（{exc.strerror or exc}）。",
                hint="请检查该文件夹是否只读、磁盘是否已满，或用 --data-dir 指定另一个文件夹。",
                window_hint="请检查该文件夹是否只读、磁盘是否已满。",
            ) from None

    def exists(self) -> bool:
        return self.database.exists()

    def make_private(self) -> None:
        """The folders and the database files: the user's alone (POSIX modes; Windows profiles already are)."""
        _private(self.root, [self.evidence, self.logs, self.backups, self.tmp, self.incoming,
                             self.database, *(Path(f"{self.database}{x}") for x in ("-wal", "-shm"))])


def _private(root: Path, inside: list[Path]) -> None:
    if os.name != "posix":
        return
    for p in (root, *inside):
        try:
            if p.exists():
                os.chmod(p, 0o700 if p.is_dir() else 0o600)
        except OSError:
            pass  # a folder we do not own (a shared one): its own rights stay


_NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p", "afpfs", "davfs", "fuse.davfs2",
               "ncpfs", "glusterfs", "ceph", "fuse.rclone"}


def network_location(path: str, *, windows: bool | None = None,
                     drive_type: Callable[[str], int] | None = None,
                     mounts: str | None = None) -> str | None:
    """Why `path` is on a network share (a short description), or None for a local disk.

    Windows: a UNC path (\\\\server\\share…, also \\\\?\\UNC\\…) or a mapped drive (GetDriveType says
    DRIVE_REMOTE); elsewhere: the file system of its mount (NFS, SMB/CIFS, sshfs…). The keyword arguments
    stand in for the system in tests."""
    windows = os.name == "nt" if windows is None else windows
    if windows:
        text = path.replace("/", "\\")
        if text.upper().startswith("\\\\?\\UNC\\") or (text.startswith("\\\\") and not text.startswith("\\\\?\\")
                                                                and not text.startswith("\\\\.\\")):
            return "网络共享文件夹"
        drive = text[:2] if len(text) >= 2 and text[1] == ":" else ""
        if text.upper().startswith("\\\\?\\") and len(text) >= 6 and text[5] == ":":
            drive = text[4:6]
        if drive:
            kind = drive_type(drive + "\\") if drive_type else _windows_drive_type(drive + "\\")
            if kind == 4:  # DRIVE_REMOTE
                return f"映射的网络驱动器 {drive.upper()}"
        return None
    table = mounts
    if table is None:
        try:
            table = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    best, fstype = "", ""
    for line in table.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mnt = parts[1].replace("\\040", " ")
        if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
            best, fstype = mnt, parts[2]
    return f"网络文件系统（{fstype}）" if fstype in _NETWORK_FS else None


def _windows_drive_type(root: str) -> int:
    try:
        import ctypes

        return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]
    except (OSError, AttributeError):
        return 0


def refuse_network_folder(root: Path) -> None:
    where = network_location(str(root))
    if where:
        raise DataFolderError(
            f"数据文件夹“{root}”在{where}上，整改通不能在那里保存台账：数据库需要本机磁盘才能可靠地写入"
            "（在网络共享上可能损坏数据）。",
            hint="请把数据文件夹放在本机磁盘上（例如默认位置，或 D 盘的一个文件夹），需要共享时用“备份”复制过去。")


class DataFolderLock:
    """Only one running copy may write a data folder; the lock dies with the process that holds it."""

    def __init__(self, paths: DataPaths) -> None:
        from filelock import FileLock

        self.paths = paths
        # One lock for the process, whichever thread takes or leaves it (a restore swaps in the background).
        self._lock = FileLock(str(paths.lock_file), timeout=0, thread_local=False)

    def acquire(self) -> None:
        import socket

        from filelock import Timeout

        if self._lock.is_locked:
            return  # already ours
        try:
            self._lock.acquire()
        except Timeout:
            where = self._holder_words(socket.gethostname())
            raise DataFolderError(
                f"数据文件夹“{self.paths.root}”正被另一个整改通程序使用{where}。",
                hint="同一份台账同时只能由一个程序打开，请先关闭另一个窗口或命令后再试。",
                window_hint="同一份台账同时只能由一个程序打开，请先关闭另一个整改通窗口后再试。",
            ) from None
        except OSError as exc:
            raise DataFolderError(
                f"无法锁定数据文件夹“{self.paths.root}”（{exc.strerror or exc}）。",
                hint="请检查该文件夹是否只读。",
            ) from None
        holder = {"computer": socket.gethostname(), "pid": os.getpid(),
                  "since": datetime.now().strftime("%Y-%m-%d %H:%M")}
        try:
            self.paths.holder_file.write_text(json.dumps(holder, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass

    def _holder_words(self, this_computer: str) -> str:
        """Who holds the folder, in plain words: which computer, since when (never a process number)."""
        try:
            holder = json.loads(self.paths.holder_file.read_text(encoding="utf-8"))
            computer, since = str(holder["computer"]), str(holder.get("since") or "")
        except (OSError, ValueError, TypeError, KeyError):
            return ""
        when = f"，{since} 起" if since else ""
        if computer == this_computer:
            return f"（本机上的另一个整改通窗口或命令{when}）"
        return f"（在电脑“{computer}”上{when}）"

    def release(self) -> None:
        if self._lock.is_locked:
            try:
                self.paths.holder_file.unlink(missing_ok=True)
            except OSError:
                pass
            self._lock.release(force=True)
