"""相似问题: past tasks of this ledger and library entries that read like a new problem, best first.

How a problem is read (`tokens`): NFKC (full-width letters and digits become plain), then every pair of
neighbouring Chinese characters (村里账目 → 村里 里账 账目), every Latin word or number, and one token per
synonym group of the field that the text mentions (账目 and 财务 both give the 财务 group's token, 张榜 and
公示 the 公开 group's), so "村里账目没有张榜公布" meets "财务公开不及时". The pairs are matched by SQLite's
bm25 ranking over an inverted index kept beside the ledger (`<data>/cache/similar.sqlite3`): derived data only,
rebuilt from the ledger whenever it is missing or stale, never backed up. Rare pairs weigh more than common
ones (bm25's IDF, length-normalised), and pairs found in most problems (整改, 问题) are left out of the query.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import re
import sqlite3
import unicodedata
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.measures.library import LibraryEntry, PlanNode, own_entries, starter_library

INDEX_FORMAT = "2"
MAX_QUERY_TOKENS = 32
SYNONYM = "zzsyn"  # the token of a synonym group: a whole word of the field, where a pair may be a fragment
SYNONYM_WEIGHT = 1.5
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
    """Turns text into match tokens with the field's synonym groups; generic phrases are not matched on."""

    groups: tuple[tuple[str, ...], ...]
    pattern: re.Pattern[str] | None = field(default=None, compare=False)
    group_of: dict[str, int] = field(default_factory=dict, compare=False)
    generic: tuple[str, ...] = ()
    generic_pattern: re.Pattern[str] | None = field(default=None, compare=False)

    @classmethod
    def with_groups(cls, groups: Sequence[Sequence[str]], generic: Sequence[str] = ()) -> Reader:
        group_of: dict[str, int] = {}
        for i, words in enumerate(groups):
            for w in words:
                group_of.setdefault(normalise(w), i)
        words_by_length = sorted(group_of, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, words_by_length))) if words_by_length else None
        phrases = sorted({normalise(w) for w in generic}, key=len, reverse=True)
        generic_pattern = re.compile("|".join(map(re.escape, phrases))) if phrases else None
        return cls(tuple(tuple(g) for g in groups), pattern, group_of, tuple(phrases), generic_pattern)

    def tokens(self, text: str) -> list[str]:
        t = normalise(text)
        out: list[str] = []
        # Synonyms are found in the whole text; the pairs skip the generic phrases ("答复不到位" is about 答复).
        plain = self.generic_pattern.sub(" ", t) if self.generic_pattern is not None else t
        for run in _RUNS.findall(plain):
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
                    out.append(f"{SYNONYM}{g}")
        return out


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


@lru_cache(maxsize=1)
def default_reader() -> Reader:
    lib = starter_library()
    return Reader.with_groups(lib.synonyms, lib.generic)


# -- the index ------------------------------------------------------------------------------
_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL UNIQUE,
                                 length INTEGER NOT NULL, tokens TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS terms (term TEXT PRIMARY KEY, postings BLOB NOT NULL) WITHOUT ROWID;
