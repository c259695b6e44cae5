"""Excel import benchmark: which reader, measured (issue 13), and the 10,000-row import after the change.

Prints, each with its ratio to a baseline measured in the same run:
- reading the 10,000-row list (read_problem_list, preview only) with the reader the import picks
  (python-calamine, merges included) vs. openpyxl's read-only mode iterating every cell (the floor the old
  importer stood on), and vs. the importer forced onto its streamed openpyxl reader (merges by byte scan);
- the same list saved as .xls (xlrd) and as GBK .csv, read (preview).
The whole import-excel of the 10,000 rows into a fresh ledger is measured once, by reports_bench.py (whose
export figure needs that ledger), against openpyxl's read plus a bare SQLite insert of the same rows.
Usage: uv run python bench/excel_bench.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from _common import WORK, report, row
from reports_bench import timed, write_problem_list


def best(fn, repeat: int = 3):  # noqa: ANN001, ANN201
    times = []
    result = None
    for _ in range(repeat):
        t, result = timed(fn)
        times.append(t)
    return min(times), result


def openpyxl_floor(path: Path) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for _ in wb.active.iter_rows(values_only=True))
    wb.close()
    return n


def as_xls(src: Path, dst: Path) -> Path:
    import openpyxl
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("整改清单")
    as_date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    wb = openpyxl.load_workbook(src, read_only=True)
    for r, values in enumerate(wb.active.iter_rows(values_only=True)):
        for c, v in enumerate(values):
            if v is not None:
                sheet.write(r, c, v, as_date) if hasattr(v, "year") else sheet.write(r, c, v)
    wb.close()
    book.save(str(dst))
    return dst


def as_gbk_csv(src: Path, dst: Path) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(src, read_only=True)
    with open(dst, "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        for values in list(wb.active.iter_rows(values_only=True))[1:]:
            w.writerow(["" if v is None else (v.date().isoformat() if hasattr(v, "date") else v) for v in values])
    wb.close()
    return dst


def main() -> int:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    ap.add_argument("--rows", type=int, default=10_000)
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    from core.excel import readers
    from core.excel.importer import read_problem_list

    xlsx = WORK / f"problem-list-{args.rows}.xlsx"
    write_problem_list(xlsx, args.rows)
    rows = []
    floor, n = best(lambda: openpyxl_floor(xlsx))
    assert n == args.rows + 2, n
    read_time, preview = best(lambda: read_problem_list(xlsx))
    assert len(preview.importable) == args.rows, len(preview.importable)
    rows.append(row(f"read {args.rows} rows (calamine, merges)", read_time, 4, floor, unit="s"))
    saved = readers.CALAMINE_SHEET_BYTES
    readers.CALAMINE_SHEET_BYTES = 0  # the streamed reader a sheet above the bound gets
    try:
        stream_time, streamed = best(lambda: read_problem_list(xlsx))
    finally:
        readers.CALAMINE_SHEET_BYTES = saved
    assert len(streamed.importable) == args.rows
    rows.append(row(f"read {args.rows} rows (openpyxl streamed)", stream_time, 8, floor, unit="s"))

    xls = as_xls(xlsx, WORK / f"problem-list-{args.rows}.xls")
    xls_time, pv = best(lambda: read_problem_list(xls))
    assert len(pv.importable) == args.rows, len(pv.importable)
    rows.append(row(f"read {args.rows} rows of .xls (xlrd)", xls_time, 4, floor, unit="s"))
    gbk = as_gbk_csv(xlsx, WORK / f"problem-list-{args.rows}.csv")
    csv_time, pv = best(lambda: read_problem_list(gbk))
    assert len(pv.importable) == args.rows, len(pv.importable)
    rows.append(row(f"read {args.rows} rows of GBK .csv", csv_time, 4, floor, unit="s"))
    print(f"baseline: openpyxl read-only, every cell of {args.rows} rows: {floor:.2f} s", file=sys.stderr)
    report(rows, "excel")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
