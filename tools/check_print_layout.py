"""Does the Excel export (core/excel/exporter.py) print well? LibreOffice prints it to PDF and the PDF is read back.

Checked on the ledger sheet's pages: one page wide (every page shows the first and the last printed column's
header), as many pages long as needed, the title and header rows repeated on every page, the print scale
(the body's 10-pt text as printed: 0.28 means 28 %), and every line of every wrapped cell inside its row
(LibreOffice draws the lines a too-short row cannot hold over the row below: a clipped second line).

Usage: uv run python tools/check_print_layout.py [LEDGER.xlsx] [--tasks N] [--public] [--keep DIR]
Without a file, the demo ledger (60 tasks; --tasks N for a longer one) is exported first. Exit 0 when the layout
is right, 1 when not, 2 without LibreOffice (soffice).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.libreoffice import convert, soffice  # noqa: E402

BODY_POINTS = 10  # the export's body font size
MIN_SCALE = 0.5  # below this the printed text is under 5 pt: not readable on paper


@dataclass
class Layout:
    pages: int = 0  # pages of the ledger sheet
    scale: float = 0.0
    landscape: bool = False
    one_page_wide: bool = False
    header_on_every_page: bool = False
    rows_found: int = 0
    rows: int = 0
    clipped: list[str] = field(default_factory=list)  # "row N, column: text" of cells whose lines overflow
    missing: list[str] = field(default_factory=list)  # cells whose text was not found printed at all

    @property
    def problems(self) -> list[str]:
        out = []
        if not self.one_page_wide:
            out.append("not one page wide")
        if not self.header_on_every_page:
            out.append("the header rows are not on every page")
        if self.scale < MIN_SCALE:
            out.append(f"printed at {self.scale:.0%} (under {MIN_SCALE:.0%}: not readable)")
        if not self.landscape:
            out.append("not landscape")
        if self.clipped:
            out.append(f"{len(self.clipped)} wrapped cells lose lines: {'; '.join(self.clipped[:5])}")
        if self.missing:
            out.append(f"{len(self.missing)} cells not printed: {'; '.join(self.missing[:5])}")
        return out


def _clusters(values: list[float], tolerance: float = 0.6) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _interval(bounds: list[float], v: float) -> int:
    """Index i with bounds[i] <= v < bounds[i+1], or -1."""
    for i in range(len(bounds) - 1):
        if bounds[i] <= v < bounds[i + 1]:
            return i
    return -1


def _sheet(xlsx: Path) -> tuple[list[str], list[str], list[list[str]]]:
    """The ledger sheet's title, printed header labels (hidden columns left out), and the body's text per row."""
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    ws = wb.worksheets[0]
    visible = [c for c in range(1, ws.max_column + 1)
               if not ws.column_dimensions[openpyxl.utils.get_column_letter(c)].hidden]
    header = [str(ws.cell(2, c).value or "") for c in visible]
    body = []
    for r in range(3, ws.max_row + 1):
        values = []
        for c in visible:
            v = ws.cell(r, c).value
            values.append(v.date().isoformat() if hasattr(v, "date") else "" if v is None else str(v))
        body.append(values)
    return [str(ws.cell(1, 1).value or "")], header, body


def _strip(text: str) -> str:
    return "".join(text.split())


def check(xlsx: Path, pdf: Path) -> Layout:
    import pdfplumber

    from core.excel.columns import LABELS
    from core.excel.exporter import WRAP_COLUMNS

    title, header, body = _sheet(xlsx)
    wrapped = {LABELS[k] for k in WRAP_COLUMNS if k in LABELS} | {"整改进展/完成情况"}
    layout = Layout(rows=len(body))
    sizes: Counter[float] = Counter()
    # label -> its characters below the header: (text, top, bottom, x0, page number, the page's row lines)
    streams: dict[str, list[tuple[str, float, float, float, int, list[float]]]] = {h: [] for h in header}
    pages_ok_header = []
    pages_ok_wide = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            text = _strip(page.extract_text() or "")
            if _strip(title[0]) not in text:
                continue  # another sheet's page (统计)
            layout.pages += 1
            layout.landscape = page.width > page.height
            hs = _clusters([e["top"] for e in page.edges if e["orientation"] == "h"])
            vs = _clusters([e["x0"] for e in page.edges if e["orientation"] == "v"])
            chars = [c for c in page.chars if c["text"].strip()]
            # the header row: the row box holding the first label's first character
            first = next((c for c in chars if c["text"] == header[0][0]
                          and _interval(hs, (c["top"] + c["bottom"]) / 2) >= 0), None)
            if first is None:
                pages_ok_header.append(False)
                continue
            hrow = _interval(hs, (first["top"] + first["bottom"]) / 2)
            labels: dict[int, str] = {}
            for c in chars:
                if _interval(hs, (c["top"] + c["bottom"]) / 2) == hrow:
                    col = _interval(vs, (c["x0"] + c["x1"]) / 2)
                    labels[col] = labels.get(col, "") + c["text"]
            by_label = {_strip(t): col for col, t in labels.items()}
            pages_ok_header.append(all(_strip(h) in by_label for h in header))
            pages_ok_wide.append(_strip(header[0]) in by_label and _strip(header[-1]) in by_label)
            below = hs[hrow + 1]
            for c in chars:
                centre = (c["top"] + c["bottom"]) / 2
                if centre <= below:
                    continue
                sizes[round(c["size"], 1)] += 1
                col = _interval(vs, (c["x0"] + c["x1"]) / 2)
                for h in header:
                    if by_label.get(_strip(h)) == col:
                        streams[h].append((c["text"], c["top"], c["bottom"], c["x0"], page.page_number, hs))
    layout.header_on_every_page = bool(pages_ok_header) and all(pages_ok_header)
    layout.one_page_wide = bool(pages_ok_wide) and all(pages_ok_wide)
    if sizes:
        layout.scale = round(sizes.most_common(1)[0][0] / BODY_POINTS, 3)
    for stream in streams.values():
        stream.sort(key=lambda s: (s[4], round(s[1], 1), s[3]))  # page, line, left to right
    for col, label in enumerate(header):
        if label not in wrapped:
            continue
        stream = streams[label]
        joined = "".join(s[0] for s in stream)
        at = 0
        for n, values in enumerate(body, start=3):
            want = _strip(values[col])
            if not want:
                continue
            found = joined.find(want, at)
            if found < 0:
                layout.missing.append(f"row {n}, {label}: {want[:20]}")
                continue
            at = found + len(want)
            chars = stream[found:at]
            hs = chars[0][5]
            box = _interval(hs, (chars[0][1] + chars[0][2]) / 2)
            bottom = hs[box + 1] if 0 <= box < len(hs) - 1 else float("inf")
            if any((c[1] + c[2]) / 2 > bottom or c[4] != chars[0][4] for c in chars):
                layout.clipped.append(f"row {n}, {label}: {want[:20]}")
    layout.rows_found = layout.rows - len({m.split(",")[0] for m in layout.missing})
    return layout


def export_demo(folder: Path, tasks: int = 0, public: bool = False) -> Path:
    """The demo ledger (60 tasks, and `tasks` long ones more) exported as the window exports it (`public`: the
    公示 version)."""
    from core.demo import build_demo
    from core.excel.exporter import export_ledger
    from core.workspace import Workspace

    shutil.rmtree(folder / "data", ignore_errors=True)
    ws = Workspace.open(folder / "data", user="李志强", today=date(2026, 11, 23))
    try:
        build_demo(ws)
        if tasks:
            from core.ledger.tasks import NodeInput, TaskInput, create_task

            with ws.session() as s:
                for i in range(tasks):
                    create_task(s, "李志强", TaskInput(
                        title=f"第{i + 1}个补充问题：村级财务公开不及时，部分村未按季度公开收支明细，群众意见较大",
                        source="inspection", category="phased", owner="王五", deadline="2026-12-31",
                        section="党政办", measures="1. 逐村督促公开\n2. 建立季度公开制度\n3. 纳入年度考核",
                        nodes=[NodeInput("梳理应公开事项", "2026-12-10"), NodeInput("补公开", "2026-12-20")]))
        with ws.read() as s:
            path, _ = export_ledger(s, ws.today, folder / ("公示.xlsx" if public else "台账.xlsx"), public=public)
        return path
    finally:
        ws.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    p.add_argument("xlsx", nargs="?", help="an exported ledger (default: export the demo ledger)")
    p.add_argument("--tasks", type=int, default=0, help="add this many long tasks to the demo ledger")
    p.add_argument("--public", action="store_true", help="the 公示 version of the demo ledger")
    p.add_argument("--keep", help="keep the .xlsx and .pdf in this folder")
    args = p.parse_args(argv)
    if soffice() is None:
        print("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        xlsx = Path(args.xlsx) if args.xlsx else export_demo(folder, args.tasks, args.public)
        pdf = convert(xlsx, "pdf", folder)
        layout = check(xlsx, pdf)
    print(f"ledger pages: {layout.pages}, scale: {layout.scale:.0%}, landscape: {layout.landscape}, "
          f"one page wide: {layout.one_page_wide}, header on every page: {layout.header_on_every_page}, "
          f"rows: {layout.rows}, wrapped cells clipped: {len(layout.clipped)}, not found: {len(layout.missing)}")
    for problem in layout.problems:
        print("PROBLEM:", problem)
    return 1 if layout.problems else 0


if __name__ == "__main__":
    sys.exit(main())
