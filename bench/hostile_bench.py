"""Hostile files at full size: each case runs in its own child process, which reports its peak RSS.

Cases: a 16 MB bag-info.txt of continuation lines from an untrusted key (the tag-file limit, before the
signature), Sequences of 10⁹ (untrusted), full-width ２ and 1,000,000 (signed: the missing-packages hint),
signed records nested 10,000 deep, with a 5,000-digit number or a 64 MB line, a named pipe as a package,
a 320 MB zip bomb, a signed package carrying a 320 MB zip bomb as an attachment (stored, never
opened), a bomb lying about its size (1 GB declared as 4 KB), path traversal,
a symlink, 100,000 and 100,001 entries, a GBK entry name, a 2 GB evidence file (sparse), a spreadsheet
formatted down 1,000,000 empty rows, a spreadsheet bomb (400 MB string table), a row-error flood (1,000,000
rows each with a typo year), malformed workbooks (an undefined XML entity, a cell ZZZZZ99999999, a shared-string
index out of range), one cell at XFD1048576, an .ods whose repeat attributes claim 16 billion cells.
Baseline: a child that loads the same modules and opens the same data folder, then does nothing.
Figures: peak RSS, its ratio to the baseline, seconds, and what happened (refused with which message, or handled).
Then every single-bit flip, byte deletion and byte insertion of the fixture feedback (about 30,000 mutants).
Usage: uv run python bench/hostile_bench.py [--skip-2gb] [--skip-tamper]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, WORK, report, row

sys.path.insert(0, str(ROOT))
from tests.reliability import hostile_kit as hk  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
PASS = "bench-passphrase-2026"
MB = 2**20
RSS_LIMIT_MB = 300
# Issue 15: refused (or handled) at once, whatever the package claims.
TIME_LIMIT_S = {"bag-info-16MB-untrusted": 2, "sequence-1e9-untrusted": 2, "sequence-fullwidth": 2,
                "sequence-1000000-signed": 5, "record-nesting-10000": 2, "record-number-5000-digits": 2,
                "record-line-64MB": 5, "named-pipe-as-package": 2}


def child(case: str, data: str, path: str) -> None:
    """Run one case in this (child) process; print one JSON line."""
    from datetime import date

    from core.errors import UserError
    from core.excel.importer import import_problem_list, read_problem_list
    from core.exchange.importer import FeedbackImporter
    from core.workspace import Workspace

    ws = Workspace.open(Path(data), user="张三", today=date(2026, 4, 15))
    t0 = time.perf_counter()
    outcome, message = "handled", ""
    try:
        if case == "baseline":
            pass
        elif case.startswith("excel"):
            preview = read_problem_list(Path(path))
            with ws.session() as s:
                n = len(import_problem_list(s, "张三", preview))
            message = f"导入 {n} 条；" + "；".join(preview.notes)
        elif case == "evidence-2gb":
            from core.evidence.attach import attach_file
            from core.ledger.tasks import TaskInput, create_task

            with ws.session() as s:
                t = create_task(s, "张三", TaskInput(title="档案室漏水", source="inspection", category="phased",
                                                    owner="李四", deadline="2026-06-30"))
                ev = attach_file(s, ws.evidence, "张三", t.id, Path(path))
                message = f"已存入 {ev.size / 2**30:.1f} GiB"
        else:
            message = FeedbackImporter(ws).import_file(Path(path)).headline()
    except UserError as exc:
        outcome, message = "refused", exc.message
    finally:
        ws.close()
    seconds = time.perf_counter() - t0
    peak = peak_rss_mb()
    print(json.dumps({"case": case, "outcome": outcome, "message": message, "seconds": seconds, "rss_mb": peak},
                     ensure_ascii=False))


def peak_rss_mb() -> float:
    """This process's own peak RSS. Linux keeps ru_maxrss across exec, so a child would report its parent's
    peak (the bench, which made the files); VmHWM belongs to the new address space alone."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def city_key():  # noqa: ANN201
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key((FIXTURES / "keys" / "test-city.key.pem").read_bytes(), password=None)


