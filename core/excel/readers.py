"""The sheets of a problem list, whatever office program saved it: .xlsx (Excel, WPS, LibreOffice), .xls
(Excel 97–2003), .ods, and .csv (UTF-8 with or without BOM, GBK/GB18030, UTF-16; comma, tab or semicolon).

Every reader gives, per sheet, its rows as (row number as the office program shows it, values), with a merged
cell's value in every cell it spans (offices merge 责任单位, 问题来源 or 整改时限 over a group of rows).

Readers, chosen by measurement (bench/excel_bench.py): python-calamine (Rust) reads a 10,000-row .xlsx in about a
tenth of the time openpyxl's streaming mode takes and gives the merge list, but holds the whole sheet in memory;
so a worksheet larger than CALAMINE_SHEET_BYTES (never a real list, a hostile or "formatted to the last row"
one) is streamed by openpyxl in read-only mode, its merges read from the sheet's XML separately.
Sizes are read from the ZIP directory (or the file size) before any parser sees the file; a file that any
parser chokes on is "not a readable Excel file", never a crash.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.errors import InputRefused
from core.files import require_regular

# Sizes, read from the ZIP directory before anything is parsed: openpyxl loads the shared string table and the
# styles whole, so a few hundred KB that inflate to gigabytes ("spreadsheet bomb") are refused here.
MAX_XLSX_ENTRIES = 10_000
MAX_PART_BYTES = 32 * 2**20  # sharedStrings.xml, styles.xml, workbook.xml, an .ods content.xml ...
MAX_SHEET_BYTES = 512 * 2**20  # worksheets are streamed, but a bound on the work still applies
MAX_TOTAL_BYTES = 1024 * 2**20
CALAMINE_SHEET_BYTES = 16 * 2**20  # about 25,000 rows of a real list; above, the sheet is streamed
MAX_XLS_BYTES = 32 * 2**20  # an .xls is read whole (a real one: well under 5 MB)
MAX_MERGES = 100_000

Row = tuple[Any, ...]
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


def unreadable(path: Path) -> InputRefused:
    return InputRefused(
        f"“{path.name}”不是可读的 Excel 文件：文件已损坏或内容不合格式，无法读取。",
        hint="请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再导入；打不开的请向发送方要一份新的。",
    )


def _too_big(path: Path) -> InputRefused:
    return InputRefused(
        f"“{path.name}”解压后异常庞大，疑似“表格炸弹”，为保护电脑没有打开。",
        hint="请向发送方核实文件；如确是问题清单，请在 Excel 中删除多余的行和内容后另存为 .xlsx 再导入。",
    )


class Book:
    """An open workbook: its sheet names and, per sheet, its rows with merges filled."""

    kind = ""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sheet_names: list[str] = []

    def rows(self, index: int) -> Iterator[tuple[int, Row]]:
        raise NotImplementedError

    def count_rest(self, rows: Iterator[tuple[int, Row]], after: int) -> int:  # noqa: ARG002
        """How many rows with content the sheet still has after row `after`, without reading them as problems
        (the import stopped checking them)."""
        return sum(1 for _, values in rows if any(v not in (None, "") for v in values))

    def close(self) -> None:
        """Nothing to release by default."""


# -- opening ------------------------------------------------------------------------------------------------
def open_book(path: Path) -> Book:
    path = Path(path)
    # A named pipe or a device is refused with its reason before any reader opens it (what is inside is
    # bounded below, part by part).
    require_regular(path, None, what="文件")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if _names_encrypted_package(path):
            raise InputRefused(
                f"“{path.name}”设置了打开密码，无法读取。",
                hint="请在 Excel 中输入密码打开后，用“文件—信息—保护工作簿—用密码进行加密”清除密码，另存后再导入。",
            )
        if path.stat().st_size > MAX_XLS_BYTES:
            raise _too_big(path)
        return XlsBook(path)
    if zipfile.is_zipfile(path):
        infos = _check_sizes(path)
        names = {i.filename: i for i in infos}
        if "content.xml" in names and ("mimetype" not in names or _read_member(path, "mimetype").startswith(
                ODS_MIME)):
            layout = ods_layout(path)  # calamine reads every table of an .ods at open: check their spans first
            if any(extent > MAX_CELLS for _, extent in layout):
                raise _too_big(path)
            book = CalamineBook(path, "ods", [])
            book.ods_merges = [m for m, _ in layout]
            return book
        if "xl/workbook.xml" not in names:
            raise InputRefused(
                f"“{path.name}”不是 Excel 表格文件。",
                hint="请选择市里下发的问题清单（.xlsx、.xls、.ods 或 .csv）。",
            )
        sheets = [i for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
        if max((i.file_size for i in sheets), default=0) > CALAMINE_SHEET_BYTES:
            return OpenpyxlBook(path)
        errors, extent = _scan_sheets(path, sheets)
        if errors or extent > MAX_CELLS:
            return OpenpyxlBook(path)
        return CalamineBook(path, "xlsx", sheets)
    if path.suffix.lower() in CSV_SUFFIXES:
        return CsvBook(path)
    raise InputRefused(
        f"“{path.name}”不是 Excel 表格文件。",
        hint="请选择市里下发的问题清单（.xlsx、.xls、.ods 或 .csv）。如是 WPS 表格，请另存为 .xlsx。",
    )


def _names_encrypted_package(path: Path) -> bool:
    """An OLE file holding an `EncryptedPackage` stream is a password-protected .xlsx (MS-OFFCRYPTO).

    Read in chunks (an old .xls may be large), with an overlap so a name across two chunks is found.
    """
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            if _ENCRYPTED in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTED):]
    return False


def _scan_sheets(path: Path, sheets: list[zipfile.ZipInfo]) -> tuple[bool, int]:
    """Before calamine sees a worksheet (it builds the sheet as one dense block, from the first cell to the last:
    a single cell at XFD1048576 would ask for 17 billion cells): whether a cell holds an Excel error (#N/A,
    #REF! … — calamine reads it as empty, openpyxl as the error text, which the row's reason names), and the
    largest rows × columns any sheet spans. The sheets scanned here are small (CALAMINE_SHEET_BYTES)."""
    errors = False
    extent = 0
    try:
        with zipfile.ZipFile(path) as z:
            for info in sheets:
                data = z.read(info)
                errors = errors or _ERROR_CELL.search(data) is not None
                rows = max((int(m) for m in _ROW_NUMBER.findall(data)), default=0)
                cols = 0
                for letters, number in _CELL_REF.findall(data):
                    rows = max(rows, int(number))
                    cols = max(cols, _column_number(letters))
                extent = max(extent, rows * max(cols, 1))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise unreadable(path) from None
    return errors, extent


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c\b[^>]*\st=["']e["']""")
_ROW_NUMBER = re.compile(rb"""<(?:\w+:)?row\b[^>]*?\sr=["']([0-9]{1,12})["']""")
_CELL_REF = re.compile(rb"""<(?:\w+:)?c\b[^>]*?\sr=["']([A-Za-z]{1,8})([0-9]{1,12})["']""")
MAX_CELLS = 3_000_000  # rows × columns a sheet may span to be read whole (a real list: 10,000 × 20)


