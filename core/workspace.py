"""A Workspace is one opened data folder: its lock, database, evidence store, user and today's date."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from core import applog, places
from core.errors import DataFolderError, InputRefused
from core.evidence.store import EvidenceStore
from core.paths import DataFolderLock, DataPaths
from db.engine import HEAD_REVISION, UnknownRevision, open_database
from db.models import Unit

log = logging.getLogger(__name__)


class Workspace:
    def __init__(self, paths: DataPaths, *, user: str | None = None, today: date | None = None) -> None:
        self.paths = paths
        self._user = user
        self._today = today
        self._lock = DataFolderLock(paths)
        self.engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self.evidence = EvidenceStore(paths.evidence, paths.tmp)

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
            self.engine, self._sessions = open_database(self.paths.database, self.paths.backups)
        except DatabaseError as exc:
            self._lock.release()
            raise DataFolderError(
                f"无法打开台账数据库“{self.paths.database}”：{exc.orig}。",
                hint="数据库文件可能已损坏或只读。请从备份恢复（restore），或联系技术支持。",
                window_hint=f"数据库文件可能已损坏或只读。请从备份恢复（{places.RESTORE}），或联系技术支持。",
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
        self.evidence.sweep_temp()
        from core.evidence.sweep import sweep_orphans

        with self.session() as s:
            sweep_orphans(s, self.evidence)

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
        """One unit of work: committed when the block ends, rolled back on any error."""
        assert self._sessions is not None, "workspace not started"
        with self._sessions.begin() as s:
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
