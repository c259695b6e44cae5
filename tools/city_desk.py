"""A command-line stand-in for the city supervision platform (市督查平台), built on core/exchange.

    city_desk.py verify REPORT.zgb --unit-key UNIT.pub.json
    city_desk.py feedback --key CITY.key.pem --unit-code C --seq N [--records R.json] [--auto-from REPORT.zgb] OUT.zgb

`--records` is a JSON file: a list of feedback records, or {"records": [...]}. `--auto-from` answers a
report with an `ack` and a red notice for every task overdue beyond `red_after_days`.
Tests and training sessions use it to play the city.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from core.dates import now_ts  # noqa: E402
from core.errors import PackageRejected, UserError  # noqa: E402
from core.exchange import bag  # noqa: E402
from core.exchange.keys import format_key_id, public_from_b64, raw_public, read_public_file  # noqa: E402
from core.exchange.records import CITY_FEEDBACK, dump_line, key_id_for, validate_record  # noqa: E402

GENERATOR = "RectiDesk city_desk 1.0"


def verify_report(path: Path, unit_key: dict[str, Any]) -> bag.Package:
    """Every check of §8 from the city side, against the unit's registered public key."""
    code = str(unit_key.get("code") or "") or None

    def key_for(key_id: str, sequence: int) -> Any:  # noqa: ARG001 - one registered key per unit here
        if key_id != unit_key["key_id"]:
            raise PackageRejected(f"报送包由未登记的密钥 {format_key_id(key_id)} 签名。", reason_code="unknown_key")
        return public_from_b64(unit_key["public_key"])

    return bag.read_package(path, expected_type="unit-report", expected_unit=code, key_for=key_for)


def load_city_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise UserError(f"无法读取市平台私钥“{path}”：{exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UserError("市平台私钥不是 Ed25519 密钥。")
    return key


def auto_records(report: bag.Package, today: date, red_after_days: int) -> list[dict[str, Any]]:
    """An ack of the report and a red notice for each task overdue beyond `red_after_days`."""
    out: list[dict[str, Any]] = [{"type": "ack", "id": f"ACK-{report.unit_code}-{report.sequence}",
                                  "unit_sequence": report.sequence, "status": "accepted", "received": now_ts()}]
    tasks = {r["id"]: r for _l, r in report.records if r["type"] == "task"}
    pending: dict[str, list[str]] = {}
    for _l, r in report.records:
        if r["type"] == "node" and r["status"] == "pending":
            pending.setdefault(r["task_id"], []).append(r["due"])
    for tid, t in tasks.items():
        if t["status"] == "closed":
            continue
        dues = list(pending.get(tid, []))
        if t["status"] != "submitted":
            dues.append(t["deadline"])
        if not dues:
            continue
        overdue = (today - date.fromisoformat(min(dues))).days
        if overdue > red_after_days:
            ref = t.get("city_ref") or tid
            out.append({"type": "notice", "id": f"DB-AUTO-{report.sequence}-{ref}", "level": "red", "task_ref": ref,
                        "title": "挂牌督办通知",
                        "text": f"该任务已逾期 {overdue} 天，现予挂牌督办，请尽快整改并书面说明。",
                        "issued": now_ts(), "issuer": "市督查室（city_desk）",
                        "respond_by": date.fromordinal(today.toordinal() + 7).isoformat()})
    return out


def write_feedback(out: Path, *, key: Ed25519PrivateKey, unit_code: str, seq: int, records: list[dict[str, Any]],
                   previous: str = "none", files: list[bag.SourceFile] | None = None,
                   organization: str = "市人民政府督查室", check: bool = True) -> bag.WrittenPackage:
    """A signed feedback package; `check=False` lets training and tests make a deliberately bad one."""
    for i, r in enumerate(records, start=1):
        if check:
            validate_record(i, r, CITY_FEEDBACK, seq)
    created = now_ts()
    info = {"Source-Organization": organization, "Bagging-Date": created[:10],
            "External-Identifier": str(uuid.uuid4()), "Bag-Count": "1 of 1", "Exchange-Format": bag.FORMAT,
            "Package-Type": "city-feedback", "Unit-Code": unit_code, "Sequence": str(seq),
            "Previous-Package-Digest": previous, "Created": created, "Generator": GENERATOR}
    return bag.write_package(out, info=info, records=[dump_line(r) for r in records], files=files or [],
                             signer=key, key_id=key_id_for(raw_public(key)))


def _read_records(path: Path) -> list[dict[str, Any]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("records", [])
    if not isinstance(data, list):
        raise UserError("记录文件应为 JSON 列表，或含 records 列表的对象。")
    return data


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(allow_abbrev=False, prog="city_desk.py", description="市督查平台模拟端（测试与培训用）")
    sub = p.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("verify", help="按市平台的要求核验一个报送包")
    v.add_argument("report")
    v.add_argument("--unit-key", required=True, help="单位登记的公钥文件 .pub.json")
    f = sub.add_parser("feedback", help="生成一个反馈包")
    f.add_argument("--key", required=True, help="市平台私钥（PEM）")
    f.add_argument("--unit-code", required=True)
    f.add_argument("--seq", type=int, required=True)
    f.add_argument("--previous-digest", default="none")
    f.add_argument("--records", help="反馈记录 JSON 文件")
    f.add_argument("--auto-from", help="按这个报送包自动生成回执和红色督办")
    f.add_argument("--unit-key", help="核验 --auto-from 报送包用的单位公钥")
    f.add_argument("--today", help="计算逾期的日期（默认今天）")
    f.add_argument("--red-after-days", type=int, default=10)
    f.add_argument("out")
    args = p.parse_args(argv)
    try:
        if args.cmd == "verify":
            unit_key = read_public_file(Path(args.unit_key), owner="unit")
            pkg = verify_report(Path(args.report), unit_key)
            counts = "，".join(f"{k} {n}" for k, n in pkg.counts().items())
            print(f"核验通过：单位 {pkg.unit_code} 第 {pkg.sequence} 号报送包，分卷 {pkg.part_no}/{pkg.part_count}，"
                  f"签名密钥 {format_key_id(pkg.key_id)}")
            print(f"校验值 {pkg.digest}；上一包 {pkg.previous_digest}")
            print(f"记录：{counts}；附件 {len(pkg.files)} 个")
            for line, typ in pkg.unknown:
                print(f"注意：第 {line} 行记录类型“{typ}”不认识，已跳过")
            return 0
        key = load_city_key(Path(args.key))
        records: list[dict[str, Any]] = _read_records(Path(args.records)) if args.records else []
        if args.auto_from:
            if not args.unit_key:
                raise UserError("使用 --auto-from 时请同时用 --unit-key 指定单位公钥，以便先核验报送包。")
            report = verify_report(Path(args.auto_from), read_public_file(Path(args.unit_key), owner="unit"))
            today = date.fromisoformat(args.today) if args.today else date.today()
            records = auto_records(report, today, args.red_after_days) + records
        written = write_feedback(Path(args.out), key=key, unit_code=args.unit_code, seq=args.seq, records=records,
                                 previous=args.previous_digest)
        print(f"已写出反馈包 {written.path}（第 {args.seq} 号，{len(records)} 条记录，校验值 {written.digest}）")
        return 0
    except UserError as exc:
        sys.stderr.write(f"{exc}\n")
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