def run_child(case: str, data: Path, path: Path | str) -> dict:
    r = subprocess.run([sys.executable, __file__, "--child", case, str(data), str(path)], capture_output=True,
                       text=True, timeout=1800, check=False)
    if r.returncode != 0:
        return {"case": case, "outcome": "CRASH", "message": r.stderr.strip().splitlines()[-1:], "seconds": 0,
                "rss_mb": 0}
    return json.loads(r.stdout.strip().splitlines()[-1])


def prepare(data: Path) -> None:
    shutil.rmtree(data, ignore_errors=True)
    env = dict(os.environ, RECTIDESK_PASSPHRASE=PASS)
    main = [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data)]
    subprocess.run([*main, "init", "--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府",
                    "--admin", "张三"], check=True, env=env, capture_output=True)
    subprocess.run([*main, "keys", "trust-city", str(FIXTURES / "keys" / "test-city.pub.json")], check=True,
                   env=env, capture_output=True)


def tamper_trials(data: Path, work: Path) -> dict[str, int]:
    """Every single-bit flip, one-byte deletion and one-byte insertion over the fixture feedback 1: each must be
    refused (PackageRejected) or be the very same package (same signed digest, records and files)."""
    from datetime import date

    from core.errors import PackageRejected
    from core.exchange import bag
    from core.exchange.keys import city_key_for
    from core.workspace import Workspace

    fixture = FIXTURES / "packages" / "442000-017_city-feedback_000001.zgb"
    ws = Workspace.open(data, user="张三", today=date(2026, 4, 15))
    counts = {"trials": 0, "refused": 0, "same_package": 0, "changed_accepted": 0, "crash": 0}
    try:
        with ws.read() as s:
            def verify(path: Path) -> tuple:
                p = bag.read_package(path, expected_type="city-feedback", expected_unit="442000-017",
                                     key_for=lambda kid, seq: city_key_for(s, kid, seq))
                return p.digest, p.records, sorted(p.files)

            original = verify(fixture)
            raw = fixture.read_bytes()
            out = work / "mutant.zgb"
            for i in range(len(raw)):
                mutants = [raw[:i] + bytes([raw[i] ^ (1 << b)]) + raw[i + 1:] for b in range(8)]
                mutants += [raw[:i] + raw[i + 1:], raw[:i] + b"\x00" + raw[i:], raw[:i] + b"A" + raw[i:]]
                for m in mutants:
                    counts["trials"] += 1
                    out.write_bytes(m)
                    try:
                        same = verify(out) == original
                        counts["same_package" if same else "changed_accepted"] += 1
                    except PackageRejected:
                        counts["refused"] += 1
                    except Exception:  # noqa: BLE001 - counted as a failure
                        counts["crash"] += 1
    finally:
        ws.close()
    return counts


