"""The ledger's first page before SQLAlchemy loads: cached SQL, compiled from the real queries, run with sqlite3.

Importing SQLAlchemy and the models takes about 0.3 s, more than everything else a start needs. So the
window paints its first page of 整改台账 from statements kept in the data folder, then opens the
workspace the ordinary way and takes over from there (a fraction of a second later).

- `write_cache` runs whenever the full workspace is open. It compiles the statements the first screen
  needs from the same core code that serves the ledger afterwards (`LedgerQuery.count_statement` and
  `page_statement` with the light rule, the login rule, the badge, the thresholds) and keeps their SQL
  and constant parameters. It holds no data.
- `read_first_page` runs them read-only with plain sqlite3. The only values it fills in are the light
  rule's cut-off dates, computed by `LightRule.cutoffs` from today's date and the thresholds just read.

Any doubt gives None and the window starts the ordinary way: no cache, another program version or
schema revision, a sort that was not cached, a login needed, the folder in use (its holder file is
there), any database error. Reading takes no lock: SQLite readers see the last committed state, and
the folder lock is taken by the workspace right after the paint, which says so if another copy has it.

The cache is a file anyone could edit, so its statements may only read: the connection is read-only
(`mode=ro`, `query_only`) and an authorizer allows SELECT and nothing else. The program's version keys
the cache: bump `core.APP_VERSION` with every release, so that no release paints with another's SQL.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import APP_VERSION
from core.ledger.lights import LightRule
from core.ledger.rows import LedgerFilter, TaskRow
from core.paths import DataPaths
from core.settings import thresholds_from
from db.revision import HEAD_REVISION

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
MAX_CACHE_BYTES = 1 << 20
CUTOFFS = ("red_cut", "yellow_cut")  # the named parameters of LightRule.sql_case
Statement = dict[str, Any]  # {"sql": text with ? marks, "params": [constant | {"cutoff": name}]}


@dataclass
class FirstPage:
    """What the first screen shows, read before the ORM."""

    unit_name: str
    count: int
    rows: list[TaskRow]
    waiting_notices: int
    sort: str
    descending: bool
    today: date


# -- writing: with the workspace open -----------------------------------------------------------
def compile_statement(stmt: Any, dialect: Any) -> Statement:
    """SQL text and parameters of one statement; only plain constants and the light cut-offs allowed."""
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.params
    params: list[Any] = []
    for name in compiled.positiontup or ():
        if name in CUTOFFS:
            params.append({"cutoff": name})
            continue
        value = values[name]
        if value is not None and type(value) not in (str, int):
            raise TypeError(f"parameter {name} of type {type(value).__name__} cannot be cached")
        params.append(value)
    return {"sql": compiled.string, "params": params}


def cache_content(session: Session, today: date, f: LedgerFilter, page_size: int) -> dict[str, Any]:
    from sqlalchemy import select

    from core.ledger.queries import LedgerQuery, waiting_notice_statement
    from core.settings import thresholds_statement
    from core.team.users import active_accounts_statement
    from db.models import Unit

    dialect = session.get_bind().dialect
    q = LedgerQuery(session, today)
    plain = LedgerFilter(sort=f.sort, descending=f.descending)
    statements = {
        "accounts": active_accounts_statement(),
        "unit": select(Unit.name).limit(1),
        "settings": thresholds_statement(),
        "badge": waiting_notice_statement(),
        "count": q.count_statement(plain),
        "page": q.page_statement(plain, 0, page_size),
    }
    return {"format": CACHE_FORMAT, "app": APP_VERSION, "revision": HEAD_REVISION, "sort": plain.sort,
            "descending": plain.descending, "page_size": page_size,
            "statements": {k: compile_statement(v, dialect) for k, v in statements.items()}}


def write_cache(session: Session, paths: DataPaths, today: date, f: LedgerFilter, page_size: int) -> bool:
    """Keep the first page's statements for the next start (for `f`'s sort); True when the file changed.

    Never fails the caller: the cache only makes the next start faster.
    """
    try:
        text = json.dumps(cache_content(session, today, f, page_size), ensure_ascii=False, indent=1)
        target = paths.first_page_cache
        if target.exists() and target.read_text(encoding="utf-8") == text:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        return True
    except Exception:  # noqa: BLE001 - a cache that cannot be written costs only speed
        log.warning("first-page cache not written", exc_info=True)
        return False


# -- reading: at start, without SQLAlchemy --------------------------------------------------------
def read_first_page(data_dir: str | Path | None, today: date, sort: str = "deadline",
                    descending: bool = False) -> FirstPage | None:
    """The first page for `sort`, or None when the ordinary start must decide (see the module text)."""
    paths = DataPaths.resolve(data_dir)
    try:
        if paths.first_page_cache.stat().st_size > MAX_CACHE_BYTES:
            return None  # not one we wrote (ours is a few kilobytes)
        cache = json.loads(paths.first_page_cache.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(cache, dict) or (cache.get("format"), cache.get("app"), cache.get("revision")) != (
            CACHE_FORMAT, APP_VERSION, HEAD_REVISION):
        return None
    if (cache.get("sort"), cache.get("descending")) != (sort, descending) or not paths.database.exists():
        return None
    if paths.holder_file.exists():
        return None  # another copy has the folder (or crashed): the ordinary start finds out which
    try:
        page = _run(paths.database, cache["statements"], today)
    except (sqlite3.Error, LookupError, TypeError, ValueError, AttributeError, RecursionError):
        log.info("first page not read from the cache", exc_info=True)
        return None
    if page is None:
        return None
    unit_name, count, rows, waiting = page
    return FirstPage(unit_name, count, rows, waiting, sort, descending, today)


_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION}


def _reads_only(action: int, _arg1: str | None, _arg2: str | None, _db: str | None, _trigger: str | None) -> int:
    return sqlite3.SQLITE_OK if action in _ALLOWED else sqlite3.SQLITE_DENY


def _run(database: Path, statements: dict[str, Statement], today: date
         ) -> tuple[str, int, list[TaskRow], int] | None:
    con = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        con.execute("PRAGMA query_only=1")
        con.set_authorizer(_reads_only)  # the cache is a file anyone could edit: it may only read
        if con.execute("SELECT version_num FROM alembic_version").fetchall() != [(HEAD_REVISION,)]:
            return None

        def run(key: str, cutoffs: dict[str, str] | None = None) -> list[Any]:
            st = statements[key]
            params = [cutoffs[p["cutoff"]] if isinstance(p, dict) and cutoffs else p for p in st["params"]]
            if any(isinstance(p, dict) for p in params):
                raise ValueError(f"statement {key} needs the light cut-offs")
            return con.execute(st["sql"], params).fetchall()

        if int(run("accounts")[0][0]) != 1:
            return None  # who is working is asked first (several users), or the first user (none)
        unit = run("unit")
        if not unit:
            return None  # the first-run wizard comes first
        cutoffs = LightRule(thresholds_from({str(k): str(v) for k, v in run("settings")}), today).cutoff_params()
        count = int(run("count", cutoffs)[0][0])
        rows = [TaskRow(*r) for r in run("page", cutoffs)]
        waiting = int(run("badge")[0][0])
        return str(unit[0][0]), count, rows, waiting
    finally:
        con.close()
