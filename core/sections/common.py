"""What both ends of the section exchange share: codes, key lookup, the Sequence rules per section."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import InputRefused, PackageRejected, UserError
from core.exchange import bag
from core.exchange.keys import format_key_id, public_from_b64
from db.models import Key, PackageLog, Setting

SECTION_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,15}$")
TASKS = "section-tasks"
REPORT = "section-report"
SECTION_OWNER = "section"  # at the unit: a section desk's key
PARENT_OWNER = "parent"  # at a section desk: the unit's key
ROLE_KEY = "desk_role"
SECTION_CODE_KEY = "desk_section_code"
SECTION_NAME_KEY = "desk_section_name"


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not SECTION_CODE_RE.match(code):
        raise InputRefused(f"科室代码“{code}”格式不对。",
                           hint="科室代码由字母、数字和短横线组成，最多 16 个字符，例如 CZS 或 03。")
    return code


def out_counter(code: str) -> str:
    """The Counter holding the last Sequence sent to (or by) section `code`."""
    return f"secout:{code}"


def file_name(unit_code: str, section_code: str, package_type: str, sequence: int, part: int = 1,
              count: int = 1) -> str:
    return bag.package_file_name(f"{unit_code}_{section_code}", package_type, sequence, part, count)


def key_resolver(session: Session, owner: str, code: str | None, who: str) -> bag.KeyResolver:
    """The trusted keys of `owner` (and of that section `code`), or the reason a package cannot be trusted."""

    def key_for(key_id: str, sequence: int) -> Ed25519PublicKey:
        q = select(Key).where(Key.owner == owner)
        if code is not None:
            q = q.where(Key.code == code)
        trusted = list(session.scalars(q))
        if not trusted:
            raise PackageRejected(f"还没有登记{who}的公钥，无法确认数据包来源。", reason_code="no_trust_anchor",
                                  hint=f"请先导入{who}提供的公钥文件，并电话核对密钥编号。")
        key = next((k for k in trusted if k.key_id == key_id), None)
        if key is None:
            raise PackageRejected(f"数据包由一把不信任的密钥（{format_key_id(key_id)}）签名，无法确认来自{who}。",
                                  reason_code="unknown_key", hint="请勿使用这个数据包，并电话向对方核实。")
        if sequence < key.valid_from_sequence or (key.valid_to_sequence is not None
                                                  and sequence >= key.valid_to_sequence):
            raise PackageRejected(f"第 {sequence} 号数据包所用的密钥（{format_key_id(key_id)}）对这个序号无效"
                                  "（密钥已经更换）。", reason_code="key_not_valid",
                                  hint="请勿使用这个数据包，并电话向对方核实。")
        return public_from_b64(key.public_key)

    return key_for


def take_key_record(session: Session, record: dict[str, Any], owner: str, code: str, name: str,
                    line: int) -> Key | None:
    """Check a `key` record (rotation, spec §3) naming a key of `owner`/`code`: the new key, to add once the
    package is applied, or None if it is trusted already. A key id trusted for anything else refuses the package."""
    existing = session.get(Key, record["key_id"])
    if existing is not None:
        if existing.owner != owner or existing.code != code:
            raise PackageRejected(f"数据包第 {line} 行宣布的新密钥已登记为别的用途。", reason_code="bad_key_record",
                                  hint="整个数据包没有导入。请电话向对方核实。")
        return None
    return Key(key_id=record["key_id"], owner=owner, public_key=record["public_key"],
               valid_from_sequence=record["valid_from_sequence"], name=name, code=code, added=_now())


def close_older_keys(session: Session, owner: str, code: str, signer_id: str, sequence: int) -> None:
    """A package signed by a rotated-in key was accepted: the keys it replaced sign nothing from this Sequence on."""
    signer = session.get(Key, signer_id)
    if signer is None:
        return
    for k in session.scalars(select(Key).where(Key.owner == owner, Key.code == code, Key.key_id != signer_id,
                                                Key.valid_to_sequence.is_(None))):
        if k.valid_from_sequence < signer.valid_from_sequence:
            k.valid_to_sequence = max(sequence, k.valid_from_sequence + 1)


def _now() -> str:
    from core.dates import now_ts

    return now_ts()


def accepted_in(session: Session, package_type: str, code: str) -> dict[int, PackageLog]:
    """The accepted packages of one (section, direction) by Sequence (part 1 of a group: its digest is the group's)."""
    rows = session.scalars(select(PackageLog).where(
        PackageLog.direction == "in", PackageLog.package_type == package_type, PackageLog.section_code == code,
        PackageLog.status == "accepted", PackageLog.part_no == 1))
    return {r.sequence: r for r in rows}


def already_logged(session: Session, pkg: bag.Package) -> bool:
    """This very package (or part) was taken before: accepted, or waiting for its group. Another package under
    the same id is refused."""
    row = session.get(PackageLog, pkg.package_id)
    if row is None:
        return False
    if row.direction == "in" and row.digest == pkg.digest:
        return True
    raise PackageRejected(f"数据包编号 {pkg.package_id} 已被另一个内容不同的数据包使用，疑似重放或伪造。",
                          reason_code="replay", hint="请勿使用这个数据包，并电话向对方核实。")


def sequence_check(pkg: bag.Package, accepted: dict[int, PackageLog], what: str) -> tuple[bool, list[str]]:
    """(already imported, warnings) under spec §4 for one (section, direction); a replay is refused."""
    same = accepted.get(pkg.sequence)
    if same is not None:
        if same.package_id == pkg.package_id and same.digest == pkg.digest:
            return True, []
        raise PackageRejected(f"第 {pkg.sequence} 号{what}已经导入过，这是另一个同号的包（重放或伪造）。",
                              reason_code="replay", hint="请勿使用这个数据包，并电话向对方核实。")
    warnings = []
    highest = max(accepted, default=0)
    if pkg.sequence > highest + 1:
        missing = [n for n in range(1, pkg.sequence) if n not in accepted]
        warnings.append(f"缺少第 {'、'.join(map(str, missing))} 号{what}，请向对方索取。")
    before = accepted.get(pkg.sequence - 1)
    if (before is not None and pkg.previous_digest != before.digest) or (
            pkg.previous_digest == "none" and pkg.sequence > 1):
        warnings.append(f"第 {pkg.sequence} 号{what}记载的上一包与收到的第 {pkg.sequence - 1} 号不一致，请向对方核实。")
    return False, warnings


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return row.value if row is not None else None


def is_section_desk(session: Session) -> bool:
    return get_setting(session, ROLE_KEY) == "section"


def refuse_city_export(session: Session) -> None:
    if is_section_desk(session):
        raise InputRefused("本机是科室端，不向市督查平台报送。",
                           hint="科室端的进展请用“报送单位”交本单位，由单位汇总后报送市平台。")


def write_checked(session: Session, *, out_dir: Path, package_type: str, unit_code: str, section_code: str,
                  source: str, seq: int, previous: str, records: list[dict[str, Any]],
                  files: list[bag.SourceFile], signer: Ed25519PrivateKey, key_id: str, summary: dict[str, Any],
                  what: str, retry: str, limit: int = 20_000_000, max_change_no: int = 0) -> list[tuple[Path, Path]]:
    """Write one section package (unpublished), in parts when it exceeds `limit` bytes (spec §6, planned by
    `bag.plan_parts` as for the city), read each part back as its reader would, and log it as sent.

    Returns (written temporary file, final name) per part; the caller publishes them (`bag.publish_all`) once its
    own transaction holds. A part that does not read back is removed and refused (`what` names it, `retry` says
    what to do)."""
    from core import GENERATOR
    from core.dates import now_ts
    from core.exchange.exporter import MAX_PART_ENTRIES, check_records
    from core.exchange.keys import unit_key_for
    from core.exchange.records import dump_line

    created = now_ts()
    lines = [dump_line(r) for r in records]
    check_records(records, lines, seq, package_type)  # what the reader would refuse is never written
    body = b"".join(lines)
    head = lines[0] if records and records[0]["type"] == "unit" else b""  # later parts: the unit line only (§6)
    parts = bag.plan_parts(len(body), files, limit, MAX_PART_ENTRIES)
    count = len(parts)
    group = str(uuid.uuid4())
    written: list[tuple[Path, Path]] = []
    logged: list[PackageLog] = []
    try:
        for no, part_files in enumerate(parts, start=1):
            pid = str(uuid.uuid4())
            info = {"Source-Organization": source, "Bagging-Date": created[:10], "External-Identifier": pid}
            if count > 1:
                info["Bag-Group-Identifier"] = group
            info.update({"Bag-Count": f"{no} of {count}", "Exchange-Format": bag.FORMAT,
                         "Package-Type": package_type, "Unit-Code": unit_code, "Section-Code": section_code,
                         "Sequence": str(seq), "Previous-Package-Digest": previous, "Created": created,
                         "Generator": GENERATOR})
            target = out_dir / file_name(unit_code, section_code, package_type, seq, no, count)
            wp = bag.write_package(target, info=info, records=[body if no == 1 else head], files=part_files,
                                   signer=signer, key_id=key_id, publish=False)
            written.append((wp.path, target))
            try:
                bag.read_package(wp.path, expected_type=package_type, expected_unit=unit_code,
                                 key_for=lambda kid, sq: unit_key_for(session, kid, sq))
            except PackageRejected as exc:
                raise UserError(f"写出的{what}复核未通过（{exc.message}），已删除。",
                                hint=f"可能是U盘有坏块或被拔出，请换一个U盘{retry}。") from None
            logged.append(PackageLog(
                package_id=pid, direction="out", package_type=package_type, unit_code=unit_code,
                section_code=section_code, sequence=seq, group_id=group if count > 1 else pid, part_no=no,
                part_count=count, digest=wp.digest, group_digest=logged[0].digest if logged else wp.digest,
                previous_digest=previous, key_id=key_id, created=created, logged=now_ts(), file_name=target.name,
                size=wp.size, status="sent", max_change_no=max_change_no,
                summary={**summary, "files": wp.files} if no == 1 else {"files": wp.files}))
    except BaseException:
        for tmp, _target in written:
            bag.remove_quietly(tmp)
        raise
    session.add_all(logged)
    return written
