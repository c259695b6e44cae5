"""One direction of dependency: ui -> core -> db. core/ and db/ never import Qt or ui."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_and_db_do_not_import_qt_or_ui() -> None:
    offenders = []
    for folder in ("core", "db"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                for name in names:
                    if name.split(".")[0] in ("PySide6", "ui", "shiboken6"):
                        offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
