"""Makers of hostile files, shared by tests/reliability/test_hostile.py and bench/hostile_bench.py.

Every maker writes a file cheaply (streamed, no large buffer): zip bombs, traversal names, links, many
entries, GBK names, sparse files, spreadsheets with a million formatted empty rows or a huge string table.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

PID = "0f0e0d0c-0000-4000-8000-0000000000bb"
MB = 2**20


def _info(name: str, method: int = zipfile.ZIP_DEFLATED, mode: int = 0o100644) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=(2026, 4, 1, 9, 0, 0))
    zi.create_system = 3
    zi.external_attr = mode << 16
    zi.compress_type = method
    return zi


def _bag_tags(z: zipfile.ZipFile, skip: str = "") -> None:
    for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt", "signature.json"):
        if name != skip:
            z.writestr(_info(f"{PID}/{name}"), b"x\n")


def zeros_entry(z: zipfile.ZipFile, name: str, size: int) -> None:
    """An entry of `size` zero bytes, deflated while streaming (1 MiB at a time)."""
    with z.open(_info(name), "w", force_zip64=size > 2**31) as out:
        block = bytes(MB)
        left = size
        while left:
            out.write(block[: min(MB, left)])
            left -= min(MB, left)


def zip_bomb(path: Path, size: int = 320 * MB) -> Path:
    """A package whose one payload entry inflates 320 MB of zeros from about 300 KB."""
    with zipfile.ZipFile(path, "w") as z:
        _bag_tags(z)
        zeros_entry(z, f"{PID}/data/files/{'0' * 64}", size)
    return path


def inner_bomb(path: Path, size: int = 320 * MB) -> Path:
    """A ZIP of `size` zero bytes in four entries: about size/1000 on disk."""
    with zipfile.ZipFile(path, "w") as z:
        for i in range(4):
            zeros_entry(z, f"layer{i}.bin", size // 4)
    return path


def signed_nested_bomb(path: Path, key, inner_size: int = 320 * MB) -> Path:  # noqa: ANN001
    """A valid signed feedback package whose notice carries a ZIP bomb as its attachment."""
    import hashlib
    import sys

    tools = str(Path(__file__).resolve().parents[2] / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    from city_desk import write_feedback

    from core.exchange.bag import SourceFile

    inner = inner_bomb(path.with_suffix(".inner.zip"), inner_size)
    data = inner.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    ts = "2026-04-01T09:00:00+08:00"
    records = [
        {"type": "assignment", "id": "ZS-BOMB-001", "title": "附件为压缩包的任务", "source": "audit",
         "category": "phased", "deadline": "2026-06-30", "issued": ts},
        {"type": "notice", "id": "DB-BOMB-001", "level": "red", "task_ref": "ZS-BOMB-001", "title": "督办",
         "text": "见附件。", "issued": ts, "issuer": "市督查室", "respond_by": "2026-04-20", "attachments": [sha]},
    ]
    write_feedback(path, key=key, unit_code="442000-017", seq=1, records=records,
                   files=[SourceFile(sha, len(data), inner)])
    inner.unlink()
    return path


def lying_bomb(path: Path, real: int = 64 * MB, claimed: int = 4096) -> Path:
    """bagit.txt declares `claimed` bytes but inflates to `real`: its ratio looks harmless, and it is read first."""
    with zipfile.ZipFile(path, "w") as z:
        zeros_entry(z, f"{PID}/bagit.txt", real)
        _bag_tags(z, skip="bagit.txt")
    data = bytearray(path.read_bytes())
    # patch the uncompressed size in the local header (offset 22) and in the central directory entry (24)
    struct.pack_into("<L", data, 22, claimed)
    cd = data.find(b"PK\x01\x02")
    struct.pack_into("<L", data, cd + 24, claimed)
    path.write_bytes(bytes(data))
    return path


def named(path: Path, names: list[str], mode: int = 0o100644) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for n in names:
            z.writestr(_info(n, mode=mode), b"owned\n")
    return path


def traversal(path: Path, name: str) -> Path:
    return named(path, [f"{PID}/bagit.txt", name])


def symlink(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(_info(f"{PID}/bagit.txt"), b"x\n")
        z.writestr(_info(f"{PID}/data/records.jsonl", zipfile.ZIP_STORED, 0o120777), b"/etc/passwd")
    return path


def many_entries(path: Path, count: int = 100_000) -> Path:
    """`count` tiny stored entries under the package folder."""
    with zipfile.ZipFile(path, "w") as z:
        _bag_tags(z)
        for i in range(count - 5):
            z.writestr(_info(f"{PID}/data/files/{i:064x}", zipfile.ZIP_STORED), b"")
    return path


def gbk_name(path: Path) -> Path:
    """An entry name in GBK bytes (as old Chinese zip tools write it): not UTF-8."""
    gbk = "整改材料.txt".encode("gbk")
    placeholder = b"Q" * len(gbk)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(_info(f"{PID}/bagit.txt"), b"x\n")
        z.writestr(_info(f"{PID}/data/{placeholder.decode()}"), b"x\n")
    path.write_bytes(path.read_bytes().replace(placeholder, gbk))
    return path


def sparse_file(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk space (a hole) — a 2 GB scan without the disk."""
    with open(path, "wb") as f:
        f.truncate(size)
    return path


