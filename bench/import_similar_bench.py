"""相似问题 of an Excel import preview: what looking up every row's similar problems costs (issue 16).

The window looks them up off the GUI thread, 50 rows at a time (ui/dialogs/similar_panel.BatchSuggestions), the
rows on screen first. Prints, on a ledger of N past tasks and a list of R rows worded differently:
- the first chunk (the rows the clerk sees first), target <= 1 s;
- per row, over the whole list, against reading and checking the same list (read_problem_list) in the same run;
- the whole list's lookup (what `import-excel --suggest` adds to a dry run).
Usage: uv run python bench/import_similar_bench.py [--tasks N] [--rows R]
"""

from __future__ import annotations

import argparse
import time

import openpyxl
from _common import WORK, report, row
from measures_bench import build

from core.excel.importer import read_problem_list, row_problems
from core.measures.similar import SimilarIndex, suggest_many
from tests.core.measures.families import NEW

CHUNK = 50


def problem_list(rows: int) -> object:
    path = WORK / "import-similar.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("问题清单")
    ws.append(["序号", "问题描述", "问题来源", "整改类别", "责任单位", "责任人", "整改时限"])
    titles = [t for ts in NEW.values() for t in ts]
    for i in range(rows):
        ws.append([i + 1, f"{titles[i % len(titles)]}（{i // len(titles) + 1}）", "巡察", "分阶段整改", "党政办",
                   "王五", "2026-12-31"])
    wb.save(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False)
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--rows", type=int, default=10_000)
    args = ap.parse_args()
    ws, _ = build(args.tasks)
    path = problem_list(args.rows)
    index = SimilarIndex(ws.paths.similar_index)
    with ws.read() as s:
        index.sync(s)
        t0 = time.perf_counter()
        preview = read_problem_list(path, session=s)
        read_s = time.perf_counter() - t0
        problems = [(t, d) for _, t, d in row_problems(preview)]
        t0 = time.perf_counter()
        suggest_many(s, index, problems[:CHUNK], limit=8, sync=True)
        first_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        for i in range(0, len(problems), CHUNK):
            suggest_many(s, index, problems[i:i + CHUNK], limit=8, sync=False)
        all_s = time.perf_counter() - t0
    ws.close()
    n = len(problems)
    report([
        row(f"first {CHUNK} rows' suggestions ({args.tasks} tasks)", first_ms, 1000),
        row("suggestions per row", all_s / n * 1000, 10, baseline=read_s / n * 1000),
        row(f"all {n} rows' suggestions", all_s, 60, baseline=read_s, unit="s"),
    ], "import_similar")


if __name__ == "__main__":
    main()
