"""Fonts: Windows fonts when present, shipped fonts otherwise, and never a missing glyph (tofu)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.platypus import SimpleDocTemplate

from core.errors import InputRefused
from core.reports.fonts import MISSING_MARK, load_fonts, shipped_font_dir
from core.reports.layout import GridText

RARE = "堃喆赟镕昇珺玥犇龘䶮𠮷"  # names and rare characters outside GB2312; 𠮷 is in no shipped font


def test_shipped_fonts_and_their_licences_are_present() -> None:
    folder = shipped_font_dir()
    for name in (
        "gbsn00lp.ttf",
        "gkai00mp.ttf",
        "DroidSansFallbackFull.ttf",
        "ARPHIC-PUBLIC-LICENSE.txt",
        "APACHE-LICENSE-2.0.txt",
    ):
        assert (folder / name).is_file(), name


def test_without_windows_fonts_the_nearest_shipped_faces_are_named(tmp_path: Path) -> None:
    fonts = load_fonts(system_dir=tmp_path)
    assert "SungtiL" in fonts.faces["fang"].label and "KaitiM" in fonts.faces["kai"].label
    assert any("仿宋" in n for n in fonts.notes)  # the user is told what stands in for 仿宋


def test_windows_fonts_are_preferred_when_present(tmp_path: Path) -> None:
    shipped = shipped_font_dir()
    for name, target in (
        ("simsun.ttc", "gbsn00lp.ttf"),
        ("simfang.ttf", "gkai00mp.ttf"),
        ("simhei.ttf", "DroidSansFallbackFull.ttf"),
        ("simkai.ttf", "gkai00mp.ttf"),
    ):
        (tmp_path / name).symlink_to(shipped / target)
    fonts = load_fonts(system_dir=tmp_path)
    assert {r: fonts.faces[r].label for r in ("song", "fang", "hei", "kai")} == {
        "song": "宋体",
        "fang": "仿宋",
        "hei": "黑体",
        "kai": "楷体",
    }
    assert not any("仿宋" in n or "黑体" in n for n in fonts.notes)


def test_no_usable_font_is_a_clear_refusal(tmp_path: Path) -> None:
    with pytest.raises(InputRefused, match="中文字体"):
        load_fonts(system_dir=tmp_path, shipped_dir=tmp_path / "none")


def test_every_character_is_drawn_in_a_font_that_has_it() -> None:
    fonts = load_fonts()
    fonts.missing.clear()
    for role in ("title", "fang", "hei", "kai"):
        for name, chunk in fonts.runs(f"整改“{RARE}”①℃㎡ABC123", role):
            assert all(fonts.has_glyph(name, ch) for ch in chunk), (role, name, chunk)
    assert fonts.missing == {"𠮷"}
    assert MISSING_MARK in "".join(chunk for _, chunk in fonts.runs("吉𠮷", "fang"))


def test_rare_characters_render_and_extract_from_the_pdf(tmp_path: Path) -> None:
    fonts = load_fonts()
    out = tmp_path / "rare.pdf"
    SimpleDocTemplate(str(out), initialFontName=fonts.font("song")).build(
        [GridText(f"责任人：{RARE}。", fonts, "fang")]
    )
    with pdfplumber.open(out) as pdf:
        text = pdf.pages[0].extract_text()
        used = {c["fontname"].split("+")[1] for c in pdf.pages[0].chars}
    assert "堃喆赟镕昇珺玥犇龘䶮" in text and MISSING_MARK in text
    assert "DroidSansFallback" in used  # the run the Song face lacks came from the fallback face
