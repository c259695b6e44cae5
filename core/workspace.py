"""A Workspace is one opened data folder: its lock, database, evidence store, user and today's date.

Every write goes through `Workspace.session()`, and `Workspace.writer` lets one unit of work at a time in
(the model is Anki's single collection executor): a write started on the GUI thread while a background
write (an evidence attach, an import, the night's re-check scheduling) is running waits its turn — the
window shows "busy" through `Writer.on_wait` — instead of failing with "database is locked" after SQLite's
busy timeout. Reads (`Workspace.read()`) do not wait: WAL lets them run beside the writer.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from core import applog, places
from core.errors import DatabaseDamaged, DataFolderError, InputRefused
from core.evidence.store import EvidenceStore
from core.faults import explain
from core.paths import DataFolderLock, DataPaths
from db.engine import HEAD_REVISION, UnknownRevision, open_database
from db.models import Unit

log = logging.getLogger(__name__)


class Writer:
    """The one write path of a data folder in this process: one unit of work at a time.

    Re-entrant on one thread (a unit of work may call code that opens another). `on_wait(waiting)`, set by
    the window, is called on the main thread only: `on_wait(True)` once when it must wait (show the busy
    cursor), then `on_wait(None)` about every 50 ms while it waits (keep painting), `on_wait(False)` at the
    end. Other threads (and the command line, which has no hook) simply wait."""

    POLL_S = 0.05

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.on_wait: Callable[[bool | None], None] | None = None
        self.waits = 0  # how many units of work had to wait (for tests and the log)

    @contextmanager
    def turn(self) -> Iterator[None]:
        if not self._lock.acquire(blocking=False):
            self.waits += 1
            hook = self.on_wait if threading.current_thread() is threading.main_thread() else None
            started = time.monotonic()
            if hook is None:
                self._lock.acquire()
            else:
                hook(True)
                try:
                    while not self._lock.acquire(timeout=self.POLL_S):
                        hook(None)
                finally:
                    hook(False)
            log.info("a write waited %.1f s for the one before it", time.monotonic() - started)
        try:
            yield
        finally:
            self._lock.release()


class Workspace:
    def __init__(self, paths: DataPaths, *, user: str | None = None, today: date | None = None) -> None:
        self.paths = paths
        self._user = user
        self._today = today
        self._lock = DataFolderLock(paths)
        self.engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self.evidence = EvidenceStore(paths.evidence, paths.tmp)
        self.writer = Writer()
        self.check_on_start = True  # SQLite's quick check when the folder is opened (core.dbcheck)
        self._found_sound = False  # ensure_sound's full check passed since the folder was opened

    # -- life cycle -------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: str | Path | None = None, *, user: str | None = None,
             today: date | None = None) -> Workspace:
        ws = cls(DataPaths.resolve(data_dir), user=user, today=today)
        ws.start()
        return ws

    def start(self) -> None:
        self.paths.ensure()
        applog.setup(self.paths.logs)
        self._lock.acquire()
        try:
            if (self.paths.root / "restore-pending.json").exists() or any(self.paths.tmp.glob(".rectidesk-restore-*")):
                from core.team.backup import finish_pending_restore

                finish_pending_restore(self.paths)  # a restore killed half-way is finished first
            if self.check_on_start and self.paths.database.exists():
                self._check_database()
            self.engine, self._sessions = open_database(self.paths.database, self.paths.backups)
            self.paths.make_private()
        except DatabaseError as exc:
            self._lock.release()
            # A full disk or a held file is not a damaged database: say what it is (core.faults).
            mapped = explain(exc, where=self.paths.database)
            if mapped is not None:
                raise mapped from None
            raise DataFolderError(
                f"无法打开台账数据库“{self.paths.database}”：{exc.orig}。",
                hint="数据库文件可能已损坏。请从备份恢复（restore），或联系技术支持。",
                window_hint=f"数据库文件可能已损坏。请从备份恢复（{places.RESTORE}），或联系技术支持。",
            ) from None
        except UnknownRevision as exc:
            self._lock.release()
            raise DataFolderError(
                f"这个台账由更新版本的整改通建立（数据库版本 {exc.found}），本程序只能打开到版本 {HEAD_REVISION}。",
                hint="请安装最新版本的整改通后再打开；台账数据没有任何改动。",
            ) from None
        except BaseException:
            self._lock.release()
            raise
        from core.evidence.sweep import sweep_orphans

        # Only files older than the previous start: a file stored by an import still running elsewhere
        # (its lock file removed by hand) is never taken for an orphan (issue 15).
        previous_start = self._mark_start()
        if previous_start is not None:
            self.evidence.sweep_temp(older_than=previous_start)
            with self.session() as s:
                sweep_orphans(s, self.evidence, older_than=previous_start)

    def _check_database(self, quick: bool = True) -> None:
        """SQLite's check (quick at start): a damaged page is said now (with the latest backup), not in the middle
        of an import or a backup that would copy it."""
        from core.dbcheck import require_sound

        try:
            require_sound(self.paths.database, quick=quick)
        except DatabaseDamaged as exc:
            from core.team.backup import latest_backup

            exc.backup = latest_backup(self.paths.backups)
            if exc.backup is not None:
                exc.set_hints(hint=f"最近的备份是“{exc.backup}”。请运行 restore \"{exc.backup}\" 用它恢复；"
                                   "恢复前程序会把损坏的文件另存一份，供技术支持查看。",
                              window_hint=f"最近的备份是“{exc.backup}”。请点“恢复备份…”用它恢复；"
                                          "恢复前程序会把损坏的文件另存一份，供技术支持查看。")
            raise

    def ensure_sound(self) -> None:
        """Before an import: SQLite's full integrity check, once while the folder is open (it reads every page and
        cross-checks the indexes: 0.2 s at 1,000 tasks, 16 s at 100,000), not again for every package of the day;
        the quick check at start and the check before each backup stay as they are."""
        if self._found_sound:
            return
        self._check_database(quick=False)
        self._found_sound = True

    def _mark_start(self) -> float | None:
        """Record this start's time in the data folder; return the previous one (None the first time)."""
        marker = self.paths.root / "cache" / "last-start"
        try:
            previous: float | None = marker.stat().st_mtime
        except OSError:
            previous = None
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
            os.utime(marker)
        except OSError as exc:
            log.warning("start time not recorded: %s", exc)
        return previous

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
        self._lock.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions ---------------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error.

        It waits its turn behind any other unit of work of this data folder (see `Writer`)."""
        assert self._sessions is not None, "workspace not started"
        with self.writer.turn(), self._sessions.begin() as s:
            yield s

    def read(self) -> Session:
        assert self._sessions is not None, "workspace not started"
        return self._sessions()

    # -- who and when -----------------------------------------------------------------------
    @property
    def today(self) -> date:
        return self._today or date.today()

    @property
    def user(self) -> str:
        """The person of the unit who acts: the one named (login, --user) or the unit's only user.

        Never the computer's login name; with several users and nobody named, `UserNotChosen`.
        """
        if self._user:
            return self._user
        from core.team.users import acting_user

        with self.read() as s:
            return acting_user(s)

    @property
    def user_named(self) -> bool:
        return bool(self._user)

    def set_user(self, name: str | None) -> None:
        self._user = name

    def unit(self, session: Session | None = None) -> Unit | None:
        if session is not None:
            return session.scalar(select(Unit).limit(1))
        with self.read() as s:
            return s.scalar(select(Unit).limit(1))

    def require_unit(self, session: Session) -> Unit:
        unit = session.scalar(select(Unit).limit(1))
        if unit is None:
            raise InputRefused("这个数据文件夹还没有建立本单位的台账。",
                               hint="请先运行 init --unit-code 代码 --unit-name 名称，或在窗口中完成首次设置。",
                               window_hint="请先完成首次设置。")
        return unit