# -- spreadsheets ---------------------------------------------------------------------------------------------

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '<Override PartName="/xl/styles.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
       '<Override PartName="/xl/sharedStrings.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="问题清单" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'styles" Target="styles.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="2"><border/><border><left style="thin"/><right style="thin"/><top style="thin"/>'
           '<bottom style="thin"/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
           '</styleSheet>')
HEADER = ["序号", "问题来源", "批次", "问题描述", "整改类别", "责任人", "整改时限"]
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr" s="1"><is><t>{text}</t></is></c>'


def _xlsx(path: Path, sheet_rows, shared_strings=None) -> Path:  # noqa: ANN001
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/styles.xml", _STYLES)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS}>'.encode())
            for chunk in shared_strings or ():
                out.write(chunk)
            out.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>'.encode())
            for chunk in sheet_rows:
                out.write(chunk)
            out.write(b"</sheetData></worksheet>")
    return path


def _problem_rows(first: int, count: int) -> str:
    out = []
    for i in range(count):
        r = first + i
        cells = [str(i + 1), "巡察", "第一轮", f"问题{r}：档案管理不规范", "立行立改", "李四", "2026-06-30"]
        out.append(f'<row r="{r}">' + "".join(_inline(f"{chr(65 + j)}{r}", v) for j, v in enumerate(cells))
                   + "</row>")
    return "".join(out)


def empty_formatted_rows(path: Path, empty: int = 1_000_000, problems: int = 3) -> Path:
    """A header, a few problems, then `empty` rows that carry only a border style (as WPS leaves them)."""

    def rows():  # noqa: ANN202
        yield ('<row r="1">' + "".join(_inline(f"{chr(65 + j)}1", h) for j, h in enumerate(HEADER))
               + "</row>").encode()
        yield _problem_rows(2, problems).encode()
        first = problems + 2
        batch = []
        for r in range(first, first + empty):
            batch.append(f'<row r="{r}" s="1" customFormat="1">'
                         + "".join(f'<c r="{chr(65 + j)}{r}" s="1"/>' for j in range(7)) + "</row>")
            if len(batch) == 10_000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode()

    return _xlsx(path, rows())


def shared_strings_bomb(path: Path, size: int = 400 * MB) -> Path:
    """A string table of `size` bytes (millions of tiny strings) that deflates to about 1 MB."""

    def strings():  # noqa: ANN202
        unit = b"<si><t>a</t></si>" * 60_000
        left = size
        while left > 0:
            yield unit
            left -= len(unit)

    header = ('<row r="1">' + "".join(_inline(f"{chr(65 + j)}1", h) for j, h in enumerate(HEADER))
              + "</row>").encode()
    return _xlsx(path, [header, _problem_rows(2, 2).encode()], strings())


def inflate_size(path: Path) -> int:
    """Sum of the declared uncompressed sizes (for the figures)."""
    with zipfile.ZipFile(path) as z:
        return sum(i.file_size for i in z.infolist())



