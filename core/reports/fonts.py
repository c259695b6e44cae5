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
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

ROLES = ("title", "song", "fang", "hei", "kai")
MISSING_MARK = "\u3013"  # 〓

# (file name, index in a .ttc collection, face name shown to the user), the standard face first
_WINDOWS: dict[str, list[tuple[str, int, str]]] = {
    "title": [
        ("FZXBSJW.TTF", 0, "方正小标宋简体"),
        ("方正小标宋简体.ttf", 0, "方正小标宋简体"),
        ("FZXiaoBiaoSong-B05S.ttf", 0, "方正小标宋简体"),
        ("FZXBSK.TTF", 0, "方正小标宋_GBK"),
    ],
    "song": [("simsun.ttc", 0, "宋体"), ("simsun.ttf", 0, "宋体")],
    "fang": [
        ("仿宋_GB2312.ttf", 0, "仿宋_GB2312"),
        ("FS_GB2312.ttf", 0, "仿宋_GB2312"),
        ("SIMFANG_GB2312.TTF", 0, "仿宋_GB2312"),
        ("simfang.ttf", 0, "仿宋"),
        ("FZFSJW.TTF", 0, "方正仿宋简体"),
    ],
    "hei": [("simhei.ttf", 0, "黑体")],
    "kai": [
        ("楷体_GB2312.ttf", 0, "楷体_GB2312"),
        ("KT_GB2312.ttf", 0, "楷体_GB2312"),
        ("SIMKAI_GB2312.TTF", 0, "楷体_GB2312"),
        ("simkai.ttf", 0, "楷体"),
    ],
}
# Family names as the fonts themselves carry them (name table), for files named otherwise: a font installed
# "for this user only" keeps whatever name it was downloaded under.
FAMILIES: dict[str, list[str]] = {
    "title": ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"],
    "song": ["宋体", "SimSun"],
    "fang": ["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "方正仿宋简体", "FZFangSong-Z02S"],
    "hei": ["黑体", "SimHei", "方正黑体简体", "FZHei-B01S"],
    "kai": ["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "方正楷体简体", "FZKai-Z03S"],
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


def user_font_dir() -> Path | None:
    """Fonts installed for one user only (Windows 10 1809+): %LOCALAPPDATA%\\Microsoft\\Windows\\Fonts."""
    local = os.environ.get("LOCALAPPDATA")
    if not local:
        return None
    path = Path(local) / "Microsoft" / "Windows" / "Fonts"
    return path if path.is_dir() else None


def font_families(path: Path) -> list[tuple[int, set[str]]]:
    """(index in the file, family and full names) of each face in a .ttf/.otf/.ttc, read from its name table
    without loading the font; [] for a file that is not a font."""
    import struct

    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if head[:4] == b"ttcf":
                count = min(struct.unpack(">I", head[8:12])[0], 64)
                offsets = list(struct.unpack(f">{count}I", fh.read(4 * count)))
            else:
                offsets = [0]
            out = []
            for index, offset in enumerate(offsets):
                names = _face_names(fh, offset)
                if names:
                    out.append((index, names))
            return out
    except (OSError, struct.error, UnicodeDecodeError):
        return []


def _face_names(fh: object, offset: int) -> set[str]:
    import struct

    f: Any = fh
    f.seek(offset)
    sfnt = f.read(12)
    if len(sfnt) < 12 or sfnt[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return set()
    num = min(struct.unpack(">H", sfnt[4:6])[0], 100)
    records = f.read(16 * num)
    for i in range(num):
        tag, _sum, table, _length = struct.unpack(">4sIII", records[16 * i : 16 * i + 16])
        if tag != b"name":
            continue
        f.seek(table)
        _fmt, count, strings = struct.unpack(">HHH", f.read(6))
        entries = f.read(12 * min(count, 2000))
        names: set[str] = set()
        for j in range(len(entries) // 12):
            platform, encoding, _lang, name_id, length, at = struct.unpack(">HHHHHH", entries[12 * j : 12 * j + 12])
            if name_id not in (1, 4) or platform != 3 or encoding not in (1, 3, 10):
                continue
            f.seek(table + strings + at)
            raw = f.read(length)
            if encoding == 3:
                text = raw.decode("utf-16-be", "ignore") if len(raw) % 2 == 0 else raw.decode("gbk", "ignore")
            else:
                text = raw.decode("utf-16-be", "ignore")
            names.add(text.replace("\x00", "").strip())
        return names
    return set()


def _by_family(dirs: list[Path], wanted: dict[str, list[str]]) -> dict[str, tuple[Path, int, str]]:
    """For each role, the first font file in `dirs` whose family name is one of the role's names."""
    found: dict[str, tuple[Path, int, str, int]] = {}
    for folder in dirs:
        try:
            files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".ttc", ".otf"))
        except OSError:
            continue
        for path in files:
            for index, names in font_families(path):
                for role, families in wanted.items():
                    for rank, family in enumerate(families):
                        if family in names and (role not in found or rank < found[role][3]):
                            found[role] = (path, index, family, rank)
    return {role: (p, i, label) for role, (p, i, label, _r) in found.items()}


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


def _rank(role: str, label: str) -> int:
    names = FAMILIES[role]
    return names.index(label) if label in names else len(names)


def system_font_dirs(system_dir: Path | None = None, *, use_system: bool = True) -> list[Path]:
    """Where this computer's fonts are: `system_dir` (tests), else Windows' folder and the user's own."""
    if system_dir is not None:
        return [system_dir]
    if not use_system:
        return []
    return [d for d in (windows_font_dir(), user_font_dir()) if d is not None]


def missing_standard_faces(system_dir: Path | None = None) -> list[str]:
    """The GB/T 9704 faces this computer lacks (仿宋_GB2312 or 仿宋, 方正小标宋简体, 楷体_GB2312 or 楷体, 黑体),
    by file name and then by the fonts' own family names, without loading any font."""
    dirs = system_font_dirs(system_dir)
    roles = ("fang", "title", "kai", "hei")
    unmet = {
        r: FAMILIES[r]
        for r in roles
        if not any((d / fname).is_file() for d in dirs for fname, _i, _l in _WINDOWS[r])
    }
    found = _by_family(dirs, unmet) if dirs and unmet else {}
    return [FAMILIES[r][0] for r in roles if r in unmet and r not in found]


def load_fonts(system_dir: Path | None = None, shipped_dir: Path | None = None, *, use_system: bool = True) -> FontSet:
    """The font set for this computer (cached). `system_dir` overrides the Windows font folder (tests)."""
    dirs = system_font_dirs(system_dir, use_system=use_system)
    shipdir = shipped_dir or shipped_font_dir()
    key = ("|".join(str(d) for d in dirs) or None, str(shipdir))
    if key in _cache:
        return _cache[key]
    faces: dict[str, Face] = {}
    extras: list[Face] = []
    # by file name first (cheap), the standard face before its stand-ins; then by the fonts' own names
    for role, candidates in _WINDOWS.items():
        for fname, index, label in candidates:
            path = next((d / fname for d in dirs if (d / fname).is_file()), None)
            if path is not None and (face := _register(path, index, label)):
                faces[role] = face
                break
    unmet = {r: fams for r, fams in FAMILIES.items() if r not in faces or faces[r].label != fams[0]}
    if dirs and unmet:
        for role, (path, index, label) in _by_family(dirs, unmet).items():
            current = faces.get(role)
            better = current is None or FAMILIES[role].index(label) < _rank(role, current.label)
            if better and (face := _register(path, index, label)):
                faces[role] = face
    for fname, index, label in _WINDOWS_EXTRA:
        path = next((d / fname for d in dirs if (d / fname).is_file()), None)
        if path is not None and (face := _register(path, index, label)):
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
