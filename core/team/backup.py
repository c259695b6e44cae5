"""Backup and restore of a data folder: one zip with the database, the evidence store and key files.

The zip holds `manifest.json` (format, unit, schema revision, change counter, and the SHA-256 and size of
every other entry), `db/rectidesk.sqlite3` (a consistent copy through SQLite's online backup API, so
it is taken while the window keeps working), `evidence/<xx>/<sha256>`, and the files of `keys/` and
`incoming/` (feedback parts waiting for the rest of their group, which the database refers to) where
they exist; the unit's encrypted private key itself lives in the database's `keys` table.

Restore runs with the data folder closed (the Workspace holds the folder lock; the window closes its
Workspace, calls `restore`, and opens it again — `restore_open_workspace` does exactly that). It
first extracts the backup into a staging folder beside the data folder and checks every hash, the zip
CRCs, SQLite's integrity check and the unit; only when all of that holds does it take the folder lock,
keep the current content as a backup of its own (`backups/before-restore-*.zip`) and swap the staged
database and evidence store in. A damaged or foreign backup is refused (exit 3) with nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from core import APP_VERSION, settings
from core.dates import now_ts
from core.errors import InputRefused
from core.evidence.store import CHUNK
from core.paths import DataFolderLock, DataPaths
from core.workspace import Workspace
from db.engine import backup_file, known_revision

FORMAT = "rectidesk-backup"
VERSION = 1
MANIFEST = "manifest.json"
DB_ENTRY = "db/rectidesk.sqlite3"
# Folders beside the database whose files belong to the ledger's state and travel with it.
EXTRA_DIRS = ("keys", "incoming")
_ALLOWED_TOP = ("db/", "evidence/", *(f"{d}/" for d in EXTRA_DIRS))
AUTO_PREFIX = "auto-"
_WAL_SUFFIXES = ("-wal", "-shm", "-journal")


class BackupRefused(InputRefused):
    """A backup file that is damaged, incomplete or not this unit's: nothing was changed."""


@dataclass
class BackupInfo:
    path: Path
    created: str
    unit_code: str
    unit_name: str
    schema_revision: str | None
    change_no: int
    files: int
    size: int
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {**self.__dict__, "path": str(self.path)}


# -- making a backup -------------------------------------------------------------------------

