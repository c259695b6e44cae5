"""The 整改报告 is laid out as GB/T 9704-2012 asks: measured on the PDF itself with pdfplumber."""

from __future__ import annotations

import re
from collections import defaultdict

import pdfplumber
import pytest
from pypdf import PdfReader

MM = 72 / 25.4
CLOSING = "，。、；：！？）》」』】”’"


def _lines(chars: list[dict], size: float) -> list[str]:
    rows: dict[int, list[dict]] = defaultdict(list)
    for c in chars:
        if round(c["size"]) == size:
            rows[-round(c["matrix"][5])].append(c)  # by baseline: fonts differ in their ascent
    return ["".join(c["text"] for c in sorted(rows[k], key=lambda c: c["x0"])) for k in sorted(rows)]


@pytest.fixture(scope="module")
def summary_pages(demo_reports):  # noqa: ANN001, ANN201
    with pdfplumber.open(demo_reports.summary) as pdf:
        return [(p.width, p.height, list(p.chars), len(p.rects)) for p in pdf.pages]


def test_a4_portrait_text_block_inside_gbt_9704_margins(summary_pages) -> None:  # noqa: ANN001
    portrait = [p for p in summary_pages if p[0] < p[1]]
    assert len(portrait) >= 2
    for width, height, chars, _ in portrait:
        assert (round(width / MM), round(height / MM)) == (210, 297)
        body = [c for c in chars if round(c["size"]) in (16, 22)]
        assert min(c["x0"] for c in body) >= 28 * MM - 0.5
        assert max(c["x1"] for c in body) <= (28 + 156) * MM + 1.0
        assert min(c["top"] for c in body) >= 37 * MM - 0.5
        assert max(c["bottom"] for c in body) <= (37 + 225) * MM + 0.5


def test_title_22pt_body_16pt_page_numbers_14pt(summary_pages) -> None:  # noqa: ANN001
    first = summary_pages[0][2]
    title = "".join(_lines(first, 22))
    assert title == "中山市某某镇人民政府关于整改工作进展情况的报告"
    body = _lines(first, 16)
    assert body[0] == "市督查室："  # 主送机关
    assert body[1].startswith("截至2026年4月15日，本单位共承担整改任务60项")
    assert "一、整改工作开展情况" in body
    assert _lines(first, 14) == ["— 1 —"]


def test_full_pages_have_22_lines_of_at_most_28_characters(tmp_path) -> None:  # noqa: ANN001
    """A page of body text on the official grid (the demo's summary body is shorter than two pages)."""
    from core.reports.fonts import load_fonts
    from core.reports.pdf import ReportDoc, official_story
    from core.reports.summary import Block

    fonts = load_fonts()
    text = "本单位对照问题清单逐项明确整改措施、责任人和整改时限，细化整改节点，建立健全长效机制，确保按期完成。"
    out = tmp_path / "full.pdf"
    ReportDoc(out, fonts, title="t", subject="s", author="a", keywords="").build(
        official_story([Block("body", text * 3) for _ in range(6)], fonts)
    )
    with pdfplumber.open(out) as pdf:
        full = list(pdf.pages[0].chars)
    lines = _lines(full, 16)
    assert len(lines) == 22

    def cells(line: str) -> float:  # digits and Latin letters are half-width
        return sum(1 if ord(ch) > 0x2E80 else 0.5 for ch in line)

    assert max(cells(line) for line in lines) <= 28
    assert any(len(line) == 28 for line in lines)  # Chinese-only lines fill the grid exactly
    tops = sorted({round(c["matrix"][5], 2) for c in full if round(c["size"]) == 16})
    gaps = {round(b - a, 1) for a, b in zip(tops, tops[1:], strict=False)}
    assert gaps == {round(225 * MM / 22, 1)}


def test_no_line_starts_with_closing_punctuation(summary_pages) -> None:  # noqa: ANN001
    for width, height, chars, _ in summary_pages:
        if width > height:
            continue
        for line in _lines(chars, 16):
            assert line[0] not in CLOSING, line


def test_headings_use_hei_and_kai_faces(summary_pages) -> None:  # noqa: ANN001
    chars = summary_pages[0][2]
    fonts = {c["text"]: c["fontname"] for c in chars if round(c["size"]) == 16}
    heading_font = next(c["fontname"] for c in chars if c["text"] == "开" and round(c["size"]) == 16)
    level2 = next(c["fontname"] for c in chars if c["text"] == "总" and round(c["size"]) == 16)
    body = next(c["fontname"] for c in chars if c["text"] == "截")
    assert len({heading_font, level2, body}) == 3, fonts


