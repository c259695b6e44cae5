"""zgb/1 packages (spec §2–§3, §5, §8): verify one as a reader must, and write one that verifies.

`read_package` runs every check of §8 except the Sequence rules (those need the reader's history and
live in the importer): container, names, limits, BagIt files, manifests, Payload-Oxum, signature, records.
Every refusal is a `PackageRejected` with a clerk-readable reason and a `reason_code`.
`write_package` writes to a temporary name, fsyncs and renames; callers re-open it with `read_package`.
"""

from __future__ import annotations

import base64
import binascii
import errno
import hashlib
import json
import os
import re
import tempfile
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core import faults, places
from core.errors import Cancelled, InputRefused, PackageRejected, UserError
from core.exchange import records as rec
from core.exchange.safezip import CHUNK, MAX_ENTRIES, SafeZip, ZipEntry
from core.text import shown

FORMAT = "zgb/1"
FEEDBACK_MAX_BYTES = 512 * 2**20
REPORT_MAX_BYTES = 4 * 2**30
MAX_TAG_FILE = 64 * 1024  # §2: every tag file, checked before it is parsed
MAX_TAG_LINE = 8 * 1024
MAX_SEQUENCE = 1_000_000
MAX_PARTS = 100_000
# Payload and tag manifests RFC 8493 allows besides SHA-256; a bag may carry them, and then they must hold.
MANIFEST_ALGS = ("md5", "sha1", "sha256", "sha512")
SPOOL_IN_MEMORY = 8 * 2**20
TAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt")
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
REQUIRED_INFO = ("Source-Organization", "Bagging-Date", "Payload-Oxum", "External-Identifier", "Bag-Count",
                 "Exchange-Format", "Package-Type", "Unit-Code", "Sequence", "Previous-Package-Digest",
                 "Created", "Generator")
PACKAGE_TYPES = {"unit-report": "单位报送包", "city-feedback": "市平台反馈包",
                 "section-tasks": "科室任务包", "section-report": "科室报送包"}
# fullmatch everywhere, [0-9] rather than \d: a full-width "２" is a digit to Python, not to the format.
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MANIFEST_LINE = re.compile(r"([0-9A-Fa-f]+)[ \t]+(\S.*)")
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_FMT = re.compile(r"zgb/([0-9]{1,6})(\.[0-9]{1,6})?")
_COUNT = re.compile(r"([0-9]{1,6}) of ([0-9]{1,6})")
_OXUM = re.compile(r"([0-9]{1,20})\.([0-9]{1,7})")
_SEQUENCE = re.compile(r"[0-9]{1,7}")
_BAGIT = re.compile(r"BagIt-Version: 1\.0\nTag-File-Character-Encoding: (?i:UTF-8)\n?")
_LINE_END = re.compile(r"\r\n|\r|\n")  # RFC 8493's line ends; str.splitlines would also split on \x1c, \u2028 …
_PCT = re.compile(r"%(0[DdAa]|25)")
_MANIFEST_NAME = re.compile(r"(tag)?manifest-([a-z0-9]+)\.txt")
_HEX_LEN = {"md5": 32, "sha1": 40, "sha256": 64, "sha512": 128}

# (key_id, sequence) -> the public key valid for that Sequence, or a PackageRejected
KeyResolver = Callable[[str, int], Ed25519PublicKey]
Progress = Callable[[int, int], None]


EVIDENCE_DAMAGED_WINDOW = f"佐证材料文件可能已损坏或被删除，请从备份恢复（{places.RESTORE}）。"


def reject(code: str, message: str, hint: str = "") -> PackageRejected:
    return PackageRejected(message, reason_code=code, hint=hint)


_RESEND = "请向发送方索取一份新的数据包。"


@dataclass
class PayloadFile:
    sha256: str
    size: int
    entry: ZipEntry


@dataclass
class Package:
    """A package that passed every check of §8 but the Sequence rules."""

    path: Path
    package_id: str
    package_type: str
    unit_code: str
    sequence: int
    previous_digest: str
    digest: str  # SHA-256 of tagmanifest-sha256.txt
    key_id: str
    group_id: str
    part_no: int
    part_count: int
    created: str
    info: dict[str, str]
    records: list[tuple[int, dict[str, Any]]]
    unknown: list[tuple[int, str]]  # (line, type) skipped
    files: dict[str, PayloadFile]  # data/files/<sha> by sha
    size: int = 0

    @property
    def multi_part(self) -> bool:
        return self.part_count > 1

    def open_file(self, sha: str) -> Iterator[bytes]:
        """Stream an attached file again (the caller's store re-checks its hash)."""
        pf = self.files[sha]
        with SafeZip(self.path, max_total=REPORT_MAX_BYTES) as z:
            yield from z.stream(pf.entry)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _line, r in self.records:
            out[r["type"]] = out.get(r["type"], 0) + 1
        return out