"""
K1, B = 1.2, 0.75  # bm25's usual constants


class SimilarIndex:
    """An inverted index of past problems beside the ledger: per token, the sorted row numbers of the documents
    holding it, packed in one blob. A keystroke reads one blob per query token and scores in one pass
    (bm25 with term frequency 1: these are short texts). Every method opens and closes its own connection.

    Why not FTS5's bm25: measured on 100,000 tasks, ranking an OR query costs FTS5 about 15 µs per matching
    document (0.3–0.5 s for a typed sentence); reading the same postings as blobs costs 2–4 ms.
    """

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
            with con:  # writes (and so commits to disk) only when something changed
                if self._state(con, "format") is None:
                    con.execute("INSERT INTO state VALUES ('format', ?)", (INDEX_FORMAT,))
                changes = _Changes(con)
                lib = list(starter_library().entries) + own_entries(session)
                signature = _library_signature(lib, self.reader)
                if self._state(con, "library") != signature:
                    for (ref,) in con.execute("SELECT ref FROM docs WHERE kind = 'library'").fetchall():
                        changes.drop(ref)
                    for e in lib:
                        changes.put("library", "l:" + e.id, self.reader.tokens(e.text))
                    con.execute("INSERT OR REPLACE INTO state VALUES ('library', ?)", (signature,))
                since = int(self._state(con, "ledger_change_no") or -1)
                top = session.scalar(select(func.max(Task.change_no))) or 0
                if top != since:
                    q = select(Task.id, Task.title, Task.description, Task.measures, Task.deleted)
                    if since >= 0 and top > since:
                        q = q.where(Task.change_no > since)
                    else:  # first build, or a ledger restored from an older backup: start again
                        for (ref,) in con.execute("SELECT ref FROM docs WHERE kind = 'task'").fetchall():
                            changes.drop(ref)
                    for tid, title, description, measures, deleted in session.execute(q):
                        if deleted is not None:
                            changes.drop("t:" + tid)
                        else:
                            text = "\n".join((title, description or "", measures or ""))
                            changes.put("task", "t:" + tid, self.reader.tokens(text))
                    con.execute("INSERT OR REPLACE INTO state VALUES ('ledger_change_no', ?)", (str(top),))
                written = changes.write()
            return written
        finally:
            con.close()

    # -- asking it ------------------------------------------------------------------------------
    def candidates(self, text: str, limit: int = CANDIDATES,
                   con: sqlite3.Connection | None = None) -> list[tuple[str, str, float]]:
        """(kind, ref, score — higher is closer) of the best documents. `con`: one connection kept open over
        many questions (`connection()`), as the import preview asks for each of its rows."""
        wanted = list(dict.fromkeys(self.reader.tokens(text)))
        if not wanted:
            return []
        if con is None:
            with self.connection() as own:
                return self.candidates(text, limit, own)
        total = int(self._state(con, "docs") or 0)
        avg = float(self._state(con, "avg_length") or 1) or 1.0
        if not total:
            return []
        marks = ",".join("?" * len(wanted))
        lists = [(t, _unpack(b)) for t, b in
                 con.execute(f"SELECT term, postings FROM terms WHERE term IN ({marks})", wanted).fetchall()]
        if total >= 50:  # with few documents every pair is "common": keep them all
            lists = [x for x in lists if len(x[1]) <= COMMON_SHARE * total] or lists
        lists.sort(key=lambda x: len(x[1]))
        lists = lists[:MAX_QUERY_TOKENS]
        scores: dict[int, float] = {}
        get = scores.get
        for term, rows in lists:
            idf = math.log(1 + (total - len(rows) + 0.5) / (len(rows) + 0.5))
            if term.startswith(SYNONYM):
                idf *= SYNONYM_WEIGHT
            for r in rows:
                scores[r] = get(r, 0.0) + idf
        best = heapq.nlargest(limit * 5, scores.items(), key=lambda kv: kv[1])
        if not best:
            return []
        marks = ",".join("?" * len(best))
        meta = {r: (k, ref, n) for r, k, ref, n in con.execute(
            f"SELECT rowid, kind, ref, length FROM docs WHERE rowid IN ({marks})", [r for r, _ in best])}
        out = []
        for r, raw in best:
            if r in meta:
                kind, ref, n = meta[r]
                out.append((kind, ref[2:], raw * (K1 + 1) / (1 + K1 * (1 - B + B * n / avg))))
        out.sort(key=lambda x: -x[2])
        return out[:limit]

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        con = self._connect()
        try:
            yield con
        finally:
            con.close()

    def size_on_disk(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())


class _Changes:
    """Documents put or dropped in one sync, applied to the postings once per term."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.add: dict[str, list[int]] = {}
        self.remove: dict[str, set[int]] = {}
        self.count = 0

    def drop(self, ref: str) -> int | None:
        row = self.con.execute("SELECT rowid, tokens FROM docs WHERE ref = ?", (ref,)).fetchone()
        if row is None:
            return None
        rowid, tokens = row
        for t in set(tokens.split()):
            self.remove.setdefault(t, set()).add(rowid)
        self.con.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))
        self.count += 1
        return int(rowid)

    def put(self, kind: str, ref: str, tokens: list[str]) -> None:
        old = self.drop(ref)
        distinct = list(dict.fromkeys(tokens))
        cur = self.con.execute("INSERT INTO docs (rowid, kind, ref, length, tokens) VALUES (?, ?, ?, ?, ?)",
                               (old, kind, ref, len(tokens), " ".join(distinct)))
        rowid = int(cur.lastrowid or 0)
        for t in distinct:
            self.add.setdefault(t, []).append(rowid)
            if t in self.remove:
                self.remove[t].discard(rowid)

    def write(self) -> int:
        con = self.con
        for term in set(self.add) | set(self.remove):
            row = con.execute("SELECT postings FROM terms WHERE term = ?", (term,)).fetchone()
            rows = set(_unpack(row[0])) if row else set()
            rows -= self.remove.get(term, set())
            rows.update(self.add.get(term, ()))
            if rows:
                con.execute("INSERT OR REPLACE INTO terms VALUES (?, ?)", (term, _pack(sorted(rows))))
            elif row:
                con.execute("DELETE FROM terms WHERE term = ?", (term,))
        if self.count or self.add:
            n, avg = con.execute("SELECT count(*), coalesce(avg(length), 1) FROM docs").fetchone()
            con.execute("INSERT OR REPLACE INTO state VALUES ('docs', ?)", (str(n),))
            con.execute("INSERT OR REPLACE INTO state VALUES ('avg_length', ?)", (str(avg),))
        return len({r for rows in self.add.values() for r in rows}) + self.count


