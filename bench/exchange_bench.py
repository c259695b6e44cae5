"""Exchange benchmark.

1. Export of 1 GiB of evidence (500 files of 2 MB), written, fsynced, re-opened and verified, against
   `zip -0 -r` of the same files in the same run (target <= 1.5x).
2. Import of a feedback package with 10,000 notices and 10,000 reviews (target <= 3 s, peak memory
   <= 300 MB, measured in a child process), against json-parsing the records and inserting them as rows
   with plain sqlite3.
Usage: uv run python bench/exchange_bench.py [--files 500] [--file-mb 2] [--records 10000] [--only import|export]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date

from _common import ROOT, WORK, report, row

sys.path.insert(0, str(ROOT / "tools"))

from cryptography.hazmat.primitives import serialization  # noqa: E402

from core.exchange import keys  # noqa: E402
from core.exchange.exporter import ReportExporter  # noqa: E402
from core.ledger.tasks import TaskInput, create_task  # noqa: E402
from core.unit import init_unit  # noqa: E402
from core.workspace import Workspace  # noqa: E402

TODAY = date(2026, 4, 15)
PASS = "bench passphrase"
FIX = ROOT.parent / "shared" / "fixtures" / "keys"
TS = "2026-04-01T09:00:00+08:00"


def _workspace(path) -> Workspace:  # noqa: ANN001
    shutil.rmtree(path, ignore_errors=True)
    ws = Workspace.open(path, user="bench", today=TODAY)
    with ws.session() as s:
        init_unit(s, "442000-017", "基准测试镇", "township", admin="bench")
        keys.create_unit_key(s, "bench", PASS)
        keys.trust_city(s, "bench", FIX / "test-city.pub.json")
    return ws


def bench_export(n_files: int, file_mb: int) -> list[dict]:
    src = WORK / "exchange-src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    for i in range(n_files):
        (src / f"photo{i:04d}.jpg").write_bytes(os.urandom(file_mb * 1_000_000))
    ws = _workspace(WORK / "exchange-data")
    try:
        from core.evidence.attach import attach_file

        with ws.session() as s:
            for t in range(n_files // 10 or 1):
                task = create_task(s, "bench", TaskInput(title=f"任务{t}", source="audit", category="phased",
                                                         deadline="2026-06-30"))
                for f in range(t * 10, min(t * 10 + 10, n_files)):
                    attach_file(s, ws.evidence, "bench", task.id, src / f"photo{f:04d}.jpg")
        out = WORK / "exchange-out"
        zip_out = WORK / "exchange-zip.zip"
        results = []
        for _ in range(2):
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            zip_out.unlink(missing_ok=True)
            subprocess.run(["sync"], check=False)
            t0 = time.perf_counter()
            subprocess.run(["zip", "-0", "-r", "-q", str(zip_out), "."], cwd=src, check=True)
            fd = os.open(zip_out, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
            t_zip = (time.perf_counter() - t0) * 1000
            subprocess.run(["sync"], check=False)
            t0 = time.perf_counter()
            res = ReportExporter(ws).export(out, passphrase=PASS, full=True, volume_mb=100_000)
            t_exp = (time.perf_counter() - t0) * 1000
            results.append((t_exp, t_zip, res.file_bytes))
        t_exp, t_zip, size = min(results)
        gib = size / 2**30
        return [row(f"export {n_files} files, {gib:.2f} GiB (verified)", t_exp, round(1.5 * t_zip), t_zip)]
    finally:
        ws.close()
        shutil.rmtree(src, ignore_errors=True)
        shutil.rmtree(WORK / "exchange-out", ignore_errors=True)
        (WORK / "exchange-zip.zip").unlink(missing_ok=True)
        shutil.rmtree(WORK / "exchange-data", ignore_errors=True)


def _records(n: int) -> tuple[list[dict], list[dict]]:
    assign = [{"type": "assignment", "id": f"ZS-B-{i:05d}", "title": f"任务{i}", "source": "audit",
               "category": "phased", "deadline": "2026-06-30", "issued": TS,
               "nodes": [{"seq": 1, "title": "节点1", "due": "2026-05-01"}]} for i in range(n)]
    feed = []
    for i in range(n):
        feed.append({"type": "notice", "id": f"DB-B-{i:05d}", "level": "red" if i % 2 else "yellow",
                     "task_ref": f"ZS-B-{i:05d}", "title": "督办", "text": "请按期整改。", "issued": TS,
                     "issuer": "市督查室", "respond_by": "2026-05-01"})
        feed.append({"type": "review", "id": f"RV-B-{i:05d}", "target": "task", "target_id": f"ZS-B-{i:05d}",
                     "result": "returned" if i % 3 else "accepted", "reviewed": TS, "reviewer": "王某",
                     "comment": "请补充材料"})
    return assign, feed


def bench_import(n: int) -> list[dict]:
    from city_desk import write_feedback

    key = serialization.load_pem_private_key((FIX / "test-city.key.pem").read_bytes(), password=None)
    assign, feed = _records(n)
    data_dir = WORK / "exchange-import"
    ws = _workspace(data_dir)
    pk1, pk2 = WORK / "fb-assign.zgb", WORK / "fb-20k.zgb"
    try:
        write_feedback(pk1, key=key, unit_code="442000-017", seq=1, records=assign)
        write_feedback(pk2, key=key, unit_code="442000-017", seq=2, records=feed)
        from core.exchange.importer import FeedbackImporter

        FeedbackImporter(ws).import_file(pk1)
    finally:
        ws.close()
    child = subprocess.run([sys.executable, __file__, "--child-import", str(data_dir), str(pk2)],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    # baseline: parse the same records and insert them as rows with plain sqlite3
    base_db = WORK / "exchange-baseline.sqlite3"
    base_db.unlink(missing_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in feed]
    t0 = time.perf_counter()
    con = sqlite3.connect(base_db)
    con.execute("CREATE TABLE rec (id TEXT PRIMARY KEY, type TEXT, body TEXT)")
    with con:
        con.executemany("INSERT INTO rec VALUES (?, ?, ?)",
                        ((r["id"], r["type"], line) for line, r in ((x, json.loads(x)) for x in lines)))
    con.close()
    t_base = (time.perf_counter() - t0) * 1000
    base_db.unlink(missing_ok=True)
    pk1.unlink(missing_ok=True)
    pk2.unlink(missing_ok=True)
    shutil.rmtree(data_dir, ignore_errors=True)
    return [row(f"import {n} notices + {n} reviews", figures["ms"], 3000, t_base),
            row("import peak memory (child process)", figures["peak_mb"], 300, None, unit="MB")]


def child_import(data_dir: str, package: str) -> None:
    import resource

    from core.exchange.importer import FeedbackImporter

    ws = Workspace.open(data_dir, user="bench", today=TODAY)
    try:
        t0 = time.perf_counter()
        FeedbackImporter(ws).import_file(package)
        ms = (time.perf_counter() - t0) * 1000
    finally:
        ws.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"ms": ms, "peak_mb": peak}))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--files", type=int, default=500)
    p.add_argument("--file-mb", type=int, default=2)
    p.add_argument("--records", type=int, default=10_000)
    p.add_argument("--only", choices=("import", "export"))
    p.add_argument("--child-import", nargs=2)
    args = p.parse_args()
    if args.child_import:
        child_import(*args.child_import)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    rows = [] if args.only == "export" else bench_import(args.records)
    rows += [] if args.only == "import" else bench_export(args.files, args.file_mb)
    report(rows, "exchange")


if __name__ == "__main__":
    main()