class _StreamReader:
    """File-like adapter over a chunk iterator (for EvidenceStore.add_stream)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._buf) < n:
            try:
                self._buf += next(self._chunks)
            except StopIteration:
                break
        if n < 0:
            out, self._buf = self._buf, b""
        else:
            out, self._buf = self._buf[:n], self._buf[n:]
        return out


def file_reader(pkg: Package, sha: str) -> _StreamReader:
    return _StreamReader(pkg.open_file(sha))


def tag_text(data: bytes, what: str) -> list[str]:
    """A tag file's lines, after §2's limits: size, UTF-8 without a byte-order mark, lines of at most 8 KiB.

    Linear in the size; the limits are checked before anything is parsed.
    """
    if len(data) > MAX_TAG_FILE:
        raise reject("too_large", f"数据包中的 {what} 过大（{len(data)} 字节；交换格式规定每个标签文件最多 "
                     f"{MAX_TAG_FILE} 字节，即 64 KiB）。", _RESEND)
    if data.startswith(b"\xef\xbb\xbf"):
        raise reject("bagit_malformed", f"{what} 以字节顺序标记（BOM）开头，这不符合 BagIt 格式。", _RESEND)
    try:
        body = data.decode("utf-8")
    except UnicodeDecodeError:
        raise reject("bagit_malformed", f"{what} 不是 UTF-8 文字。", _RESEND) from None
    lines = _LINE_END.split(body)
    if lines and lines[-1] == "":
        lines.pop()
    for no, line in enumerate(lines, start=1):
        if len(line) > MAX_TAG_LINE // 4 and len(line.encode("utf-8")) > MAX_TAG_LINE:
            raise reject("bagit_malformed", f"{what} 第 {no} 行过长（超过 {MAX_TAG_LINE} 字节）。", _RESEND)
    return lines


def parse_info(text: bytes, what: str = "bag-info.txt") -> dict[str, str]:
    """`Label: value` lines with RFC 8493 continuation lines, in one linear pass."""
    parts: dict[str, list[str]] = {}
    last: list[str] | None = None
    for line in tag_text(text, what):
        if not line.strip():
            continue
        if line[0] in " \t":
            if last is None:
                raise reject("bagit_malformed", f"{what} 以续行开头，格式不对。", _RESEND)
            last.append(line.strip())
            continue
        label, sep, value = line.partition(":")
        if not sep or not label.strip() or label != label.rstrip():
            raise reject("bagit_malformed", f"{what} 中有一行格式不对：“{shown(line[:60])}”。", _RESEND)
        if label in parts:
            raise reject("bagit_malformed", f"{what} 中的“{shown(label[:60])}”出现了两次。", _RESEND)
        last = parts[label] = [value.strip()]
    return {label: " ".join(p for p in pieces if p) for label, pieces in parts.items()}


def _unescape_path(path: str) -> str:
    """RFC 8493 §2.1.3: CR, LF and % in a manifest path are written %0D, %0A, %25 (one pass)."""
    return _PCT.sub(lambda m: {"0d": "\r", "0a": "\n", "25": "%"}[m.group(1).lower()], path)


def _path_key(path: str) -> str:
    """Two paths a file system may take for the same file (NFC and NFD, upper and lower case) share a key."""
    return unicodedata.normalize("NFC", path).casefold()


def parse_manifest(text: bytes, what: str, alg: str = "sha256") -> dict[str, str]:
    out: dict[str, str] = {}
    keys: set[str] = set()
    width = _HEX_LEN[alg]
    for line in tag_text(text, what):
        if not line.strip():
            continue
        m = _MANIFEST_LINE.fullmatch(line)
        if not m or len(m.group(1)) != width:
            raise reject("bagit_malformed", f"{what} 中有一行格式不对：“{shown(line[:80])}”。", _RESEND)
        path = _unescape_path(m.group(2))
        segments = path.split("/")
        if (path.startswith("/") or "\\" in path or "\x00" in path or re.match(r"[A-Za-z]:", path)
                or any(seg in ("", ".", "..") for seg in segments)):
            raise reject("unsafe_name", f"{what} 列出的路径“{shown(path[:80])}”指向包文件夹以外。",
                         "这不是一个正常的数据包，请勿使用，并告知发送方。")
        key = _path_key(path)
        if key in keys:
            raise reject("bagit_malformed", f"{what} 中的“{shown(path[:80])}”列出了两次。", _RESEND)
        keys.add(key)
        out[path] = m.group(1).lower()
    return out


def _hash_entry(z: SafeZip, e: ZipEntry, progress: Callable[[int], None] | None,
                sink: IO[bytes] | None = None, algs: Iterable[str] = ("sha256",)) -> dict[str, str]:
    hashes = {alg: hashlib.new(alg) for alg in algs}
    for chunk in z.stream(e, progress):
        for h in hashes.values():
            h.update(chunk)
        if sink is not None:
            sink.write(chunk)
    return {alg: h.hexdigest() for alg, h in hashes.items()}


def read_package(path: Path | str, *, expected_type: str, expected_unit: str | None,
                 key_for: KeyResolver, max_total: int | None = None,
                 progress: Progress | None = None, cancel: Callable[[], bool] | None = None) -> Package:
    """Verify a package completely (spec §8 except the Sequence rules) and return what it carries."""
    path = Path(path)
    if max_total is None:
        max_total = FEEDBACK_MAX_BYTES if expected_type == "city-feedback" else REPORT_MAX_BYTES
    with SafeZip(path, max_total=max_total, max_entries=MAX_ENTRIES) as z:
        return _Reader(z, expected_type, expected_unit, key_for, progress, cancel).read()


class _Reader:
    def __init__(self, z: SafeZip, expected_type: str, expected_unit: str | None, key_for: KeyResolver,
                 progress: Progress | None, cancel: Callable[[], bool] | None) -> None:
        self.z = z
        self.expected_type = expected_type
        self.expected_unit = expected_unit
        self.key_for = key_for
        self.progress = progress
        self.cancel = cancel
        self.done = 0
        self.total = sum(e.usize for e in z.entries) or 1

    def _tick(self, n: int) -> None:
        self.done += n
        if self.cancel is not None and self.cancel():
            raise Cancelled()
        if self.progress is not None:
            self.progress(self.done, self.total)

    def read(self) -> Package:
        files = self._layout()
        # §2: every tag file (the manifests and signature.json included) is at most 64 KiB. Their declared
        # sizes are checked first, from the ZIP directory, before one byte is inflated or the key looked up.
        for name, e in files.items():
            if not name.startswith("data/"):
                self._check_tag_size(e)
        tag = {name: self._read_tag(files[name]) for name in
               ("bagit.txt", "bag-info.txt", "tagmanifest-sha256.txt", "signature.json")}
        self._check_bagit(tag["bagit.txt"])
        info = parse_info(tag["bag-info.txt"])
        head = self._check_header(info)
        key_id = self._check_signature(tag["signature.json"], tag["tagmanifest-sha256.txt"], head["sequence"])
        payload = {name: e for name, e in files.items() if name.startswith("data/")}
        tag["manifest-sha256.txt"] = self._read_tag(files["manifest-sha256.txt"])
        extra_manifests = self._check_tagmanifest(files, tag)
        head.update(self._check_info(info))
        digest = hashlib.sha256(tag["tagmanifest-sha256.txt"]).hexdigest()
        manifest = parse_manifest(tag["manifest-sha256.txt"], "manifest-sha256.txt")
        manifests = {"sha256": manifest, **extra_manifests}
        for alg, listed in manifests.items():
            what = f"manifest-{alg}.txt"
            for name in listed:
                if not name.startswith("data/"):
                    raise reject("bagit_malformed", f"{what} 列出了数据目录以外的“{shown(name)}”。", _RESEND)
                if name not in payload:
                    raise reject("missing_payload", f"清单 {what} 列出的文件“{shown(name)}”在数据包中找不到。",
                                 _RESEND)
            for name in payload:
                if name not in listed:
                    raise reject("unlisted_payload", f"数据包中的文件“{shown(name)}”没有列在清单 {what} 中。",
                                 _RESEND)
        octets = sum(e.usize for e in payload.values())
        if (octets, len(payload)) != head["oxum"]:
            raise reject("oxum_mismatch",
                         f"数据包的内容数量与标注不符（标注 {head['oxum'][1]} 个文件、{head['oxum'][0]} 字节，"
                         f"实际 {len(payload)} 个文件、{octets} 字节）。", _RESEND)
        records_entry = payload.get("data/records.jsonl")
        if records_entry is None and head["part"][0] == 1:  # later parts of a group may carry no record
            raise reject("bagit_malformed", "数据包中缺少记录文件 data/records.jsonl。", _RESEND)
        attached: dict[str, PayloadFile] = {}
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        try:
            for name, e in payload.items():
                sink = spool if e is records_entry else None
                actual = _hash_entry(self.z, e, self._tick, sink, manifests)
                for alg, listed in manifests.items():
                    if actual[alg] != listed[name]:
                        raise reject("manifest_mismatch",
                                     f"数据包中的“{shown(name)}”在签名后被改动过（{alg} 校验值不符）。",
                                     "数据包可能在传输中损坏或被人修改，请勿使用，并向发送方索取新的数据包。")
                if name.startswith("data/files/"):
                    fname = name[len("data/files/"):]
                    if fname != actual["sha256"]:
                        raise reject("file_not_hash", f"附件“{shown(fname)}”的文件名不是其内容的校验值。", _RESEND)
                    attached[fname] = PayloadFile(fname, e.usize, e)
            spool.seek(0)
            records: list[tuple[int, dict[str, Any]]] = []
            unknown: list[tuple[int, str]] = []
            for line, record, known in rec.parse_lines(spool, head["type"], head["sequence"]):
                if known:
                    records.append((line, record))
                else:
                    unknown.append((line, str(record["type"])))
        finally:
            spool.close()
        if head["type"] == "unit-report":
            first = records[0][1] if records else None
            if first is None or first["type"] != "unit" or first["id"] != head["unit"]:
                raise reject("bad_record", "records.jsonl 第 1 行应为本单位（unit）记录。", _RESEND)
        return Package(
            path=self.z.path, package_id=head["id"], package_type=head["type"], unit_code=head["unit"],
            sequence=head["sequence"], previous_digest=head["previous"], digest=digest, key_id=key_id,
            group_id=info.get("Bag-Group-Identifier", head["id"]), part_no=head["part"][0],
            part_count=head["part"][1], created=info["Created"], info=info, records=records, unknown=unknown,
            files=attached, size=self.z.size,
        )

    @staticmethod
    def _check_bagit(data: bytes) -> None:
        """RFC 8493 §2.1.1: exactly the two lines, nothing around them (LF, CR LF or CR line ends)."""
        lines = tag_text(data, "bagit.txt")
        if not _BAGIT.fullmatch("\n".join(lines) + "\n"):
            raise reject("bagit_malformed", "bagit.txt 内容不对（应恰为 BagIt-Version: 1.0 和 "
                         "Tag-File-Character-Encoding: UTF-8 两行，不能有多余的空白或字符）。", _RESEND)

    def _layout(self) -> dict[str, ZipEntry]:
        """All entries under one top folder, no duplicates; returns files by path inside that folder."""
        tops = set()
        files: dict[str, ZipEntry] = {}
        seen: set[str] = set()
        for e in self.z.entries:
            key = _path_key(e.name.rstrip("/"))
            if key in seen:
                raise reject("duplicate_name", f"数据包中的“{e.name}”出现了两次。",
                             "这不是一个正常的数据包，请勿使用，并告知发送方。")
            seen.add(key)
            top, _, rest = e.name.partition("/")
            tops.add(top)
            if e.is_dir:
                continue
            if not rest:
                raise reject("outside_folder", f"数据包中的“{e.name}”不在包文件夹内。", _RESEND)
            files[rest] = e
        if len(tops) != 1:
            raise reject("outside_folder", "数据包中的文件不在同一个包文件夹内。", _RESEND)
        self.top = tops.pop()
        for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"):
            if name not in files:
                raise reject("bagit_missing", f"数据包缺少 BagIt 文件 {name}。", _RESEND)
        if "fetch.txt" in files:
            raise reject("bagit_malformed", "数据包带有 fetch.txt（要求从网上下载内容），zgb/1 格式不允许。",
                         "这不是一个正常的数据包，请勿使用，并告知发送方。")
        if "signature.json" not in files:
            raise reject("signature_missing", "数据包没有签名（缺少 signature.json）。",
                         "无法确认数据包来自谁，请勿使用，并向发送方索取签名的数据包。")
        return files

    @staticmethod
    def _check_tag_size(e: ZipEntry) -> None:
        if e.usize > MAX_TAG_FILE:
            raise reject("too_large", f"数据包中的“{shown(e.name)}”过大（{e.usize} 字节；交换格式规定每个标签文件"
                         f"最多 {MAX_TAG_FILE} 字节，即 64 KiB）。", _RESEND)

    def _read_tag(self, e: ZipEntry) -> bytes:
        """A tag file, refused from its declared size before a byte is inflated (and never read past it)."""
        self._check_tag_size(e)
        data = self.z.read(e)
        self._tick(len(data))
        return data

    def _check_header(self, info: dict[str, str]) -> dict[str, Any]:
        """What the signature check needs (and what is cheap to say first): labels, format, type, unit, Sequence."""
        for label in REQUIRED_INFO:
            if not info.get(label):
                raise reject("bagit_malformed", f"bag-info.txt 缺少“{label}”。", _RESEND)
        m = _FMT.fullmatch(info["Exchange-Format"])
        if not m or m.group(1) != "1":
            raise reject("format_version", f"数据包的格式版本“{info['Exchange-Format']}”本程序不认识。",
                         "请升级整改通到最新版本，或请发送方按 zgb/1 格式重新生成。")
        ptype = info["Package-Type"]
        if ptype != self.expected_type:
            what = PACKAGE_TYPES.get(ptype, ptype)
            raise reject("wrong_type", f"这是{what}，不是{PACKAGE_TYPES[self.expected_type]}。",
                         "请确认导入的是对方发来的数据包，而不是本单位自己导出的。")
        if self.expected_unit is not None and info["Unit-Code"] != self.expected_unit:
            raise reject("wrong_unit",
                         f"这个数据包是发给单位“{info['Unit-Code']}”的，不是本单位（{self.expected_unit}）。",
                         "请确认拿到的是发给本单位的数据包。")
        text = info["Sequence"]
        if not _SEQUENCE.fullmatch(text) or not 1 <= int(text) <= MAX_SEQUENCE:
            raise reject("bagit_malformed", f"数据包序号“{shown(text[:40])}”不对（应为 1 至 {MAX_SEQUENCE} 的整数，"
                         "用半角数字书写）。", _RESEND)
        return {"type": ptype, "unit": info["Unit-Code"], "sequence": int(text)}

    def _check_info(self, info: dict[str, str]) -> dict[str, Any]:
        pid = info["External-Identifier"]
        if not _UUID.fullmatch(pid):
            raise reject("bagit_malformed", f"数据包编号“{shown(pid[:60])}”格式不对。", _RESEND)
        if pid != self.top:
            raise reject("outside_folder", "数据包文件夹名与其编号不一致。", _RESEND)
        prev = info["Previous-Package-Digest"]
        if prev != "none" and not _HEX64.fullmatch(prev):
            raise reject("bagit_malformed", "bag-info.txt 中上一包的校验值格式不对。", _RESEND)
        cm = _COUNT.fullmatch(info["Bag-Count"])
        if not cm or not 1 <= int(cm.group(1)) <= int(cm.group(2)) <= MAX_PARTS:
            raise reject("bagit_malformed", f"分卷标注“{shown(info['Bag-Count'][:40])}”不对。", _RESEND)
        part = (int(cm.group(1)), int(cm.group(2)))
        if part[1] > 1 and not _UUID.fullmatch(info.get("Bag-Group-Identifier", "")):
            raise reject("bagit_malformed", "分卷数据包缺少分组编号（Bag-Group-Identifier）。", _RESEND)
        om = _OXUM.fullmatch(info["Payload-Oxum"])
        if not om:
            raise reject("bagit_malformed", "bag-info.txt 中的 Payload-Oxum 格式不对。", _RESEND)
        from core.dates import is_date, is_timestamp

        if not is_timestamp(info["Created"]) or not is_date(info["Bagging-Date"]):
            raise reject("bagit_malformed", "bag-info.txt 中的日期格式不对。", _RESEND)
        return {"id": pid, "previous": prev, "part": part, "oxum": (int(om.group(1)), int(om.group(2)))}

    def _check_tagmanifest(self, files: dict[str, ZipEntry], tag: dict[str, bytes]) -> dict[str, dict[str, str]]:
        """The signed tag manifest covers every tag file; other manifests RFC 8493 allows must hold too.

        Returns the extra payload manifests (manifest-md5.txt …) by algorithm, parsed.
        """
        listed = parse_manifest(tag["tagmanifest-sha256.txt"], "tagmanifest-sha256.txt")
        for name in TAG_FILES:
            if name not in listed:
                raise reject("bagit_malformed", f"标签清单没有列出 {name}。", _RESEND)
        for name in listed:
            if name.startswith("data/") or name in ("signature.json", "tagmanifest-sha256.txt"):
                raise reject("bagit_malformed", f"标签清单不应列出 {shown(name)}。", _RESEND)
            if name not in files:
                raise reject("tagmanifest_mismatch", f"标签清单列出的“{shown(name)}”在数据包中找不到。", _RESEND)
        extra: dict[str, dict[str, str]] = {}
        tag_manifests: dict[str, dict[str, str]] = {}
        for name, e in files.items():
            if name.startswith("data/") or name in ("signature.json", "tagmanifest-sha256.txt"):
                continue
            if name not in listed:
                raise reject("extra_tag_file", f"数据包中多了一个未登记的文件“{shown(name)}”。", _RESEND)
            m = _MANIFEST_NAME.fullmatch(name)
            is_payload_manifest = m is not None and not m.group(1)
            if name not in tag:
                tag[name] = self._read_tag(e)
            data = tag[name]
            if hashlib.sha256(data).hexdigest() != listed[name]:
                raise reject("tagmanifest_mismatch", f"数据包中的“{shown(name)}”在签名后被改动过（校验值不符）。",
                             "数据包可能在传输中损坏或被人修改，请勿使用，并向发送方索取新的数据包。")
            if m is None:
                tag_text(data, name)  # any other tag file: the same limits
                continue
            alg = m.group(2)
            if alg not in MANIFEST_ALGS:
                raise reject("bagit_malformed", f"数据包中的清单 {shown(name)} 使用了不支持的校验算法。", _RESEND)
            if is_payload_manifest:
                if alg != "sha256":
                    extra[alg] = parse_manifest(data, name, alg)
            else:
                tag_manifests[name] = parse_manifest(data, name, alg)
        for name, entries in tag_manifests.items():
            alg = _MANIFEST_NAME.fullmatch(name).group(2)  # type: ignore[union-attr]
            for path, digest in entries.items():
                if path.startswith("data/") or path not in tag or path in ("signature.json", name):
                    raise reject("tagmanifest_mismatch", f"标签清单 {name} 列出的“{shown(path)}”不是本包的标签文件。",
                                 _RESEND)
                if hashlib.new(alg, tag[path]).hexdigest() != digest:
                    raise reject("tagmanifest_mismatch", f"数据包中的“{shown(path)}”与标签清单 {name} 不符。",
                                 "数据包可能在传输中损坏或被人修改，请勿使用，并向发送方索取新的数据包。")
        return extra

    def _check_signature(self, raw: bytes, signed: bytes, sequence: int) -> str:
        bad_hint = "无法确认数据包来自谁、是否被改动，请勿使用，并向发送方索取新的数据包。"
        try:
            sig = json.loads(raw.decode("utf-8"))  # at most 64 KiB (read as a tag file)
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: 64 KiB of "["
            raise reject("signature_invalid", "数据包的签名文件已损坏。", bad_hint) from None
        if not isinstance(sig, dict):
            raise reject("signature_invalid", "数据包的签名文件已损坏。", bad_hint)
        if sig.get("alg") != "Ed25519":
            raise reject("bad_alg", f"数据包使用了不支持的签名算法“{sig.get('alg')}”。", bad_hint)
        if sig.get("signed_file") != "tagmanifest-sha256.txt":
            raise reject("signature_invalid", "数据包的签名对象不对。", bad_hint)
        key_id = sig.get("key_id")
        if not isinstance(key_id, str) or not re.fullmatch(r"[0-9a-f]{16}", key_id):
            raise reject("signature_invalid", "数据包签名中的密钥编号格式不对。", bad_hint)
        try:
            signature = base64.b64decode(str(sig.get("signature", "")), validate=True)
        except (binascii.Error, ValueError):
            raise reject("signature_invalid", "数据包的签名已损坏。", bad_hint) from None
        public = self.key_for(key_id, sequence)
        try:
            public.verify(signature, signed)
        except InvalidSignature:
            raise reject("signature_invalid", "数据包的签名不正确：内容在签名后被改动过，或不是由声称的一方签发。",
                         bad_hint) from None
        return key_id


# -- writing -------------------------------------------------------------------------------------

@dataclass
class SourceFile:
    sha256: str
    size: int
    path: Path


@dataclass
class WrittenPackage:
    path: Path
    package_id: str
    digest: str
    size: int
    files: list[str] = field(default_factory=list)


def info_lines(info: dict[str, str]) -> bytes:
    return "".join(f"{k}: {v}\n" for k, v in info.items()).encode("utf-8")


def _zinfo(name: str, created: str, method: int, size: int) -> zipfile.ZipInfo:
    stamp = datetime.fromisoformat(created.replace("Z", "+00:00"))
    zi = zipfile.ZipInfo(name, date_time=(max(stamp.year, 1980), stamp.month, stamp.day,
                                          stamp.hour, stamp.minute, stamp.second))
    zi.create_system = 3  # always Unix attributes: readers check them strictly
    zi.external_attr = 0o100644 << 16
    zi.compress_type = method
    zi.file_size = size
    return zi


def write_failure(exc: OSError, target: Path) -> UserError:
    where = target.parent
    if exc.errno == errno.ENOSPC:
        return UserError(f"“{where}”空间不足，数据包没有写完。",
                         hint="请换一个空间更大的U盘或文件夹后重新导出；已删除写了一半的文件。")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return UserError(f"无法写入“{where}”（只读或没有权限）。", hint="请检查U盘是否写保护，或换一个文件夹。")
    return UserError(f"写入“{where}”时出错（{exc.strerror or exc}），U盘可能已被拔出。",
                     hint="请重新插好U盘后再导出；已删除写了一半的文件。")


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


RECORDS_NAME = "data/records.jsonl"
# What a bag-info.txt value is called where a person can change it (the writer's refusals name it).
INFO_WORDS = {"Source-Organization": "单位名称", "Unit-Code": "单位代码", "Section-Code": "科室代码"}


class TagLimitExceeded(InputRefused):
    """A package would break a §2 tag-file limit: refused before anything is written."""

    def __init__(self, message: str, *, hint: str, label: str = "") -> None:
        super().__init__(message, hint=hint)
        self.label = label


def payload_name(sha256: str) -> str:
    return f"data/files/{sha256}"


def manifest_line_size(path: str) -> int:
    """Bytes of one manifest line as `write_package` writes it: 64 hex digits, two spaces, the path, LF."""
    return 64 + 2 + len(path.encode("utf-8")) + 1


def check_info(info: dict[str, str]) -> bytes:
    """bag-info.txt as written, after §2's limits (each value one line, lines ≤ 8 KiB, the file ≤ 64 KiB)."""
    for label, value in info.items():
        word = INFO_WORDS.get(label, label)
        if _LINE_END.search(value) or _LINE_END.search(label):
            raise TagLimitExceeded(f"{word}中有换行，写不进数据包（交换格式要求 bag-info.txt 每项一行）。",
                                   hint=f"请把{word}改为一行后再导出。", label=label)
        size = len(f"{label}: {value}".encode())
        if size > MAX_TAG_LINE:
            raise TagLimitExceeded(f"{word}太长（写进数据包有 {size} 字节，交换格式规定 bag-info.txt 每行最多 "
                                   f"{MAX_TAG_LINE} 字节）。", hint=f"请缩短{word}后再导出。", label=label)
    data = info_lines(info)
    _check_tag_file("bag-info.txt", data)
    return data


