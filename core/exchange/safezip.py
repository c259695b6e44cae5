"""A strict, streaming ZIP reader for packages that may be hostile (spec §2, §8).

The standard `zipfile` trusts the central directory and tolerates bytes it does not explain. A package
must prove that nothing in it changed, so this reader parses the container itself and refuses anything it
cannot account for: bytes between entries, a comment, a local header that disagrees with the central
directory, links, unsafe names, more entries or more bytes than the limits. Entry data is inflated in
bounded chunks with `zlib`, so a zip bomb is refused from its declared sizes and can never fill memory.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.errors import PackageRejected
from core.files import FileRefused, open_regular
from core.text import escape_controls

CHUNK = 1024 * 1024
MAX_ENTRIES = 100_000
RATIO_MIN_SIZE = 1024 * 1024
RATIO_LIMIT = 200
MAX_NAME = 1024
# Permission sets that ordinary ZIP writers produce; anything else is treated as damage.
ALLOWED_PERMS = {0o400, 0o440, 0o444, 0o600, 0o640, 0o644, 0o660, 0o664, 0o666,
                 0o700, 0o750, 0o755, 0o770, 0o775, 0o777}
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # no control character (C0, DEL, C1) in an entry name

_EOCD = struct.Struct("<4s4H2LH")
_Z64_LOC = struct.Struct("<4sLQL")
_Z64_EOCD = struct.Struct("<4sQ2H2L4Q")
_CDH = struct.Struct("<4s6H3L5H2L")
_LFH = struct.Struct("<4s5H3L2H")


def _reject(code: str, message: str, hint: str = "") -> PackageRejected:
    return PackageRejected(message, reason_code=code, hint=hint)


def _damaged(detail: str) -> PackageRejected:
    return _reject("damaged_zip", f"数据包已损坏（{detail}）。",
                   hint="文件可能在拷贝或传输中出错，请向对方索取一份新的数据包。")


@dataclass
class ZipEntry:
    name: str
    method: int
    flags: int
    crc: int
    csize: int
    usize: int
    local_offset: int
    cd_head: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # version needed, flags, method, time, date
    data_offset: int = 0
    end_offset: int = 0

    @property
    def is_dir(self) -> bool:
        return self.name.endswith("/")


def check_name(name: str) -> None:
    """Spec §2: relative, '/', no '..', no drive letter, no backslash, no NUL."""
    bad = (
        not name or name.startswith("/") or "\\" in name or "\x00" in name or _DRIVE.match(name)
        or _CONTROL.search(name)
    )
    segments = name.rstrip("/").split("/")
    if bad or any(seg in ("", ".", "..") for seg in segments):
        shown = escape_controls(name)
        raise _reject("unsafe_name", f"数据包中有不安全的文件名“{shown}”，可能试图把文件写到别处。",
                      hint="这不是一个正常的数据包，请勿使用，并告知发送方。")


def _parse_extra(extra: bytes) -> dict[int, bytes]:
    out: dict[int, bytes] = {}
    pos = 0
    while pos < len(extra):
        if pos + 4 > len(extra):
            raise _damaged("扩展字段不完整")
        hid, size = struct.unpack_from("<2H", extra, pos)
        pos += 4
        if pos + size > len(extra):
            raise _damaged("扩展字段长度不符")
        out[hid] = extra[pos:pos + size]
        pos += size
    return out


class SafeZip:
    """The entries of one ZIP file, checked; `stream(entry)` yields its content in bounded chunks."""

    def __init__(self, path: Path, *, max_total: int, max_entries: int = MAX_ENTRIES) -> None:
        self.path = Path(path)
        self.max_total = max_total
        try:
            # Only a regular file (a named pipe would block the reader), no larger than its contents may be.
            self._fh: BinaryIO = open_regular(self.path, max_total + max_entries * 4 * MAX_NAME + 2**20,
                                              what="数据包")
        except FileRefused as exc:
            code = {"directory": "not_zip"}.get(exc.reason, exc.reason)
            raise _reject(code, exc.message, hint=exc.hint) from None
        try:
            self.size = self._fh.seek(0, 2)
            self.entries = self._read_directory(max_entries)
        except BaseException:
            self._fh.close()
            raise

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- structure --------------------------------------------------------------------------
    def _read_at(self, offset: int, size: int) -> bytes:
        self._fh.seek(offset)
        data = self._fh.read(size)
        if len(data) != size:
            raise _damaged("文件被截断")
        return data

    def _not_zip(self) -> PackageRejected:
        return _reject("not_zip", "这个文件不是数据包（不是 ZIP 文件）。",
                       hint="请确认选择的是市督查平台发来的 .zgb 文件，而不是邮件正文或其他附件。")

    def _read_directory(self, max_entries: int) -> list[ZipEntry]:
        if self.size < _EOCD.size:
            raise self._not_zip()
        head = self._read_at(0, 4)
        tail = self._read_at(self.size - _EOCD.size, _EOCD.size)
        sig, disk, disk_cd, n_disk, n_total, cd_size, cd_offset, comment_len = _EOCD.unpack(tail)
        if sig != b"PK\x05\x06":
            if head in (b"PK\x03\x04", b"PK\x05\x06"):
                raise _damaged("ZIP 目录缺失或文件末尾有多余内容")
            raise self._not_zip()
        if comment_len != 0:
            raise _damaged("ZIP 目录记录不正确")
        end_of_cd = self.size - _EOCD.size
        if 0xFFFF in (n_disk, n_total) or 0xFFFFFFFF in (cd_size, cd_offset):
            loc = self._read_at(self.size - _EOCD.size - _Z64_LOC.size, _Z64_LOC.size)
            lsig, ldisk, z64_off, ndisks = _Z64_LOC.unpack(loc)
            if lsig != b"PK\x06\x07" or ldisk != 0 or ndisks != 1:
                raise _damaged("ZIP64 目录定位记录不正确")
            rec = self._read_at(z64_off, _Z64_EOCD.size)
            (zsig, zsize, _made, _need, disk, disk_cd, n_disk, n_total, cd_size,
             cd_offset) = _Z64_EOCD.unpack(rec)
            if zsig != b"PK\x06\x06" or zsize != 44 or z64_off + _Z64_EOCD.size + _Z64_LOC.size != end_of_cd:
                raise _damaged("ZIP64 目录记录不正确")
            end_of_cd = z64_off
        if disk != 0 or disk_cd != 0 or n_disk != n_total:
            raise _damaged("分卷 ZIP 不受支持")
        if n_total > max_entries:
            raise _reject("too_many_entries", f"数据包中的文件太多（{n_total} 个，最多允许 {max_entries} 个）。",
                          hint="这不是一个正常的数据包，请向发送方核实。")
        if cd_offset + cd_size != end_of_cd or cd_size > n_total * (_CDH.size + 3 * MAX_NAME) + 1:
            raise _damaged("ZIP 目录位置不正确")
        cd = self._read_at(cd_offset, cd_size)
        entries = self._parse_central(cd, n_total)
        self._check_locals(entries, cd_offset)
        self._check_sizes(entries)
        return entries

    def _parse_central(self, cd: bytes, count: int) -> list[ZipEntry]:
        entries: list[ZipEntry] = []
        pos = 0
        for _ in range(count):
            if pos + _CDH.size > len(cd):
                raise _damaged("ZIP 目录不完整")
            (sig, made, need, flags, method, mtime, mdate, crc, csize, usize, nlen, xlen, clen, disk_start,
             int_attr, ext_attr, local_off) = _CDH.unpack_from(cd, pos)
            if sig != b"PK\x01\x02":
                raise _damaged("ZIP 目录项不正确")
            pos += _CDH.size
            raw_name = cd[pos:pos + nlen]
            extra = cd[pos + nlen:pos + nlen + xlen]
            pos += nlen + xlen + clen
            if pos > len(cd) or nlen == 0 or nlen > MAX_NAME:
                raise _damaged("ZIP 目录项长度不正确")
            if clen or disk_start or int_attr > 1 or (made >> 8) not in (0, 3) or (made & 0xFF) > 63:
                raise _damaged("ZIP 目录项属性异常")
            if flags & 0x0001 or flags & 0x0040 or flags & ~0x080E:
                raise _reject("unsupported_zip", "数据包使用了加密或不支持的 ZIP 格式。",
                              hint="请向发送方索取一份用标准方式生成的数据包。")
            if method not in (0, 8):
                raise _reject("unsupported_zip", "数据包使用了不支持的压缩方式。",
                              hint="请向发送方索取一份用标准方式生成的数据包。")
            try:
                name = raw_name.decode("utf-8")
            except UnicodeDecodeError:
                guess = raw_name.decode("gbk", errors="replace")
                guess = guess if guess.isprintable() else repr(guess)
                raise _reject("unsafe_name",
                              f"数据包中有无法识别的文件名（不是 UTF-8 编码，按 GBK 读作“{guess}”）。",
                              hint="数据包可能被其他压缩软件重新打包过，请勿使用，并向发送方索取原始的数据包。",
                              ) from None
            check_name(name)
            self._check_attributes(name, made >> 8, ext_attr)
            fields = _parse_extra(extra)
            if 0x0001 in fields:
                z64 = fields[0x0001]
                vals = list(struct.unpack_from(f"<{len(z64) // 8}Q", z64)) if len(z64) % 8 == 0 else None
                if vals is None:
                    raise _damaged("ZIP64 扩展字段不正确")
                if usize == 0xFFFFFFFF and vals:
                    usize = vals.pop(0)
                if csize == 0xFFFFFFFF and vals:
                    csize = vals.pop(0)
                if local_off == 0xFFFFFFFF and vals:
                    local_off = vals.pop(0)
            entries.append(ZipEntry(name, method, flags, crc, csize, usize, local_off,
                                    cd_head=(need, flags, method, mtime, mdate)))
        if pos != len(cd):
            raise _damaged("ZIP 目录有多余内容")
        return entries

    @staticmethod
    def _check_attributes(name: str, system: int, ext_attr: int) -> None:
        mode = ext_attr >> 16
        dos = ext_attr & 0xFF
        is_dir = name.endswith("/")
        if (ext_attr >> 8) & 0xFF or dos & (0x0E if is_dir else 0x1E):
            raise _damaged(f"“{name}”的文件属性异常")
        if system == 3 and mode:
            kind = mode & 0o170000
            if kind == 0o120000:
                raise _reject("link", f"数据包中有链接文件“{name}”，这是不允许的。",
                              hint="这不是一个正常的数据包，请勿使用，并告知发送方。")
            if kind not in (0, 0o040000 if is_dir else 0o100000):
                raise _reject("link", f"数据包中的“{name}”不是普通文件。",
                              hint="这不是一个正常的数据包，请勿使用，并告知发送方。")
            if not is_dir and mode & 0o7777 not in ALLOWED_PERMS:
                raise _damaged(f"“{name}”的文件属性异常")
        elif mode:
            raise _damaged(f"“{name}”的文件属性异常")

    def _check_locals(self, entries: list[ZipEntry], cd_offset: int) -> None:
        """Every local header agrees with the directory; entries are contiguous from byte 0 to the directory."""
        expected = 0
        for e in sorted(entries, key=lambda x: x.local_offset):
            if e.local_offset != expected:
                raise _damaged("ZIP 条目之间有无法解释的内容")
            raw = self._read_at(e.local_offset, _LFH.size)
            sig, _need, flags, method, _t, _d, crc, csize, usize, nlen, xlen = _LFH.unpack(raw)
            if sig != b"PK\x03\x04":
                raise _damaged("ZIP 条目头不正确")
            if (_need, flags, method, _t, _d) != e.cd_head:
                raise _damaged(f"“{e.name}”的条目头与目录不一致")
            name = self._read_at(e.local_offset + _LFH.size, nlen)
            if name != e.name.encode("utf-8"):
                raise _damaged(f"“{e.name}”的条目名与目录不一致")
            extra = _parse_extra(self._read_at(e.local_offset + _LFH.size + nlen, xlen))
            if not flags & 0x08:
                if 0x0001 in extra and (usize == 0xFFFFFFFF or csize == 0xFFFFFFFF):
                    z = extra[0x0001]
                    if len(z) < 16:
                        raise _damaged("ZIP64 扩展字段不正确")
                    usize, csize = struct.unpack_from("<2Q", z)
                if (crc, csize, usize) != (e.crc, e.csize, e.usize):
                    raise _damaged(f"“{e.name}”的条目头与目录不一致")
            e.data_offset = e.local_offset + _LFH.size + nlen + xlen
            end = e.data_offset + e.csize
            if flags & 0x08:
                end = self._check_descriptor(e, end, 0x0001 in extra)
            e.end_offset = end
            expected = end
        if expected != cd_offset:
            raise _damaged("ZIP 条目与目录之间有无法解释的内容")

    def _check_descriptor(self, e: ZipEntry, end: int, zip64_extra: bool) -> int:
        z64 = zip64_extra or e.csize >= 0xFFFFFFFF or e.usize >= 0xFFFFFFFF
        fmt = "<L2Q" if z64 else "<3L"
        size = struct.calcsize(fmt)
        head = self._read_at(end, 4)
        if head == b"PK\x07\x08":
            end += 4
        crc, csize, usize = struct.unpack(fmt, self._read_at(end, size))
        if (crc, csize, usize) != (e.crc, e.csize, e.usize):
            raise _damaged(f"“{e.name}”的数据描述与目录不一致")
        return end + size

    def _check_sizes(self, entries: list[ZipEntry]) -> None:
        total = 0
        for e in entries:
            total += e.usize
            if e.usize > RATIO_MIN_SIZE and e.usize > RATIO_LIMIT * max(e.csize, 1):
                raise _reject("ratio", f"数据包中的“{e.name}”压缩比异常（超过 {RATIO_LIMIT} 倍），疑似“压缩炸弹”。",
                              hint="这不是一个正常的数据包，请勿使用，并告知发送方。")
            if e.method == 0 and e.csize != e.usize:
                raise _damaged(f"“{e.name}”的大小不一致")
        if total > self.max_total:
            raise _reject("too_large",
                          f"数据包解压后太大（{total / 2**20:.0f} MB，最多允许 {self.max_total / 2**20:.0f} MB）。",
                          hint="这不是一个正常的数据包，请向发送方核实。")

    # -- content ----------------------------------------------------------------------------
    def stream(self, e: ZipEntry, on_bytes: Callable[[int], None] | None = None) -> Iterator[bytes]:
        """The entry's content in chunks of at most 1 MiB; size and CRC are checked at the end."""
        remaining = e.csize
        produced = 0
        crc = 0
        inflater = zlib.decompressobj(-15) if e.method == 8 else None
        offset = e.data_offset
        try:
            while remaining:
                self._fh.seek(offset)
                buf = self._fh.read(min(CHUNK, remaining))
                if not buf:
                    raise _damaged("文件被截断")
                offset += len(buf)
                remaining -= len(buf)
                if inflater is None:
                    pieces: Iterator[bytes] = iter((buf,))
                else:
                    pieces = self._inflate(inflater, buf)
                for data in pieces:
                    produced += len(data)
                    if produced > e.usize:
                        raise _damaged(f"“{e.name}”的实际大小与声明不符")
                    crc = zlib.crc32(data, crc)
                    if on_bytes:
                        on_bytes(len(data))
                    if data:
                        yield data
            if inflater is not None:
                tail = inflater.flush()
                produced += len(tail)
                if produced > e.usize:
                    raise _damaged(f"“{e.name}”的实际大小与声明不符")
                crc = zlib.crc32(tail, crc)
                if tail:
                    yield tail
                if not inflater.eof or inflater.unused_data:
                    raise _damaged(f"“{e.name}”的压缩数据不完整")
        except zlib.error:
            raise _damaged(f"“{e.name}”的压缩数据无法解开") from None
        if produced != e.usize or crc != e.crc:
            raise _damaged(f"“{e.name}”的校验值不符")

    @staticmethod
    def _inflate(inflater: zlib._Decompress, buf: bytes) -> Iterator[bytes]:
        # max_length bounds each output chunk: a bomb never expands beyond 1 MiB at a time.
        yield inflater.decompress(buf, CHUNK)
        while inflater.unconsumed_tail:
            yield inflater.decompress(inflater.unconsumed_tail, CHUNK)

    def read(self, e: ZipEntry) -> bytes:
        return b"".join(self.stream(e))


def open_zip(path: Path, *, max_total: int, max_entries: int = MAX_ENTRIES) -> SafeZip:
    return SafeZip(path, max_total=max_total, max_entries=max_entries)