def _pack(rows: list[int]) -> bytes:
    return array("I", rows).tobytes()


def _unpack(blob: bytes) -> array[int]:
    out = array("I")
    out.frombytes(blob)
    return out


def _library_signature(entries: list[LibraryEntry], reader: Reader) -> str:
    h = hashlib.sha256(json.dumps([reader.groups, reader.generic], ensure_ascii=False).encode())
    for e in entries:
        h.update(json.dumps([e.id, e.text], ensure_ascii=False).encode())
    return h.hexdigest()


# -- suggestions ------------------------------------------------------------------------------
def suggest(session: Session, index: SimilarIndex, title: str, description: str = "", *, limit: int = 5,
            exclude_task: str | None = None, sync: bool = True) -> list[Suggestion]:
    """The most similar past tasks of this ledger and library entries, best first."""
    if sync:
        index.sync(session)
    return _suggest(session, index, None, _libraries(session), f"{title}\n{description}", limit, exclude_task)


def suggest_many(session: Session, index: SimilarIndex, problems: Sequence[tuple[str, str]], *, limit: int = 5,
                 sync: bool = True) -> list[list[Suggestion]]:
    """`suggest` for each (title, description), with one connection to the index and one read of the libraries
    (what the import preview asks for its rows, a chunk at a time)."""
    if sync:
        index.sync(session)
    library = _libraries(session)
    with index.connection() as con:
        return [_suggest(session, index, con, library, f"{title}\n{description}", limit, None)
                for title, description in problems]


def _libraries(session: Session) -> dict[str, LibraryEntry]:
    return {e.id: e for e in list(starter_library().entries) + own_entries(session)}


def _suggest(session: Session, index: SimilarIndex, con: sqlite3.Connection | None,
             library: dict[str, LibraryEntry], text: str, limit: int,
             exclude_task: str | None) -> list[Suggestion]:
    from db.models import Node, Task

    found = index.candidates(text, con=con)
    if not found:
        return []
    task_ids = [ref for kind, ref, _ in found if kind == "task" and ref != exclude_task]
    # By primary key only: with `deleted IS NULL` in the query SQLite walks the (all-null) deleted index instead.
    tasks = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_(task_ids))) if t.deleted is None}
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
    out = _balanced(out, limit)
    ledger = [s for s in out if s.task_id]
    if ledger:  # each past task's node plan, as days after the task was created
        starts = {s.task_id: _day(tasks[s.task_id].created) for s in ledger if s.task_id}
        for n in session.scalars(select(Node).where(Node.task_id.in_(list(starts)), Node.deleted.is_(None))
                                 .order_by(Node.task_id, Node.seq)):
            s = next(x for x in ledger if x.task_id == n.task_id)
            start, due = starts[n.task_id], _day(n.due)
            days = (due - start).days if start and due else 0
            s.nodes.append(PlanNode(n.title, max(0, days)))
    for s in out:
        s.score = round(s.score, 3)
    return out


def _balanced(found: list[Suggestion], limit: int) -> list[Suggestion]:
    """Best first, the ledger's own past tasks and the library each judged against their own best (far weaker
    matches are noise), and at least half the places kept for the ledger when it has matches: the library's
    short texts score higher than a unit's wordy titles and would otherwise push its own history out."""
    by_source: dict[str, list[Suggestion]] = {"ledger": [], "library": []}
    for s in sorted(found, key=lambda s: -s.score):
        by_source[s.source].append(s)
    for name, items in by_source.items():
        if items:
            floor = items[0].score * 0.25
            by_source[name] = [s for s in items if s.score >= floor]
    ledger, library = by_source["ledger"], by_source["library"]
    quota = min(len(ledger), max(1, (limit + 1) // 2))
    chosen = ledger[:quota] + library[:limit - quota]
    chosen += ledger[quota:quota + limit - len(chosen)]
    return sorted(chosen, key=lambda s: -s.score)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _took(created: str, closed_on: str | None) -> int | None:
    a, b = _day(created), _day(closed_on)
    return (b - a).days if a and b and b >= a else None


def merge_measures(have: str, measures: str) -> str:
    """A suggestion's measures after those already written (once: taking the same one twice adds nothing)."""
    have, measures = (have or "").strip(), (measures or "").strip()
    if not measures or measures in have:
        return have
    return f"{have}\n{measures}" if have else measures


def plan_from(suggestion: Suggestion, start: date) -> list[tuple[str, date]]:
    """The suggestion's nodes as (title, due date) for a task starting on `start` (what the editor copies)."""
    from datetime import timedelta

    return [(n.title, start + timedelta(days=n.days)) for n in suggestion.nodes]