def _check_tag_file(name: str, data: bytes) -> None:
    if len(data) > MAX_TAG_FILE:
        raise TagLimitExceeded(f"数据包的 {name} 会有 {len(data)} 字节，超过交换格式规定的每个标签文件 64 KiB"
                               f"（{MAX_TAG_FILE} 字节），没有导出。", hint="请把材料分成几个较小的数据包导出。",
                               label=name)


def write_package(target: Path, *, info: dict[str, str], records: Iterable[bytes], files: list[SourceFile],
                  signer: Ed25519PrivateKey, key_id: str, progress: Callable[[int], None] | None = None,
                  cancel: Callable[[], bool] | None = None, publish: bool = True) -> WrittenPackage:
    """Write one signed bag as `target` (temp name, fsync, rename). `info` lacks Payload-Oxum.

    `info` must hold External-Identifier; Payload-Oxum is computed here and inserted after Bagging-Date.
    Every tag file is built and held to §2's limits before the first byte is written: a package the spec
    forbids is never written (`TagLimitExceeded`; `plan_parts` keeps each part's manifest within them).
    With `publish=False` the bag stays under its hidden temporary name (returned as `path`), for the caller
    to verify and record before `publish_package` gives it its real name.
    """
    pid = info["External-Identifier"]
    created = info["Created"]
    body = b"".join(records)
    # The manifest is known before a file is copied: each file is named by its hash (checked as it is copied).
    manifest = [(hashlib.sha256(body).hexdigest(), RECORDS_NAME)]
    manifest += [(src.sha256, payload_name(src.sha256)) for src in files]
    octets = len(body) + sum(src.size for src in files)
    ordered: dict[str, str] = {}
    for k, v in info.items():
        ordered[k] = v
        if k == "Bagging-Date":
            ordered["Payload-Oxum"] = f"{octets}.{len(manifest)}"
    if "Payload-Oxum" not in ordered:
        ordered["Payload-Oxum"] = f"{octets}.{len(manifest)}"
    tags = {
        "bagit.txt": BAGIT_TXT,
        "bag-info.txt": check_info(ordered),
        "manifest-sha256.txt": "".join(f"{h}  {p}\n" for h, p in sorted(manifest, key=lambda x: x[1]))
        .encode("utf-8"),
    }
    _check_tag_file("manifest-sha256.txt", tags["manifest-sha256.txt"])
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            with zipfile.ZipFile(fh, "w", allowZip64=True) as zf:
                zf.writestr(_zinfo(f"{pid}/{RECORDS_NAME}", created, _text_method(body), len(body)), body)
                for src in files:
                    digest = _copy_into(zf, src, f"{pid}/{payload_name(src.sha256)}", created, progress, cancel)
                    if digest != src.sha256:
                        raise UserError(f"佐证材料文件 {src.sha256[:12]}… 的内容已改变，无法导出。",
                                        hint="请运行 verify 检查佐证材料，必要时从备份恢复。",
                                        window_hint=EVIDENCE_DAMAGED_WINDOW)
                for name, data in tags.items():
                    zf.writestr(_zinfo(f"{pid}/{name}", created, zipfile.ZIP_DEFLATED, len(data)), data)
                tagmanifest = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in tags.items()).encode()
                zf.writestr(_zinfo(f"{pid}/tagmanifest-sha256.txt", created, zipfile.ZIP_DEFLATED,
                                   len(tagmanifest)), tagmanifest)
                signature = {"alg": "Ed25519", "key_id": key_id, "signed_file": "tagmanifest-sha256.txt",
                             "signature": base64.b64encode(signer.sign(tagmanifest)).decode("ascii")}
                sig_bytes = json.dumps(signature).encode("utf-8")
                zf.writestr(_zinfo(f"{pid}/signature.json", created, zipfile.ZIP_DEFLATED, len(sig_bytes)),
                            sig_bytes)
            fh.flush()
            os.fsync(fh.fileno())
        size = tmp.stat().st_size
        if publish:
            faults.replace(tmp, target)  # retried while an antivirus scanner holds it
            fsync_dir(target.parent)
    except OSError as exc:
        _remove(tmp)
        raise write_failure(exc, target) from None
    except BaseException:
        _remove(tmp)
        raise
    return WrittenPackage(target if publish else tmp, pid, hashlib.sha256(tagmanifest).hexdigest(), size,
                          [h for h, p in manifest if p.startswith("data/files/")])


