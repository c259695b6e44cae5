"""Text as it arrives from people, pasted documents and file systems, made safe to store and show."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Without control characters (Word's \\v and \\f line breaks become new lines) or undecodable bytes."""
    return _CONTROL.sub("", decodable(value).replace("\x0b", "\n").replace("\x0c", "\n"))


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


def size_text(size: int) -> str:
    """A file's size as a clerk reads it: 49 KB, 1.2 MB (never “0.0 MB” for a small file)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB" if size > 0 else "0 KB"
    if size < 1024 * 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024 / 1024 / 1024:.2f} GB"
