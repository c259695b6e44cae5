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


def test_font_family_names_are_read_from_the_files() -> None:
    from core.reports.fonts import font_families

    shipped = shipped_font_dir()
    assert any("AR PL KaitiM GB" in names for _i, names in font_families(shipped / "gkai00mp.ttf"))
    assert font_families(shipped / "ARPHIC-PUBLIC-LICENSE.txt") == []


def test_a_face_named_otherwise_in_the_users_own_font_folder_is_found(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """方正小标宋 is often installed "for this user only" under a downloaded file name: found by its family."""
    from core.reports import fonts as F

    user_fonts = tmp_path / "Local" / "Microsoft" / "Windows" / "Fonts"
    user_fonts.mkdir(parents=True)
    (user_fonts / "下载的字体(1).ttf").symlink_to(shipped_font_dir() / "gkai00mp.ttf")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setattr(F, "windows_font_dir", lambda: None)
    monkeypatch.setitem(F.FAMILIES, "title", ["AR PL KaitiM GB", *F.FAMILIES["title"]])
    assert F.user_font_dir() == user_fonts
    assert F.system_font_dirs() == [user_fonts]
    fonts = F.load_fonts()
    assert fonts.faces["title"].path.name == "下载的字体(1).ttf"
    assert "AR PL KaitiM GB" not in F.missing_standard_faces()
    assert "仿宋_GB2312" in F.missing_standard_faces()  # nothing there is a 仿宋


def test_gb2312_faces_are_preferred_to_their_plain_namesakes(tmp_path: Path) -> None:
    shipped = shipped_font_dir()
    (tmp_path / "simfang.ttf").symlink_to(shipped / "gbsn00lp.ttf")
    (tmp_path / "仿宋_GB2312.ttf").symlink_to(shipped / "gkai00mp.ttf")
    fonts = load_fonts(system_dir=tmp_path)
    assert fonts.faces["fang"].label == "仿宋_GB2312"
