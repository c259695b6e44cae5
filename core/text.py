"""Text as it arrives from people, pasted documents and file systems, made safe to store and show."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Without control characters or undecodable bytes: Windows' CR LF, a lone CR and Word's \\v and \\f
    line breaks become new lines; C0 and C1 controls but tab and line feed go (what the exchange format's
    free text allows, spec §5)."""
    return _CONTROL.sub("", _BREAKS.sub("\n", decodable(value)))


LONG_TEXT = 100_000  # a note, a response, a reason: ample, and one record line stays far below 1 MiB (§5)


def long_text(value: str, what: str, *, field: str = "", limit: int = LONG_TEXT) -> str:
    """Free text a person wrote (a note, a response to a notice, an appeal's reason), cleaned and bounded."""
    from core.errors import InputRefused

    text = clean_text(value or "").strip()
    if len(text) > limit:
        raise InputRefused(f"{what}太长（{len(text)} 个字，最多 {limit} 个字）。",
                           hint="请精简文字，详细材料可作为佐证材料附上。", field=field)
    return text


def decodable(value: str) -> str:
    """Bytes the system could not decode (lone surrogates, e.g. a Linux file name in GBK) become “�”."""
    return _SURROGATE.sub("\ufffd", value)


def file_name(name: str) -> str:
    """A file's name as stored with its evidence: one line, no control characters."""
    return " ".join(clean_text(name).split("\n")).strip() or "未命名文件"


_CJK_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·\s]+$")


def person_name(value: str) -> str:
    """A person's name as one writes it. 王　五, padded to line up with three-character names in an
    official table, is 王五; other names keep single spaces (Ma Li)."""
    text = " ".join(clean_text(value or "").split())
    return text.replace(" ", "") if _CJK_NAME.match(text) else text


# What must never reach a log line or a terminal raw: C0 and C1 controls (ESC starts terminal sequences),
# DEL, line and paragraph separators, the bidirectional overrides that reorder what a reader sees, and
# lone surrogates (undecodable bytes of a file name).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape_controls(value: str, keep: str = "") -> str:
    """`value` with every unsafe character but those in `keep` written as a visible `\\uXXXX`.

    The escape is also valid inside a JSON string, so JSON output stays JSON.
    """
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else f"\\u{ord(m.group()):04x}", value)


def shown(value: object) -> str:
    """Outside text (a file name, a value from a package) as one visible line for a message or a log."""
    return escape_controls(str(value))


def human_size(n: int | float) -> str:
    """A file's size as people read it: 512 B, 49 KB, 3.2 MB, 1.5 GB (never "0.0 MB" for 49 KB)."""
    n = max(0, float(n))
    if n < 1024:
        return f"{n:.0f} B"
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "KB" or n >= 100 else f"{n:.1f} {unit}"
    return f"{n:.1f} GB"