def _text_method(data: bytes) -> int:
    """Deflate text, except where a reader would take the ratio for a zip bomb (§8: > 1 MiB and > 200:1)."""
    if len(data) > 1024 * 1024 and len(data) > 150 * len(zlib.compress(data)):
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


def publish_package(tmp: Path, target: Path) -> None:
    """Give a verified, recorded bag its real name (an atomic rename on the same folder)."""
    try:
        faults.replace(tmp, target)  # retried while an antivirus scanner holds it
        fsync_dir(target.parent)
    except OSError as exc:
        raise write_failure(exc, target) from None


def publish_all(written: list[tuple[Path, Path]]) -> list[Path]:
    """Publish the parts of one package in order; if one fails, the ones already named are removed again."""
    done: list[Path] = []
    try:
        for tmp, target in written:
            publish_package(tmp, target)
            done.append(target)
    except BaseException:
        for p in done:
            remove_quietly(p)
        raise
    return done


def _copy_into(zf: zipfile.ZipFile, src: SourceFile, name: str, created: str,
               progress: Callable[[int], None] | None, cancel: Callable[[], bool] | None) -> str:
    h = hashlib.sha256()
    zi = _zinfo(name, created, zipfile.ZIP_STORED, src.size)
    try:
        inp = open(src.path, "rb")  # noqa: SIM115
    except FileNotFoundError:
        raise UserError(f"佐证材料文件 {src.sha256[:12]}… 不见了，无法导出。",
                        hint="请运行 verify 检查佐证材料，必要时从备份恢复。",
                        window_hint=EVIDENCE_DAMAGED_WINDOW) from None
    with inp, zf.open(zi, "w", force_zip64=src.size > 2**31) as out:
        while chunk := inp.read(CHUNK):
            h.update(chunk)
            out.write(chunk)
            if progress:
                progress(len(chunk))
            if cancel is not None and cancel():
                raise Cancelled("已取消导出，没有留下任何文件。")
    return h.hexdigest()


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def remove_quietly(path: Path) -> None:
    _remove(path)


