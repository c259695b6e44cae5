"""Exchange benchmark.

1. Export of 1 GiB of evidence (500 files of 2 MB), written, fsynced, re-opened and verified, against
   `zip -0 -r` of the same files in the same run (target <= 1.5x); files are streamed, so the peak memory
   of the process stays far below the size exported (target <= 200 MB).
2. Import of a feedback package with 10,000 city assignments of 3 nodes each (target <= 5 s), then of one
   with 10,000 notices and 10,000 reviews of those tasks (target <= 3 s); each in a fresh child process
   with its peak memory (target <= 300 MB), against json-parsing the same records and inserting them as
   rows with plain sqlite3. The CPU time is printed too: on a busy machine the wall time includes waiting.
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

from _common import ROOT, WORK, peak_rss_mb, report, row

sys.path.insert(0, str(ROOT / "tools"))

from cryptography.hazmat.primitives import serialization  # noqa: E402

from core.exchange import keys  # noqa: E402
from core.exchange.exporter import ReportExporter  # noqa: E402
from core.ledger.tasks import TaskInput, create_task  # noqa: E402
from core.unit import init_unit  # noqa: E402
from core.workspace import Workspace  # noqa: E402

TODAY = date(2026, 4, 15)
PASS = "bench passphrase"
FIX = ROOT / "tests" / "fixtures" / "keys"
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
        # Files are streamed in chunks: the peak stays far below the 1 GiB exported (run before the import cases).
        return [row(f"export {n_files} files, {gib:.2f} GiB (verified)", t_exp, round(1.5 * t_zip), t_zip),
                row("  peak memory of this process after export", peak_rss_mb(), 200, None, unit="MB")]
    finally:
        ws.close()
        shutil.rmtree(src, ignore_errors=True)
        shutil.rmtree(WORK / "exchange-out", ignore_errors=True)
        (WORK / "exchange-zip.zip").unlink(missing_ok=True)
        shutil.rmtree(WORK / "exchange-data", ignore_errors=True)


def _records(n: int) -> tuple[list[dict], list[dict]]:
    assign = [{"type": "assignment", "id": f"ZS-B-{i:05d}", "title": f"任务{i}", "source": "audit",
               "category": "phased", "deadline": "2026-06-30", "issued": TS, "owner": f"责任人{i % 50}",
               "nodes": [{"seq": k, "title": f"节点{k}", "due": f"2026-0{4 + k}-01"} for k in (1, 2, 3)]}
              for i in range(n)]
    feed = []
    for i in range(n):
        feed.append({"type": "notice", "id": f"DB-B-{i:05d}", "level": "red" if i % 2 else "yellow",
                     "task_ref": f"ZS-B-{i:05d}", "title": "督办", "text": "请按期整改。", "issued": TS,
                     "issuer": "市督查室", "respond_by": "2026-05-01"})
        feed.append({"type": "review", "id": f"RV-B-{i:05d}", "target": "task", "target_id": f"ZS-B-{i:05d}",
                     "result": "returned" if i % 3 else "accepted", "reviewed": TS, "reviewer": "王某",
                     "comment": "请补充材料"})
    return assign, feed


def _sqlite_baseline(records: list[dict]) -> float:
    """Parse the same record lines and insert them (and assigned nodes) as rows with plain sqlite3."""
    base_db = WORK / "exchange-baseline.sqlite3"
    base_db.unlink(missing_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    t0 = time.perf_counter()
    con = sqlite3.connect(base_db)
    con.execute("CREATE TABLE rec (id TEXT PRIMARY KEY, type TEXT, body TEXT)")
    con.execute("CREATE TABLE node (task_id TEXT, seq INTEGER, title TEXT, due TEXT)")
    with con:
        parsed = [json.loads(x) for x in lines]
        con.executemany("INSERT INTO rec VALUES (?, ?, ?)",
                        ((r["id"], r["type"], x) for r, x in zip(parsed, lines, strict=True)))
        con.executemany("INSERT INTO node VALUES (?, ?, ?, ?)",
                        ((r["id"], n["seq"], n["title"], n["due"]) for r in parsed for n in r.get("nodes") or []))
    con.close()
    base_db.unlink(missing_ok=True)
    return (time.perf_counter() - t0) * 1000


def _child(data_dir, package) -> dict:  # noqa: ANN001
    child = subprocess.run([sys.executable, __file__, "--child-import", str(data_dir), str(package)],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(child.stdout.strip().splitlines()[-1])


def bench_import(n: int) -> list[dict]:
    from city_desk import write_feedback

    key = serialization.load_pem_private_key((FIX / "test-city.key.pem").read_bytes(), password=None)
    assign, feed = _records(n)
    data_dir = WORK / "exchange-import"
    _workspace(data_dir).close()
    pk1, pk2 = WORK / "fb-assign.zgb", WORK / "fb-20k.zgb"
    try:
        write_feedback(pk1, key=key, unit_code="442000-017", seq=1, records=assign)
        write_feedback(pk2, key=key, unit_code="442000-017", seq=2, records=feed)
        first = _child(data_dir, pk1)  # each import in a fresh process: its own time and peak memory
        second = _child(data_dir, pk2)
    finally:
        pk1.unlink(missing_ok=True)
        pk2.unlink(missing_ok=True)
        shutil.rmtree(data_dir, ignore_errors=True)
    base1, base2 = _sqlite_baseline(assign), _sqlite_baseline(feed)
    # CPU time too: on a busy machine the wall time also counts other processes' turns.
    return [row(f"import {n} assignments x 3 nodes", first["ms"], 5000, base1),
            row("  CPU time of that import", first["cpu_ms"], 5000, base1),
            row("  peak memory (child process)", first["peak_mb"], 300, None, unit="MB"),
            row(f"import {n} notices + {n} reviews", second["ms"], 3000, base2),
            row("  CPU time of that import", second["cpu_ms"], 3000, base2),
            row("  peak memory (child process)", second["peak_mb"], 300, None, unit="MB")]


def child_import(data_dir: str, package: str) -> None:
    import resource

    from core.exchange.importer import FeedbackImporter

    ws = Workspace.open(data_dir, user="bench", today=TODAY)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        FeedbackImporter(ws).import_file(package)
        ms, cpu_ms = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    finally:
        ws.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"ms": ms, "cpu_ms": cpu_ms, "peak_mb": peak}))


def main() -> None:
    p = argparse.ArgumentParser(allow_abbrev=False)
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
    rows = [] if args.only == "import" else bench_export(args.files, args.file_mb)
    rows += [] if args.only == "export" else bench_import(args.records)
    report(rows, "exchange")


if __name__ == "__main__":
    main()
