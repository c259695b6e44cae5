"""Backup and restore of a data folder: one zip with the database, the evidence store and key files.

The zip holds `manifest.json` (format, unit, schema revision, change counter, and the SHA-256 and size of
every other entry), `db/rectidesk.sqlite3` (a consistent copy through SQLite's online backup API, so
it is taken while the window keeps working), `evidence/<xx>/<sha256>`, and the files of `keys/` and
`incoming/` (feedback parts waiting for the rest of their group, which the database refers to) where
they exist; the unit's encrypted private key itself lives in the database's `keys` table.

Backups stay small: evidence is content-addressed and never changes, so the backups the program keeps in
its own `backups/` folder (automatic ones, the copy taken before a restore) share one evidence store beside
them, `backups/evidence-store/`: each file is copied there once, and their manifests name it with
`"store": true` instead of holding a copy. A backup written anywhere else (设置 → 备份, `backup OUT`, a USB
stick) holds everything and restores alone. Pruning removes from the store what no kept backup names.

Restore never changes anything until the whole backup is checked: it is extracted into a staging folder
inside `tmp/`, every hash, the zip CRCs, SQLite's integrity check, the schema (exactly this version's:
tables, columns, indexes, no trigger or view of anyone else's), the unit and the keys are checked, and a
change of the trusted city key or the unit's own key is only made when the caller accepts it
(`KeysWouldChange`). Then, under the folder lock: the current content is kept as a backup of its own
(`backups/before-restore-*.zip`); the evidence files are brought in (content-addressed files never
conflict, and a file held open by another program stays where it is); a journal `restore-pending.json` is
written; the `keys/` and `incoming/` folders and, last, the database are swapped in; the journal is
removed. A restore killed after the journal was written is finished at the next start
(`finish_pending_restore`, called by the Workspace): the folder holds the old data or the new, whole.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from core import APP_VERSION, faults, settings
from core.dates import now_ts
from core.errors import DatabaseDamaged, InputRefused, MachineError, UserError
from core.evidence.store import CHUNK
from core.files import require_regular
from core.paths import DataFolderLock, DataPaths
from core.workspace import Workspace
from db.engine import backup_file, known_revision

log = logging.getLogger(__name__)

FORMAT = "rectidesk-backup"
VERSION = 2  # 2: evidence entries may live in the shared store beside the backups ("store": true)
MANIFEST = "manifest.json"
DB_ENTRY = "db/rectidesk.sqlite3"
# Folders beside the database whose files belong to the ledger's state and travel with it.
EXTRA_DIRS = ("keys", "incoming")
_ALLOWED_TOP = ("db/", "evidence/", *(f"{d}/" for d in EXTRA_DIRS))
AUTO_PREFIX = "auto-"
STORE_DIR = "evidence-store"
JOURNAL = "restore-pending.json"
_WAL_SUFFIXES = ("-wal", "-shm", "-journal")
FAT32_LIMIT = 4 * 1024 ** 3 - 1

Report = Callable[[int, int, str], None]  # (done, total, what): ui.background.Progress.report fits


def _no_report(_done: int, _total: int, _text: str) -> None:
    return None


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

def _ro(db: Path) -> sqlite3.Connection:
    # Path.as_uri(): a folder named "a#b" or "a?b" must not cut the file name short ("no such table: unit").
    return sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)


def _db_facts(db: Path) -> dict[str, Any]:
    conn = _ro(db)
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


def _copy_hashed(source: Path, target: Path) -> tuple[str, int]:
    """Copy to a temporary name beside `target`, fsync, rename; returns the SHA-256 and size of what was read."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    h = hashlib.sha256()
    size = 0
    try:
        with open(source, "rb") as src, open(part, "wb") as dst:
            while chunk := src.read(CHUNK):
                h.update(chunk)
                size += len(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        faults.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return h.hexdigest(), size


def _fsync_replace(tmp: Path, target: Path) -> None:
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    faults.replace(tmp, target)


def _evidence_files(paths: DataPaths) -> list[Path]:
    if not paths.evidence.exists():
        return []
    return [f for f in sorted(paths.evidence.glob("??/*")) if f.is_file() and len(f.name) == 64]


def _is_fat(folder: Path) -> bool:
    """The folder is on a FAT32 (or FAT16) volume: no file there may reach 4 GiB."""
    try:
        if os.name == "nt":
            import ctypes

            name = ctypes.create_unicode_buffer(64)
            root = str(Path(folder).resolve().anchor)
            ok = ctypes.windll.kernel32.GetVolumeInformationW(  # type: ignore[attr-defined]
                root, None, 0, None, None, None, name, len(name))
            return bool(ok) and name.value.upper().startswith("FAT")
        best, fstype = "", ""
        target = str(Path(folder).resolve())
        for line in Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 3 and (target == parts[1] or target.startswith(parts[1].rstrip("/") + "/")) \
                    and len(parts[1]) > len(best):
                best, fstype = parts[1], parts[2]
        return fstype in ("vfat", "msdos", "fat")
    except (OSError, ValueError, AttributeError):
        return False


def estimate_size(paths: DataPaths) -> int:
    """About how many bytes a complete backup of this data folder takes (evidence is stored as it is)."""
    total = paths.database.stat().st_size if paths.database.exists() else 0
    for f in _evidence_files(paths):
        try:
            total += f.stat().st_size
        except OSError:
            pass
    return total


def _too_big_for_fat(target: Path, size: int) -> UserError:
    return MachineError(
        f"备份约 {faults.size_text(size)}，而“{target.parent}”是 FAT32 格式的U盘，单个文件不能超过 4 GB。",
        hint="请换用移动硬盘，或把U盘格式化为 exFAT 或 NTFS 后再备份（格式化会清空U盘）；台账数据没有改动。")


def write_backup(paths: DataPaths, out: Path, *, kind: str = "manual", store: Path | None = None,
                 report: Report = _no_report) -> BackupInfo:
    """Write a backup of the data folder at `paths` to the file `out` (temp name, fsync, rename).

    With `store` (the backups folder's own evidence store), evidence files go there once and the zip only
    names them. The database must pass SQLite's integrity check first: a damaged one is not backed up
    over the good backups (DatabaseDamaged). The caller holds the folder lock (an open Workspace does).
    """
    from core.dbcheck import require_sound

    require_sound(paths.database)
    out.parent.mkdir(parents=True, exist_ok=True)
    evidence = _evidence_files(paths)
    if store is None:
        need = estimate_size(paths)
        if need > FAT32_LIMIT and _is_fat(out.parent):
            raise _too_big_for_fat(out, need)
    work = Path(tempfile.mkdtemp(prefix="backup-", dir=paths.tmp if paths.tmp.exists() else out.parent))
    part = out.with_name(out.name + ".part")
    try:
        snapshot = work / "rectidesk.sqlite3"
        report(0, len(evidence) + 1, "正在复制数据库…")
        backup_file(paths.database, snapshot)
        facts = _db_facts(snapshot)
        files: list[dict[str, Any]] = []
        warnings: list[str] = []
        with zipfile.ZipFile(part, "w", allowZip64=True) as zf:
            sha, size = _write_entry(zf, DB_ENTRY, snapshot, zipfile.ZIP_DEFLATED)
            files.append({"path": DB_ENTRY, "sha256": sha, "size": size})
            for i, f in enumerate(evidence, start=1):
                report(i, len(evidence) + 1, "正在备份佐证材料…")
                name = f"evidence/{f.name[:2]}/{f.name}"
                if store is not None:
                    kept = store / f.name[:2] / f.name
                    if kept.is_file():
                        sha, size = f.name, kept.stat().st_size  # checked when it was copied there
                    else:
                        sha, size = _copy_hashed(f, kept)
                        if sha != f.name:  # keep no damaged copy under a good file's name
                            faults.unlink(kept)
                            sha, size = _write_entry(zf, name, f, zipfile.ZIP_STORED)
                            warnings.append(f"佐证材料文件 {f.name} 的内容与其校验值不符（已损坏），按原样备份")
                            files.append({"path": name, "sha256": sha, "size": size})
                            continue
                    files.append({"path": name, "sha256": sha, "size": size, "store": True})
                    continue
                # Evidence is mostly JPEG/PDF/Office: already compressed, so stored as is.
                sha, size = _write_entry(zf, name, f, zipfile.ZIP_STORED)
                if sha != f.name:
                    warnings.append(f"佐证材料文件 {f.name} 的内容与其校验值不符（已损坏），按原样备份")
                files.append({"path": name, "sha256": sha, "size": size})
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


def _store_for(paths: DataPaths, target: Path) -> Path | None:
    """A backup written into the data folder's own backups folder shares its evidence store."""
    try:
        inside = target.parent.resolve() == paths.backups.resolve()
    except OSError:
        inside = False
    return paths.backups / STORE_DIR if inside else None


def create_backup(ws: Workspace, out: Path | None = None, *, report: Report = _no_report) -> BackupInfo:
    """`backup OUT`: OUT may be a file name or a folder (then a dated name is chosen in it)."""
    if out is None:
        target = _free_name(ws.paths.backups, f"backup-{_stamp()}")
    elif out.is_dir():
        target = _free_name(out, f"rectidesk-backup-{_stamp()}")
    else:
        target = out if out.suffix.lower() == ".zip" else out.with_name(out.name + ".zip")
    return _write_or_refuse(ws.paths, target, "manual", report)


def _write_or_refuse(paths: DataPaths, target: Path, kind: str, report: Report = _no_report) -> BackupInfo:
    store = _store_for(paths, target)
    try:
        return write_backup(paths, target, kind=kind, store=store, report=report)
    except (OSError, sqlite3.Error) as exc:
        import errno

        if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
            raise _too_big_for_fat(target, estimate_size(paths)) from None
        mapped = faults.explain(exc, where=target, need=None if store else estimate_size(paths))
        if mapped is None:
            raise
        raise mapped from None


def auto_backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(f"{AUTO_PREFIX}*.zip") if p.is_file())