def test_page_numbers_alternate_sides_below_the_block(summary_pages) -> None:  # noqa: ANN001
    for n, (width, height, chars, _) in enumerate(summary_pages, start=1):
        numbers = [c for c in chars if round(c["size"]) == 14]
        if width > height:
            numbers = [c for c in chars if not c["upright"]]
            # §7.4 横排表格: at the table's left side, turned with the page; odd pages lower left, even upper left
            along = sorted(numbers, key=lambda c: -c["top"])
            assert "".join(c["text"] for c in along).replace(" ", "") == f"—{n}—"
            assert max(c["x1"] for c in numbers) < 18 * MM
            middle = sum(c["top"] for c in numbers) / len(numbers)
            assert (middle > height / 2) == bool(n % 2)
            continue
        assert "".join(c["text"] for c in numbers) == f"— {n} —"
        if width < 600:
            # the dash (about a third of the size above the baseline) lies 7 mm below the text block
            dash_from_top = (height - numbers[0]["matrix"][5] - 0.35 * 14) / MM
            assert 262 + 6.5 <= dash_from_top <= 262 + 7.5
            centre = (min(c["x0"] for c in numbers) + max(c["x1"] for c in numbers)) / 2
            assert (centre > width / 2) == bool(n % 2)  # odd pages on the right, even on the left


def test_signature_block_unit_and_arabic_date(summary_pages) -> None:  # noqa: ANN001
    portrait_text = ["\n".join(_lines(p[2], 16)) for p in summary_pages if p[0] < p[1]]
    last = portrait_text[-1].splitlines()
    assert last[-2:] == ["中山市某某镇人民政府", "2026年4月15日"]
    assert "附件：整改问题清单" in last


def test_appendix_is_landscape_with_header_on_every_page_and_totals(summary_pages) -> None:  # noqa: ANN001
    wide = [p for p in summary_pages if p[0] > p[1]]
    assert len(wide) >= 2
    for _, _, chars, _ in wide:
        text = "".join(c["text"] for c in chars)
        if "●" in text:  # a page of the table (the stamp may stand alone on the last page)
            assert "序号编号问题来源类别" in text
    last = "".join(c["text"] for p in wide[-2:] for c in p[2])
    assert "合计60项" in last and "已销号14项" in last


def test_every_font_is_embedded_as_a_subset(demo_reports) -> None:  # noqa: ANN001
    for path in (demo_reports.summary, demo_reports.ledger, demo_reports.task, demo_reports.monthly):
        reader = PdfReader(str(path))
        seen = set()
        for page in reader.pages:
            fonts = page["/Resources"].get("/Font", {})
            for ref in fonts.values():
                font = ref.get_object()
                name = str(font["/BaseFont"])
                seen.add(name)
                desc = font.get("/FontDescriptor")
                if desc is None and "/DescendantFonts" in font:
                    desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert desc is not None, f"{path.name}: {name} has no descriptor (a standard font)"
                desc = desc.get_object()
                assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
                assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
        assert seen


def test_qr_stamp_on_last_page_matches_metadata(demo_reports) -> None:  # noqa: ANN001
    from core.reports.stamp import ledger_digest, read_stamp
    from core.workspace import Workspace

    stamp = read_stamp(demo_reports.summary)
    ws = Workspace.open(demo_reports.data_dir)
    try:
        with ws.read() as s:
            assert stamp.sha256 == ledger_digest(s)
    finally:
        ws.close()
    assert (stamp.unit_code, stamp.date, stamp.kind) == ("442000-017", "2026-04-15", "summary")
    with pdfplumber.open(demo_reports.summary) as pdf:
        last = pdf.pages[-1]
        assert len(last.rects) > 100  # the QR modules
        assert stamp.sha256[:32] in last.extract_text().replace(" ", "")
        assert all(len(p.rects) < 100 for p in pdf.pages[:3])


def test_printed_qr_scans_to_the_stamp(demo_reports, tmp_path) -> None:  # noqa: ANN001
    """The last page, rendered as a 150 dpi scan would see it, carries the stamp in a QR code a phone can read."""
    import shutil
    import subprocess

    import zxingcpp
    from PIL import Image

    from core.reports.stamp import read_stamp

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils (pdftoppm) is installed by .ci/run"
    with pdfplumber.open(demo_reports.summary) as pdf:
        last = len(pdf.pages)
    subprocess.run([pdftoppm, "-r", "150", "-gray", "-png", "-f", str(last), "-l", str(last),
                    str(demo_reports.summary), str(tmp_path / "scan")], check=True, capture_output=True)
    (image,) = tmp_path.glob("scan*.png")
    found = zxingcpp.read_barcodes(Image.open(image))
    assert [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode] == [
        read_stamp(demo_reports.summary).payload()]


