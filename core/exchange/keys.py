"""Keys (spec §3): the unit's Ed25519 key pair (private part encrypted), the city's trust anchor, rotation."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, places
from core.dates import now_ts
from core.errors import InputRefused, NotFound, PackageRejected
from core.exchange.records import decode_public_key, key_id_for
from core.files import FileRefused, read_regular
from db.models import Key, PackageLog, Unit

PUBLIC_FORMAT = "zgb-public-key/1"
BACKUP_FORMAT = "rectidesk-key-backup/1"
MIN_PASSPHRASE = 6
KEY_FILE_LIMIT = 64 * 1024  # a .pub.json is a few hundred bytes
KEY_BACKUP_LIMIT = 16 * 2**20  # a backup holds every key the unit ever had, each a few hundred bytes
ENV_PASSPHRASE = "RECTIDESK_PASSPHRASE"
PENDING = 0  # valid_from_sequence of a unit key made by `keys rotate` and not yet announced


def format_key_id(key_id: str) -> str:
    """`9f86d081884c7d65` -> `9f86-d081-884c-7d65`, for reading over the phone."""
    return "-".join(key_id[i:i + 4] for i in range(0, len(key_id), 4))


def raw_public(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_from_b64(text: str) -> Ed25519PublicKey:
    raw = decode_public_key(text)
    if raw is None:
        raise InputRefused("公钥格式不对。")
    return Ed25519PublicKey.from_public_bytes(raw)


def check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise InputRefused(f"密钥密码至少要 {MIN_PASSPHRASE} 个字符。",
                           hint="请设置一个不容易被猜到、自己记得住的密码。", field="new_passphrase")


def _encrypt(private: Ed25519PrivateKey, passphrase: str) -> str:
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    ).decode("ascii")


def decrypt(pem: str, passphrase: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=(passphrase or "").encode("utf-8"))
    except (ValueError, TypeError):
        raise InputRefused("密钥密码不对，无法使用本单位的签名密钥。",
                           hint="请输入建立密钥时设置的密码（区分大小写）。忘记密码时，只能用 keys restore 从备份恢复，"
                                "或新建密钥后重新到市督查室登记。",
                           window_hint="请输入建立密钥时设置的密码（区分大小写）。忘记密码时，只能从备份恢复"
                                       f"（{places.RESTORE}），或新建密钥后重新到市督查室登记。",
                           field="passphrase") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputRefused("密钥文件不是 Ed25519 密钥。")
    return key


# -- the unit's own key ----------------------------------------------------------------------------

def unit_keys(session: Session) -> list[Key]:
    return list(session.scalars(select(Key).where(Key.owner == "unit").order_by(Key.valid_from_sequence)))


def current_unit_key(session: Session) -> Key | None:
    """The key that signs the next report (the newest announced one, or the first)."""
    active = [k for k in unit_keys(session) if k.valid_from_sequence != PENDING and k.valid_to_sequence is None]
    return active[-1] if active else None


def pending_unit_key(session: Session) -> Key | None:
    return next((k for k in unit_keys(session) if k.valid_from_sequence == PENDING), None)


def require_unit_key(session: Session) -> Key:
    key = current_unit_key(session)
    if key is None:
        raise NotFound("本单位还没有签名密钥。", hint="请先运行 keys create 建立密钥（需要设置密钥密码）。",
                       window_hint=f"请先点 {places.CREATE_KEY} 建立密钥（需要设置密钥密码）。")
    return key


def create_unit_key(session: Session, actor: str, passphrase: str) -> Key:
    if unit_keys(session):
        raise InputRefused("本单位已经有签名密钥了。", hint="如需更换，请用 keys rotate；如需找回，请用 keys restore。",
                           window_hint=f"如需更换，请点 {places.CHANGE_KEY}；"
                                       f"如需找回，请从备份恢复（{places.RESTORE}）。")
    check_passphrase(passphrase)
    return _new_unit_key(session, actor, passphrase, valid_from=1)


def _new_unit_key(session: Session, actor: str, passphrase: str, valid_from: int) -> Key:
    private = Ed25519PrivateKey.generate()
    raw = raw_public(private)
    unit = session.scalar(select(Unit).limit(1))
    key = Key(key_id=key_id_for(raw), owner="unit", public_key=base64.b64encode(raw).decode("ascii"),
              private_pem=_encrypt(private, passphrase), valid_from_sequence=valid_from,
              name=unit.name if unit else "", code=unit.code if unit else "", added=now_ts())
    session.add(key)
    session.flush()
    audit.record(session, actor, "key.create", "key", key.key_id, after={"owner": "unit", "valid_from": valid_from})
    return key


def rotate_unit_key(session: Session, actor: str, old_passphrase: str, new_passphrase: str) -> Key:
    """Make the next key; the next report announces it (spec §3) and the one after is signed by it."""
    current = require_unit_key(session)
    decrypt(current.private_pem or "", old_passphrase)
    if pending_unit_key(session) is not None:
        raise InputRefused("已经有一把新密钥等待随下一次报送启用。", hint="请先导出一次报送包，再更换密钥。")
    check_passphrase(new_passphrase)
    return _new_unit_key(session, actor, new_passphrase, valid_from=PENDING)


def signing_key(session: Session, passphrase: str) -> tuple[Key, Ed25519PrivateKey]:
    key = require_unit_key(session)
    return key, decrypt(key.private_pem or "", passphrase)


def public_file(key: Key) -> dict[str, Any]:
    return {"format": PUBLIC_FORMAT, "alg": "Ed25519", "key_id": key.key_id, "public_key": key.public_key,
            "owner": key.owner, "code": key.code, "name": key.name}


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    from core.exchange.bag import fsync_dir, write_failure

    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_failure(exc, path) from None


def export_public(session: Session, out: Path) -> Key:
    """This desk's public key file; a section desk's names the section it speaks for (core.sections.desk)."""
    from core.sections.common import is_section_desk

    key = require_unit_key(session)
    if is_section_desk(session):
        from core.sections.desk import desk_public_file

        write_json_atomic(out, desk_public_file(session))
    else:
        write_json_atomic(out, public_file(key))
    return key


def read_public_file(path: Path, owner: str | None = None) -> dict[str, Any]:
    """A `.pub.json` (spec §3), checked: format, algorithm, and that key_id matches the key.

    A byte-order mark is allowed: the file may have been opened and saved in Windows Notepad on its way.
    """
    try:
        data = json.loads(read_regular(path, KEY_FILE_LIMIT, what="公钥文件").decode("utf-8-sig"))
    except FileRefused:
        raise
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise InputRefused(f"“{path}”不是有效的公钥文件。", hint="公钥文件是市督查室提供的 .pub.json 文件。") from None
    if not isinstance(data, dict) or data.get("format") != PUBLIC_FORMAT:
        raise InputRefused(f"“{path}”不是有效的公钥文件。", hint="公钥文件是市督查室提供的 .pub.json 文件。")
    if data.get("alg") != "Ed25519":
        raise InputRefused(f"公钥文件使用了不支持的算法“{data.get('alg')}”。")
    raw = decode_public_key(data.get("public_key"))
    if raw is None or key_id_for(raw) != data.get("key_id"):
        raise InputRefused("公钥文件中的密钥编号与公钥不符，文件可能已损坏或被修改。",
                           hint="请向对方重新索取公钥文件。")
    if owner is not None and data.get("owner") != owner:
        who = {"city": "市督查平台", "unit": "单位"}.get(owner, owner)
        raise InputRefused(f"这不是{who}的公钥文件（owner 为“{data.get('owner')}”）。")
    return data


# -- the city's keys --------------------------------------------------------------------------------

def city_keys(session: Session) -> list[Key]:
    return list(session.scalars(select(Key).where(Key.owner == "city").order_by(Key.valid_from_sequence)))


def trust_city(session: Session, actor: str, path: Path) -> Key:
    """Install the city's trust anchor. A different anchor replaces the current one from the next Sequence."""
    data = read_public_file(path, owner="city")
    existing = session.get(Key, data["key_id"])
    if existing is not None:
        if existing.owner != "city":
            raise InputRefused("这是本单位自己的公钥，不是市督查平台的。")
        return existing
    highest = session.scalar(select(PackageLog.sequence).where(PackageLog.direction == "in",
                                                                PackageLog.package_type == "city-feedback",
                                                                PackageLog.status == "accepted")
                             .order_by(PackageLog.sequence.desc()).limit(1)) or 0
    for old in city_keys(session):
        if old.valid_to_sequence is None:
            old.valid_to_sequence = max(highest + 1, old.valid_from_sequence)
    valid_from = highest + 1 if highest else 1
    key = Key(key_id=data["key_id"], owner="city", public_key=data["public_key"], valid_from_sequence=valid_from,
              name=str(data.get("name") or ""), code=str(data.get("code") or ""), added=now_ts())
    session.add(key)
    session.flush()
    audit.record(session, actor, "key.trust", "key", key.key_id, after={"owner": "city", "name": key.name})
    return key


