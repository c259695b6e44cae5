"""Long use: import N city-feedback packages in a row (Sequence 1..N, chained, signed with the fixture city key),
exporting a unit report after each; time per package and memory must stay flat.

Each package carries an assignment with two nodes, a notice on it, the ack of the previous report, a review
of the task assigned five packages earlier, the closure of an older notice and a deduction. Printed: median
seconds per import+export over the first 50 and the last 50 packages, RSS at the start and at the end, and
the end/start ratios (target <= 1.5).
Usage: uv run python bench/longuse_bench.py [--packages 1000]
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import time
from datetime import date

from _common import ROOT, WORK, report, row

sys.path.insert(0, str(ROOT / "tools"))
from city_desk import write_feedback  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
PASS = "bench-passphrase-2026"
TS = "2026-04-01T09:00:00+08:00"


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def records(i: int) -> list[dict]:
    ref = f"ZS-LU-{i:05d}"
    out: list[dict] = [
        {"type": "assignment", "id": ref, "title": f"长期使用任务{i}", "source": "audit", "category": "phased",
         "deadline": "2026-09-30", "issued": TS,
         "nodes": [{"seq": 1, "title": "制定方案", "due": "2026-05-31"},
                   {"seq": 2, "title": "整改到位", "due": "2026-08-31"}]},
        {"type": "notice", "id": f"DB-LU-{i:05d}", "level": "yellow" if i % 2 else "red", "task_ref": ref,
         "title": "整改进度督办", "text": "请按期报送整改进展。", "issued": TS, "issuer": "市督查室",
         "respond_by": "2026-05-10"},
    ]
    if i > 1:  # the city acknowledges the report the unit sent after the previous feedback
        out.append({"type": "ack", "id": f"ACK-LU-{i:05d}", "unit_sequence": i - 1, "status": "accepted",
                    "received": TS})
    if i > 5:
        out.append({"type": "review", "id": f"RV-LU-{i:05d}", "target": "task", "target_id": f"ZS-LU-{i - 5:05d}",
                    "result": "returned" if i % 3 else "accepted", "reviewed": TS, "reviewer": "市督查室 王某",
                    "comment": "请补充佐证材料。"})
        out.append({"type": "notice_closure", "id": f"DBC-LU-{i:05d}", "notice_id": f"DB-LU-{i - 5:05d}",
                    "closed": TS, "comment": "已核实。"})
        out.append({"type": "deduction", "id": f"KF-LU-{i:05d}", "task_ref": f"ZS-LU-{i - 5:05d}", "points": 0.5,
                    "kind": "pre", "reason": "节点逾期，预扣分。", "issued": TS})
    return out


def main() -> None:
    p = argparse.ArgumentParser(allow_abbrev=False)
    p.add_argument("--packages", type=int, default=1000)
    n = p.parse_args().packages
    window = min(50, max(1, n // 4))
    from cryptography.hazmat.primitives import serialization

    from core.exchange import keys
    from core.exchange.exporter import ReportExporter
    from core.exchange.importer import FeedbackImporter
    from core.unit import init_unit
    from core.workspace import Workspace

    work = WORK / "longuse"
    shutil.rmtree(work, ignore_errors=True)
    pk_dir, out_dir = work / "packages", work / "out"
    pk_dir.mkdir(parents=True)
    out_dir.mkdir()
    key = serialization.load_pem_private_key((FIXTURES / "keys" / "test-city.key.pem").read_bytes(), password=None)
    t0 = time.perf_counter()
    paths, previous = [], "none"
    for i in range(1, n + 1):
        path = pk_dir / f"442000-017_city-feedback_{i:06d}.zgb"
        previous = write_feedback(path, key=key, unit_code="442000-017", seq=i, records=records(i),
                                  previous=previous).digest
        paths.append(path)
    print(f"made {n} signed feedback packages in {time.perf_counter() - t0:.1f} s")

    ws = Workspace.open(work / "data", user="张三", today=date(2026, 4, 15))
    with ws.session() as s:
        init_unit(s, "442000-017", "中山市某某镇人民政府", "township", admin="张三")
        keys.create_unit_key(s, "张三", PASS)
        keys.trust_city(s, "张三", FIXTURES / "keys" / "test-city.pub.json")
    per: list[float] = []
    rss: list[float] = []
    warnings = 0
    try:
        for i, path in enumerate(paths, start=1):
            t = time.perf_counter()
            r = FeedbackImporter(ws).import_file(path)
            assert r.status == "accepted", r.headline()
            warnings += len(r.warnings)
            target = out_dir / str(i)
            target.mkdir()
            ReportExporter(ws).export(target, passphrase=PASS)
            per.append(time.perf_counter() - t)
            shutil.rmtree(target)
            if i == 1 or i % 50 == 0 or i == n:
                gc.collect()
            rss.append(rss_mb())
            if i % 100 == 0:
                print(f"  {i:5d} packages  last {per[-1] * 1000:6.0f} ms  RSS {rss[-1]:6.0f} MB")
    finally:
        ws.close()
    start_t, end_t = statistics.median(per[:window]), statistics.median(per[-window:])
    start_m, end_m = statistics.median(rss[:window]), statistics.median(rss[-window:])
    print(f"imported {n} packages, exported {n} reports; warnings {warnings}")
    print(f"time per package: first {window} {start_t * 1000:.0f} ms, last {window} {end_t * 1000:.0f} ms, "
          f"ratio {end_t / start_t:.2f}")
    print(f"RSS: first {window} {start_m:.0f} MB, last {window} {end_m:.0f} MB, ratio {end_m / start_m:.2f}")
    report([row(f"import+export per package, last {window}", end_t * 1000, round(start_t * 1500), start_t * 1000),
            row(f"RSS, last {window}", end_m, round(start_m * 1.5), start_m, unit="MB")], "longuse")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
