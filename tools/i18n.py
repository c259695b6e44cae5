"""The zh_CN translation: refresh it from ui/, list what is untranslated, fill it in, compile it, merge it.

    uv run python tools/i18n.py update          # pyside6-lupdate over ui/ (no line numbers), then lrelease
    uv run python tools/i18n.py todo            # untranslated strings, one "context<TAB>source" line each
    uv run python tools/i18n.py fill FILE.tsv   # "context<TAB>source<TAB>translation" lines (\\n for a line break)
    uv run python tools/i18n.py release         # compile the .qm only
    tools/i18n.py merge BASE OURS THEIRS        # git merge driver: the union of both sides' messages

The .ts keeps no source locations, so two branches that add strings conflict only where they add the same one;
the merge driver (.gitattributes) takes the union, preferring a finished translation to an unfinished one.
Register it once per clone:  git config merge.rectidesk-ts.driver "python3 tools/i18n.py merge %O %A %B"
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "i18n" / "rectidesk_zh_CN.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    exe = BIN / (name + (".exe" if sys.platform == "win32" else ""))
    return str(exe) if exe.exists() else name


def ui_sources() -> list[str]:
    return sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))


def lupdate(out: Path) -> None:
    """Write (or refresh, keeping translations) `out` from every tr() in ui/."""
    subprocess.run([_tool("pyside6-lupdate"), *ui_sources(), "-locations", "none", "-no-obsolete", "-ts", str(out)],
                   check=True, capture_output=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)


def _read(path: Path) -> dict[str, dict[str, ET.Element]]:
    contexts: dict[str, dict[str, ET.Element]] = {}
    if not path.exists() or path.stat().st_size == 0:
        return contexts
    for ctx in ET.parse(path).getroot().iter("context"):
        msgs = contexts.setdefault(ctx.findtext("name") or "", {})
        for m in ctx.iter("message"):
            msgs[m.findtext("source") or ""] = m
    return contexts


def _unfinished(m: ET.Element) -> bool:
    tr = m.find("translation")
    return tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") or not (tr.text or "")


def _write(contexts: dict[str, dict[str, ET.Element]], path: Path) -> None:
    root = ET.Element("TS", {"version": "2.1", "language": "zh_CN"})
    for name in sorted(contexts):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = name
        for source in sorted(contexts[name]):
            old = contexts[name][source]
            for loc in old.findall("location"):
                old.remove(loc)
            ctx.append(old)
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def normalise(path: Path) -> None:
    _write(_read(path), path)


def merge(base: Path, ours: Path, theirs: Path) -> int:
    """Union of both sides; a message either side removed (and the other did not change) goes."""
    b, o, t = _read(base), _read(ours), _read(theirs)
    out: dict[str, dict[str, ET.Element]] = {}
    for name in set(o) | set(t):
        for source in set(o.get(name, {})) | set(t.get(name, {})):
            mo, mt = o.get(name, {}).get(source), t.get(name, {}).get(source)
            in_base = source in b.get(name, {})
            if (mo is None or mt is None) and in_base:
                continue  # removed on one side
            pick = mo if mt is None or (mo is not None and not _unfinished(mo)) else mt
            assert pick is not None
            out.setdefault(name, {})[source] = pick
    _write(out, ours)
    return 0


def todo() -> list[tuple[str, str]]:
    return [(name, source) for name, msgs in sorted(_read(TS).items()) for source, m in sorted(msgs.items())
            if _unfinished(m)]


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _unesc(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(text[i + 1], "\\" + text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def fill(tsv: Path) -> int:
    contexts = _read(TS)
    missing = 0
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, source, translation = line.split("\t")
        m = contexts.get(_unesc(name), {}).get(_unesc(source))
        if m is None:
            print(f"not in the .ts (run update first?): {name}\t{source}", file=sys.stderr)
            missing += 1
            continue
        tr = m.find("translation")
        if tr is None:
            tr = ET.SubElement(m, "translation")
        tr.text = _unesc(translation)
        tr.attrib.pop("type", None)
    _write(contexts, TS)
    lrelease(TS, QM)
    return 1 if missing else 0


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "update"
    if cmd == "merge":
        return merge(Path(argv[1]), Path(argv[2]), Path(argv[3]))
    if cmd == "update":
        lupdate(TS)
        normalise(TS)
        lrelease(TS, QM)
        left = todo()
        print(f"{len(left)} untranslated (tools/i18n.py todo lists them)")
        return 0
    if cmd == "todo":
        for name, source in todo():
            print(f"{_esc(name)}\t{_esc(source)}")
        return 0
    if cmd == "fill":
        return fill(Path(argv[1]))
    if cmd == "release":
        lrelease(TS, QM)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
