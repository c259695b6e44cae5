"""Opens the unit's SQLite database (WAL, foreign keys) and brings its schema to the newest revision."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from db.revision import HEAD_REVISION  # also imported from here by callers

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")  # a backstop: this process serializes its writes (Writer)
    cur.close()


def make_engine(db_path: Path) -> Engine:
    # URL.create takes the path as it is: in a "sqlite:///..." string, "%20" would be unquoted and a "?"
    # would start query options, so a folder named "100%资料" or "a?b" would open another file.
    engine = create_engine(URL.create("sqlite", database=str(db_path)))
    event.listen(engine, "connect", _set_pragmas)
    return engine


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))  # see below
    if engine is not None:
        # configparser interpolates "%": a path like "100%资料" must reach Alembic as "100%%资料".
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.execute(text(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")).first()
        if not has_table:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_file(db_path: Path, target: Path) -> None:
    """Consistent copy of a live SQLite database through the online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(db_path))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


class UnknownRevision(Exception):
    """The database was written by a newer program (or is not ours): its schema revision has no script here."""

    def __init__(self, found: str) -> None:
        super().__init__(found)
        self.found = found


def known_revision(rev: str | None) -> bool:
    """A revision this program has a migration script for (Alembic is imported: only off the usual path)."""
    from alembic.script import ScriptDirectory

    if rev is None:
        return False
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(rev) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown revision
        return False


def migrate(engine: Engine, db_path: Path, backup_dir: Path, target: str = "head") -> None:
    """Upgrade the schema; a database that already holds data is copied first.

    A revision this program has no script for (a newer RectiDesk wrote it) is left untouched: UnknownRevision.
    """
    current = current_revision(engine)
    if current == (HEAD_REVISION if target == "head" else target):
        return
    if current is not None and not known_revision(current):
        raise UnknownRevision(current)
    from alembic import command

    wanted = head_revision() if target == "head" else target
    if current is not None and db_path.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = backup_dir / f"before-upgrade-{current}-{stamp}.sqlite3"
        backup_file(db_path, copy)
        log.info("database copied to %s before upgrade %s -> %s", copy, current, wanted)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def open_database(db_path: Path, backup_dir: Path) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(db_path)
    migrate(engine, db_path, backup_dir)
    return engine, sessionmaker(engine, expire_on_commit=False)


def schema_of(conn: sqlite3.Connection) -> set[tuple[str, str, str, str]]:
    """Every table, index, trigger and view of a database, as (type, name, table, SQL); SQLite's own left out."""
    rows = conn.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall()
    return {(str(t), str(n), str(tb), " ".join(str(sql).split())) for t, n, tb, sql in rows}


_REFERENCE: dict[str, set[tuple[str, str, str, str]]] = {}


def reference_schema(revision: str) -> set[tuple[str, str, str, str]]:
    """The schema this program's migrations create at `revision` (built once per process in a temporary file)."""
    if revision not in _REFERENCE:
        import tempfile

        from alembic import command

        with tempfile.TemporaryDirectory(prefix="rectidesk-schema-") as tmp:
            db = Path(tmp) / "reference.sqlite3"
            engine = make_engine(db)
            try:
                cfg = alembic_config(engine)
                with engine.begin() as sa_conn:
                    cfg.attributes["connection"] = sa_conn
                    command.upgrade(cfg, revision)
            finally:
                engine.dispose()
            raw = sqlite3.connect(db)
            try:
                _REFERENCE[revision] = schema_of(raw)
            finally:
                raw.close()
    return _REFERENCE[revision]
