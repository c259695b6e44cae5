"""Ledger benchmark: 100,000 tasks with 400,000 nodes.

Prints, each with its ratio to a plain sqlite3 query measured in the same run:
first ledger page filtered by light and text (target <= 50 ms), dashboard figures (<= 300 ms),
lights for all tasks (<= 1 s), and peak memory (<= 300 MB).
Usage: uv run python bench/ledger_bench.py [--tasks N]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import subprocess
import sys
import uuid
from datetime import date, timedelta

from _common import WORK, best_of, peak_rss_mb, report, row

from core.ledger.queries import LedgerFilter, LedgerQuery
from core.unit import init_unit
from core.workspace import Workspace

TODAY = date(2026, 6, 1)
WORDS = ["村务公开", "专项资金", "消防通道", "食堂采购", "招投标", "公车管理", "扶贫资产", "河长制", "安全生产",
         "垃圾分类", "违法建设", "信访积案", "档案管理", "网络安全", "债务化解"]


def build(path_dir, n_tasks: int) -> Workspace:  # noqa: ANN001
    shutil.rmtree(path_dir, ignore_errors=True)
    ws = Workspace.open(path_dir, user="bench", today=TODAY)
    with ws.session() as s:
        init_unit(s, "442000-017", "基准测试镇", "township", admin="bench")
    rng = random.Random(1)
    con = sqlite3.connect(ws.paths.database)
    con.execute("PRAGMA synchronous=OFF")
    sections = [(i, f"科室{i}") for i in range(1, 21)]
    people = [(i + 10, f"责任人{i}", (i % 20) + 1, 1) for i in range(1, 301)]
    con.executemany("INSERT INTO sections (id, name) VALUES (?, ?)", sections)
    con.executemany("INSERT INTO people (id, name, section_id, active) VALUES (?, ?, ?, ?)", people)
    sources = ["inspection", "audit", "assessment", "supervision", "petition", "other"]
    cats = ["immediate", "phased", "long_term"]
    statuses = ["open", "in_progress", "in_progress", "submitted", "returned", "closed", "closed"]
    tasks, nodes = [], []
    for i in range(n_tasks):
        tid = str(uuid.uuid4())
        deadline = TODAY + timedelta(days=rng.randint(-120, 240))
        status = rng.choice(statuses)
        title = f"{rng.choice(WORDS)}问题整改{i}"
        owner = rng.randint(11, 310)
        pend = []
        for k in range(4):
            due = deadline - timedelta(days=(3 - k) * 30)
            st = "pending" if status not in ("submitted", "closed") and rng.random() < 0.5 else "confirmed"
            if st == "pending":
                pend.append(due.isoformat())
            nodes.append((str(uuid.uuid4()), tid, k + 1, f"节点{k + 1}", due.isoformat(), st, "", "", 0, 1, "x", 0))
        tasks.append((tid, f"ZS-{i:06d}", title, "", "", rng.choice(sources), rng.choice(cats), "2026年第一轮",
                      "", (owner % 20) + 1, owner, deadline.isoformat(), status, min(pend) if pend else None,
                      f"{title} zs-{i:06d} 责任人{owner}".lower(), 0, 1, "2026-01-01", "x", 0, ""))
    con.executemany(
        "INSERT INTO tasks (id, city_ref, title, description, measures, source, category, batch, leader, section_id,"
        " owner_id, deadline, status, next_due, search_text, from_city, rev, created, updated, change_no,"
        " review_comment) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", tasks)
    con.executemany(
        "INSERT INTO nodes (id, task_id, seq, title, due, status, note, city_comment, from_city, rev, updated,"
        " change_no) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", nodes)
    every = max(1, n_tasks // 500)
    notices = [(f"DB-{i}", "red" if i % 2 else "yellow", t[0], t[0], "督办", "请加快整改",
                "2026-05-01T09:00:00+08:00", "市督查室", "2026-06-10", "[]", "open", "", 0, 0, 0)
               for i, t in enumerate(tasks[::every])]
    con.executemany(
        "INSERT INTO notices (id, level, task_ref, task_id, title, text, issued, issuer, respond_by, attachments,"
        " state, closure_comment, content_seq, state_seq, state_line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", notices)
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return ws


def baseline_page(db) -> None:  # noqa: ANN001
    """The same first page, as a plain sqlite3 query with precomputed cut-off dates."""
    con = sqlite3.connect(db)
    con.execute(
        "SELECT t.id, t.title, t.deadline FROM tasks t LEFT JOIN people p ON p.id = t.owner_id"
        " WHERE t.deleted IS NULL AND instr(t.search_text, '消防') > 0 AND t.status != 'closed'"
        " AND min(coalesce(t.next_due, '9999-12-31'), t.deadline) <= '2026-05-21'"
        " ORDER BY t.deadline LIMIT 50").fetchall()
    con.close()


def main() -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False)
    ap.add_argument("--tasks", type=int, default=100_000)
    ap.add_argument("--build-only", action="store_true")
    args = ap.parse_args()
    data = WORK / "ledger-data"
    if args.build_only:
        build(data, args.tasks).close()
        return
    # Built in a child process so that peak memory below is the reading side's alone.
    subprocess.run([sys.executable, __file__, "--build-only", "--tasks", str(args.tasks)], check=True)
    ws = Workspace.open(data, user="bench", today=TODAY)
    db = str(ws.paths.database)
    f = LedgerFilter(light="red", text="消防")

    def page() -> None:
        with ws.read() as s:
            LedgerQuery(s, TODAY).page(f, limit=50)

    def dashboard() -> None:
        with ws.read() as s:
            LedgerQuery(s, TODAY).dashboard()

    def lights() -> None:
        with ws.read() as s:
            assert len(LedgerQuery(s, TODAY).all_lights()) == args.tasks

    def base_lights() -> None:
        con = sqlite3.connect(db)
        con.execute("SELECT id, status, deadline, next_due FROM tasks WHERE deleted IS NULL").fetchall()
        con.close()

    def base_dashboard() -> None:
        """The dashboard's two passes written by hand for plain sqlite3 (same light rule, cut-offs precomputed)."""
        con = sqlite3.connect(db)
        con.execute(
            "SELECT CASE WHEN id IN (SELECT task_id FROM notices WHERE state='open' AND level='red') THEN 'red'"
            " WHEN status='closed' THEN CASE WHEN id IN (SELECT task_id FROM notices WHERE state='open'"
            " AND level='yellow') THEN 'yellow' ELSE 'green' END"
            " WHEN min(coalesce(next_due,'9999-12-31'), CASE WHEN status IN ('submitted','closed') THEN '9999-12-31'"
            " ELSE deadline END) <= '2026-05-21' THEN 'red'"
            " WHEN id IN (SELECT task_id FROM notices WHERE state='open' AND level='yellow')"
            " OR min(coalesce(next_due,'9999-12-31'), CASE WHEN status IN ('submitted','closed') THEN '9999-12-31'"
            " ELSE deadline END) <= '2026-05-31' THEN 'yellow' ELSE 'green' END AS light,"
            " status, source, category, count(*), sum(status NOT IN ('closed','submitted') AND deadline < '2026-06-01')"
            " FROM tasks WHERE deleted IS NULL GROUP BY light, status, source, category").fetchall()
        con.execute(
            "SELECT sum(due < '2026-06-01'), sum(due >= '2026-06-01') FROM nodes WHERE status='pending'"
            " AND due <= '2026-06-04' AND deleted IS NULL AND task_id NOT IN"
            " (SELECT id FROM tasks WHERE status='closed' OR deleted IS NOT NULL)").fetchall()
        con.close()

    t_page, b_page = best_of(page) * 1000, best_of(lambda: baseline_page(db)) * 1000
    t_dash, b_dash = best_of(dashboard) * 1000, best_of(base_dashboard) * 1000
    t_all, b_all = best_of(lights, 3) * 1000, best_of(base_lights, 3) * 1000
    with ws.read() as s:
        q = LedgerQuery(s, TODAY)
        n = q.count(f)
    ws.close()
    print(f"{args.tasks} tasks, {args.tasks * 4} nodes; page filter light=red text=消防 matches {n} tasks")
    report([
        row("ledger page (light=red, text=消防, 50 rows)", t_page, 50, b_page),
        row("dashboard figures", t_dash, 300, b_dash),
        row("lights for all tasks", t_all, 1000, b_all),
        row("peak memory", peak_rss_mb(), 300, None, unit="MB"),
    ], "ledger")


if __name__ == "__main__":
    main()
