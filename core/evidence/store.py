"""Content-addressed evidence store: files named by SHA-256, streamed, written to a temp name then renamed."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from core import faults
from core.errors import InputRefused
from core.faults import explain
from core.files import open_regular

CHUNK = 1024 * 1024
MAX_FILE = 4 * 2**30  # the largest report a reader must accept (spec §8)
_HEX64 = re.compile(r"[0-9a-f]{64}")
_EXTRA_TYPES = {
    ".ofd": "application/ofd",
    ".wps": "application/vnd.ms-works",
    ".et": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def media_type_for(filename: str) -> str:
    ext = Path(filename).suffix.lower()
    if ext in _EXTRA_TYPES:
        return _EXTRA_TYPES[ext]
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


# What a file is, from its first bytes, for files that arrive without a name (the city's attachments).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", ".pdf"), (b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"GIF8", ".gif"),
    (b"BM", ".bmp"), (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"), (b"\xd0\xcf\x11\xe0", ".doc"),
    (b"{\\rtf", ".rtf"), (b"Rar!", ".rar"), (b"7z\xbc\xaf", ".7z"),
)
_ZIP_KINDS = ((b"word/", ".docx"), (b"xl/", ".xlsx"), (b"ppt/", ".pptx"), (b"Doc_", ".ofd"), (b"OFD.xml", ".ofd"))


def sniff_extension(path: Path) -> str:
    """“.pdf”, “.jpg”, “.docx” … from the file's content; “” when it is not a kind we know."""
    try:
        with path.open("rb") as f:
            head = f.read(8192)
    except OSError:
        return ""
    for magic, ext in _MAGIC:
        if head.startswith(magic):
            return ext
    if head.startswith(b"PK\x03\x04"):
        for marker, ext in _ZIP_KINDS:
            if marker in head:
                return ext
        return ".zip"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    if head[4:8] == b"ftyp":
        return ".mp4"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return ".txt" if head else ""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


class Readable(Protocol):
    """What `add_stream` needs of a source: a file, a ZIP member, the package reader."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass
class StoredFile:
    sha256: str
    size: int
    existed: bool


@dataclass
class StoreReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed)


class EvidenceStore:
    def __init__(self, root: Path, tmp: Path) -> None:
        self.root = root
        self.tmp = tmp

    def path_for(self, sha256: str) -> Path:
        """Where a file lives; only ever for a hash (a record value such as "../x" is never a path)."""
        if not _HEX64.fullmatch(sha256):
            raise InputRefused(f"“{sha256[:80]!r}”不是文件校验值。")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def add_file(self, source: Path) -> StoredFile:
        """Copy a file in; an identical file already stored is not stored twice."""
        # A named pipe or a device would block or never end: only a regular file, of a size a report can carry.
        # Reading and storing fail for different reasons (a held source file; a full disk): said apart.
        f = open_regular(source, MAX_FILE, what="文件")
        with f:
            try:
                size = os.fstat(f.fileno()).st_size
            except OSError:
                size = None
            return self.add_stream(f, max_bytes=MAX_FILE, need=size)

    def add_stream(self, stream: Readable, expected_sha256: str | None = None,
                   max_bytes: int | None = None, need: int | None = None) -> StoredFile:
        """Store what `stream` yields. A full disk, a held file or a read-only folder is a MachineError
        (core.faults) that says so (`need`: the size, when known, for "how much room"); nothing is kept."""
        try:
            return self._add_stream(stream, expected_sha256, max_bytes)
        except OSError as exc:
            mapped = explain(exc, where=self.root, need=need or max_bytes)
            if mapped is None:
                raise
            raise mapped from None

    def _add_stream(self, stream: Readable, expected_sha256: str | None, max_bytes: int | None) -> StoredFile:
        self.tmp.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="ev-", suffix=".part")
        tmp_path = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise InputRefused("文件超过允许的大小。")
                    h.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            digest = h.hexdigest()
            if expected_sha256 is not None and digest != expected_sha256:
                raise InputRefused("文件内容与其校验值不符。")
            target = self.path_for(digest)
            if target.is_file():
                tmp_path.unlink()
                try:  # stored again now: the start-up sweep must see it as new (it sweeps only older files)
                    os.utime(target)
                except OSError:
                    pass
                return StoredFile(digest, size, existed=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            faults.replace(tmp_path, target)  # an antivirus scanner may hold the new file for a moment
            return StoredFile(digest, size, existed=False)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise

    def verify(self, expected: Iterable[str]) -> StoreReport:
        """Re-hash every file the ledger names; report those that changed or vanished."""
        report = StoreReport()
        for sha in sorted(set(expected)):
            report.checked += 1
            path = self.path_for(sha)
            if not path.is_file():
                report.missing.append(sha)
            elif sha256_file(path) != sha:
                report.changed.append(sha)
        return report

    def stored(self) -> set[str]:
        if not self.root.exists():
            return set()
        return {p.name for p in self.root.glob("??/*") if p.is_file() and len(p.name) == 64}

    def remove_orphans(self, referenced: set[str], older_than_s: float = 3600) -> list[str]:
        """Delete stored files no row names (left by a crash between copy and commit)."""
        removed = []
        cutoff = time.time() - older_than_s
        for sha in self.stored() - referenced:
            path = self.path_for(sha)
            try:
                if path.stat().st_mtime < cutoff:
                    faults.unlink(path)
                    removed.append(sha)
            except OSError:
                continue
        return removed

    def sweep_temp(self, older_than: float | None = None) -> None:
        """Half-written files from an interrupted copy are never valid: remove them at start
        (those written before `older_than`, a time.time() value, when given)."""
        if self.tmp.exists():
            for p in self.tmp.glob("*.part"):
                try:
                    if older_than is None or p.stat().st_mtime < older_than:
                        p.unlink()
                except OSError:
                    pass

    def export_copy(self, sha256: str, target: Path) -> None:
        shutil.copyfile(self.path_for(sha256), target)
