"""Reports benchmark: PDF reports for 1,000 tasks and a 10,000-row Excel problem list.

Prints, each with its ratio to a baseline measured in the same run:
- summary + ledger PDF for 1,000 tasks (target <= 15 s) vs. ReportLab drawing the same cells as plain
  Helvetica strings in one table (no Chinese fonts, no wrapping, no lights); peak memory (<= 500 MB),
  measured in a child process so that set-up does not count;
- import of a 10,000-row problem list (target <= 4 s) vs. openpyxl reading every cell in streaming mode
  plus plain sqlite3 inserting the rows;
- signing the 1,000-task summary with the unit key (target <= 1 s) vs. hashing the file once with SHA-256;
- export of the 10,000-task ledger (target <= 4 s) vs. openpyxl writing the same values without styles
  (write-only mode, the floor).
Usage: uv run python bench/reports_bench.py [--tasks 1000] [--rows 10000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import shutil
import sqlite3
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from _common import WORK, report, row

from core.ledger.tasks import NodeInput, TaskInput, create_task
from core.unit import init_unit
from core.workspace import Workspace

TODAY = date(2026, 4, 15)
WORDS = [
    "村务公开",
    "专项资金",
    "消防通道",
    "食堂采购",
    "招投标",
    "公车管理",
    "扶贫资产",
    "河长制",
    "安全生产",
    "垃圾分类",
    "违法建设",
    "信访积案",
    "档案管理",
    "网络安全",
    "债务化解",
]
SOURCES = ["巡察", "审计", "绩效考核", "督查", "信访"]
CATEGORIES = ["立行立改", "分阶段整改", "长效整改"]


def timed(fn):  # noqa: ANN001, ANN201
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def build_ledger(folder: Path, n: int) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    ws = Workspace.open(folder, user="bench", today=TODAY)
    rng = random.Random(5)
    try:
        with ws.session() as s:
            init_unit(s, "442000-017", "中山市某某镇人民政府", "township", admin="bench")
            for i in range(n):
                deadline = TODAY + timedelta(days=rng.randint(-60, 200))
                nodes = [
                    NodeInput(
                        f"第{k + 1}阶段：{rng.choice(WORDS)}整改",
                        (deadline - timedelta(days=30 * (2 - k))).isoformat(),
                    )
                    for k in range(3)
                ]
                create_task(
                    s,
                    "bench",
                    TaskInput(
                        title=f"{rng.choice(WORDS)}方面存在的问题整改不到位，群众反映较多（第{i + 1}项）",
                        source=rng.choice(SOURCES),
                        category=rng.choice(CATEGORIES),
                        owner=f"责任人{i % 40}",
                        deadline=deadline.isoformat(),
                        section=f"科室{i % 12}",
                        leader="王副镇长",
                        batch="2026年市委第一轮巡察",
                        description="问题描述" * 5,
                        measures="整改措施" * 6,
                        nodes=nodes,
                    ),
                    city_ref=f"ZS-{i:05d}",
                )
    finally:
        ws.close()


def render_reports(folder: str, out: str) -> None:
    from core.reports.pdf import render_report

    ws = Workspace.open(folder, user="bench", today=TODAY)
    try:
        with ws.read() as s:
            render_report(s, TODAY, "summary", Path(out) / "summary.pdf")
            render_report(s, TODAY, "ledger", Path(out) / "ledger.pdf")
    finally:
        ws.close()


def baseline_pdf(folder: str, out: str) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import LongTable, SimpleDocTemplate

    ws = Workspace.open(folder, user="bench", today=TODAY)
    try:
        with ws.read() as s:
            from core.ledger.queries import LedgerFilter, LedgerQuery

            rows = LedgerQuery(s, TODAY).page(LedgerFilter(), limit=None, with_details=False)
    finally:
        ws.close()
    cells = [
        [str(i), r.city_ref or "", r.id[:24], r.source, r.category, r.deadline, r.status, r.light]
        for i, r in enumerate(rows)
    ]
    for name in ("summary", "ledger"):
        SimpleDocTemplate(
            str(Path(out) / f"base-{name}.pdf"), pagesize=landscape(A4) if name == "ledger" else A4
        ).build([LongTable(cells, repeatRows=1)])


def in_child(fn, *args) -> tuple[float, float]:  # noqa: ANN001
    """Wall time and peak resident memory (MB) of fn(*args) run in a fresh process."""
    ctx = multiprocessing.get_context("spawn")
    t0 = time.perf_counter()
    p = ctx.Process(target=fn, args=args)
    p.start()
    p.join()
    elapsed = time.perf_counter() - t0
    if p.exitcode != 0:
        raise SystemExit(f"child failed: {fn.__name__}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak


def signing_rows(pdf: Path) -> list[dict]:
    """Signing the 1,000-task summary with an Ed25519 unit key (pyHanko, incremental update), against the
    floor of reading the file and hashing it once with SHA-256; and the verify-report check of the signed file."""
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from core.reports.proof import UnitSigner, sign_pdf

    data = pdf.read_bytes()
    signer = UnitSigner("9f86d081884c7d65", Ed25519PrivateKey.generate(), "442000-017", "中山市某某镇人民政府")
    sign_pdf(data, signer, reason="warm-up")  # imports and certificate once
    sign_time, signed = timed(lambda: sign_pdf(data, signer, reason="整改报告"))
    base, _ = timed(lambda: hashlib.sha256(pdf.read_bytes()).hexdigest())
    print(f"signed {len(data) // 1024} KB -> {len(signed) // 1024} KB", file=sys.stderr)
    return [row(f"sign the summary PDF ({len(data) // 1024} KB)", sign_time * 1000, 1000, base * 1000)]


def write_problem_list(path: Path, n: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(9)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("整改清单")
    ws.append(["2026年市委第一轮巡察反馈问题整改清单"])
    ws.append(
        [
            "序号",
            "问题来源",
            "批次",
            "问题描述",
            "整改类别",
            "责任领导",
            "责任科室",
            "责任人",
            "整改时限",
            "整改措施",
            "备注",
        ]
    )
    forms = [
        lambda d: d,
        lambda d: f"{d.year}年{d.month}月{d.day}日",
        lambda d: f"{d.year}.{d.month}.{d.day}",
        lambda d: f"{d.year}/{d.month}/{d.day}",
        lambda d: d.isoformat(),
    ]
    for i in range(n):
        d = TODAY + timedelta(days=rng.randint(-30, 300))
        ws.append(
            [
                i + 1,
                rng.choice(SOURCES),
                "2026年市委第一轮巡察",
                f"{rng.choice(WORDS)}问题整改不到位（第{i + 1}项）",
                rng.choice(CATEGORIES),
                "副镇长 孙某",
                f"科室{i % 12}",
                f"责任人{i % 40}",
                rng.choice(forms)(d),
                "制定整改方案，明确时限，逐项销号",
                None,
            ]
        )
    wb.save(path)


def main() -> int:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    ap.add_argument("--tasks", type=int, default=1000)
    ap.add_argument("--rows", type=int, default=10_000)
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / "reports-out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rows = []

    folder = WORK / "reports-1k"
    print(f"building a ledger of {args.tasks} tasks ...", file=sys.stderr)
    build_ledger(folder, args.tasks)
    base_pdf, _ = in_child(baseline_pdf, str(folder), str(out))
    pdf_time, pdf_peak = in_child(render_reports, str(folder), str(out))
    rows.append(row(f"summary + ledger PDF, {args.tasks} tasks", pdf_time, 15, base_pdf, unit="s"))
    rows.append(row("peak memory of the PDF run", pdf_peak, 500, None, unit="MB"))
    rows.extend(signing_rows(out / "summary.pdf"))

    xlsx = WORK / "problem-list-10k.xlsx"
    write_problem_list(xlsx, args.rows)
    target = WORK / "reports-import"
    shutil.rmtree(target, ignore_errors=True)
    ws = Workspace.open(target, user="bench", today=TODAY)
    try:
        with ws.session() as s:
            init_unit(s, "442000-017", "中山市某某镇人民政府", "township", admin="bench")
        from core.excel.importer import import_problem_list, read_problem_list

        def do_import() -> int:
            with ws.read() as s:
                preview = read_problem_list(xlsx, session=s)
            with ws.session() as s:
                return len(import_problem_list(s, "bench", preview))

        import_time, imported = timed(do_import)
        assert imported == args.rows, imported

        def base_import() -> None:
            import openpyxl

            wb = openpyxl.load_workbook(xlsx, read_only=True, data_only=True)
            values = [tuple(r) for r in wb.active.iter_rows(values_only=True)]
            wb.close()
            con = sqlite3.connect(WORK / "baseline.db")
            con.execute("DROP TABLE IF EXISTS t")
            con.execute("CREATE TABLE t (a, b, c, d, e, f, g, h, i, j, k)")
            con.executemany(
                "INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [tuple(str(x) if x is not None else None for x in (*v, *[None] * 11)[:11]) for v in values[2:]],
            )
            con.commit()
            con.close()

        base_imp, _ = timed(base_import)
        rows.append(row(f"import-excel, {args.rows} rows", import_time, 4, base_imp, unit="s"))

        from core.excel.exporter import export_ledger, ledger_rows

        def do_export() -> None:
            with ws.read() as s:
                export_ledger(s, TODAY, out / "export-10k.xlsx")

        export_time, _ = timed(do_export)
        with ws.read() as s:
            plain, _ = ledger_rows(s, TODAY)

        def base_export() -> None:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            sh = wb.create_sheet("t")
            for r in plain:
                sh.append([v for k, v in r.items() if not k.startswith("_")])
            wb.save(out / "base-10k.xlsx")

        base_exp, _ = timed(base_export)
        rows.append(row(f"export-excel, {args.rows} tasks", export_time, 4, base_exp, unit="s"))
    finally:
        ws.close()
    report(rows, "reports_bench")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