def city_key_for(session: Session, key_id: str, sequence: int) -> Ed25519PublicKey:
    """The trusted city key for a feedback Sequence, or the reason it cannot be used (spec §3)."""
    keys = city_keys(session)
    if not keys:
        raise PackageRejected("本单位还没有登记市督查平台的公钥，无法确认数据包来源。", reason_code="no_trust_anchor",
                              hint="请先用 keys trust-city 导入市督查室提供的公钥文件，并电话核对密钥编号。",
                              window_hint=f"请先点 {places.TRUST_CITY}，选择市督查室提供的公钥文件，"
                                          "并电话核对密钥编号。")
    key = session.get(Key, key_id)
    if key is None or key.owner != "city":
        accepted = set(session.scalars(select(PackageLog.sequence).where(PackageLog.direction == "in",
                                                                          PackageLog.package_type == "city-feedback",
                                                                          PackageLog.status == "accepted")))
        missing = [n for n in range(1, sequence) if n not in accepted]
        if missing:
            shown = "、".join(map(str, missing[:10])) + ("等" if len(missing) > 10 else "")
            raise PackageRejected(
                f"数据包由一把本单位不认识的密钥（{format_key_id(key_id)}）签名，"
                f"而之前的第 {shown} 号反馈包还没有导入，"
                "市平台的密钥更换通知可能就在这些包里。", reason_code="unknown_key_gap",
                hint="请先导入缺少的反馈包，再导入这个包。")
        raise PackageRejected(f"数据包由一把本单位不信任的密钥（{format_key_id(key_id)}）签名，"
                              "无法确认来自市督查平台。",
                              reason_code="unknown_key",
                              hint="请勿使用这个数据包；如市平台更换了密钥，请向市督查室核实。")
    if sequence < key.valid_from_sequence or (key.valid_to_sequence is not None and sequence >= key.valid_to_sequence):
        raise PackageRejected(
            f"数据包（第 {sequence} 号）的签名密钥 {format_key_id(key_id)} 对这个序号无效（市平台已更换过密钥）。",
            reason_code="key_not_valid", hint="请向市督查室核实这个数据包。")
    return public_from_b64(key.public_key)