def _rows(chars: list[dict], size: float) -> list[list[dict]]:
    rows: dict[int, list[dict]] = defaultdict(list)
    for c in chars:
        if round(c["size"]) == size:
            rows[round(c["top"])].append(c)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


def test_recipient_line_under_the_title_flush_left(summary_pages) -> None:  # noqa: ANN001
    """GB/T 9704 §7.3.2: the 主送机关 one line below the title, at the left edge of the text block."""
    chars = summary_pages[0][2]
    title_bottom = max(c["bottom"] for c in chars if round(c["size"]) == 22)
    rows = _rows(chars, 16)
    recipient = rows[0]
    assert "".join(c["text"] for c in recipient) == "市督查室："
    assert abs(recipient[0]["x0"] - 28 * MM) < 1.0
    line = 225 * MM / 22
    assert line < recipient[0]["top"] - title_bottom < 2.5 * line  # one blank line between
    assert abs(rows[1][0]["x0"] - (28 * MM + 2 * 156 * MM / 28)) < 1.0  # the body is indented two characters


def test_signature_right_two_characters_in_one_blank_line_above(summary_pages) -> None:  # noqa: ANN001
    """§7.3.5.2: one blank line below the 附件说明, the unit 右空二字, the date below it moved two characters
    to the right."""
    cell = 156 * MM / 28
    for _w, _h, chars, _ in summary_pages:
        rows = _rows(chars, 16)
        texts = ["".join(c["text"] for c in r) for r in rows]
        if "2026年4月15日" not in texts:
            continue
        i = texts.index("2026年4月15日")
        unit, day = rows[i - 1], rows[i]
        assert texts[i - 1] == "中山市某某镇人民政府"
        assert texts[i - 2] == "附件：整改问题清单"
        right = (28 + 156) * MM
        edge = max(unit[-1]["x1"], day[-1]["x1"])
        assert abs(right - edge - 2 * cell) < 2.5  # 右空二字
        assert abs(day[0]["x0"] - unit[0]["x0"] - 2 * cell) < 2.5 or abs(right - day[-1]["x1"] - 2 * cell) < 2.5
        line = 225 * MM / 22
        gap = unit[0]["top"] - rows[i - 2][0]["top"]
        assert abs(gap - 2 * line) < 1.0  # exactly one blank line above the signature
        return
    raise AssertionError("no signature block")


def test_a_heading_is_never_the_last_line_of_a_page(tmp_path) -> None:  # noqa: ANN001
    """Keep with next: a heading that would stand on the last line (or the last but one) starts the next page."""
    from core.reports.fonts import load_fonts
    from core.reports.pdf import ReportDoc, official_story
    from core.reports.summary import Block

    fonts = load_fonts()
    line = "本单位对照问题清单逐项明确整改措施和整改时限，" * 2  # 24 characters: one grid line and some
    for filler_lines in (19, 20, 21):
        blocks = [Block("body", "甲" * 26) for _ in range(filler_lines)]
        blocks += [Block("h1", "二、整改任务完成情况"), Block("body", line * 4)]
        out = tmp_path / f"keep{filler_lines}.pdf"
        ReportDoc(out, fonts, title="t", subject="s", author="a", keywords="").build(official_story(blocks, fonts))
        with pdfplumber.open(out) as pdf:
            for page in pdf.pages:
                rows = _rows(list(page.chars), 16)
                texts = ["".join(c["text"] for c in r) for r in rows]
                if "二、整改任务完成情况" in texts:
                    assert texts.index("二、整改任务完成情况") < len(texts) - 2, (filler_lines, texts[-3:])


@pytest.mark.parametrize("kind", ["summary", "ledger", "task", "monthly"])
def test_the_qr_stamp_is_never_in_the_bottom_margin(demo_reports, kind: str) -> None:  # noqa: ANN001
    """The code stands inside the text block (the bottom margin holds the page number; printers cut it)."""
    with pdfplumber.open(getattr(demo_reports, kind)) as pdf:
        modules = []
        for page in pdf.pages:
            small = [r for r in page.rects if r["width"] < 1.5 * MM and r["height"] < 1.5 * MM and r["fill"]]
            if len(small) > 100:  # the QR code's modules
                modules.append((page, small))
        assert len(modules) == 1
        page, rects = modules[0]
        landscape = page.width > page.height
        bottom_margin = (18 + 8) * MM if landscape else (35 if kind == "summary" else 28) * MM
        assert max(r["bottom"] for r in rects) <= page.height - bottom_margin + 0.5
        size = max(r["x1"] for r in rects) - min(r["x0"] for r in rects)
        assert size >= 14 * MM  # still read by a phone
