"""Ledger commands: task, node, evidence, ledger, dashboard."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from core import enums
from core.cli.common import print_json, say, with_workspace
from core.dates import parse_date
from core.workspace import Workspace


def _task_options(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("--title", required=required, help="问题（任务）标题")
    p.add_argument("--source", required=required, help="来源：巡察/审计/绩效考核/督查/信访/其他")
    p.add_argument("--category", required=required, help="类别：立行立改/分阶段整改/长效整改")
    p.add_argument("--owner", required=required, help="责任人")
    p.add_argument("--deadline", required=required, help="整改期限 YYYY-MM-DD")
    p.add_argument("--section", help="责任科室")
    p.add_argument("--leader", help="责任领导")
    p.add_argument("--batch", help="批次，例如 2026年第一轮巡察")
    p.add_argument("--description", help="问题描述")
    p.add_argument("--measures", help="整改措施")
    p.add_argument("--node", action="append", default=[], metavar="TITLE@YYYY-MM-DD", help="节点（可多次）")


def register(sub: Any) -> None:
    task = sub.add_parser("task", help="整改任务：add / edit / delete / submit")
    tsub = task.add_subparsers(dest="task_command", metavar="ACTION", required=True)
    p = tsub.add_parser("add", help="新增整改任务（输出任务编号）")
    _task_options(p, required=True)
    p.set_defaults(handler=with_workspace(cmd_task_add))
    p = tsub.add_parser("edit", help="修改整改任务")
    p.add_argument("id")
    _task_options(p, required=False)
    p.set_defaults(handler=with_workspace(cmd_task_edit))
    p = tsub.add_parser("delete", help="删除整改任务（报送时告知市平台）")
    p.add_argument("id")
    p.add_argument("--yes", action="store_true",
                   help="确认删除有市平台编号、督办通知或佐证材料的任务（须审核人或管理员）")
    p.set_defaults(handler=with_workspace(cmd_task_delete))
    p = tsub.add_parser("submit", help="申请销号（全部节点完成后）")
    p.add_argument("id")
    p.set_defaults(handler=with_workspace(cmd_task_submit))

    node = sub.add_parser("node", help="节点：done / confirm / undo")
    nsub = node.add_subparsers(dest="node_command", metavar="ACTION", required=True)
    p = nsub.add_parser("done", help="填报节点完成")
    p.add_argument("task_id")
    p.add_argument("seq", type=int)
    p.add_argument("--date", help="完成日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--note", default="", help="完成情况说明")
    p.set_defaults(handler=with_workspace(cmd_node_done))
    p = nsub.add_parser("confirm", help="核查确认节点（须由另一人）")
    p.add_argument("task_id")
    p.add_argument("seq", type=int)
    p.set_defaults(handler=with_workspace(cmd_node_confirm))
    p = nsub.add_parser("undo", help="撤销节点的完成填报（报送之前）")
    p.add_argument("task_id")
    p.add_argument("seq", type=int)
    p.set_defaults(handler=with_workspace(cmd_node_undo))

    ev = sub.add_parser("evidence", help="佐证材料：add / remove / restore")
    esub = ev.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)
    p = esub.add_parser("add", help="添加佐证材料文件")
    p.add_argument("task_id")
    p.add_argument("file")
    p.add_argument("--node", type=int, help="所属节点序号")
    p.add_argument("--description", default="", help="材料说明")
    p.set_defaults(handler=with_workspace(cmd_evidence_add))
    p = esub.add_parser("remove", help="移除佐证材料（文件仍保留在材料库）")
    p.add_argument("evidence_id")
    p.set_defaults(handler=with_workspace(cmd_evidence_remove))
    p = esub.add_parser("restore", help="撤销移除佐证材料（报送之前）")
    p.add_argument("evidence_id")
    p.set_defaults(handler=with_workspace(cmd_evidence_restore))

    p = sub.add_parser("attachments", help="市平台随督办通知发来的附件：列出或另存")
    p.add_argument("--notice", help="督办通知编号")
    p.add_argument("--task", help="任务编号或市平台编号")
    p.add_argument("--save", metavar="DIR", help="把附件另存到此文件夹")
    p.set_defaults(handler=with_workspace(cmd_attachments))

    p = sub.add_parser("ledger", help="列出整改台账")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--light", help="green/yellow/red 或 绿/黄/红")
    p.add_argument("--status", help="状态")
    p.add_argument("--source", help="来源")
    p.add_argument("--category", help="类别")
    p.add_argument("--search", help="搜索文字")
    p.set_defaults(handler=with_workspace(cmd_ledger))

    p = sub.add_parser("dashboard", help="工作台统计数字")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_workspace(cmd_dashboard))


def _task_input(args: argparse.Namespace) -> Any:
    from core.ledger.tasks import TaskInput, parse_node_spec

    return TaskInput(
        title=args.title or "", source=args.source or "", category=args.category or "", owner=args.owner or "",
        deadline=args.deadline or "", section=args.section or "", leader=args.leader or "",
        batch=args.batch or "", description=args.description or "", measures=args.measures or "",
        nodes=[parse_node_spec(n) for n in args.node],
    )


def cmd_task_add(ws: Workspace, args: argparse.Namespace) -> int:
    from core.ledger.tasks import create_task

    data = _task_input(args)
    with ws.session() as s:
        ws.require_unit(s)
        task = create_task(s, ws.user, data)
        task_id = task.id
    say(task_id)
    return 0


def cmd_task_edit(ws: Workspace, args: argparse.Namespace) -> int:
    from core.ledger.tasks import edit_task

    data = _task_input(args)
    with ws.session() as s:
        task = edit_task(s, ws.user, args.id, data)
        say(f"已修改：{task.title}")
    return 0


def cmd_task_delete(ws: Workspace, args: argparse.Namespace) -> int:
    from core.ledger.tasks import delete_task

    with ws.session() as s:
        task = delete_task(s, ws.user, args.id, confirmed=args.yes)
        say(f"已删除：{task.title}（下次报送时告知市平台）")
    return 0


def cmd_task_submit(ws: Workspace, args: argparse.Namespace) -> int:
    from core.ledger.tasks import submit_task

    with ws.session() as s:
        task = submit_task(s, ws.user, args.id)
        say(f"已申请销号：{task.title}")
    return 0


def cmd_node_done(ws: Workspace, args: argparse.Namespace) -> int:
    from core.ledger.tasks import complete_node

    done = parse_date(args.date, "完成日期") if args.date else ws.today
    with ws.session() as s:
        node = complete_node(s, ws.user, args.task_id, args.seq, done=done, note=args.note, today=ws.today)
        say(f"节点 {node.seq}“{node.title}”已填报完成，等待另一人核查。")
    return 0


def cmd_node_confirm(ws: Workspace, args: argparse.Namespace) -> int:
    from core.ledger.tasks import confirm_node

    with ws.session() as s:
        node = confirm_node(s, ws.user, args.task_id, args.seq)
        say(f"节点 {node.seq}“{node.title}”已由{ws.user}核查确认。")
    return 0


def cmd_node_undo(ws: Workspace, args: argparse.Namespace) -> int:
    from core.ledger.tasks import undo_node_done

    with ws.session() as s:
        node = undo_node_done(s, ws.user, args.task_id, args.seq)
        say(f"已撤销节点 {node.seq}“{node.title}”的完成填报。")
    return 0


def cmd_evidence_remove(ws: Workspace, args: argparse.Namespace) -> int:
    from core.evidence.attach import remove_evidence

    with ws.session() as s:
        ev = remove_evidence(s, ws.user, args.evidence_id)
        say(f"已移除佐证材料：{ev.filename}（可用 evidence restore {ev.id} 撤销）")
    return 0


def cmd_evidence_restore(ws: Workspace, args: argparse.Namespace) -> int:
    from core.evidence.attach import restore_evidence

    with ws.session() as s:
        ev = restore_evidence(s, ws.user, args.evidence_id)
        say(f"已恢复佐证材料：{ev.filename}")
    return 0


def cmd_attachments(ws: Workspace, args: argparse.Namespace) -> int:
    from core.ledger.queries import copy_attachment, notice_attachments
    from core.ledger.tasks import get_task

    with ws.read() as s:
        task_id = get_task(s, args.task).id if args.task else None
        found = notice_attachments(s, ws.evidence, notice_id=args.notice, task_id=task_id)
    if not found:
        say("没有市平台发来的附件。")
        return 0
    for a in found:
        state = a.size_text if a.present else "未送达"
        line = f"{a.notice_id}\t{a.name}\t{state}\t{a.sha256}"
        if args.save and a.present:
            line += f"\t→ {copy_attachment(a, Path(args.save) / a.save_name())}"
        say(line)
    return 0


def cmd_evidence_add(ws: Workspace, args: argparse.Namespace) -> int:
    from core.evidence.attach import attach_file

    with ws.session() as s:
        ev = attach_file(s, ws.evidence, ws.user, args.task_id, Path(args.file), node_seq=args.node,
                         description=args.description)
        say(f"{ev.id}\t{ev.sha256}\t{ev.filename}")
    return 0


def ledger_filter(args: argparse.Namespace) -> Any:
    from core.ledger.queries import LedgerFilter

    return LedgerFilter(
        light=enums.parse("light", args.light) if args.light else None,
        status=enums.parse("status", args.status) if args.status else None,
        source=enums.parse("source", args.source) if getattr(args, "source", None) else None,
        category=enums.parse("category", args.category) if getattr(args, "category", None) else None,
        text=args.search,
    )


def cmd_ledger(ws: Workspace, args: argparse.Namespace) -> int:
    from core.ledger.queries import LedgerQuery

    f = ledger_filter(args)
    with ws.read() as s:
        unit = ws.require_unit(s)
        q = LedgerQuery(s, ws.today)
        rows = q.page(f, limit=None)
        if args.json:
            print_json({"unit": {"code": unit.code, "name": unit.name}, "today": ws.today.isoformat(),
                        "tasks": [r.as_json() for r in rows]})
            return 0
        say(f"{unit.name} 整改台账（{ws.today.isoformat()}）共 {len(rows)} 条")
        for r in rows:
            say(f"[{enums.label('light', r.light)}] {r.city_ref or r.id[:8]}  {r.title}  "
                f"{enums.label('status', r.status)}  期限 {r.deadline}  {r.owner}  — {r.light_reason}")
    return 0


def cmd_dashboard(ws: Workspace, args: argparse.Namespace) -> int:
    from core.clock import clock_warning
    from core.ledger.queries import LedgerQuery

    with ws.read() as s:
        unit = ws.require_unit(s)
        d = LedgerQuery(s, ws.today).dashboard()
        warning = clock_warning(s, ws.today)
        from core.sections.progress import section_progress

        sections = section_progress(s, ws.today)
    if args.json:
        print_json({**d, "clock_warning": warning, "sections": sections})
        return 0
    say(f"{unit.name} 工作台（{d['today']}）")
    say(f"整改任务 {d['total']} 条，已销号 {d['closed']} 条，整改完成率 {d['completion_rate'] * 100:.1f}%")
    bl = d["by_light"]
    say(f"红灯 {bl['red']}  黄灯 {bl['yellow']}  绿灯 {bl['green']}")
    say(f"逾期节点 {d['overdue_nodes']} 个，临期节点 {d['due_soon_nodes']} 个，"
        f"待反馈督办通知 {d['notices_awaiting_response']} 件")
    ded = d["deductions"]
    say(f"预扣分 {ded['pre']:g} 分，扣分 {ded['final']:g} 分（已撤销 {ded['reversed']:g} 分）；"
        f"待市平台答复的申诉 {d['appeals_pending']} 件；有扣分风险的红灯任务 {d['red_tasks_at_risk']} 条")
    for sec in sections:
        lights = sec["lights"]
        last = sec["last_report"]
        received = f"最近报送第 {last['sequence']} 号（{last['date']}）" if last else "尚未报送"
        say(f"科室 {sec['name']}（{sec['code']}）：任务 {sec['tasks']} 条，节点完成 {sec['nodes_done']}/"
            f"{sec['nodes_total']}，待双人核查 {sec['awaiting_confirmation']} 个，红灯 {lights['red']} 黄灯 "
            f"{lights['yellow']} 绿灯 {lights['green']}，{received}")
    if warning:
        say(f"注意：{warning}")
    return 0