def unit_key_for(session: Session, key_id: str, _sequence: int) -> Ed25519PublicKey:
    """Our own key valid for a report Sequence (used to re-verify what we just wrote)."""
    key = session.get(Key, key_id)
    if key is None or key.owner != "unit":
        raise PackageRejected("报送包的签名密钥不是本单位的。", reason_code="unknown_key")
    return public_from_b64(key.public_key)


def apply_city_rotation(session: Session, record: dict[str, Any], signer_key_id: str) -> str:
    """A city `key` record: the next key takes over from `valid_from_sequence`. Returns a note for the log."""
    new_id = record["key_id"]
    start = record["valid_from_sequence"]
    signer = session.get(Key, signer_key_id)
    existing = session.get(Key, new_id)
    if existing is None:
        session.add(Key(key_id=new_id, owner="city", public_key=record["public_key"], valid_from_sequence=start,
                        name=signer.name if signer else "", code=signer.code if signer else "", added=now_ts()))
    else:
        existing.valid_from_sequence = start
        existing.valid_to_sequence = None
    if signer is not None and signer.key_id != new_id:
        signer.valid_to_sequence = start
    session.flush()
    return f"市平台将从第 {start} 号反馈包起使用新密钥 {format_key_id(new_id)}"


# -- backup and restore of the encrypted key -----------------------------------------------------------

