"""Column mappings remembered per sender's layout: the next list from the same office reads the same way.

A layout is keyed by the set of its header texts (core.excel.importer.header_signature); the mapping says, for
each header the program did not recognise (or read differently), which field it is ("" = leave it out).
Kept as a small JSON file in the data folder (DataPaths.excel_mappings); a damaged file is started afresh.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from core.excel.columns import LABELS

MAX_FILE_BYTES = 1 << 20
MAX_LAYOUTS = 200


class MappingMemory:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._layouts: dict[str, dict[str, str]] = self._load()

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            if not self.path.is_file() or self.path.stat().st_size > MAX_FILE_BYTES:
                return {}
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(sig): {str(h): str(k) for h, k in m.items() if k == "" or k in LABELS}
            for sig, m in data.items() if isinstance(m, dict)
        }

    def get(self, signature: str) -> dict[str, str] | None:
        return self._layouts.get(signature)

    def remember(self, signature: str, mapping: dict[str, str]) -> None:
        clean = {h: k for h, k in mapping.items() if k == "" or k in LABELS}
        self._layouts.pop(signature, None)
        self._layouts[signature] = clean
        while len(self._layouts) > MAX_LAYOUTS:  # the oldest layout goes first
            self._layouts.pop(next(iter(self._layouts)))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        tmp.write_text(json.dumps(self._layouts, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)