# -- before the signature, and signed but hostile (issue 15) --------------------------------------------------

def signed_bag(path: Path, key, *, info_extra: bytes = b"", sequence: str = "1",  # noqa: ANN001
               records: bytes = b'{"type":"settings","id":"S","red_after_days":7}\n', stored: bool = False) -> Path:
    """A feedback bag for unit 442000-017 signed with `key` (any Ed25519 key: the city's or an intruder's),
    with `info_extra` appended to bag-info.txt byte for byte and `records` as data/records.jsonl."""
    import base64
    import hashlib
    import json

    from core.exchange.keys import raw_public
    from core.exchange.records import key_id_for

    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info = (f"Source-Organization: 市督查室\nBagging-Date: 2026-04-01\nPayload-Oxum: {len(records)}.1\n"
            f"External-Identifier: {PID}\nBag-Count: 1 of 1\nExchange-Format: zgb/1\nPackage-Type: city-feedback\n"
            f"Unit-Code: 442000-017\nSequence: {sequence}\nPrevious-Package-Digest: none\n"
            "Created: 2026-04-01T09:00:00+08:00\nGenerator: hostile kit\n").encode() + info_extra
    bagit_txt = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    manifest = f"{hashlib.sha256(records).hexdigest()}  data/records.jsonl\n".encode()
    tagman = b"".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n".encode() for n, d in
                      (("bagit.txt", bagit_txt), ("bag-info.txt", info), ("manifest-sha256.txt", manifest)))
    sig = json.dumps({"alg": "Ed25519", "key_id": key_id_for(raw_public(key)), "signed_file": "tagmanifest-sha256.txt",
                      "signature": base64.b64encode(key.sign(tagman)).decode()}).encode()
    with zipfile.ZipFile(path, "w", allowZip64=True) as z:
        for name, data in (("data/records.jsonl", records), ("bagit.txt", bagit_txt), ("bag-info.txt", info),
                           ("manifest-sha256.txt", manifest), ("tagmanifest-sha256.txt", tagman),
                           ("signature.json", sig)):
            z.writestr(_info(f"{PID}/{name}", method), data)
    return path