def backup_keys(session: Session, out: Path) -> int:
    keys = [k for k in unit_keys(session) if k.private_pem]
    if not keys:
        raise NotFound("本单位还没有签名密钥，无需备份。", hint="请先运行 keys create。",
                       window_hint=f"请先点 {places.CREATE_KEY} 建立密钥。")
    data = {"format": BACKUP_FORMAT, "keys": [
        {"key_id": k.key_id, "public_key": k.public_key, "private_pem": k.private_pem,
         "valid_from_sequence": k.valid_from_sequence, "valid_to_sequence": k.valid_to_sequence,
         "announced_in": k.announced_in, "name": k.name, "code": k.code, "added": k.added} for k in keys]}
    write_json_atomic(out, data)
    return len(keys)


def restore_keys(session: Session, actor: str, path: Path, passphrase: str) -> list[Key]:
    """Put back the encrypted unit keys from a backup; the passphrase must open the current one."""
    try:  # a BOM is allowed: saved in Notepad on the way
        data = json.loads(read_regular(path, KEY_BACKUP_LIMIT, what="密钥备份文件").decode("utf-8-sig"))
    except FileRefused:
        raise
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise InputRefused(f"“{path}”不是密钥备份文件。") from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT or not data.get("keys"):
        raise InputRefused(f"“{path}”不是密钥备份文件。", hint="密钥备份文件由 keys backup 生成。",
                           window_hint=f"密钥备份文件是点 {places.BACK_UP_KEY} 保存的文件。")
    entries = data["keys"]
    try:
        rows = []
        for e in entries:
            raw = decode_public_key(e["public_key"])
            if raw is None or key_id_for(raw) != e["key_id"]:
                raise KeyError
            rows.append(e)
    except (KeyError, TypeError):
        raise InputRefused("密钥备份文件已损坏。") from None
    current = [e for e in rows if e.get("valid_to_sequence") is None]
    probe = decrypt(str((current or rows)[-1]["private_pem"]), passphrase)
    if base64.b64encode(raw_public(probe)).decode("ascii") != (current or rows)[-1]["public_key"]:
        raise InputRefused("密钥备份文件已损坏（私钥与公钥不符）。")
    for k in unit_keys(session):
        session.delete(k)
    session.flush()
    out = []
    for e in rows:
        key = Key(key_id=e["key_id"], owner="unit", public_key=e["public_key"], private_pem=e["private_pem"],
                  valid_from_sequence=int(e.get("valid_from_sequence") or 1),
                  valid_to_sequence=e.get("valid_to_sequence"), announced_in=e.get("announced_in"),
                  name=str(e.get("name") or ""), code=str(e.get("code") or ""), added=str(e.get("added") or now_ts()))
        session.add(key)
        out.append(key)
    session.flush()
    audit.record(session, actor, "key.restore", "key", out[-1].key_id, after={"keys": len(out)})
    return out


@dataclass
class KeyInfo:
    key_id: str
    owner: str
    name: str
    valid_from: int
    valid_to: int | None
    pending: bool

    @property
    def spoken(self) -> str:
        return format_key_id(self.key_id)


def describe(session: Session) -> list[KeyInfo]:
    out = []
    for k in session.scalars(select(Key).order_by(Key.owner.desc(), Key.valid_from_sequence)):
        out.append(KeyInfo(k.key_id, k.owner, k.name, k.valid_from_sequence, k.valid_to_sequence,
                           k.owner == "unit" and k.valid_from_sequence == PENDING))
    return out


def passphrase_from_env() -> str | None:
    value = os.environ.get(ENV_PASSPHRASE)
    return value if value else None



