"""整改措施库 commands: suggest (相似问题), measures list / add / remove (the unit's own entries)."""

from __future__ import annotations

import argparse
from typing import Any

from core.cli.common import print_json, say, with_workspace
from core.errors import InputRefused
from core.workspace import Workspace


def register(sub: Any) -> None:
    p = sub.add_parser("suggest", help="相似问题：按问题标题和描述推荐以往任务和措施库中的整改措施与节点")
    p.add_argument("--title", required=True, help="问题标题")
    p.add_argument("--description", default="", help="问题描述")
    p.add_argument("--limit", type=int, default=5, help="最多列出几条（默认 5）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_workspace(cmd_suggest))

    m = sub.add_parser("measures", help="本单位整改措施库：list / add / remove")
    msub = m.add_subparsers(dest="measures_command", metavar="ACTION", required=True)
    p = msub.add_parser("list", help="列出措施库（自带的与本单位的）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_workspace(cmd_measures_list))
    p = msub.add_parser("add", help="把一条整改措施加入本单位措施库")
    p.add_argument("--title", required=True, help="问题名称")
    p.add_argument("--measures", required=True, help="整改措施")
    p.add_argument("--family", default="", help="问题类型，例如 财务公开")
    p.add_argument("--description", default="", help="问题描述")
    p.add_argument("--node", action="append", default=[], metavar="TITLE@DAYS",
                   help="节点：名称@开始后第几天，例如 制定方案@15（可多次）")
    p.set_defaults(handler=with_workspace(cmd_measures_add))
    p = msub.add_parser("remove", help="从本单位措施库删除一条")
    p.add_argument("id")
    p.set_defaults(handler=with_workspace(cmd_measures_remove))


def cmd_suggest(ws: Workspace, args: argparse.Namespace) -> int:
    from core.measures.similar import SimilarIndex, suggest

    if not 1 <= args.limit <= 50:
        raise InputRefused("--limit 应在 1 到 50 之间。")
    with ws.session() as s:
        found = suggest(s, SimilarIndex(ws.paths.similar_index), args.title, args.description, limit=args.limit)
    if args.json:
        print_json({"suggestions": [x.as_json() for x in found]})
        return 0
    if not found:
        say("没有找到相似的问题。")
    for i, x in enumerate(found, 1):
        where = "本单位台账" if x.source == "ledger" else ("本单位措施库" if x.own else "自带措施库")
        say(f"{i}. [{where}] {x.title}（相似度 {x.score}）")
        if x.measures:
            say(f"   整改措施：{x.measures}")
        for n in x.nodes:
            say(f"   节点：{n.title}（开始后第 {n.days} 天）")
    return 0


def cmd_measures_list(ws: Workspace, args: argparse.Namespace) -> int:
    from core.measures.library import own_entries, starter_library

    lib = starter_library()
    with ws.read() as s:
        entries = list(lib.entries) + own_entries(s)
    if args.json:
        print_json({"version": lib.version, "entries": [
            {"id": e.id, "family": e.family, "title": e.title, "measures": e.measures, "own": e.own,
             "nodes": [{"title": n.title, "days": n.days} for n in e.nodes]} for e in entries]})
        return 0
    say(f"措施库版本 {lib.version}，共 {len(entries)} 条：")
    for e in entries:
        say(f"{'本单位' if e.own else '自带'}  {e.id}  {e.family}：{e.title}")
    return 0


def _plan_node(spec: str) -> Any:
    from core.measures.library import PlanNode

    title, sep, days = spec.rpartition("@")
    if not sep or not title.strip() or not days.strip().isdigit():
        raise InputRefused(f"节点“{spec}”格式不对。", hint="请写成 名称@天数，例如 制定方案@15。")
    return PlanNode(title.strip(), int(days))


def cmd_measures_add(ws: Workspace, args: argparse.Namespace) -> int:
    from core.measures.library import add_own_entry

    nodes = [_plan_node(n) for n in args.node]
    with ws.session() as s:
        eid = add_own_entry(s, ws.user, title=args.title, measures=args.measures, family=args.family,
                            description=args.description, nodes=nodes)
    say(eid)
    return 0


def cmd_measures_remove(ws: Workspace, args: argparse.Namespace) -> int:
    from core.measures.library import remove_own_entry

    with ws.session() as s:
        remove_own_entry(s, ws.user, args.id)
    say("已从本单位措施库删除。")
    return 0
