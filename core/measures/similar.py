"""相似问题: past tasks of this ledger and library entries that read like a new problem, best first.

How a problem is read (`tokens`): NFKC (full-width letters and digits become plain), then every pair of
neighbouring Chinese characters (村里账目 → 村里 里账 账目), every Latin word or number, and one token per
synonym group of the field that the text mentions (账目 and 财务 both give the 财务 group's token, 张榜 and
公示 the 公开 group's), so "村里账目没有张榜公布" meets "财务公开不及时". The pairs are matched by SQLite's
FTS5 with bm25 ranking, in an index kept beside the ledger (`<data>/cache/similar.sqlite3`): derived data only,
rebuilt from the ledger whenever it is missing or stale, never backed up. Rare pairs weigh more than common
ones (bm25's IDF), and pairs found in most problems (整改, 问题) are left out of the query.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.measures.library import LibraryEntry, PlanNode, own_entries, starter_library

INDEX_FORMAT = "1"
MAX_QUERY_TOKENS = 32
COMMON_SHARE = 0.15  # a pair found in more than this share of the documents says little: not queried
CANDIDATES = 60
CLOSED_BOOST = 1.3  # closed (销号, accepted by the city) tasks first among the similar ones
NO_MEASURES = 0.8  # a past task without written measures has less to copy
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(f"[{_CJK}]+|[a-z0-9]+")


@dataclass
class Suggestion:
    source: str  # "ledger" | "library"
    title: str
    measures: str
    nodes: list[PlanNode]
    score: float
    task_id: str | None = None
    entry_id: str | None = None
    family: str = ""
    status: str = ""
    took_days: int | None = None  # how long the past task took, created → 销号 (or the library plan's span)
    own: bool = False

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "title": self.title, "measures": self.measures,
                               "nodes": [{"title": n.title, "days": n.days} for n in self.nodes],
                               "score": self.score}
        if self.source == "ledger":
            out.update(task_id=self.task_id, status=self.status, took_days=self.took_days)
        else:
            out.update(entry_id=self.entry_id, family=self.family, own=self.own, took_days=self.took_days)
        return out


# -- reading a problem ----------------------------------------------------------------------
@dataclass(frozen=True)
class Reader:
    """Turns text into match tokens with the field's synonym groups."""

    groups: tuple[tuple[str, ...], ...]
    pattern: re.Pattern[str] | None = field(default=None, compare=False)
    group_of: dict[str, int] = field(default_factory=dict, compare=False)

    @classmethod
    def with_groups(cls, groups: Sequence[Sequence[str]]) -> Reader:
        group_of: dict[str, int] = {}
        for i, words in enumerate(groups):
            for w in words:
                group_of.setdefault(normalise(w), i)
        words_by_length = sorted(group_of, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, words_by_length))) if words_by_length else None
        return cls(tuple(tuple(g) for g in groups), pattern, group_of)

    def tokens(self, text: str) -> list[str]:
        t = normalise(text)
        out: list[str] = []
        for run in _RUNS.findall(t):
            if run[0].isascii():
                out.append(run)
            elif len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i:i + 2] for i in range(len(run) - 1))
        if self.pattern is not None:
            seen: set[int] = set()
            for m in self.pattern.finditer(t):
                g = self.group_of[m.group(0)]
                if g not in seen:
                    seen.add(g)
                    out.append(f"zzsyn{g}")
        return out


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


@lru_cache(maxsize=1)
def default_reader() -> Reader:
    return Reader.with_groups(starter_library().synonyms)


