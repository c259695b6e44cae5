"""内部督办 commands: the unit's sections registry and `section send`; the section desk's trust-unit and import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from core.cli.common import say, with_workspace
from core.errors import UsageError, UserError
from core.exchange.keys import format_key_id
from core.workspace import Workspace


def register(sub: Any) -> None:
    p = sub.add_parser("section", help="内部督办：登记科室、导入科室公钥、向科室发送任务")
    ss = p.add_subparsers(dest="section_command", metavar="ACTION", required=True)
    q = ss.add_parser("add", help="登记一个运行科室端的科室（给它一个代码）")
    q.add_argument("code", help="科室代码，例如 CZS")
    q.add_argument("--name", required=True, help="科室名称，与责任科室一致，例如 财政所")
    q.set_defaults(handler=with_workspace(cmd_section_add))
    q = ss.add_parser("list", help="列出各科室、未销号任务数与科室公钥")
    q.set_defaults(handler=with_workspace(cmd_section_list))
    q = ss.add_parser("trust", help="导入科室端的公钥文件（.pub.json）")
    q.add_argument("code")
    q.add_argument("file")
    q.set_defaults(handler=with_workspace(cmd_section_trust))
    q = ss.add_parser("send", help="为一个科室写出签名的科室任务包")
    q.add_argument("code")
    q.add_argument("out_dir")
    q.add_argument("--volume-mb", type=int, help="分卷大小（MB），超过则分卷；默认按参数设置")
    q.set_defaults(handler=with_workspace(cmd_section_send))
    q = ss.add_parser("notify", help="向科室发内部督办通知（随下一次科室任务包送达）")
    q.add_argument("code")
    q.add_argument("--task", action="append", required=True, help="任务编号（可多次，须是交给该科室的任务）")
    q.add_argument("--text", required=True, help="督办内容")
    q.add_argument("--due", help="反馈期限（年-月-日），默认 7 天后")
    q.set_defaults(handler=with_workspace(cmd_section_notify))
    p = sub.add_parser("notices", help="列出督办通知（编号、状态与反馈）")
    p.add_argument("--task", help="只列出这条任务的通知")
    p.set_defaults(handler=with_workspace(cmd_notices))


def add_init_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--section", help="本机是科室端：本科室的代码（由单位登记时给出）")
    p.add_argument("--section-name", help="本机是科室端：本科室的名称，例如 财政所")


def cmd_section_add(ws: Workspace, args: argparse.Namespace) -> int:
    from core.sections.registry import add_section

    with ws.session() as s:
        sec = add_section(s, ws.user, args.code, args.name)
        say(f"已登记科室：{sec.name}（代码 {sec.code}）")
    return 0


def cmd_section_list(ws: Workspace, args: argparse.Namespace) -> int:  # noqa: ARG001
    from core.sections.progress import section_progress
    from core.sections.registry import list_sections

    with ws.read() as s:
        rows = list_sections(s)
        progress = {p["code"]: p for p in section_progress(s, ws.today)}
    if not rows:
        say("还没有科室。请用 section add 代码 --name 名称 登记。")
    for r in rows:
        key = f"公钥 {format_key_id(r.key_id)}" if r.key_id else "未导入公钥"
        code = r.code or "（未登记代码）"
        line = f"{code}\t{r.name}\t未销号任务 {r.open_tasks} 条\t{key}\t已发送到第 {r.last_sent} 号"
        p = progress.get(r.code)
        if p is not None:
            line += f"\t节点完成 {p['nodes_done']}/{p['nodes_total']}，待双人核查 {p['awaiting_confirmation']} 个"
        say(line)
    return 0


def cmd_section_trust(ws: Workspace, args: argparse.Namespace) -> int:
    from core.sections.registry import trust_section

    with ws.session() as s:
        key = trust_section(s, ws.user, args.code, Path(args.file))
        say(f"已登记科室“{key.name}”的公钥，密钥编号：{format_key_id(key.key_id)}（请与该科室电话核对）")
    return 0


def cmd_section_send(ws: Workspace, args: argparse.Namespace) -> int:
    from core.cli.exchange_cmds import passphrase
    from core.sections.registry import send_tasks

    if args.volume_mb is not None and args.volume_mb < 1:
        raise UsageError("--volume-mb 至少为 1。")
    result = send_tasks(ws, args.code, Path(args.out_dir), passphrase(), volume_mb=args.volume_mb)
    parts = _say_written(result.paths, result.public_key_file,
                         "首次发送：已同时写出本单位公钥文件，请一并交给该科室，并电话核对密钥编号。")
    say(f"已写出第 {result.sequence} 号科室任务包{parts}：任务 {result.tasks} 条，节点 {result.nodes} 个，"
        f"督办通知 {result.notices} 份，收回任务 {result.removed} 条（只含该科室尚未收到的变化），已复核无误。")
    return 0


def cmd_section_notify(ws: Workspace, args: argparse.Namespace) -> int:
    from core.sections.registry import send_unit_notice

    with ws.session() as s:
        notices = send_unit_notice(s, ws.user, args.code, args.task, args.text, args.due, today=ws.today)
        for n in notices:
            say(n.id)
        say(f"已记录对科室 {args.code} 的内部督办通知 {len(notices)} 份（反馈期限 {notices[0].respond_by}），"
            "将随下一次科室任务包（section send）送达。")
    return 0


def cmd_notices(ws: Workspace, args: argparse.Namespace) -> int:
    from core.ledger.queries import notice_rows

    words = {"unread": "未读", "read": "已读", "responded": "已反馈", "closed": "已办结"}
    with ws.read() as s:
        rows = notice_rows(s, args.task)
    if not rows:
        say("没有督办通知。")
    for r in rows:
        level = "红色" if r["level"] == "red" else "黄色"
        say(f"{r['id']}\t{level}\t{words[r['state']]}\t{r['title']}\t{r['task_title']}\t"
            f"反馈期限 {r['respond_by']}\t{r['issuer']}")
        for x in r["responses"]:
            who = f"{x['by']}（{x['section']}）" if x.get("section") else x["by"]
            say(f"    反馈 {x['responded'][:10]} {who}：{x['text']}")
    return 0


def init_section_desk(ws: Workspace, args: argparse.Namespace) -> int:
    """`init --section CODE --section-name NAME`: this data folder becomes a section desk."""
    from core.cli.common import login
    from core.cli.exchange_cmds import create_key_at_init
    from core.sections.desk import init_section_desk as init_desk

    with ws.session() as s:
        me = init_desk(s, args.unit_code, args.unit_name, args.section, args.section_name or "", args.admin)
        say(f"已建立科室端：{me.unit_name} {me.section_name}（科室代码 {me.section_code}），"
            f"数据文件夹 {ws.paths.root}")
    ws.set_user(None)
    login(ws)
    create_key_at_init(ws)
    say("下一步：用 keys trust-unit 导入单位的公钥文件，并电话核对密钥编号；"
        "用 keys export-public 导出本科室公钥交单位。")
    return 0


def cmd_keys_trust_unit(ws: Workspace, args: argparse.Namespace) -> int:
    from core.sections.desk import trust_unit

    with ws.session() as s:
        key = trust_unit(s, ws.user, Path(args.file))
        say(f"已登记本单位（{key.name}）的公钥，密钥编号：{format_key_id(key.key_id)}（请与单位电话核对）")
    return 0


def _say_written(paths: list[Path], public_key_file: Path | None, first_time: str) -> str:
    """Print the package files written (and the desk's key file the first time); the "，共 N 卷" of the summary."""
    for p in paths:
        say(str(p.resolve()))
    if public_key_file is not None:
        say(str(public_key_file.resolve()))
        say(first_time)
    return f"，共 {len(paths)} 卷" if len(paths) > 1 else ""


def export_at_desk(ws: Workspace, out_dir: Path, secret: str, volume_mb: int | None = None) -> int:
    from core.sections.report import export_report

    result = export_report(ws, out_dir, secret, volume_mb=volume_mb)
    parts = _say_written(result.paths, result.public_key_file,
                         "首次报送：已同时写出本科室公钥文件，请一并交本单位，并电话核对密钥编号。")
    say(f"已写出第 {result.sequence} 号科室报送包（交本单位）{parts}：完成节点 {result.nodes} 个，"
        f"佐证材料 {result.evidence} 份，督办反馈 {result.responses} 条（只含单位尚未收到的），已复核无误。")
    return 0


def import_section_reports(ws: Workspace, files: list[str]) -> int:
    """`import` at the unit of files among which are section reports; city feedback goes its usual way."""
    from core.sections.report import import_report, package_type_of

    return _each(files, lambda p: import_report(ws, p) if package_type_of(p) == "section-report"
                 else _feedback_one(ws, p))


def _feedback_one(ws: Workspace, path: Path) -> Any:
    from core.exchange.importer import FeedbackImporter

    return FeedbackImporter(ws).import_file(path)


def import_at_desk(ws: Workspace, files: list[str]) -> int:
    """`import` on a section desk: each 科室任务包 its own transaction; refused ones change nothing."""
    from core.sections.desk import import_tasks

    return _each(files, lambda p: import_tasks(ws, p))


def _each(files: list[str], one: Any) -> int:
    refused = []
    for f in files:
        path = Path(f)
        try:
            result = one(path)
        except UserError as exc:
            refused.append(path.name)
            sys.stderr.write(f"{path.name}：被拒收，没有做任何改动。原因：{exc}\n")
            continue
        say(result.headline())
        for w in result.warnings:
            say(f"  注意：{w}")
    if refused:
        sys.stderr.write(f"共 {len(refused)} 个数据包被拒收：{'、'.join(refused)}\n")
        return 3
    return 0