def plan_parts(record_bytes: int, files: list[SourceFile], limit: int,
               max_entries: int = MAX_ENTRIES - 10, *, max_manifest: int = MAX_TAG_FILE) -> list[list[SourceFile]]:
    """Spread attached files over parts (spec §6): part 1 holds the records; a file too big travels alone.

    A part is bounded by the volume `limit` (bytes), by `max_entries` files, and by its manifest-sha256.txt:
    one line per payload file (records.jsonl included) must stay within `max_manifest` bytes (§2: 64 KiB per
    tag file, about 460 attached files a part).
    """
    overhead = 200
    base = manifest_line_size(RECORDS_NAME)
    smallest = manifest_line_size(payload_name("0" * 64))
    parts: list[list[SourceFile]] = [[]]
    sizes = [record_bytes + 4096]
    manifests = [base]
    open_parts = [0]  # parts that can still take a manifest line, in order (first fit)
    for f in sorted(files, key=lambda x: -x.size):
        line = manifest_line_size(payload_name(f.sha256))
        need = f.size + overhead + 2 * len(f.sha256) + line  # its manifest line counts in the volume too
        for i in open_parts:
            if sizes[i] + need <= limit and manifests[i] + line <= max_manifest:
                break
        else:
            parts.append([])
            sizes.append(4096)
            manifests.append(base)
            i = len(parts) - 1
            open_parts.append(i)
        parts[i].append(f)
        sizes[i] += need
        manifests[i] += line
        if len(parts[i]) >= max_entries or manifests[i] + smallest > max_manifest:
            open_parts.remove(i)
    return parts


def package_file_name(unit_code: str, package_type: str, sequence: int, part: int = 0, count: int = 1) -> str:
    suffix = f"_part{part:02d}" if count > 1 else ""
    return f"{unit_code}_{package_type}_{sequence:06d}{suffix}.zgb"
