"""The Excel export printed by LibreOffice (tools/check_print_layout.py): one A4 page wide at a readable scale, as
many pages long as the rows need, the header on every page, no wrapped line lost. LibreOffice is not in CI:
these tests skip without it (the export's print settings themselves are tested in tests/core/excel)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tools.check_print_layout import MIN_SCALE, check, export_demo
from tools.libreoffice import convert, soffice

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("print")
    xlsx = export_demo(folder)
    return xlsx, convert(xlsx, "pdf", folder)


def test_the_demo_ledger_prints_one_page_wide_readable_and_whole(printed: tuple[Path, Path]) -> None:
    layout = check(*printed)
    assert layout.problems == []
    assert layout.landscape and layout.one_page_wide and layout.header_on_every_page
    assert layout.scale >= MIN_SCALE  # was 28 % with every column printed
    assert layout.pages >= 3  # 60 tasks at a readable size: several pages long, not one page at 34 %
    assert layout.rows == 60 and not layout.clipped and not layout.missing


def test_a_row_too_short_for_its_lines_is_found(printed: tuple[Path, Path], tmp_path: Path) -> None:
    xlsx, _ = printed
    wb = openpyxl.load_workbook(xlsx)
    sheet = wb.worksheets[0]
    for r in range(3, sheet.max_row + 1):
        sheet.row_dimensions[r].height = 14  # one line: the second line of every wrapped cell is lost
    short = tmp_path / "short.xlsx"
    wb.save(short)
    layout = check(short, convert(short, "pdf", tmp_path))
    assert layout.clipped or layout.missing
    assert layout.problems


def test_the_public_version_prints_as_well(tmp_path: Path) -> None:
    xlsx = export_demo(tmp_path, public=True)
    layout = check(xlsx, convert(xlsx, "pdf", tmp_path))
    assert layout.problems == [] and layout.pages >= 3 and layout.rows == 60