# -- the index ------------------------------------------------------------------------------
_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs_meta (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(tokens, tokenize = 'unicode61', detail = 'column');
CREATE VIRTUAL TABLE IF NOT EXISTS docs_vocab USING fts5vocab(docs, row);
"""


class SimilarIndex:
    """The FTS5 index of past problems beside the ledger; every method opens and closes its own connection."""

    def __init__(self, path: Path, reader: Reader | None = None) -> None:
        self.path = path
        self.reader = reader or default_reader()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = sqlite3.connect(self.path, timeout=5)
            con.executescript(_SCHEMA)
            if self._state(con, "format") not in (None, INDEX_FORMAT):
                raise sqlite3.DatabaseError("another index format")
        except sqlite3.DatabaseError:  # a damaged or foreign cache is rebuilt: it holds nothing of its own
            try:
                con.close()
            except Exception:  # noqa: BLE001, S110 - already unusable
                pass
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            con = sqlite3.connect(self.path, timeout=5)
            con.executescript(_SCHEMA)
        return con

    @staticmethod
    def _state(con: sqlite3.Connection, key: str) -> str | None:
        row = con.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    # -- keeping it current -----------------------------------------------------------------
    def sync(self, session: Session) -> int:
        """Bring the index up to the ledger: tasks changed since the last sync, and the libraries. Returns the
        number of documents written."""
        from db.models import Task

        con = self._connect()
        try:
            written = 0
            with con:
                con.execute("INSERT OR REPLACE INTO state VALUES ('format', ?)", (INDEX_FORMAT,))
                lib = list(starter_library().entries) + own_entries(session)
                signature = _library_signature(lib, self.reader)
                if self._state(con, "library") != signature:
                    old = [r for (r,) in con.execute("SELECT rowid FROM docs_meta WHERE kind = 'library'")]
                    self._delete(con, old)
                    for e in lib:
                        self._put(con, "library", e.id, e.text)
                    written += len(lib)
                    con.execute("INSERT OR REPLACE INTO state VALUES ('library', ?)", (signature,))
                since = int(self._state(con, "ledger_change_no") or -1)
                top = session.scalar(select(func.max(Task.change_no))) or 0
                if top != since:
                    q = select(Task.id, Task.title, Task.description, Task.measures, Task.deleted, Task.change_no)
                    if since >= 0 and top > since:
                        q = q.where(Task.change_no > since)
                    else:  # first build, or a ledger restored from an older backup: start again
                        con.execute("DELETE FROM docs WHERE rowid IN (SELECT rowid FROM docs_meta WHERE kind='task')")
                        con.execute("DELETE FROM docs_meta WHERE kind = 'task'")
                    for tid, title, description, measures, deleted, _ in session.execute(q):
                        if deleted is not None:
                            row = con.execute("SELECT rowid FROM docs_meta WHERE ref = ?", ("t:" + tid,)).fetchone()
                            if row:
                                self._delete(con, [row[0]])
                        else:
                            self._put(con, "task", tid, "\n".join((title, description or "", measures or "")))
                        written += 1
                    con.execute("INSERT OR REPLACE INTO state VALUES ('ledger_change_no', ?)", (str(top),))
            return written
        finally:
            con.close()

    def _put(self, con: sqlite3.Connection, kind: str, ref: str, text: str) -> None:
        key = ("t:" if kind == "task" else "l:") + ref
        row = con.execute("SELECT rowid FROM docs_meta WHERE ref = ?", (key,)).fetchone()
        if row:
            con.execute("DELETE FROM docs WHERE rowid = ?", (row[0],))
            rowid = row[0]
        else:
            rowid = con.execute("INSERT INTO docs_meta (kind, ref) VALUES (?, ?)", (kind, key)).lastrowid
        con.execute("INSERT INTO docs (rowid, tokens) VALUES (?, ?)", (rowid, " ".join(self.reader.tokens(text))))

    @staticmethod
    def _delete(con: sqlite3.Connection, rowids: Iterable[int]) -> None:
        for r in rowids:
            con.execute("DELETE FROM docs WHERE rowid = ?", (r,))
            con.execute("DELETE FROM docs_meta WHERE rowid = ?", (r,))

    # -- asking it ------------------------------------------------------------------------------
    def query_tokens(self, con: sqlite3.Connection, text: str) -> list[str]:
        """The query's distinct tokens, rarest first, without those most documents hold."""
        wanted = list(dict.fromkeys(self.reader.tokens(text)))
        if not wanted:
            return []
        total = con.execute("SELECT count(*) FROM docs_meta").fetchone()[0] or 1
        marks = ",".join("?" * len(wanted))
        df = dict(con.execute(f"SELECT term, doc FROM docs_vocab WHERE term IN ({marks})", wanted).fetchall())
        known = [t for t in wanted if t in df]
        if total >= 50:  # with few documents every pair is "common": keep them all
            known = [t for t in known if df[t] <= COMMON_SHARE * total] or known
        known.sort(key=lambda t: df[t])
        return known[:MAX_QUERY_TOKENS]

    def candidates(self, text: str, limit: int = CANDIDATES) -> list[tuple[str, str, float]]:
        """(kind, ref, bm25 score — higher is closer) of the best documents."""
        con = self._connect()
        try:
            toks = self.query_tokens(con, text)
            if not toks:
                return []
            match = " OR ".join(f'"{t}"' for t in toks)
            rows = con.execute(
                "SELECT m.kind, m.ref, -bm25(docs) AS s FROM docs JOIN docs_meta m ON m.rowid = docs.rowid "
                "WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, limit)).fetchall()
            return [(k, ref[2:], float(s)) for k, ref, s in rows]
        finally:
            con.close()

    def size_on_disk(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())


def _library_signature(entries: list[LibraryEntry], reader: Reader) -> str:
    h = hashlib.sha256(json.dumps(reader.groups, ensure_ascii=False).encode())
    for e in entries:
        h.update(json.dumps([e.id, e.text], ensure_ascii=False).encode())
    return h.hexdigest()


# -- suggestions ------------------------------------------------------------------------------
def suggest(session: Session, index: SimilarIndex, title: str, description: str = "", *, limit: int = 5,
            exclude_task: str | None = None, sync: bool = True) -> list[Suggestion]:
    """The most similar past tasks of this ledger and library entries, best first."""
    from db.models import Node, Task

    if sync:
        index.sync(session)
    found = index.candidates(f"{title}\n{description}")
    if not found:
        return []
    task_ids = [ref for kind, ref, _ in found if kind == "task" and ref != exclude_task]
    tasks = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_(task_ids), Task.deleted.is_(None)))}
    library = {e.id: e for e in list(starter_library().entries) + own_entries(session)}
    out: list[Suggestion] = []
    for kind, ref, score in found:
        if kind == "task":
            t = tasks.get(ref)
            if t is None:
                continue
            boost = (CLOSED_BOOST if t.status == "closed" else 1.0) * (1.0 if t.measures.strip() else NO_MEASURES)
            out.append(Suggestion("ledger", t.title, t.measures, [], score * boost, task_id=t.id,
                                  status=t.status, took_days=_took(t.created, t.closed_on)))
        else:
            e = library.get(ref)
            if e is None:
                continue
            out.append(Suggestion("library", e.title, e.measures, list(e.nodes), score, entry_id=e.id,
                                  family=e.family, took_days=max((n.days for n in e.nodes), default=None),
                                  own=e.own))
    out.sort(key=lambda s: -s.score)
    if out:
        floor = out[0].score * 0.25  # far weaker matches are noise, not suggestions
        out = [s for s in out if s.score >= floor]
    out = out[:limit]
    ledger = [s for s in out if s.task_id]
    if ledger:  # each past task's node plan, as days after the task was created
        starts = {s.task_id: _day(tasks[s.task_id].created) for s in ledger if s.task_id}
        for n in session.scalars(select(Node).where(Node.task_id.in_(list(starts)), Node.deleted.is_(None))
                                 .order_by(Node.task_id, Node.seq)):
            s = next(x for x in ledger if x.task_id == n.task_id)
            start = starts[n.task_id]
            days = (_day(n.due) - start).days if start and _day(n.due) else 0
            s.nodes.append(PlanNode(n.title, max(0, days)))
    for s in out:
        s.score = round(s.score, 3)
    return out


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _took(created: str, closed_on: str | None) -> int | None:
    a, b = _day(created), _day(closed_on)
    return (b - a).days if a and b and b >= a else None


def plan_from(suggestion: Suggestion, start: date) -> list[tuple[str, date]]:
    """The suggestion's nodes as (title, due date) for a task starting on `start` (what the editor copies)."""
    from datetime import timedelta

    return [(n.title, start + timedelta(days=n.days)) for n in suggestion.nodes]
