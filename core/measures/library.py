"""The 整改措施库: the starter library shipped in resources/measures/ and the unit's own entries."""

from __future__ import annotations

import json
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import InputRefused, NotFound
from core.text import clean_text

FORMAT = "rectidesk-measures/1"
MAX_NODES = 20
MAX_DAYS = 3650


@dataclass(frozen=True)
class PlanNode:
    """A node of a plan: its title and how many days after the start it falls due."""

    title: str
    days: int


@dataclass(frozen=True)
class LibraryEntry:
    id: str
    family: str
    title: str
    description: str
    measures: str
    nodes: tuple[PlanNode, ...]
    keywords: tuple[str, ...] = ()
    own: bool = False  # the unit's own entry (else: the starter library)

    @property
    def text(self) -> str:
        """What the matcher reads of the entry."""
        return "\n".join((self.family, self.title, " ".join(self.keywords), self.description))


@dataclass(frozen=True)
class StarterLibrary:
    version: str
    synonyms: tuple[tuple[str, ...], ...]
    entries: tuple[LibraryEntry, ...] = field(default=())
    # Phrases that say only that something is wrong, not what ("不到位", "未按规定"): not matched on.
    generic: tuple[str, ...] = field(default=())


def library_path() -> Path:
    """resources/measures/library.json next to the code, or inside the PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    return base / "resources" / "measures" / "library.json"


def _nodes(raw: Any, where: str) -> tuple[PlanNode, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_NODES:
        raise ValueError(f"{where}: nodes must be a list of at most {MAX_NODES}")
    out = []
    for n in raw:
        if not (isinstance(n, dict) and isinstance(n.get("title"), str) and n["title"].strip()
                and isinstance(n.get("days"), int) and not isinstance(n.get("days"), bool)
                and 0 <= n["days"] <= MAX_DAYS):
            raise ValueError(f"{where}: a node needs a title and 0…{MAX_DAYS} days")
        out.append(PlanNode(clean_text(n["title"]).strip(), n["days"]))
    return tuple(out)


def parse_library(data: Any) -> StarterLibrary:
    """The library file checked whole: a broken file is a bug of ours, found by the tests, never half-loaded."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("version"), str):
        raise ValueError(f"not a {FORMAT} file")
    synonyms = []
    for group in data.get("synonyms", []):
        if not (isinstance(group, list) and len(group) >= 2 and all(isinstance(w, str) and w for w in group)):
            raise ValueError(f"a synonym group needs two words or more: {group!r}")
        synonyms.append(tuple(group))
    generic = data.get("generic", [])
    if not (isinstance(generic, list) and all(isinstance(w, str) and len(w) >= 2 for w in generic)):
        raise ValueError("generic must be a list of phrases of two characters or more")
    entries, seen = [], set()
    for raw in data.get("entries", []):
        eid = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(eid, str) or eid in seen:
            raise ValueError(f"an entry needs a unique id: {eid!r}")
        seen.add(eid)
        for key in ("family", "title", "description", "measures"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ValueError(f"{eid}: {key} is missing")
        keywords = raw.get("keywords", [])
        if not (isinstance(keywords, list) and all(isinstance(k, str) for k in keywords)):
            raise ValueError(f"{eid}: keywords must be a list of words")
        entries.append(LibraryEntry(eid, raw["family"], raw["title"], raw["description"], raw["measures"],
                                    _nodes(raw.get("nodes", []), eid), tuple(keywords)))
    return StarterLibrary(data["version"], tuple(synonyms), tuple(entries), tuple(generic))


@lru_cache(maxsize=1)
def starter_library() -> StarterLibrary:
    return parse_library(json.loads(library_path().read_text(encoding="utf-8")))


# -- the unit's own entries -------------------------------------------------------------------
def own_entries(session: Session) -> list[LibraryEntry]:
    from db.models import MeasureEntry

    rows = session.scalars(select(MeasureEntry).where(MeasureEntry.deleted.is_(None)).order_by(MeasureEntry.created))
    return [LibraryEntry(r.id, r.family, r.title, r.description, r.measures,
                         tuple(PlanNode(str(n["title"]), int(str(n["days"]))) for n in r.nodes), own=True)
            for r in rows]


def add_own_entry(session: Session, user: str, *, title: str, measures: str, family: str = "",
                  description: str = "", nodes: list[PlanNode] | None = None) -> str:
    """A measure the unit wants to reuse: written in its own library (and found by the matcher)."""
    from core.audit import record
    from db.models import MeasureEntry

    title, measures = clean_text(title).strip(), clean_text(measures).strip()
    if not title:
        raise InputRefused("请填写问题名称。")
    if not measures:
        raise InputRefused("请填写整改措施。")
    plan = list(nodes or [])
    if len(plan) > MAX_NODES or any(not n.title.strip() or not 0 <= n.days <= MAX_DAYS for n in plan):
        raise InputRefused(f"节点最多 {MAX_NODES} 个，每个节点要有名称，天数在 0 到 {MAX_DAYS} 之间。")
    entry = MeasureEntry(id=str(uuid.uuid4()), family=clean_text(family).strip(), title=title,
                         description=clean_text(description).strip(), measures=measures,
                         nodes=[{"title": clean_text(n.title).strip(), "days": n.days} for n in plan],
                         created=datetime.now().astimezone().isoformat(timespec="seconds"), created_by=user)
    session.add(entry)
    session.flush()
    record(session, user, "create", "measure", entry.id, after={"title": title, "family": entry.family})
    return entry.id


def remove_own_entry(session: Session, user: str, entry_id: str) -> None:
    from core.audit import record
    from db.models import MeasureEntry

    entry = session.get(MeasureEntry, entry_id)
    if entry is None or entry.deleted is not None:
        raise NotFound(f"本单位措施库中没有编号为“{entry_id}”的条目。")
    entry.deleted = datetime.now().astimezone().isoformat(timespec="seconds")
    record(session, user, "delete", "measure", entry.id, after={"title": entry.title, "deleted": entry.deleted})
