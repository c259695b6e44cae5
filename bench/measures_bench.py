"""相似问题 benchmark: suggestions while typing over a 100,000-task ledger, and what the matcher finds.

Prints, against baselines measured in the same run:
- building the index from the ledger (once; later syncs take only what changed) and its size on disk;
- one keystroke's suggestions (sync check + query + the top tasks' nodes), target <= 50 ms, against a plain
  `title LIKE '%…%'` query of the same ledger;
- recall: rephrased problems of a dozen families whose family is among the first three ledger suggestions,
  for ours, for FTS5's trigram tokenizer with bm25, and for substring LIKE (why pairs and synonyms).
Usage: uv run python bench/measures_bench.py [--tasks N]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import time
import uuid

from _common import ROOT, WORK, peak_rss_mb, report, row

from core.measures.similar import SimilarIndex, suggest
from core.unit import init_unit
from core.workspace import Workspace

sys.path.insert(0, str(ROOT))
from tests.core.measures.families import NEW, PAST  # noqa: E402

FILLER = ["部分村（社区）", "个别站所", "2025年以来", "经查", "抽查发现", "群众反映", "审计发现", "巡察发现", ""]
TAILS = ["", "的问题", "，整改不彻底", "，群众意见较大", "，屡查屡犯", "等问题"]
TYPED = "村里账目没有张榜公布，群众不清楚资金去向"


def build(n_tasks: int) -> tuple[Workspace, dict[str, str]]:
    folder = WORK / "measures"
    shutil.rmtree(folder, ignore_errors=True)
    ws = Workspace.open(folder, user="bench")
    with ws.session() as s:
        init_unit(s, "442000-017", "基准测试镇", "township", admin="bench")
    rng = random.Random(7)
    families = list(PAST)
    family_of: dict[str, str] = {}
    tasks, nodes = [], []
    for i in range(n_tasks):
        family = families[i % len(families)]
        title = f"{rng.choice(FILLER)}{rng.choice(PAST[family])}{rng.choice(TAILS)}"
        tid = str(uuid.uuid4())
        family_of[tid] = family
        status = "closed" if rng.random() < 0.4 else "in_progress"
        tasks.append((tid, title, f"{title}。编号{i}", f"{family}：清查、整改、建章立制", "inspection", "phased",
                      "2026-06-30", status, title, "2026-01-01T09:00:00+08:00", "x", i + 1,
                      "2026-06-20" if status == "closed" else None))
        for k in range(3):
            nodes.append((str(uuid.uuid4()), tid, k + 1, f"{family}节点{k + 1}", f"2026-0{k + 3}-15", "pending",
                          "", "", 0, 1, "x", 0))
    con = sqlite3.connect(ws.paths.database)
    con.execute("PRAGMA synchronous=OFF")
    con.executemany(
        "INSERT INTO tasks (id, title, description, measures, source, category, deadline, status, search_text,"
        " created, updated, change_no, closed_on, batch, leader, review_comment, from_city, rev)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'','','',0,1)", tasks)
    con.executemany(
        "INSERT INTO nodes (id, task_id, seq, title, due, status, note, city_comment, from_city, rev, updated,"
        " change_no) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", nodes)
    con.commit()
    con.close()
    return ws, family_of


def recall_ours(ws: Workspace, index: SimilarIndex, family_of: dict[str, str]) -> tuple[int, int]:
    hit = total = 0
    with ws.read() as s:
        for family, queries in NEW.items():
            for q in queries:
                total += 1
                ledger = [x for x in suggest(s, index, q, limit=10) if x.source == "ledger"][:3]
                hit += family in {family_of.get(x.task_id or "") for x in ledger}
    return hit, total


def recall_trigram(ws: Workspace, family_of: dict[str, str]) -> tuple[int, int, float]:
    """FTS5's own trigram tokenizer over the same titles and descriptions, bm25, OR of the query's trigrams."""
    path = WORK / "measures-trigram.sqlite3"
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE d USING fts5(ref UNINDEXED, body, tokenize='trigram')")
    src = sqlite3.connect(ws.paths.database)
    con.executemany("INSERT INTO d VALUES (?, ?)",
                    src.execute("SELECT id, title || ' ' || description FROM tasks"))
    con.commit()
    hit = total = 0
    for family, queries in NEW.items():
        for q in queries:
            total += 1
            grams = {q[i:i + 3] for i in range(len(q) - 2)}
            match = " OR ".join(f'"{g}"' for g in grams)
            refs = [r for (r,) in con.execute("SELECT ref FROM d WHERE d MATCH ? ORDER BY bm25(d) LIMIT 3",
                                              (match,))] if grams else []
            hit += family in {family_of.get(r) for r in refs}
    size = path.stat().st_size / 2**20
    return hit, total, size


def recall_like(ws: Workspace, family_of: dict[str, str]) -> tuple[int, int]:
    src = sqlite3.connect(ws.paths.database)
    hit = total = 0
    for family, queries in NEW.items():
        for q in queries:
            total += 1
            refs = [r for (r,) in src.execute("SELECT id FROM tasks WHERE title LIKE ? LIMIT 3", (f"%{q}%",))]
            hit += family in {family_of.get(r) for r in refs}
    return hit, total


def main() -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False)
    ap.add_argument("--tasks", type=int, default=100_000)
    args = ap.parse_args()
    ws, family_of = build(args.tasks)
    index = SimilarIndex(ws.paths.similar_index)
    t0 = time.perf_counter()
    with ws.read() as s:
        index.sync(s)
    build_s = time.perf_counter() - t0

    prefixes = [TYPED[:i] for i in range(2, len(TYPED) + 1)]
    ours = []
    with ws.read() as s:
        for p in prefixes:
            t0 = time.perf_counter()
            suggest(s, index, p, limit=5)
            ours.append(time.perf_counter() - t0)
    src = sqlite3.connect(ws.paths.database)
    like = []
    for p in prefixes:
        t0 = time.perf_counter()
        src.execute("SELECT id, title, measures FROM tasks WHERE deleted IS NULL AND (title LIKE ? OR description "
                    "LIKE ?) LIMIT 5", (f"%{p}%", f"%{p}%")).fetchall()
        like.append(time.perf_counter() - t0)
    ours.sort()
    like.sort()
    med_ours, worst_ours = ours[len(ours) // 2] * 1000, ours[-1] * 1000
    med_like = like[len(like) // 2] * 1000

    hit, total = recall_ours(ws, index, family_of)
    tri_hit, _, tri_size = recall_trigram(ws, family_of)
    like_hit, _ = recall_like(ws, family_of)
    size_mb = index.size_on_disk() / 2**20
    db_mb = ws.paths.database.stat().st_size / 2**20
    ws.close()
    rows = [
        row(f"suggestion per keystroke, median ({args.tasks:,} tasks)", med_ours, 50, med_like),
        row("suggestion per keystroke, slowest prefix", worst_ours, 100, like[-1] * 1000),
        row("index build from the ledger (once)", build_s, 60, None, unit="s"),
        row("index size on disk", size_mb, db_mb, db_mb, unit="MB"),
        row("recall@3, pairs + synonyms (ours)", hit / total * 100, 90, like_hit / total * 100, unit="%",
            lower_is_better=False),
        row("recall@3, FTS5 trigram + bm25", tri_hit / total * 100, 0, like_hit / total * 100, unit="%",
            lower_is_better=False),
        row("recall@3, substring LIKE", like_hit / total * 100, 0, None, unit="%", lower_is_better=False),
        row("trigram index size (for comparison)", tri_size, db_mb, size_mb, unit="MB"),
        row("peak memory", peak_rss_mb(), 300, None, unit="MB"),
    ]
    report(rows, "measures")


if __name__ == "__main__":
    main()
