"""Column mappings remembered per sender's layout: the next list from the same office reads the same way.

A layout is keyed by the set of its header texts (core.excel.importer.header_signature); the mapping says, for
each header, which field it is ("" = leave it out); the defaults give columns the sender's lists lack one value
for all rows (the next list shows them in its preview, where the clerk can change them).
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
        self._layouts: dict[str, dict[str, dict[str, str]]] = self._load()

    def _load(self) -> dict[str, dict[str, dict[str, str]]]:
        try:
            if not self.path.is_file() or self.path.stat().st_size > MAX_FILE_BYTES:
                return {}
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        out: dict[str, dict[str, dict[str, str]]] = {}
        for sig, entry in data.items():
            if not isinstance(entry, dict):
                continue
            mapping = entry.get("map")
            defaults = entry.get("defaults")
            mapping = mapping if isinstance(mapping, dict) else {}
            defaults = defaults if isinstance(defaults, dict) else {}
            out[str(sig)] = {
                "map": {str(h): str(k) for h, k in mapping.items() if k == "" or k in LABELS},
                "defaults": {str(k): str(v) for k, v in defaults.items() if k in LABELS},
            }
        return out

    def get(self, signature: str) -> dict[str, str] | None:
        entry = self._layouts.get(signature)
        return entry["map"] or None if entry else None

    def defaults(self, signature: str) -> dict[str, str]:
        entry = self._layouts.get(signature)
        return dict(entry["defaults"]) if entry else {}

    def remember(self, signature: str, mapping: dict[str, str] | None, defaults: dict[str, str] | None = None) -> None:
        entry = self._layouts.pop(signature, {"map": {}, "defaults": {}})
        if mapping is not None:
            entry["map"] = {h: k for h, k in mapping.items() if k == "" or k in LABELS}
        if defaults is not None:
            entry["defaults"] = {k: v for k, v in defaults.items() if k in LABELS and v}
        self._layouts[signature] = entry
        while len(self._layouts) > MAX_LAYOUTS:  # the oldest layout goes first
            self._layouts.pop(next(iter(self._layouts)))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        tmp.write_text(json.dumps(self._layouts, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)
