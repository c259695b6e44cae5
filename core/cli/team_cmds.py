"""Team commands: user, handover, recheck, reminders, backup, restore, quality.

Logging in (when the unit has several users with passwords) is done for every command by
core.cli.common.with_workspace.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.cli.common import (
    ENV_PASSWORD,
    _read_password,
    automatic_actor,
    login,
    print_json,
    say,
    with_workspace,
)
from core.dates import parse_date
from core.errors import PermissionDenied, UsageError
from core.text import human_size
from core.workspace import Workspace

TeamHandler = Callable[[Workspace, argparse.Namespace, str], int]


def with_login(fn: TeamHandler) -> Callable[[argparse.Namespace], int]:
    """Handler wrapper: the workspace is opened and the user logged in by `with_workspace`."""
    return with_workspace(lambda ws, args: fn(ws, args, ws.user))


ENV_NEW_PASSWORD = "RECTIDESK_NEW_PASSWORD"


def _new_password() -> str:
    """A new password is never a command-line argument (it would show in the process list)."""
    value = os.environ.get(ENV_NEW_PASSWORD)
    if value is not None:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("新密码：")
        if getpass.getpass("再输入一次：") != first:
            raise UsageError("两次输入的密码不一致。")
        return first
    raise UsageError("请在终端输入新密码。",
                     hint=f"不在终端运行时，请用环境变量 {ENV_NEW_PASSWORD} 给出新密码（密码不能写在命令行上）。")


def register(sub: Any) -> None:
    user = sub.add_parser("user", help="用户：add / list / disable / passwd / role")
    usub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p = usub.add_parser("add", help="添加用户（管理员）；密码在终端输入或取自环境变量 RECTIDESK_NEW_PASSWORD")
    p.add_argument("name")
    p.add_argument("--role", required=True, help="填报员（clerk）/ 审核人（reviewer）/ 管理员（admin）")
    p.add_argument("--section", default="", help="所在科室")
    p.set_defaults(handler=with_workspace(cmd_user_add))
    p = usub.add_parser("list", help="列出用户")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_workspace(cmd_user_list))
    p = usub.add_parser("disable", help="停用用户（离岗）")
    p.add_argument("name")
    p.set_defaults(handler=with_login(cmd_user_disable))
    p = usub.add_parser("passwd", help="设置密码（本人或管理员）；密码在终端输入或取自环境变量 RECTIDESK_NEW_PASSWORD")
    p.add_argument("name")
    p.set_defaults(handler=with_login(cmd_user_passwd))
    p = usub.add_parser("role", help="修改用户角色（管理员）")
    p.add_argument("name")
    p.add_argument("role")
    p.set_defaults(handler=with_login(cmd_user_role))

    p = sub.add_parser("handover", help="交接：把某人名下全部未销号任务移交给接手人")
    p.add_argument("--from", dest="from_person", required=True, help="交出人")
    p.add_argument("--to", dest="to_person", required=True, help="接手人")
    p.add_argument("--note", default="", help="交接说明")
    p.add_argument("--left", action="store_true", help="同时登记交出人已离岗")
    p.add_argument("--new-person", action="store_true", help="接手人是新同事，一并登记")
    p.add_argument("--pdf", metavar="FILE", help="同时生成可打印的交接清单 PDF")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_login(cmd_handover))

    p = sub.add_parser("handovers", help="查看交接记录，或补打某次交接的交接清单")
    p.add_argument("--person", help="只看与某人有关的")
    p.add_argument("--date", help="交接日期 YYYY-MM-DD")
    p.add_argument("--pdf", metavar="FILE", help="生成交接清单 PDF（需 --person 交出人 和 --date）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_workspace(cmd_handovers))

    rc = sub.add_parser("recheck", help="回头看：list / record / schedule")
    rsub = rc.add_subparsers(dest="recheck_command", metavar="ACTION", required=True)
    p = rsub.add_parser("list", help="列出到期的回头看")
    p.add_argument("--all", action="store_true", help="列出全部（含已做）")
    p.add_argument("--pending", action="store_true", help="列出全部未做的")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_workspace(cmd_recheck_list))
    p = rsub.add_parser("record", help="登记回头看结果（未通过将重新打开任务）")
    p.add_argument("ref", help="任务编号（或回头看编号）")
    p.add_argument("--result", required=True, help="通过（passed）/ 未通过（failed）")
    p.add_argument("--note", default="", help="情况说明（未通过时必填）")
    p.add_argument("--evidence", dest="evidence_files", action="append", default=[], metavar="FILE",
                   help="佐证材料（可多次）")
    p.set_defaults(handler=with_login(cmd_recheck_record))
    p = rsub.add_parser("schedule", help="为已销号任务安排回头看（或为某任务加一次）")
    p.add_argument("task_id", nargs="?", help="任务编号（与 --due 一起：加一次回头看）")
    p.add_argument("--due", help="回头看日期 YYYY-MM-DD")
    p.set_defaults(handler=with_login(cmd_recheck_schedule))

    p = sub.add_parser("reminders", help="提醒：临期、逾期节点，待反馈通知，到期回头看")
    p.add_argument("--owner", help="只看某责任人的")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_workspace(cmd_reminders))

    p = sub.add_parser("backup", help="备份数据库、佐证材料和密钥到一个文件")
    p.add_argument("out", nargs="?", help="备份文件或文件夹（默认：数据文件夹下的 backups）")
    p.add_argument("--verify", metavar="FILE", help="只检查一个备份文件是否完好")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="从备份文件恢复（先检查备份，原有内容另存为备份）")
    p.add_argument("file", help="备份文件")
    p.add_argument("--accept-new-keys", action="store_true",
                   help="备份中信任的市平台公钥或本单位密钥与现在不同时，仍然恢复（请先核实备份的来历）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("quality", help="佐证材料质量提示")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_workspace(cmd_quality))


# -- users -----------------------------------------------------------------------------------

def cmd_user_add(ws: Workspace, args: argparse.Namespace) -> int:
    from core import enums
    from core.team.users import active_user_names, add_first_user, add_user

    with ws.session() as s:
        ws.require_unit(s)
        first = not active_user_names(s)
    if first and enums.parse("role", args.role) != "admin":
        raise UsageError("本单位还没有用户，第一个用户必须是管理员。", hint=f"请用 user add {args.name} --role admin。")
    password = _new_password()
    with ws.session() as s:
        if first:
            p = add_first_user(s, args.name, password)
        else:
            p = add_user(s, ws.user, args.name, args.role, password, section=args.section)
        say(f"已添加用户：{p.name}")
    return 0


def cmd_user_list(ws: Workspace, args: argparse.Namespace) -> int:
    from core.team.users import list_users, login_required

    with ws.read() as s:
        rows = list_users(s)
        need_login = login_required(s)
    if args.json:
        print_json({"login_required": need_login, "users": [r.as_json() for r in rows]})
        return 0
    for r in rows:
        state = "在岗" if r.active else f"已停用（{r.left_on or ''}）"
        pw = "" if r.has_password else "  未设密码"
        say(f"{r.name}\t{r.role_label}\t{r.section or '-'}\t{state}{pw}")
    say(f"共 {len(rows)} 个用户；" + ("启动时需要登录。" if need_login else "只有一名用户，无需登录。"))
    return 0


def cmd_user_disable(ws: Workspace, args: argparse.Namespace, actor: str) -> int:
    from core.team.users import disable_user

    with ws.session() as s:
        p = disable_user(s, actor, args.name, ws.today)
        say(f"已停用用户：{p.name}（如其名下还有任务，请用 handover 办理交接）")
    return 0


def cmd_user_passwd(ws: Workspace, args: argparse.Namespace, actor: str) -> int:
    from core.team.users import set_password

    password = _new_password()
    with ws.session() as s:
        p = set_password(s, actor, args.name, password)
        say(f"已设置 {p.name} 的密码。")
    return 0


def cmd_user_role(ws: Workspace, args: argparse.Namespace, actor: str) -> int:
    from core import enums
    from core.team.users import set_role

    with ws.session() as s:
        p = set_role(s, actor, args.name, args.role)
        say(f"{p.name} 的角色已改为{enums.label('role', p.role)}。")
    return 0


# -- handover and re-checks ------------------------------------------------------------------

def cmd_handover(ws: Workspace, args: argparse.Namespace, actor: str) -> int:
    from core.team.handover import hand_over

    with ws.session() as s:
        ws.require_unit(s)
        result = hand_over(s, actor, args.from_person, args.to_person, today=ws.today, note=args.note,
                           mark_left=args.left, new_person=args.new_person)
    pdf = None
    if args.pdf and result.items:
        from core.team.handover import handover_list_pdf

        with ws.read() as s:
            pdf = handover_list_pdf(s, Path(args.pdf), from_person=result.from_person, on=result.date,
                                    to_person=result.to_person, author=actor)
    if args.json:
        print_json({**result.as_json(), "pdf": str(pdf) if pdf else None})
        return 0
    say(f"交接完成：{result.from_person} → {result.to_person}，"
        f"共 {len(result.items)} 条未销号任务（{result.date}）")
    for i in result.items:
        say(f"  {i.city_ref or i.task_id[:8]}  {i.title}  期限 {i.deadline}")
    if result.marked_left:
        say(f"{result.from_person} 已登记为离岗。")
    say("交接记录将在下次报送时一并报市督查平台。")
    if pdf:
        say(f"交接清单：{pdf}")
    return 0


def cmd_handovers(ws: Workspace, args: argparse.Namespace) -> int:
    from core.team.handover import handover_list_pdf, list_handovers

    on = parse_date(args.date, "交接日期").isoformat() if args.date else None
    with ws.read() as s:
        if args.pdf:
            if not (args.person and on):
                raise UsageError("补打交接清单时请用 --person 指定交出人、--date 指定交接日期。")
            pdf = handover_list_pdf(s, Path(args.pdf), from_person=args.person, on=on, author=automatic_actor(ws))
            say(f"交接清单：{pdf}")
            return 0
        rows = list_handovers(s, person=args.person, on=on)
    if args.json:
        print_json({"handovers": [r.__dict__ for r in rows]})
        return 0
    for r in rows:
        ref = r.city_ref or r.task_id[:8]
        say(f"{r.date}  {r.from_person} → {r.to_person}  {ref}  {r.title}  {r.note}".rstrip())
    say(f"共 {len(rows)} 条交接记录。")
    return 0


def cmd_recheck_list(ws: Workspace, args: argparse.Namespace) -> int:
    from core.team.rechecks import list_rechecks, schedule

    state = "all" if args.all else "pending" if args.pending else "due"
    with ws.session() as s:
        schedule(s, automatic_actor(ws))  # tasks the city closed since the last look get their dates first
        rows = list_rechecks(s, ws.today, state=state)
    if args.json:
        print_json({"today": ws.today.isoformat(), "state": state, "rechecks": [r.as_json() for r in rows]})
        return 0
    for r in rows:
        late = f"（已超过 {r.overdue_days} 天）" if r.overdue_days and not r.result else ""
        say(f"{r.due}{late}  {r.city_ref or r.task_id[:8]}  {r.title}  {r.result_label}  {r.note}".rstrip())
    say(f"共 {len(rows)} 项回头看。")
    return 0


def cmd_recheck_record(ws: Workspace, args: argparse.Namespace, actor: str) -> int:
    from core.team.rechecks import record

    with ws.session() as s:
        row = record(s, ws.evidence, actor, args.ref, args.result, today=ws.today, note=args.note,
                     evidence=[Path(f) for f in args.evidence_files])
        reopened = row.result == "failed"
    say("回头看未通过，任务已重新打开。" if reopened else "回头看已登记：通过。")
    return 0


def cmd_recheck_schedule(ws: Workspace, args: argparse.Namespace, actor: str) -> int:
    from core.team.rechecks import add_recheck, schedule

    if bool(args.task_id) != bool(args.due):
        raise UsageError("为某个任务加一次回头看时，请同时给出任务编号和 --due 日期。")
    with ws.session() as s:
        if args.task_id:
            row = add_recheck(s, actor, args.task_id, parse_date(args.due, "回头看日期"))
            say(f"已安排回头看：{row.due}")
        else:
            created = schedule(s, actor)
            say(f"已为 {len({r.task_id for r in created})} 条已销号任务安排 {len(created)} 次回头看。")
    return 0


# -- reminders, quality ----------------------------------------------------------------------

def cmd_reminders(ws: Workspace, args: argparse.Namespace) -> int:
    from core.team.rechecks import schedule
    from core.team.reminders import KINDS, collect

    with ws.session() as s:
        schedule(s, automatic_actor(ws))
        found = collect(s, ws.today, owner=args.owner)
    if args.json:
        print_json(found.as_json())
        return 0
    for kind, title in KINDS.items():
        items = found.of_kind(kind)
        if items:
            say(f"{title}（{len(items)}）")
            for r in items:
                say(f"  {r.task_ref or (r.task_id or '')[:8]}  {r.task_title}：{r.text}  {r.owner}".rstrip())
    say(found.summary() or "今天没有需要提醒的事项。")
    return 0


def cmd_quality(ws: Workspace, args: argparse.Namespace) -> int:
    from core.team.quality import KINDS, counts, flags

    with ws.read() as s:
        found = flags(s)
    if args.json:
        print_json({"counts": counts(found), "flags": [f.as_json() for f in found]})
        return 0
    for f in found:
        say(f"[{KINDS[f.kind]}] {f.task_ref or f.task_id[:8]}  {f.task_title}：{f.detail}")
    say(f"共 {len(found)} 条提示。" if found else "没有发现佐证材料质量问题。")
    return 0


# -- backup and restore ----------------------------------------------------------------------

def cmd_backup(args: argparse.Namespace) -> int:
    from core.cli.common import open_workspace
    from core.team.backup import create_backup, verify_backup

    if args.verify:
        info = verify_backup(Path(args.verify))
        if args.json:
            print_json(info.as_json())
        else:
            say(f"备份完好：{info.unit_name}（{info.unit_code}），{info.created}，共 {info.files} 个文件。")
        return 0
    ws = open_workspace(args)
    try:
        login(ws)
        with ws.read() as s:
            ws.require_unit(s)
        info = create_backup(ws, Path(args.out) if args.out else None)
    finally:
        ws.close()
    if args.json:
        print_json(info.as_json())
        return 0
    say(f"已备份到 {info.path}（{info.files} 个文件，{human_size(info.size)}）")
    for w in info.warnings:
        say(f"注意：{w}")
    return 0


def _login_to_existing(args: argparse.Namespace) -> str:
    """Check the login against the ledger about to be replaced, without opening (or migrating) it.

    A ledger that cannot be read at all is exactly when a restore is needed: then no login is asked.
    """
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from core.paths import DataPaths
    from core.team.users import NoUsers, acting_user, authenticate, needs_password
    from db.engine import make_engine

    db = DataPaths.resolve(args.data_dir).database
    if not db.exists():
        return ""
    engine = make_engine(db)
    try:
        with Session(engine) as s:
            try:
                actor = acting_user(s, args.user)
                needed = needs_password(s, actor)
            except SQLAlchemyError:
                return ""
            except NoUsers:
                return ""
            if needed:
                password = _read_password(f"{actor} 的密码：")
                if not password:
                    raise PermissionDenied("本单位有多名用户，恢复备份前需要管理员登录。",
                                           hint="请用 --user 姓名 指定管理员，并输入密码"
                                                f"或设置环境变量 {ENV_PASSWORD}。")
                authenticate(s, actor, password)
    finally:
        engine.dispose()
    return actor


def cmd_restore(args: argparse.Namespace) -> int:
    from core.team.backup import restore

    actor = _login_to_existing(args)
    result = restore(args.data_dir, Path(args.file), actor=actor, accept_new_keys=args.accept_new_keys)
    if args.json:
        print_json(result.as_json())
        return 0
    b = result.backup
    say(f"已从备份恢复：{b.unit_name}（{b.unit_code}），备份时间 {b.created}，数据文件夹 {result.data_dir}")
    if result.previous:
        say(f"原有内容已另存为备份：{result.previous}")
    for w in b.warnings:
        say(f"注意：{w}")
    return 0