def prune(folder: Path, keep: int) -> list[Path]:
    """Keep the newest `keep` automatic backups (names sort by time); manual ones are never removed.

    Then the shared evidence store loses what no backup left in the folder names. A backup another
    program holds open is left for the next time (a line in the log), never an error."""
    old = auto_backups(folder)[:-keep] if keep > 0 else []
    removed = []
    for p in old:
        try:
            faults.unlink(p)
            removed.append(p)
        except OSError as exc:
            log.warning("old automatic backup %s not removed now: %s", p, exc)
    _prune_store(folder)
    return removed


def _prune_store(folder: Path) -> None:
    store = folder / STORE_DIR
    if not store.is_dir():
        return
    named: set[str] = set()
    for z in folder.glob("*.zip"):
        m = _read_manifest(z)
        if m is None:
            continue
        named.update(PurePosixPath(f["path"]).name for f in m.get("files", [])
                     if isinstance(f, dict) and f.get("store") and isinstance(f.get("path"), str))
    for f in store.glob("??/*"):
        if f.is_file() and f.name not in named:
            try:
                faults.unlink(f)
            except OSError as exc:
                log.warning("evidence copy %s not removed from the backup store now: %s", f, exc)


def backups_usage(paths: DataPaths) -> tuple[int, int]:
    """(number of backup files, bytes taken by them and the shared evidence store) in the backups folder."""
    count, total = 0, 0
    if not paths.backups.is_dir():
        return 0, 0
    for f in paths.backups.rglob("*"):
        try:
            if f.is_file():
                total += f.stat().st_size
                if f.suffix == ".zip" and f.parent == paths.backups:
                    count += 1
        except OSError:
            continue
    return count, total


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        with zipfile.ZipFile(path) as zf:
            data = json.loads(zf.read(MANIFEST))
        return data if isinstance(data, dict) else None
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, zlib.error):
        return None