def _db_facts(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        unit = conn.execute("SELECT code, name FROM unit LIMIT 1").fetchone()
        rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        change = conn.execute("SELECT value FROM counters WHERE name = 'change'").fetchone()
        last_audit = conn.execute("SELECT max(id) FROM audit_log").fetchone()
    finally:
        conn.close()
    return {"unit_code": unit[0] if unit else "", "unit_name": unit[1] if unit else "",
            "schema_revision": rev[0] if rev else None, "change_no": int(change[0]) if change else 0,
            "audit_last_id": int(last_audit[0] or 0) if last_audit else 0}


def _write_entry(zf: zipfile.ZipFile, name: str, source: Path, compress: int) -> tuple[str, int]:
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = compress
    h = hashlib.sha256()
    size = 0
    with open(source, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return h.hexdigest(), size


def _fsync_replace(tmp: Path, target: Path) -> None:
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)


def write_backup(paths: DataPaths, out: Path, *, kind: str = "manual") -> BackupInfo:
    """Write a backup of the data folder at `paths` to the file `out` (temp name, fsync, rename).

    The caller holds the folder lock (an open Workspace does).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="backup-", dir=paths.tmp if paths.tmp.exists() else out.parent))
    part = out.with_name(out.name + ".part")
    try:
        snapshot = work / "rectidesk.sqlite3"
        backup_file(paths.database, snapshot)
        facts = _db_facts(snapshot)
        files: list[dict[str, Any]] = []
        warnings: list[str] = []
        with zipfile.ZipFile(part, "w", allowZip64=True) as zf:
            sha, size = _write_entry(zf, DB_ENTRY, snapshot, zipfile.ZIP_DEFLATED)
            files.append({"path": DB_ENTRY, "sha256": sha, "size": size})
            if paths.evidence.exists():
                for f in sorted(paths.evidence.glob("??/*")):
                    if not f.is_file() or len(f.name) != 64:
                        continue
                    # Evidence is mostly JPEG/PDF/Office: already compressed, so stored as is.
                    sha, size = _write_entry(zf, f"evidence/{f.name[:2]}/{f.name}", f, zipfile.ZIP_STORED)
                    if sha != f.name:
                        warnings.append(f"佐证材料文件 {f.name} 的内容与其校验值不符（已损坏），按原样备份")
                    files.append({"path": f"evidence/{f.name[:2]}/{f.name}", "sha256": sha, "size": size})
            for folder in EXTRA_DIRS:
                base = paths.root / folder
                if not base.is_dir():
                    continue
                for f in sorted(p for p in base.rglob("*") if p.is_file()):
                    name = f"{folder}/{f.relative_to(base).as_posix()}"
                    sha, size = _write_entry(zf, name, f, zipfile.ZIP_STORED)
                    files.append({"path": name, "sha256": sha, "size": size})
            created = now_ts()
            manifest = {"format": FORMAT, "version": VERSION, "app_version": APP_VERSION, "kind": kind,
                        "created": created, **facts, "files": files, "warnings": warnings}
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1), zipfile.ZIP_DEFLATED)
        _fsync_replace(part, out)
    finally:
        part.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return BackupInfo(out, created, facts["unit_code"], facts["unit_name"], facts["schema_revision"],
                      facts["change_no"], len(files), out.stat().st_size, warnings)


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _free_name(folder: Path, stem: str) -> Path:
    candidate = folder / f"{stem}.zip"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}.zip"
    return candidate


def create_backup(ws: Workspace, out: Path | None = None) -> BackupInfo:
    """`backup OUT`: OUT may be a file name or a folder (then a dated name is chosen in it)."""
    if out is None:
        target = _free_name(ws.paths.backups, f"backup-{_stamp()}")
    elif out.is_dir():
        target = _free_name(out, f"rectidesk-backup-{_stamp()}")
    else:
        target = out if out.suffix.lower() == ".zip" else out.with_name(out.name + ".zip")
    return _write_or_refuse(ws.paths, target, "manual")


def _write_or_refuse(paths: DataPaths, target: Path, kind: str) -> BackupInfo:
    try:
        return write_backup(paths, target, kind=kind)
    except OSError as exc:
        raise InputRefused(f"无法写入备份文件“{target}”（{exc.strerror or exc}）。",
                           hint="请检查目标文件夹是否可写、磁盘（U盘）空间是否足够。") from None


def auto_backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(f"{AUTO_PREFIX}*.zip") if p.is_file())


def prune(folder: Path, keep: int) -> list[Path]:
    """Keep the newest `keep` automatic backups (names sort by time); manual ones are never removed."""
    old = auto_backups(folder)[:-keep] if keep > 0 else []
    for p in old:
        p.unlink(missing_ok=True)
    return old


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        with zipfile.ZipFile(path) as zf:
            data = json.loads(zf.read(MANIFEST))
        return data if isinstance(data, dict) else None
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, zlib.error):
        return None


def auto_backup(ws: Workspace) -> Path | None:
    """On exit and once a day: a backup in the backups folder unless nothing changed since the last one.

    Returns the new file, or None when the newest automatic backup already holds this state.
    """
    with ws.read() as s:
        keep = settings.get_int(s, "backups_kept")
    latest = auto_backups(ws.paths.backups)
    if latest:
        previous = _read_manifest(latest[-1])
        now = _db_facts(ws.paths.database)
        if previous and all(previous.get(k) == now[k] for k in ("change_no", "audit_last_id", "unit_code")):
            return None
    # Microseconds in the name keep the names in time order, which is what `prune` sorts by.
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    info = _write_or_refuse(ws.paths, _free_name(ws.paths.backups, f"{AUTO_PREFIX}{stamp}"), "auto")
    prune(ws.paths.backups, keep)
    return info.path


# -- checking and restoring ------------------------------------------------------------------

def _refuse(path: Path, why: str, hint: str = "请换用另一份备份文件；原有数据没有任何改动。",
            window_hint: str | None = None) -> BackupRefused:
    return BackupRefused(f"备份文件“{path.name}”不能用于恢复：{why}。", hint=hint, window_hint=window_hint)


def _safe_entry(name: str) -> bool:
    p = PurePosixPath(name)
    return (bool(name) and not p.is_absolute() and ".." not in p.parts
            and not any(c in name for c in ("\\", "\x00", ":")))


def extract_verified(path: Path, staging: Path) -> dict[str, Any]:
    """Unpack `path` into `staging`, checking everything; refuse (BackupRefused) at the first fault."""
    if not path.is_file():
        raise BackupRefused(f"找不到备份文件“{path}”。", hint="请检查文件路径。")
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if MANIFEST not in names:
                raise _refuse(path, "这不是整改通的备份文件（缺少清单 manifest.json）",
                              "请选择由整改通“备份”功能生成的 .zip 文件；原有数据没有任何改动。")
            try:
                manifest = json.loads(zf.read(MANIFEST))
            except ValueError:
                raise _refuse(path, "备份清单已损坏") from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise _refuse(path, "这不是整改通的备份文件",
                              "请选择由整改通“备份”功能生成的 .zip 文件；原有数据没有任何改动。")
            if not isinstance(manifest.get("version"), int) or manifest["version"] > VERSION:
                raise _refuse(path, "它由较新版本的整改通制作",
                              "请先把整改通升级到最新版本；原有数据没有任何改动。")
            files = manifest.get("files")
            if not isinstance(files, list) or not all(
                    isinstance(f, dict) and isinstance(f.get("path"), str)
                    and isinstance(f.get("sha256"), str)
                    and isinstance(f.get("size"), int) for f in files):
                raise _refuse(path, "备份清单已损坏")
            listed = {f["path"] for f in files}
            if len(listed) != len(files) or DB_ENTRY not in listed:
                raise _refuse(path, "备份清单不完整")
            extra = set(names) - listed - {MANIFEST}
            if extra or len(names) != len(set(names)):
                raise _refuse(path, f"备份中有清单以外的文件（{sorted(extra)[:3]}）")
            for f in files:
                name = f["path"]
                if not _safe_entry(name) or not name.startswith(_ALLOWED_TOP):
                    raise _refuse(path, f"备份中有不允许的文件名“{name}”")
                if name not in names:
                    raise _refuse(path, f"备份中缺少文件 {name}")
                target = staging.joinpath(*PurePosixPath(name).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                h = hashlib.sha256()
                size = 0
                with zf.open(name) as src, open(target, "wb") as dst:
                    while chunk := src.read(CHUNK):
                        h.update(chunk)
                        size += len(chunk)
                        dst.write(chunk)
                if h.hexdigest() != f["sha256"] or size != f["size"]:
                    raise _refuse(path, f"文件 {name} 的内容与备份清单不符（备份已损坏）")
    except BackupRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise _refuse(path, f"文件已损坏（{exc}）") from None
    except OSError as exc:
        raise _refuse(path, f"读取失败（{exc.strerror or exc}）",
                      "请检查文件是否完整、U盘是否可读；原有数据没有任何改动。") \
            from None
    _check_database(path, staging / "db" / "rectidesk.sqlite3", manifest)
    return manifest


def _check_database(path: Path, db: Path, manifest: dict[str, Any]) -> None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
        facts = _db_facts(db)
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, f"其中的数据库无法读取（{exc}）") from None
    if integrity != "ok":
        raise _refuse(path, f"其中的数据库未通过完整性检查（{integrity}）")
    if facts["unit_code"] != manifest.get("unit_code") or not facts["unit_code"]:
        raise _refuse(path, "数据库中的单位与备份清单不符")
    if not known_revision(facts["schema_revision"]):
        raise _refuse(path, "其中的数据库由较新版本的整改通制作",
                      "请先把整改通升级到最新版本；原有数据没有任何改动。")


def verify_backup(path: Path) -> BackupInfo:
    """Check a backup completely without restoring it."""
    staging = Path(tempfile.mkdtemp(prefix="rectidesk-verify-"))
    try:
        m = extract_verified(path, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _info(path, m)


def _info(path: Path, m: dict[str, Any]) -> BackupInfo:
    return BackupInfo(path, str(m.get("created", "")), str(m.get("unit_code", "")),
                      str(m.get("unit_name", "")),
                      m.get("schema_revision"), int(m.get("change_no", 0)), len(m.get("files", [])),
                      path.stat().st_size, list(m.get("warnings", [])))


@dataclass
class RestoreResult:
    backup: BackupInfo
    data_dir: Path
    previous: Path | None  # where the content that was replaced is kept (None: the folder was empty)

    def as_json(self) -> dict[str, object]:
        return {"backup": self.backup.as_json(), "data_dir": str(self.data_dir),
                "previous": str(self.previous) if self.previous else None}


def _existing_unit(db: Path) -> str | None:
    try:
        return str(_db_facts(db)["unit_code"]) or None
    except sqlite3.DatabaseError:
        return None


def _check_restorer(db: Path, actor: str) -> None:
    """Over an existing ledger that keeps user accounts, only an admin may restore."""
    from sqlalchemy.orm import Session as SASession

    from core.team.users import require_role
    from db.engine import make_engine

    engine = make_engine(db)
    try:
        with SASession(engine) as s:
            require_role(s, actor, "admin", action="从备份恢复")
    except (sqlite3.DatabaseError, SQLAlchemyError):
        return  # an unreadable ledger has no accounts to ask; its files are kept aside below
    finally:
        engine.dispose()


def _keep_previous(paths: DataPaths) -> Path:
    """Keep the content about to be replaced: a normal backup, or the raw files if it cannot be read."""
    paths.backups.mkdir(parents=True, exist_ok=True)
    target = _free_name(paths.backups, f"before-restore-{_stamp()}")
    try:
        write_backup(paths, target, kind="before-restore")
        return target
    except (sqlite3.DatabaseError, KeyError, IndexError):
        raw = paths.backups / target.stem
        raw.mkdir(parents=True, exist_ok=True)
        for suffix in ("", *_WAL_SUFFIXES):
            f = Path(str(paths.database) + suffix)
            if f.exists():
                shutil.copy2(f, raw / f.name)
        if paths.evidence.exists():
            shutil.copytree(paths.evidence, raw / "evidence", dirs_exist_ok=True)
        return raw


def _swap_dir(current: Path, staged: Path, trash: Path, *, create: bool = True) -> None:
    if current.exists():
        os.replace(current, trash)
    if staged.exists():
        os.replace(staged, current)
    elif create:
        current.mkdir(parents=True, exist_ok=True)


def restore(data_dir: str | Path | None, backup: Path, *, actor: str,
            allow_other_unit: bool = False) -> RestoreResult:
    """Restore `backup` into the (closed) data folder `data_dir`, new, empty or holding a ledger."""
    paths = DataPaths.resolve(data_dir)
    backup = Path(backup).resolve()
    # Staging sits on the same disk as the data folder so the final swap is a rename, not a copy.
    near = paths.tmp if paths.tmp.is_dir() else paths.root.parent
    near.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".rectidesk-restore-", dir=near))
    try:
        manifest = extract_verified(backup, staging / "new")
        info = _info(backup, manifest)
        paths.ensure()
        lock = DataFolderLock(paths)
        lock.acquire()
        try:
            previous = None
            if paths.database.exists():
                current_unit = _existing_unit(paths.database)
                if current_unit and current_unit != info.unit_code and not allow_other_unit:
                    raise _refuse(backup, f"它是另一个单位（{info.unit_code} {info.unit_name}）的备份，"
                                  f"而这个数据文件夹属于 {current_unit}",
                                  hint="如确需查看，请恢复到一个新的空文件夹（--data-dir）；原有数据没有任何改动。",
                                  window_hint="如确需查看，请在另一台电脑或新的数据文件夹中恢复；原有数据没有任何改动。")
                _check_restorer(paths.database, actor)
                previous = _keep_previous(paths)
            for suffix in _WAL_SUFFIXES:
                Path(str(paths.database) + suffix).unlink(missing_ok=True)
            os.replace(staging / "new" / "db" / "rectidesk.sqlite3", paths.database)
            _swap_dir(paths.evidence, staging / "new" / "evidence", staging / "old-evidence")
            for folder in EXTRA_DIRS:
                _swap_dir(paths.root / folder, staging / "new" / folder, staging / f"old-{folder}",
                          create=folder == "incoming")
        finally:
            lock.release()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(info, paths.root, previous)


def restore_open_workspace(ws: Workspace, backup: Path, *, actor: str) -> RestoreResult:
    """For the window: close the workspace (releasing the folder lock), restore, open it again."""
    ws.close()
    try:
        return restore(ws.paths.root, backup, actor=actor)
    finally:
        ws.start()
