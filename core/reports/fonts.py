"""Chinese fonts for PDF reports: discovery, embedding and per-character fallback (no tofu, ever).

Roles follow GB/T 9704-2012: `title` (小标宋), `song` (宋体), `fang` (仿宋, the body), `hei` (黑体, level-1
headings), `kai` (楷体, level-2 headings). On a Chinese Windows PC the system fonts are used; elsewhere the
TrueType fonts shipped in resources/fonts/ (ReportLab embeds only TrueType outlines, always as subsets):

- AR PL SungtiL GB (Arphic Public Licence): 宋体, and the nearest stand-in for 小标宋 and 仿宋;
- AR PL KaitiM GB (Arphic Public Licence): 楷体;
- Droid Sans Fallback (Apache 2.0): a sans-serif face, the nearest stand-in for 黑体, and wide coverage.

Before text is drawn every character is checked against the role's font; a run of characters that font
lacks is drawn in the first font that has them, and a character no font has becomes 〓 (the typesetter's
mark for a missing character) and is recorded in `FontSet.missing`, so the report can say so.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

ROLES = ("title", "song", "fang", "hei", "kai")
MISSING_MARK = "\u3013"  # 〓

# (file name, index in a .ttc collection, face name shown to the user)
_WINDOWS: dict[str, list[tuple[str, int, str]]] = {
    "title": [
        ("FZXBSJW.TTF", 0, "方正小标宋简体"),
        ("方正小标宋简体.ttf", 0, "方正小标宋简体"),
        ("FZXiaoBiaoSong-B05S.ttf", 0, "方正小标宋简体"),
    ],
    "song": [("simsun.ttc", 0, "宋体"), ("simsun.ttf", 0, "宋体")],
    "fang": [("simfang.ttf", 0, "仿宋"), ("FZFSJW.TTF", 0, "方正仿宋简体")],
    "hei": [("simhei.ttf", 0, "黑体")],
    "kai": [("simkai.ttf", 0, "楷体")],
}
_WINDOWS_EXTRA = [("simsunb.ttf", 0, "宋体-ExtB"), ("msyh.ttc", 0, "微软雅黑")]
_SHIPPED: dict[str, tuple[str, str]] = {
    "song": ("gbsn00lp.ttf", "AR PL SungtiL GB（文鼎ＰＬ简报宋）"),
    "kai": ("gkai00mp.ttf", "AR PL KaitiM GB（文鼎ＰＬ简中楷）"),
    "hei": ("DroidSansFallbackFull.ttf", "Droid Sans Fallback"),
}
# Roles without a font of their own take the nearest face: 小标宋 and 仿宋 are Song faces.
_NEAREST = {"title": "song", "fang": "song", "hei": "song", "kai": "song", "song": "hei"}
_ROLE_NAMES = {"title": "小标宋", "song": "宋体", "fang": "仿宋", "hei": "黑体", "kai": "楷体"}


def shipped_font_dir() -> Path:
    """resources/fonts/ next to the code, or inside the PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    return base / "resources" / "fonts"


def windows_font_dir() -> Path | None:
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
    path = Path(windir) / "Fonts"
    return path if path.is_dir() else None


@dataclass(frozen=True)
class Face:
    """One TrueType face registered with ReportLab under `name`."""

    name: str
    path: Path
    index: int
    label: str


_registry_lock = threading.Lock()
_registered: dict[tuple[str, int], Face] = {}
_cmaps: dict[str, frozenset[int] | dict[int, int]] = {}


def _register(path: Path, index: int, label: str) -> Face | None:
    key = (str(path), index)
    with _registry_lock:
        if key in _registered:
            return _registered[key]
        name = f"RD-{path.stem}-{index}"
        try:
            font = TTFont(name, str(path), subfontIndex=index)
        except Exception:  # noqa: BLE001 - a damaged or CFF-outline font is simply not used
            return None
        pdfmetrics.registerFont(font)
        _cmaps[name] = font.face.charToGlyph
        face = Face(name, path, index, label)
        _registered[key] = face
        return face