def intruder_key():  # noqa: ANN201
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def bag_info_flood(path: Path, size: int = 16 * MB) -> Path:
    """The attack that took 26 minutes: `size` bytes of bag-info continuation lines, from an untrusted key.
    Random hex, stored: no ratio check can catch it, only the tag-file limit."""
    import os

    lines = b"".join(b" " + os.urandom(24).hex().encode() + b"\n" for _ in range(size // 50))
    return signed_bag(path, intruder_key(), info_extra=b"X-Note: start\n" + lines, stored=True)


def sequence_claim(path: Path, key, sequence: str) -> Path:  # noqa: ANN001
    return signed_bag(path, key, sequence=sequence)


def deep_record(path: Path, key, depth: int = 10_000) -> Path:  # noqa: ANN001
    line = b'{"type":"settings","id":"S","x":' + b"[" * depth + b"]" * depth + b"}\n"
    return signed_bag(path, key, records=line)


def long_number_record(path: Path, key, digits: int = 5_000) -> Path:  # noqa: ANN001
    return signed_bag(path, key, records=b'{"type":"settings","id":"S","red_after_days":' + b"9" * digits + b"}\n")


def long_line_record(path: Path, key, size: int = 64 * MB) -> Path:  # noqa: ANN001
    """One record line of `size` bytes (random hex inside a string): refused after reading 1 MiB of it."""
    import os

    body = b'{"type":"settings","id":"S","x":"' + os.urandom(size // 2).hex().encode() + b'"}\n'
    return signed_bag(path, key, records=body, stored=True)


def named_pipe(path: Path) -> Path:
    import os

    os.mkfifo(path)
    return path


def _header_row() -> bytes:
    return ('<row r="1">' + "".join(_inline(f"{chr(65 + j)}1", h) for j, h in enumerate(HEADER)) + "</row>").encode()


def error_flood(path: Path, rows: int = 1_000_000) -> Path:
    """A header, then `rows` problems each with a typo year (2206): one row error per row."""

    def body():  # noqa: ANN202
        yield _header_row()
        batch = []
        for r in range(2, rows + 2):
            cells = [str(r - 1), "巡察", "第一轮", f"问题{r}：档案管理不规范", "立行立改", "李四", "2206-06-30"]
            batch.append(f'<row r="{r}">' + "".join(_inline(f"{chr(65 + j)}{r}", v) for j, v in enumerate(cells))
                         + "</row>")
            if len(batch) == 10_000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode()

    return _xlsx(path, body())


def undefined_entity(path: Path) -> Path:
    """A cell text using an XML entity no DTD defines (&bogus;)."""
    row = '<row r="2">' + _inline("A2", "1") + '<c r="D2" t="inlineStr"><is><t>问题&bogus;</t></is></c></row>'
    return _xlsx(path, [_header_row(), row.encode()])


def impossible_reference(path: Path) -> Path:
    """A cell whose reference is outside any sheet (column ZZZZZ, row 99,999,999)."""
    row = '<row r="2">' + _inline("A2", "1") + _inline("ZZZZZ99999999", "问题") + "</row>"
    return _xlsx(path, [_header_row(), _problem_rows(3, 1).encode(), row.encode()])


def shared_string_out_of_range(path: Path) -> Path:
    """A cell pointing at shared string 999,999 of a table holding one."""
    row = '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="D2" t="s"><v>999999</v></c></row>'
    return _xlsx(path, [_header_row(), row.encode()], [b"<si><t>1</t></si>"])


def far_cell(path: Path) -> Path:
    """Two problems, then one valid cell at XFD1048576, the last cell Excel has (a dense reader would build
    17 billion cells)."""
    row = '<row r="1048576">' + _inline("XFD1048576", "x") + "</row>"
    return _xlsx(path, [_header_row(), _problem_rows(2, 2).encode(), row.encode()])


def ods_repeated_cells(path: Path, rows: int = 1_000_000, cols: int = 16_000) -> Path:
    """An .ods of a few hundred bytes whose -repeated attributes claim rows × cols cells with content."""
    t = 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               f'{t} xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="S"><table:table-row>'
               '<table:table-cell office:value-type="string"><text:p>序号</text:p></table:table-cell>'
               f'</table:table-row><table:table-row table:number-rows-repeated="{rows}">'
               f'<table:table-cell table:number-columns-repeated="{cols}" office:value-type="string">'
               '<text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
    return path


def _backup_names() -> tuple[str, str]:
    from core.team.backup import DB_ENTRY, MANIFEST

    return MANIFEST, DB_ENTRY


def rebuild_backup(src: Path, dst: Path, change_db: Callable[[Any], None]) -> None:
    """The same backup with its database changed, and a manifest that matches again (what an intruder does)."""
    import hashlib
    import json
    import sqlite3

    MANIFEST, DB_ENTRY = _backup_names()  # noqa: N806
    with zipfile.ZipFile(src) as zin:
        manifest = json.loads(zin.read(MANIFEST))
        entries = {n: zin.read(n) for n in zin.namelist() if n != MANIFEST}
    tmp = dst.with_suffix(".sqlite3")
    tmp.write_bytes(entries[DB_ENTRY])
    con = sqlite3.connect(tmp)
    change_db(con)
    con.commit()
    con.close()
    data = tmp.read_bytes()
    entries[DB_ENTRY] = data
    for f in manifest["files"]:
        if f["path"] == DB_ENTRY:
            f["sha256"], f["size"] = hashlib.sha256(data).hexdigest(), len(data)
    with zipfile.ZipFile(dst, "w") as zout:
        for n, b in entries.items():
            zout.writestr(n, b)
        zout.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False))
    tmp.unlink()


def damage_database(db: Path) -> None:
    """Overwrite one page in the middle of the tasks table (what a failing disk does)."""
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root_page = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'tasks'").fetchone()[0]
    con.close()
    data = bytearray(db.read_bytes())
    at = (root_page - 1) * page
    data[at:at + page] = b"\xde\xad\xbe\xef" * (page // 4)
    db.write_bytes(bytes(data))