def _read_member(path: Path, name: str, limit: int = 200) -> bytes:
    with zipfile.ZipFile(path) as z, z.open(name) as fh:
        return fh.read(limit)


def _check_sizes(path: Path) -> list[zipfile.ZipInfo]:
    """Refuse a workbook whose parts would inflate beyond what a problem list can need (declared sizes bound
    what zipfile will inflate: it stops at the declared size and fails the CRC)."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable(path) from None
    if len(infos) > MAX_XLSX_ENTRIES:
        raise _too_big(path)
    total = 0
    for info in infos:
        total += info.file_size
        limit = MAX_SHEET_BYTES if info.filename.startswith("xl/worksheets/") else MAX_PART_BYTES
        if info.file_size > limit or total > MAX_TOTAL_BYTES:
            raise _too_big(path)
    return infos


# -- merges ------------------------------------------------------------------------------------------------
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based, inclusive)


def fill_merges(rows: Iterator[tuple[int, Row]], merges: list[Merge]) -> Iterator[tuple[int, Row]]:
    """The top-left value of each merged range in every cell of the range; rows numbered from 1."""
    if not merges:
        yield from rows
        return
    pending = sorted(merges, reverse=True)  # popped from the end: the first row first
    active: list[tuple[Merge, Any]] = []
    for number, values in rows:
        r = number - 1
        while pending and pending[-1][0] < r:  # its top row was never yielded (a gap): nothing to fill
            pending.pop()
        while pending and pending[-1][0] == r:
            m = pending.pop()
            active.append((m, values[m[1]] if m[1] < len(values) else None))
        active = [(m, v) for m, v in active if m[2] >= r]
        if active:
            cells = list(values)
            for (_r0, c0, _r1, c1), value in active:
                if len(cells) <= c1:
                    cells.extend([None] * (c1 + 1 - len(cells)))
                for c in range(c0, c1 + 1):
                    cells[c] = value
            yield number, tuple(cells)
        else:
            yield number, values


# -- python-calamine: .xlsx, .xls, .ods -----------------------------------------------------------------------
class CalamineBook(Book):
    def __init__(self, path: Path, kind: str, _parts: list[zipfile.ZipInfo]) -> None:
        super().__init__(path)
        import python_calamine

        self.kind = kind
        self.ods_merges: list[list[Merge]] = []
        try:
            self._wb = python_calamine.CalamineWorkbook.from_path(str(path))
            meta = self._wb.sheets_metadata
        except python_calamine.PasswordError:
            raise InputRefused(f"“{path.name}”设置了打开密码，无法读取。",
                               hint="请在 Excel 中输入密码打开后清除密码，另存后再导入。") from None
        except Exception:  # noqa: BLE001 - any parse failure of a foreign file is the user's file, not our bug
            raise unreadable(path) from None
        self.sheet_names = [m.name for m in meta if str(m.typ).endswith("WorkSheet")]

    def rows(self, index: int) -> Iterator[tuple[int, Row]]:
        name = self.sheet_names[index]
        merges: list[Merge] = self.ods_merges[index] if index < len(self.ods_merges) else []
        try:
            sheet = self._wb.get_sheet_by_name(name)
            cells = sheet.to_python(skip_empty_area=False)
            if self.kind != "ods":
                merges = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])[:MAX_MERGES]]
        except InputRefused:
            raise
        except Exception:  # noqa: BLE001
            if self.kind == "xlsx":  # what calamine refuses whole, openpyxl may read up to where the list ends
                yield from OpenpyxlBook(self.path).rows_named(name)
                return
            raise unreadable(self.path) from None
        del sheet
        yield from fill_merges(((i + 1, tuple(r)) for i, r in enumerate(cells)), merges)

    def close(self) -> None:
        try:
            self._wb.close()
        except Exception:  # noqa: BLE001 - closing twice is harmless
            pass


def ods_layout(path: Path) -> list[tuple[list[Merge], int]]:
    """Each table of an .ods: its merged ranges (calamine does not give them: table:number-rows-spanned
    and number-columns-spanned on a cell), and the rows × columns its cells with content span (calamine builds
    the table as one dense block, and -repeated attributes let a few bytes claim billions of cells)."""
    from defusedxml.ElementTree import iterparse

    t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    value_type = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
    table_tag, row_tag, cell_tag, covered_tag = t + "table", t + "table-row", t + "table-cell", t + "covered-table-cell"
    tables: list[tuple[list[Merge], int]] = []
    merges: list[Merge] = []
    r = c = 0
    last_row = last_col = 0
    row_has_content = False
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as fh:
            for event, el in iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == table_tag:
                        merges, r, last_row, last_col = [], 0, 0, 0
                    elif tag == row_tag:
                        c = 0
                        row_has_content = False
                    continue
                if tag in (cell_tag, covered_tag):
                    repeat = _count(el.get(t + "number-columns-repeated"))
                    if tag == cell_tag:
                        rows_spanned = _count(el.get(t + "number-rows-spanned"))
                        cols_spanned = _count(el.get(t + "number-columns-spanned"))
                        if (rows_spanned > 1 or cols_spanned > 1) and len(merges) < MAX_MERGES:
                            merges.append((r, c, r + rows_spanned - 1, c + cols_spanned - 1))
                        if el.get(value_type) or len(el):
                            row_has_content = True
                            last_col = max(last_col, c + repeat)
                    c += repeat
                    el.clear()
                elif tag == row_tag:
                    repeat = _count(el.get(t + "number-rows-repeated"))
                    if row_has_content:
                        last_row = r + repeat
                    r += repeat
                    el.clear()
                elif tag == table_tag:
                    tables.append((merges, last_row * last_col))
                    el.clear()
    except Exception:  # noqa: BLE001 - the file's XML, not our bug
        raise unreadable(path) from None
    return tables


def _count(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


# -- xlrd: .xls (Excel 97–2003) ------------------------------------------------------------------------------
class XlsBook(Book):
    """xlrd, rows kept ragged (each as long as its own cells: one cell at IV65536 costs one row, not 16 million
    cells, as it does in calamine's dense block), formatting read for the merge list; dates as dates, error
    cells as Excel shows them (#N/A …)."""

    kind = "xls"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        import xlrd

        try:
            self._wb = xlrd.open_workbook(str(path), formatting_info=True, ragged_rows=True, on_demand=True)
            self.sheet_names = self._wb.sheet_names()
        except Exception:  # noqa: BLE001
            raise unreadable(path) from None

    def rows(self, index: int) -> Iterator[tuple[int, Row]]:
        import xlrd

        try:
            sheet = self._wb.sheet_by_index(index)
            datemode = self._wb.datemode
            merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells[:MAX_MERGES]]
        except Exception:  # noqa: BLE001
            raise unreadable(self.path) from None

        def cells() -> Iterator[tuple[int, Row]]:
            for r in range(sheet.nrows):
                values: list[Any] = []
                for cell in sheet.row(r):
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            when = xlrd.xldate_as_datetime(cell.value, datemode)
                            values.append(when.date() if when.time() == when.min.time() else when)
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            values.append(cell.value)
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        values.append(xlrd.error_text_from_code.get(cell.value, "#VALUE!"))
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        values.append(None)
                    else:
                        values.append(cell.value)
                yield r + 1, tuple(values)

        yield from fill_merges(cells(), merges)

    def close(self) -> None:
        try:
            self._wb.release_resources()
        except Exception:  # noqa: BLE001
            pass


# -- openpyxl streaming: a large .xlsx sheet ---------------------------------------------------------------
class OpenpyxlBook(Book):
    kind = "xlsx"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        import openpyxl

        _bound_openpyxl()
        try:
            self._wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001
            raise unreadable(path) from None
        self.sheet_names = list(self._wb.sheetnames)

    def rows(self, index: int) -> Iterator[tuple[int, Row]]:
        yield from self.rows_named(self.sheet_names[index])

    def count_rest(self, rows: Iterator[tuple[int, Row]], after: int) -> int:
        """A byte scan of the worksheet for <row r="N"> past `after` (parsing them would take minutes for a
        million rows): the rows' count, not their content."""
        sheet = getattr(self, "_current", None)
        if sheet is None:
            return super().count_rest(rows, after)
        count = 0
        found = False
        src = sheet._get_source()
        tail = b""
        try:
            while chunk := src.read(1 << 22):
                data = tail + chunk
                cut = data.rfind(b"<")
                body, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
                if not found:  # the rows already read come first: skip them, then count tags (fast)
                    m = next((m for m in _ROW_NUMBER.finditer(body) if int(m.group(1)) > after), None)
                    if m is None:
                        continue
                    found = True
                    body = body[m.start():]
                count += body.count(b"<row ") + body.count(b"<row>")
            if not found or tail:
                count += tail.count(b"<row ") if found else 0
        except Exception:  # noqa: BLE001 - a damaged tail: what was counted is what there is
            pass
        finally:
            src.close()
        return count

    def rows_named(self, name: str) -> Iterator[tuple[int, Row]]:
        sheet = self._wb[name]
        self._current = sheet
        # Some programs write a wrong sheet size; read every row there is, not what the file claims.
        sheet.reset_dimensions()
        try:
            merges = _xlsx_merges(sheet)
            numbered = ((i, tuple(values)) for i, values in enumerate(sheet.iter_rows(values_only=True), start=1))
            yield from fill_merges(numbered, merges)
        except InputRefused:
            raise
        except Exception:  # noqa: BLE001
            raise unreadable(self.path) from None

    def close(self) -> None:
        self._wb.close()


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3}[0-9]{1,7}):([A-Za-z]{1,3}[0-9]{1,7})"')