def latest_backup(folder: Path) -> Path | None:
    """The newest backup in the backups folder whose manifest reads (a full check comes at restore)."""
    if not folder.is_dir():
        return None
    found = []
    for z in folder.glob("*.zip"):
        try:
            found.append((z.stat().st_mtime, z))
        except OSError:
            continue
    for _mtime, z in sorted(found, reverse=True):
        if _read_manifest(z) is not None:
            return z
    return None


def auto_backup(ws: Workspace, *, report: Report = _no_report) -> Path | None:
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
    info = _write_or_refuse(ws.paths, _free_name(ws.paths.backups, f"{AUTO_PREFIX}{stamp}"), "auto", report)
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


def _copy_verified(src: Any, target: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return h.hexdigest(), size


def extract_verified(path: Path, staging: Path, *, report: Report = _no_report) -> dict[str, Any]:
    """Unpack `path` into `staging`, checking everything; refuse (BackupRefused) at the first fault.

    Evidence entries marked "store" are taken from the evidence store beside the backup file."""
    if not path.exists():
        raise BackupRefused(f"找不到备份文件“{path}”。", hint="请检查文件路径。")
    require_regular(path, None, what="备份文件")  # a folder, a pipe or a device is refused with its reason
    store = path.parent / STORE_DIR
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
            in_zip = {f["path"] for f in files if not f.get("store")}
            if len(listed) != len(files) or DB_ENTRY not in in_zip:
                raise _refuse(path, "备份清单不完整")
            extra = set(names) - in_zip - {MANIFEST}
            if extra or len(names) != len(set(names)):
                raise _refuse(path, f"备份中有清单以外的文件（{sorted(extra)[:3]}）")
            shared = [f for f in files if f.get("store")]
            missing = [f for f in shared if not (store / f["sha256"][:2] / f["sha256"]).is_file()]
            if missing:
                raise _refuse(path, f"这是一份自动备份，它的 {len(shared)} 个佐证材料文件保存在备份文件夹的"
                                    f"“{STORE_DIR}”子文件夹中，其中 {len(missing)} 个找不到",
                              f"请从原来的 backups 文件夹恢复（连同其中的“{STORE_DIR}”文件夹一起复制），"
                              "或使用“立即备份”生成的完整备份文件；原有数据没有任何改动。")
            for i, f in enumerate(files, start=1):
                name = f["path"]
                if not _safe_entry(name) or not name.startswith(_ALLOWED_TOP) \
                        or (f.get("store") and not name.startswith("evidence/")):
                    raise _refuse(path, f"备份中有不允许的文件名“{name}”")
                if not f.get("store") and name not in names:
                    raise _refuse(path, f"备份中缺少文件 {name}")
                report(i, len(files) + 2, "正在检查备份…")
                target = staging.joinpath(*PurePosixPath(name).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                if f.get("store"):
                    with open(store / f["sha256"][:2] / f["sha256"], "rb") as src:
                        digest, size = _copy_verified(src, target)
                else:
                    with zf.open(name) as src:
                        digest, size = _copy_verified(src, target)
                if digest != f["sha256"] or size != f["size"]:
                    raise _refuse(path, f"文件 {name} 的内容与备份清单不符（备份已损坏）")
    except (BackupRefused, MachineError):
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise _refuse(path, f"文件已损坏（{exc}）") from None
    except OSError as exc:
        if exc.filename is not None and str(staging) in str(exc.filename):  # writing the staging copy
            mapped = faults.explain(exc, where=staging.parent)
            if mapped is not None:
                raise mapped from None
        raise _refuse(path, f"读取失败（{exc.strerror or exc}）",
                      "请检查文件是否完整、U盘是否可读；原有数据没有任何改动。") \
            from None
    report(len(files) + 1, len(files) + 2, "正在检查数据库…")
    _check_database(path, staging / "db" / "rectidesk.sqlite3", manifest)
    return manifest


def _check_database(path: Path, db: Path, manifest: dict[str, Any]) -> None:
    from core.dbcheck import problems, schema_problems

    found = problems(db)
    if found:
        raise _refuse(path, f"其中的数据库未通过完整性检查（{found[0][:120]}）")
    try:
        facts = _db_facts(db)
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, f"其中的数据库无法读取（{exc}）") from None
    if facts["unit_code"] != manifest.get("unit_code") or not facts["unit_code"]:
        raise _refuse(path, "数据库中的单位与备份清单不符")
    if not known_revision(facts["schema_revision"]):
        raise _refuse(path, "其中的数据库由较新版本的整改通制作",
                      "请先把整改通升级到最新版本；原有数据没有任何改动。")
    odd = schema_problems(db, str(facts["schema_revision"]))
    if odd:
        log.warning("backup %s refused: schema differs: %s", path, odd[:10])
        raise _refuse(path, f"其中数据库的结构不是整改通建立的（{'；'.join(odd[:3])}），可能被人改动过",
                      "请换用另一份备份文件，并请技术支持检查这份文件的来历；原有数据没有任何改动。")


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


@dataclass
class KeyChange:
    """The trusted city key or the unit's own key would differ after the restore."""

    city_now: list[str]
    city_then: list[str]
    unit_now: list[str]
    unit_then: list[str]

    def lines(self) -> list[str]:
        from core.exchange.keys import format_key_id

        def ids(keys: list[str]) -> str:
            return "、".join(format_key_id(k) for k in keys) or "（无）"

        out = []
        if self.city_now != self.city_then:
            out.append(f"信任的市平台公钥：现在 {ids(self.city_now)}，恢复后 {ids(self.city_then)}")
        if self.unit_now != self.unit_then:
            out.append(f"本单位签名密钥：现在 {ids(self.unit_now)}，恢复后 {ids(self.unit_then)}")
        return out


class KeysWouldChange(InputRefused):
    """The restore would change a key: the window asks, the command line needs --accept-new-keys."""

    def __init__(self, change: KeyChange) -> None:
        super().__init__("这份备份中的密钥与本台账现在使用的不同：" + "；".join(change.lines()) + "。",
                         hint="如果确认这份备份可信（例如本单位更换过密钥），请加上 --accept-new-keys 再恢复；"
                              "否则请换用另一份备份。原有数据没有任何改动。",
                         window_hint="如果确认这份备份可信（例如本单位更换过密钥），请在下一个问题中点“仍要恢复”；"
                                     "否则请换用另一份备份。原有数据没有任何改动。")
        self.change = change


def _active_keys(db: Path) -> tuple[list[str], list[str]]:
    """(city key ids, unit key ids) in force: those without an end."""
    conn = _ro(db)
    try:
        rows = conn.execute("SELECT owner, key_id FROM keys WHERE valid_to_sequence IS NULL "
                            "ORDER BY key_id").fetchall()
    finally:
        conn.close()
    return [k for o, k in rows if o == "city"], [k for o, k in rows if o == "unit"]


def _key_change(current_db: Path, staged_db: Path) -> KeyChange | None:
    try:
        city_now, unit_now = _active_keys(current_db)
    except sqlite3.DatabaseError:
        return None  # an unreadable ledger trusts nothing any more: nothing to compare
    city_then, unit_then = _active_keys(staged_db)
    change = KeyChange(city_now, city_then, unit_now, unit_then)
    # A ledger that had no key yet gains one: that is no change of trust.
    city_differs = bool(city_now) and city_now != city_then
    unit_differs = bool(unit_now) and unit_now != unit_then
    return change if city_differs or unit_differs else None


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


def _keep_previous(paths: DataPaths, report: Report = _no_report) -> Path:
    """Keep the content about to be replaced: a normal backup, or the raw files if it cannot be read."""
    paths.backups.mkdir(parents=True, exist_ok=True)
    target = _free_name(paths.backups, f"before-restore-{_stamp()}")
    try:
        write_backup(paths, target, kind="before-restore", store=paths.backups / STORE_DIR, report=report)
        return target
    except (sqlite3.DatabaseError, DatabaseDamaged, KeyError, IndexError):
        raw = paths.backups / target.stem
        raw.mkdir(parents=True, exist_ok=True)
        for suffix in ("", *_WAL_SUFFIXES):
            f = Path(str(paths.database) + suffix)
            if f.exists():
                shutil.copy2(f, raw / f.name)
        if paths.evidence.exists():
            shutil.copytree(paths.evidence, raw / "evidence", dirs_exist_ok=True)
        return raw


@dataclass
class RestorePlan:
    """A backup extracted and checked, ready to be swapped in (`finish_restore`) or dropped (`discard`)."""

    paths: DataPaths
    backup: Path
    staging: Path
    info: BackupInfo
    key_change: KeyChange | None

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def prepare_restore(data_dir: str | Path | None, backup: Path, *, actor: str, allow_other_unit: bool = False,
                    report: Report = _no_report) -> RestorePlan:
    """Extract and check everything; nothing in the data folder changes (the workspace may stay open)."""
    paths = DataPaths.resolve(data_dir)
    backup = Path(backup).resolve()
    paths.ensure()
    # Staging sits on the same disk as the data folder so the final swap is a rename, not a copy.
    staging = Path(tempfile.mkdtemp(prefix=".rectidesk-restore-", dir=paths.tmp))
    try:
        manifest = extract_verified(backup, staging / "new", report=report)
        info = _info(backup, manifest)
        change = None
        if paths.database.exists():
            current_unit = _existing_unit(paths.database)
            if current_unit and current_unit != info.unit_code and not allow_other_unit:
                raise _refuse(backup, f"它是另一个单位（{info.unit_code} {info.unit_name}）的备份，"
                              f"而这个数据文件夹属于 {current_unit}",
                              hint="如确需查看，请恢复到一个新的空文件夹（--data-dir）；原有数据没有任何改动。",
                              window_hint="如确需查看，请在另一台电脑或新的数据文件夹中恢复；原有数据没有任何改动。")
            _check_restorer(paths.database, actor)
            change = _key_change(paths.database, staging / "new" / "db" / "rectidesk.sqlite3")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RestorePlan(paths, backup, staging, info, change)


def _bring_evidence_in(paths: DataPaths, staged: Path) -> None:
    """Content-addressed files never conflict: add what is missing, leave what is there (even if held open)."""
    if not staged.is_dir():
        return
    for f in staged.glob("??/*"):
        target = paths.evidence / f.parent.name / f.name
        if target.is_file() and target.stat().st_size == f.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        faults.replace(f, target)


def _swap_dir(current: Path, staged: Path, trash: Path, *, present: bool, create: bool) -> None:
    """Idempotent: run again after a crash at any point, it ends in the same place."""
    if staged.exists():
        if current.exists():
            if trash.exists():
                shutil.rmtree(current)
            else:
                faults.replace(current, trash)
        faults.replace(staged, current)
    elif not present and current.exists() and not trash.exists():
        faults.replace(current, trash)
    if create:
        current.mkdir(parents=True, exist_ok=True)


def _checkpoint(db: Path) -> None:
    """Fold the WAL into the database file, so removing the WAL beside it can lose nothing."""
    if not db.exists():
        return
    try:
        conn = sqlite3.connect(str(db))
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass  # a ruined database: its files were kept aside by _keep_previous


def _apply_journal(paths: DataPaths, journal: dict[str, Any]) -> None:
    staging = Path(journal["staging"])
    new = staging / "new"
    _bring_evidence_in(paths, new / "evidence")
    for folder in EXTRA_DIRS:
        _swap_dir(paths.root / folder, new / folder, staging / f"old-{folder}",
                  present=bool(journal.get("dirs", {}).get(folder)), create=folder == "incoming")
    staged_db = new / "db" / "rectidesk.sqlite3"
    if staged_db.exists():
        _checkpoint(paths.database)
        for suffix in _WAL_SUFFIXES:
            faults.unlink(Path(str(paths.database) + suffix))
        faults.replace(staged_db, paths.database)  # the last step: from here on the folder holds the backup


def _write_journal(paths: DataPaths, data: dict[str, Any]) -> None:
    tmp = paths.root / (JOURNAL + ".part")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    faults.replace(tmp, paths.root / JOURNAL)


def finish_pending_restore(paths: DataPaths) -> bool:
    """At start-up, under the folder lock: finish a restore that was interrupted after its journal was written."""
    journal_file = paths.root / JOURNAL
    (paths.root / (JOURNAL + ".part")).unlink(missing_ok=True)
    if not journal_file.exists():
        _sweep_staging(paths, keep=None)
        return False
    try:
        journal = json.loads(journal_file.read_text(encoding="utf-8"))
        staging = Path(journal["staging"])
    except (OSError, ValueError, KeyError, TypeError):
        log.error("restore journal %s unreadable: left as it is", journal_file)
        return False
    log.warning("finishing a restore that was interrupted (%s)", staging)
    _apply_journal(paths, journal)
    faults.unlink(journal_file)
    _sweep_staging(paths, keep=None)
    return True


def _sweep_staging(paths: DataPaths, keep: Path | None) -> None:
    if not paths.tmp.is_dir():
        return
    for d in paths.tmp.glob(".rectidesk-restore-*"):
        if d != keep:
            shutil.rmtree(d, ignore_errors=True)


def finish_restore(plan: RestorePlan, *, accept_new_keys: bool = False, report: Report = _no_report,
                   lock_held: bool = False) -> RestoreResult:
    """Swap a prepared backup in (see the module's docstring for the order); the plan is used up."""
    paths = plan.paths
    try:
        if plan.key_change is not None and not accept_new_keys:
            raise KeysWouldChange(plan.key_change)
        lock = DataFolderLock(paths)
        if not lock_held:
            lock.acquire()
        try:
            previous = _keep_previous(paths, report) if paths.database.exists() else None
            report(0, 1, "正在换入恢复的数据…")
            new = plan.staging / "new"
            _bring_evidence_in(paths, new / "evidence")
            _write_journal(paths, {"staging": str(plan.staging),
                                   "dirs": {d: (new / d).exists() for d in EXTRA_DIRS}})
            try:
                _apply_journal(paths, json.loads((paths.root / JOURNAL).read_text(encoding="utf-8")))
            except OSError as exc:  # a file held past the retries: the journal finishes it at the next start
                mapped = faults.explain(exc)
                raise MachineError(f"恢复进行到一半停住了：{mapped.message if mapped else exc.strerror or exc}",
                                   hint="请关闭可能占用数据文件夹中文件的程序（杀毒软件扫描、打开着的佐证材料），"
                                        "然后重新打开整改通：程序会先自动完成这次恢复。原有数据另存在备份文件夹中。"
                                   ) from None
            faults.unlink(paths.root / JOURNAL)
        finally:
            if not lock_held:
                lock.release()
    finally:
        if not (paths.root / JOURNAL).exists():
            plan.discard()
    return RestoreResult(plan.info, paths.root, previous)


def restore(data_dir: str | Path | None, backup: Path, *, actor: str, allow_other_unit: bool = False,
            accept_new_keys: bool = False, report: Report = _no_report) -> RestoreResult:
    """Restore `backup` into the (closed) data folder `data_dir`, new, empty or holding a ledger."""
    plan = prepare_restore(data_dir, backup, actor=actor, allow_other_unit=allow_other_unit, report=report)
    return finish_restore(plan, accept_new_keys=accept_new_keys, report=report)


def restore_open_workspace(ws: Workspace, backup: Path, *, actor: str, accept_new_keys: bool = False,
                           report: Report = _no_report) -> RestoreResult:
    """For the window: check the backup with the workspace open, then close it, swap, open it again."""
    plan = prepare_restore(ws.paths.root, backup, actor=actor, report=report)
    return finish_open_workspace(ws, plan, accept_new_keys=accept_new_keys, report=report)


def finish_open_workspace(ws: Workspace, plan: RestorePlan, *, accept_new_keys: bool = False,
                          report: Report = _no_report) -> RestoreResult:
    """The swap for an open workspace: no write may run meanwhile (its writer's turn is held)."""
    if plan.key_change is not None and not accept_new_keys:
        plan.discard()
        raise KeysWouldChange(plan.key_change)
    with ws.writer.turn():
        ws.close()
        try:
            return finish_restore(plan, accept_new_keys=accept_new_keys, report=report)
        finally:
            ws.start()
