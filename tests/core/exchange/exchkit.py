"""Helpers for the exchange tests: fixture paths, a full logical dump, importing."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures"
PACKAGES = FIXTURES / "packages"
BAD = PACKAGES / "bad"
CITY_PUB = FIXTURES / "keys" / "test-city.pub.json"
CITY_KEY = FIXTURES / "keys" / "test-city.key.pem"
FB1 = PACKAGES / "442000-017_city-feedback_000001.zgb"
FB2 = PACKAGES / "442000-017_city-feedback_000002.zgb"
PASS = "correct horse"

if str(ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(ROOT / "tools"))


def dump(ws) -> dict[str, Any]:  # noqa: ANN001
    """Every row of every table, the evidence files and the incoming folder: 'nothing changed' means equal."""
    from db.models import Base

    out: dict[str, Any] = {}
    with ws.read() as s:
        for table in Base.metadata.sorted_tables:
            rows = s.execute(select(table)).all()
            out[table.name] = sorted(repr(tuple(r)) for r in rows)
    files = {}
    for folder in (ws.paths.evidence, ws.paths.incoming):
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                files[str(p.relative_to(ws.paths.root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    out["files"] = files
    return out


def import_ok(ws, *paths: Path):  # noqa: ANN001, ANN201
    from core.exchange.importer import FeedbackImporter

    return [FeedbackImporter(ws).import_file(p) for p in paths]


def feedback(folder: Path, key, seq: int, records: list[dict[str, Any]], *, previous: str = "none",  # noqa: ANN001
             files: list[Path] | None = None, unit: str = "442000-017", name: str | None = None,
             check: bool = True) -> Path:
    """A city-feedback package signed with `key`, made by the reference city peer."""
    from city_desk import write_feedback

    from core.exchange.bag import SourceFile

    sources = []
    for f in files or []:
        data = f.read_bytes()
        sources.append(SourceFile(hashlib.sha256(data).hexdigest(), len(data), f))
    out = folder / (name or f"fb-{seq}-{len(list(folder.glob('*.zgb')))}.zgb")
    write_feedback(out, key=key, unit_code=unit, seq=seq, records=records, previous=previous, files=sources,
                   check=check)
    return out


TS = "2026-04-01T09:00:00+08:00"


def assignment(ref: str, *nodes: tuple[int, str, str], deadline: str = "2026-06-30", **extra: Any) -> dict[str, Any]:
    rec = {"type": "assignment", "id": ref, "title": f"任务{ref}", "source": "audit", "category": "phased",
           "deadline": deadline, "issued": TS, **extra}
    if nodes:
        rec["nodes"] = [{"seq": s, "title": t, "due": d} for s, t, d in nodes]
    return rec
