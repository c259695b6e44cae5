"""The one module that owns where data lives: data folder, database, evidence store, logs, backups."""

from __future__ import annotations

import json
import os
import tempfile
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
        """Create the folders; a folder we cannot write is a clear error, not a traceback."""
        try:
            for folder in (self.root, self.evidence, self.logs, self.backups, self.tmp, self.incoming):
                folder.mkdir(parents=True, exist_ok=True)
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


class DataFolderLock:
    """Only one running copy may write a data folder; the lock dies with the process that holds it."""

    def __init__(self, paths: DataPaths) -> None:
        from filelock import FileLock

        self.paths = paths
        self._lock = FileLock(str(paths.lock_file), timeout=0)

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