def _xlsx_merges(sheet: Any) -> list[Merge]:
    """<mergeCell ref="B3:B6"/> elements come after <sheetData>: found by a byte scan of the worksheet part
    (no XML parse, nothing kept but the merges, bounded), so a large sheet is never held in memory."""
    from openpyxl.utils.cell import coordinate_to_tuple

    merges: list[Merge] = []
    src = sheet._get_source()  # the worksheet part, as openpyxl opens it
    tail = b""
    try:
        while chunk := src.read(1 << 20):
            data = tail + chunk
            end = 0
            if b"mergeCell" not in data:  # bytes search is fast; the regex only where merges are
                tail = data[-200:]
                continue
            for m in _MERGE_REF.finditer(data):
                end = m.end()
                (r0, c0), (r1, c1) = (coordinate_to_tuple(x.decode().upper()) for x in m.groups())
                if len(merges) < MAX_MERGES and r0 <= r1 and c0 <= c1:
                    merges.append((r0 - 1, c0 - 1, r1 - 1, c1 - 1))
            tail = data[max(end, len(data) - 200):]
    except Exception:  # noqa: BLE001 - a damaged part: the rows themselves say whether they are hurt
        pass
    finally:
        src.close()
    return merges


def _dimensions_before_data(self: Any) -> None:
    """openpyxl's read-only sheet looks for <dimension> with "end" events, so a sheet without one (WPS, some
    city exports) is parsed whole at load, a million formatted rows included. <dimension> comes before
    <sheetData> in every valid sheet: read "start" events and stop there. Same result, bounded work."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    src = self._get_source()
    try:
        for _event, element in iterparse(src, events=("start",)):
            if element.tag == DIMENSION_TAG:
                dims = SheetDimension.from_tree(element).boundaries
                if dims is not None:
                    self._min_column, self._min_row, self._max_column, self._max_row = dims
                return
            if element.tag == DATA_TAG:
                return
    finally:
        src.close()


def _bound_openpyxl() -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if ReadOnlyWorksheet._get_size is not _dimensions_before_data:
        ReadOnlyWorksheet._get_size = _dimensions_before_data


# -- CSV -----------------------------------------------------------------------------------------------------
SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", "\t", ";")


class CsvBook(Book):
    """A CSV file is one sheet. Encoding: a BOM says it (UTF-8, UTF-16 as Excel's "Unicode text"); otherwise
    UTF-8 if the start decodes as UTF-8, else GB18030 (which reads GBK and GB2312). Delimiter: of comma, tab
    and semicolon, the one that splits the top lines into the most recognised column names."""

    kind = "csv"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
        self.encoding = sniff_encoding(head)
        if b"\x00" in head and not self.encoding.startswith("utf-16"):
            raise unreadable(path)
        sample = head.decode(self.encoding, errors="ignore")
        self.delimiter = sniff_delimiter(sample)
        self.sheet_names = [path.stem]

    def rows(self, index: int = 0) -> Iterator[tuple[int, Row]]:  # noqa: ARG002 - one sheet
        try:
            with open(self.path, encoding=self.encoding, errors="replace", newline="") as fh:
                reader = csv.reader(_limited_lines(fh), delimiter=self.delimiter)
                for values in reader:
                    yield reader.line_num, tuple(values)
        except csv.Error:
            raise unreadable(self.path) from None


def _limited_lines(fh: io.TextIOBase, limit: int = 1 << 20) -> Iterator[str]:
    """Lines of at most `limit` characters: a file with no line break is not read into memory whole."""
    while line := fh.readline(limit):
        yield line


def sniff_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def sniff_delimiter(sample: str) -> str:
    from core.excel.columns import header_key

    lines = sample.splitlines()[:30]
    best, best_score = ",", (-1, -1)
    for d in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=d))
        except csv.Error:
            continue
        known = max((sum(1 for v in r if header_key(v)) for r in rows), default=0)
        width = max((len(r) for r in rows), default=0)
        if (known, width) > best_score:
            best, best_score = d, (known, width)
    return best
