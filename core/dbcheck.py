"""SQLite's own checks of the ledger's database, in words the clerk understands.

`quick_check` at start-up (cheap: it reads every page but skips the index cross-checks), the full
`integrity_check` in `verify`, before a backup and before an import; `schema_problems` for a database that
comes from outside (a backup): its tables, columns and indexes must be exactly the ones this version's
migrations create at its revision, with no trigger or view of anyone else's.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from core.errors import DatabaseDamaged
from core.faults import damaged, explain

log = logging.getLogger(__name__)


def _connect_ro(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)


def problems(db: Path, *, quick: bool = False, limit: int = 20) -> list[str]:
    """What SQLite's check finds (empty: the database is sound). An unreadable file is one problem; a full
    disk, a held file or a failing disk is raised as the MachineError it is (core.faults)."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        conn = _connect_ro(db)
        try:
            rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}({int(limit)})")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        mapped = explain(exc, where=db)
        if mapped is not None and not isinstance(mapped, DatabaseDamaged):
            raise mapped from None  # a full disk or a held file is not damage: say what it is
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def require_sound(db: Path, *, quick: bool = False) -> None:
    """Raise DatabaseDamaged (with the first finding) when SQLite's check does not say "ok"."""
    found = problems(db, quick=quick)
    if found:
        log.error("database %s failed %s: %s", db, "quick_check" if quick else "integrity_check", found[0][:500])
        raise damaged(db, _short(found[0]))


def _short(finding: str) -> str:
    lines = [ln.strip() for ln in finding.splitlines() if ln.strip() and not ln.startswith("***")]
    return f"SQLite 检查发现：{(lines[0] if lines else finding)[:100]}"


def schema_problems(db: Path, revision: str) -> list[str]:
    """How the schema of `db` differs from the one this program creates at `revision` (empty: identical)."""
    from db.engine import reference_schema, schema_of

    conn = _connect_ro(db)
    try:
        found = schema_of(conn)
    finally:
        conn.close()
    wanted = reference_schema(revision)
    words = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}
    out = []
    for kind, name, _table, _sql in sorted(found - wanted):
        same_name = any(w[0] == kind and w[1] == name for w in wanted)
        out.append(f"{words.get(kind, kind)} {name} {'与本版本不同' if same_name else '不属于整改通'}")
    for kind, name, _table, _sql in sorted(wanted - found):
        if not any(f[0] == kind and f[1] == name for f in found):
            out.append(f"缺少{words.get(kind, kind)} {name}")
    return out


__all__ = ["DatabaseDamaged", "problems", "require_sound", "schema_problems"]