@dataclass
class FontSet:
    """The chosen face per role, the fallback order, and what was substituted or missing."""

    faces: dict[str, Face]
    fallbacks: list[Face]
    notes: list[str] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)
    _choice: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def font(self, role: str) -> str:
        return self.faces[role].name

    def has_glyph(self, font_name: str, ch: str) -> bool:
        return ord(ch) in _cmaps[font_name]

    def _font_for_char(self, role: str, ch: str) -> str | None:
        key = (role, ch)
        if key in self._choice:
            return self._choice[key]
        found: str | None = None
        code = ord(ch)
        for face in (self.faces[role], *self.fallbacks):
            if code in _cmaps[face.name]:
                found = face.name
                break
        self._choice[key] = found
        return found

    def covers(self, text: str, role: str) -> bool:
        """True when the role's own font has every character (the fast path for table cells)."""
        cmap = _cmaps[self.faces[role].name]
        return all(ord(c) in cmap for c in text)

    def runs(self, text: str, role: str) -> list[tuple[str, str]]:
        """Split text into (font name, characters) runs; characters no font has become 〓."""
        out: list[tuple[str, str]] = []
        base = self.faces[role].name
        for original in clean_text(text):
            ch = original
            name = self._font_for_char(role, ch)
            if name is None:
                self.missing.add(ch)
                ch = MISSING_MARK
                name = self._font_for_char(role, ch) or base
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + ch)
            else:
                out.append((name, ch))
        return out

    def markup(self, text: str, role: str) -> str:
        """Paragraph markup for text in the role's font with <font> tags only around fallback runs."""
        base = self.faces[role].name
        if self.covers(text, role):
            return escape(clean_text(text))
        parts = []
        for name, chunk in self.runs(text, role):
            parts.append(escape(chunk) if name == base else f'<font face="{name}">{escape(chunk)}</font>')
        return "".join(parts)

    def safe_text(self, text: str, role: str) -> tuple[str, str]:
        """One font for a whole string (chart labels): the role's font if it covers it, else a fallback."""
        text = clean_text(text)
        for face in (self.faces[role], *self.fallbacks):
            if all(ord(c) in _cmaps[face.name] for c in text):
                return face.name, text
        runs = self.runs(text, role)
        return self.faces[role].name, "".join(
            c if self.has_glyph(self.faces[role].name, c) else MISSING_MARK for _, chunk in runs for c in chunk
        )

    def string_width(self, text: str, role: str, size: float) -> float:
        return sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in self.runs(text, role))

    def describe(self) -> list[str]:
        lines = [f"{_ROLE_NAMES[r]}：{self.faces[r].label}" for r in ROLES]
        return lines + self.notes


def clean_text(text: str) -> str:
    """Tabs and stray control characters become spaces: a PDF has no glyph for them."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else " " for c in text)


_cache: dict[tuple[str | None, str | None], FontSet] = {}


def load_fonts(system_dir: Path | None = None, shipped_dir: Path | None = None, *, use_system: bool = True) -> FontSet:
    """The font set for this computer (cached). `system_dir` overrides the Windows font folder (tests)."""
    sysdir = system_dir if system_dir is not None else (windows_font_dir() if use_system else None)
    shipdir = shipped_dir or shipped_font_dir()
    key = (str(sysdir) if sysdir else None, str(shipdir))
    if key in _cache:
        return _cache[key]
    faces: dict[str, Face] = {}
    extras: list[Face] = []
    if sysdir is not None:
        for role, candidates in _WINDOWS.items():
            for fname, index, label in candidates:
                path = sysdir / fname
                if path.is_file() and (face := _register(path, index, label)):
                    faces[role] = face
                    break
        for fname, index, label in _WINDOWS_EXTRA:
            path = sysdir / fname
            if path.is_file() and (face := _register(path, index, label)):
                extras.append(face)
    shipped: list[Face] = []
    for role, (fname, label) in _SHIPPED.items():
        path = shipdir / fname
        if path.is_file() and (face := _register(path, 0, label)):
            shipped.append(face)
            faces.setdefault(role, face)
    if not faces:
        from core.errors import InputRefused

        raise InputRefused(
            "找不到可用于生成报告的中文字体。",
            hint=f"请确认程序文件夹中的 {shipdir} 未被删除，或重新安装本软件。",
        )
    notes = []
    for role in ROLES:
        if role in faces:
            continue
        for nearest in (_NEAREST[role], "song", "hei", "kai"):
            if nearest in faces:
                faces[role] = faces[nearest]
                notes.append(f"本机没有{_ROLE_NAMES[role]}字体，以最接近的{faces[nearest].label}代替。")
                break
    order: list[Face] = []
    for face in [faces[r] for r in ("song", "fang", "hei", "kai", "title")] + shipped + extras:
        if face not in order:
            order.append(face)
    result = FontSet(faces=faces, fallbacks=order, notes=notes)
    _cache[key] = result
    return result