def main() -> None:
    p = argparse.ArgumentParser(allow_abbrev=False)
    p.add_argument("--child", nargs=3)
    p.add_argument("--skip-2gb", action="store_true")
    p.add_argument("--skip-tamper", action="store_true")
    args = p.parse_args()
    if args.child:
        child(*args.child)
        return
    work = WORK / "hostile"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = work / "data"
    prepare(data)
    files = work / "files"
    files.mkdir()
    t0 = time.perf_counter()
    cases: list[tuple[str, Path]] = [
        ("zip-bomb-320MB", hk.zip_bomb(files / "bomb.zgb", 320 * MB)),
        ("nested-bomb-signed", hk.signed_nested_bomb(files / "nested.zgb", city_key(), 320 * MB)),
        ("lying-bomb-1GB-as-4KB", hk.lying_bomb(files / "liar.zgb", real=1024 * MB, claimed=4096)),
        ("path-traversal", hk.traversal(files / "slip.zgb", "../../outside.txt")),
        ("symlink", hk.symlink(files / "link.zgb")),
        ("entries-100000", hk.many_entries(files / "many.zgb", 100_000)),
        ("entries-100001", hk.many_entries(files / "many1.zgb", 100_001)),
        ("gbk-name", hk.gbk_name(files / "gbk.zgb")),
        ("excel-1M-empty-rows", hk.empty_formatted_rows(files / "empty.xlsx", 1_000_000, 3)),
        ("excel-400MB-strings", hk.shared_strings_bomb(files / "bomb.xlsx", 400 * MB)),
        ("excel-1M-error-rows", hk.error_flood(files / "flood.xlsx", 1_000_000)),
        ("excel-undefined-entity", hk.undefined_entity(files / "entity.xlsx")),
        ("excel-ref-ZZZZZ99999999", hk.impossible_reference(files / "ref.xlsx")),
        ("excel-sst-index-999999", hk.shared_string_out_of_range(files / "sst.xlsx")),
        ("excel-cell-XFD1048576", hk.far_cell(files / "far.xlsx")),
        ("excel-ods-16G-repeated-cells", hk.ods_repeated_cells(files / "repeat.ods")),
    ]
    key = city_key()
    cases += [
        ("bag-info-16MB-untrusted", hk.bag_info_flood(files / "info.zgb", 16 * MB)),
        ("sequence-1e9-untrusted", hk.sequence_claim(files / "seq9.zgb", hk.intruder_key(), "1000000000")),
        ("sequence-fullwidth", hk.sequence_claim(files / "seqfw.zgb", key, "２")),
        ("sequence-1000000-signed", hk.sequence_claim(files / "seq6.zgb", key, "1000000")),
        ("record-nesting-10000", hk.deep_record(files / "deep.zgb", key, 10_000)),
        ("record-number-5000-digits", hk.long_number_record(files / "digits.zgb", key, 5_000)),
        ("record-line-64MB", hk.long_line_record(files / "line.zgb", key, 64 * MB)),
    ]
    if hasattr(os, "mkfifo"):
        cases.append(("named-pipe-as-package", hk.named_pipe(files / "pipe.zgb")))
    if not args.skip_2gb:
        cases.append(("evidence-2gb", hk.sparse_file(files / "扫描件.pdf", 2 * 2**30)))
    print(f"made {len(cases)} hostile files in {time.perf_counter() - t0:.1f} s")
    base = run_child("baseline", data, "-")
    print(f"baseline child (modules loaded, data folder open): {base['rss_mb']:.0f} MB")
    rows, details = [], []
    for name, path in cases:
        r = run_child(name, data, path)
        st = path.lstat()
        r["file_mb"] = st.st_size / MB
        r["disk_mb"] = st.st_blocks * 512 / MB
        details.append(r)
        rows.append(row(f"{name} peak RSS", r["rss_mb"], RSS_LIMIT_MB, base["rss_mb"], unit="MB"))
        if name in TIME_LIMIT_S:
            rows.append(row(f"{name} seconds", r["seconds"], TIME_LIMIT_S[name], unit="s"))
        print(f"  {name:24} {r['outcome']:8} {r['seconds']:7.2f} s  {r['rss_mb']:6.0f} MB  {r['message']}")
    if not args.skip_tamper:
        t1 = time.perf_counter()
        tc = tamper_trials(data, work)
        print(f"tampering: {tc['trials']} mutants of the fixture feedback in {time.perf_counter() - t1:.0f} s: "
              f"{tc['refused']} refused, {tc['same_package']} the same package (meaning-free container bytes), "
              f"{tc['changed_accepted']} changed and accepted, {tc['crash']} crashes")
        details.append({"case": "tamper", **tc})
        rows.append(row("tamper: changed package accepted or crash", tc["changed_accepted"] + tc["crash"], 0,
                        unit=""))
    report(rows, "hostile")
    (WORK / "hostile-details.json").write_text(json.dumps(details, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
