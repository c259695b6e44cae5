"""Exchange commands: keys, export of the unit report, import of city feedback, the package log."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.cli.common import complain, print_json, say, with_workspace
from core.errors import UsageError
from core.exchange import keys as keys_mod
from core.text import human_size, shown
from core.workspace import Workspace

_STATUS = {"accepted": "已导入", "waiting": "等待其余分卷", "sent": "已导出", "acknowledged": "市平台已确认收到",
           "rejected": "市平台退回"}


def register(sub: Any) -> None:
    p = sub.add_parser("keys", help="本单位签名密钥与市平台公钥")
    ks = p.add_subparsers(dest="keys_command", metavar="ACTION")
    ks.required = True
    k = ks.add_parser("show", help="显示密钥编号（电话核对用）")
    k.set_defaults(handler=with_workspace(cmd_keys_show))
    k = ks.add_parser("create", help="建立本单位的签名密钥")
    k.set_defaults(handler=with_workspace(cmd_keys_create))
    k = ks.add_parser("export-public", help="导出本单位公钥文件（.pub.json）")
    k.add_argument("out")
    k.set_defaults(handler=with_workspace(cmd_keys_export))
    k = ks.add_parser("trust-city", help="导入市督查平台的公钥文件")
    k.add_argument("file")
    k.set_defaults(handler=with_workspace(cmd_keys_trust))
    k = ks.add_parser("trust-unit", help="科室端：导入本单位的公钥文件")
    k.add_argument("file")
    from core.cli.section_cmds import cmd_keys_trust_unit

    k.set_defaults(handler=with_workspace(cmd_keys_trust_unit))
    k = ks.add_parser("backup", help="备份加密的签名密钥")
    k.add_argument("out")
    k.set_defaults(handler=with_workspace(cmd_keys_backup))
    k = ks.add_parser("restore", help="从备份恢复签名密钥")
    k.add_argument("file")
    k.set_defaults(handler=with_workspace(cmd_keys_restore))
    k = ks.add_parser("rotate", help="更换签名密钥（随下一次报送通知市平台）")
    k.set_defaults(handler=with_workspace(cmd_keys_rotate))

    p = sub.add_parser("export", help="导出报送包（交市督查平台）")
    p.add_argument("out_dir")
    p.add_argument("--full", action="store_true", help="导出全部记录，而不只是上次确认以来的变化")
    p.add_argument("--volume-mb", type=int, help="分卷大小（MB），默认按市平台设置或 20")
    p.set_defaults(handler=with_workspace(cmd_export))

    p = sub.add_parser("import", help="导入市督查平台的反馈包")
    p.add_argument("files", nargs="+")
    p.set_defaults(handler=with_workspace(cmd_import))

    p = sub.add_parser("respond", help="反馈督办通知的整改情况（随下一次报送上报）")
    p.add_argument("notice_id")
    p.add_argument("text")
    p.add_argument("--evidence", action="append", default=[], help="佐证材料编号（可多次）")
    p.set_defaults(handler=with_workspace(cmd_respond))

    p = sub.add_parser("appeal", help="对扣分、审核结果或督办通知提出申诉（随下一次报送上报）")
    p.add_argument("target_type", choices=("deduction", "review", "notice"))
    p.add_argument("target_id")
    p.add_argument("--reason", required=True)
    p.add_argument("--evidence", action="append", default=[], help="佐证材料编号（可多次）")
    p.set_defaults(handler=with_workspace(cmd_appeal))

    p = sub.add_parser("packages", help="报送与反馈包记录")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=with_workspace(cmd_packages))


def passphrase(prompt: str = "密钥密码：", *, confirm: bool = False) -> str:
    """RECTIDESK_PASSPHRASE, else a prompt when a person is at the keyboard."""
    env = keys_mod.passphrase_from_env()
    if env is not None:
        return env
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError("需要密钥密码。",
                         hint=f"请在终端中运行以便输入密码，或设置环境变量 {keys_mod.ENV_PASSPHRASE}。")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("再输入一次：") != first:
        raise UsageError("两次输入的密码不一致。")
    return first


def can_ask_passphrase() -> bool:
    return keys_mod.passphrase_from_env() is not None or bool(sys.stdin and sys.stdin.isatty())


def create_key_at_init(ws: Workspace) -> None:
    """Called by `init`: make the key when a passphrase is at hand, else say how to make it later."""
    if not can_ask_passphrase():
        say("尚未建立签名密钥：请稍后运行 keys create（会要求设置密钥密码），然后才能导出报送包。")
        return
    with ws.session() as s:
        key = keys_mod.create_unit_key(s, ws.user, passphrase("设置密钥密码：", confirm=True))
        say(f"已建立本单位签名密钥，编号 {keys_mod.format_key_id(key.key_id)}")


def cmd_keys_show(ws: Workspace, args: argparse.Namespace) -> int:  # noqa: ARG001
    with ws.read() as s:
        infos = keys_mod.describe(s)
    if not infos:
        say("还没有任何密钥。请运行 keys create 建立本单位密钥，keys trust-city 导入市平台公钥。")
        return 0
    for k in infos:
        who = "本单位" if k.owner == "unit" else f"市督查平台 {k.name}".strip()
        if k.pending:
            when = "（已更换，随下一次报送启用）"
        elif k.valid_to is not None:
            when = f"（用于第 {k.valid_from}–{k.valid_to - 1} 号，已停用）"
        else:
            when = f"（自第 {k.valid_from} 号起使用）"
        say(f"{who} 密钥编号：{k.spoken}{when}")
    return 0


def cmd_keys_create(ws: Workspace, args: argparse.Namespace) -> int:  # noqa: ARG001
    secret = passphrase("设置密钥密码：", confirm=True)
    with ws.session() as s:
        key = keys_mod.create_unit_key(s, ws.user, secret)
    say(f"已建立本单位签名密钥，编号 {keys_mod.format_key_id(key.key_id)}")
    say("请用 keys export-public 导出公钥交市督查室，并电话核对这个编号；用 keys backup 备份密钥。")
    return 0


def cmd_keys_export(ws: Workspace, args: argparse.Namespace) -> int:
    with ws.read() as s:
        key = keys_mod.export_public(s, Path(args.out))  # a section desk's file names its section
    say(f"已写出公钥文件：{Path(args.out).resolve()}")
    say(f"密钥编号：{keys_mod.format_key_id(key.key_id)}（请与市督查室电话核对）")
    return 0


def cmd_keys_trust(ws: Workspace, args: argparse.Namespace) -> int:
    with ws.session() as s:
        key = keys_mod.trust_city(s, ws.user, Path(args.file))
        say(f"已登记市督查平台公钥（{key.name}），密钥编号：{keys_mod.format_key_id(key.key_id)}")
    say("请与市督查室电话核对这个编号。")
    return 0


def cmd_keys_backup(ws: Workspace, args: argparse.Namespace) -> int:
    with ws.read() as s:
        n = keys_mod.backup_keys(s, Path(args.out))
    say(f"已备份 {n} 把加密的签名密钥到：{Path(args.out).resolve()}（恢复时需要密钥密码）")
    return 0


def cmd_keys_restore(ws: Workspace, args: argparse.Namespace) -> int:
    secret = passphrase()
    with ws.session() as s:
        keys = keys_mod.restore_keys(s, ws.user, Path(args.file), secret)
        current = keys_mod.current_unit_key(s)
        shown = keys_mod.format_key_id(current.key_id) if current else keys[-1].key_id
    say(f"已从备份恢复签名密钥，当前密钥编号 {shown}")
    return 0


def cmd_keys_rotate(ws: Workspace, args: argparse.Namespace) -> int:  # noqa: ARG001
    old = passphrase("当前密钥密码：")
    new = keys_mod.passphrase_from_env() or passphrase("新密钥密码：", confirm=True)
    from core.sections.common import is_section_desk

    with ws.session() as s:
        key_id = keys_mod.rotate_unit_key(s, ws.user, old, new).key_id
        at_desk = is_section_desk(s)
    say(f"已生成新签名密钥，编号 {keys_mod.format_key_id(key_id)}。")
    if at_desk:
        say("下一次报送单位的科室报送包会通知本单位，此后的报送包用新密钥签名。请用 keys backup 重新备份密钥。")
        return 0
    say("下一次导出的报送包会通知市平台（向科室发送的任务包也会通知各科室），此后的报送包用新密钥签名。"
        "请用 keys backup 重新备份密钥。")
    return 0


def cmd_export(ws: Workspace, args: argparse.Namespace) -> int:
    from core.exchange.exporter import ReportExporter

    if args.volume_mb is not None and args.volume_mb < 1:
        raise UsageError("--volume-mb 至少为 1。")
    from core.sections.common import is_section_desk

    with ws.read() as s:
        at_desk = is_section_desk(s)
    if at_desk:  # a section desk never reports to the city: its export is the section report
        from core.cli.section_cmds import export_at_desk

        return export_at_desk(ws, Path(args.out_dir), passphrase(), args.volume_mb)
    secret = passphrase()
    result = ReportExporter(ws).export(Path(args.out_dir), passphrase=secret, full=args.full,
                                       volume_mb=args.volume_mb)
    for p in result.paths:
        say(str(p.resolve()))
    if result.public_key_file is not None:
        say(str(result.public_key_file.resolve()))
        say("首次报送：已同时写出本单位公钥文件，请一并交市督查室，并电话核对密钥编号。")
    counts = "，".join(f"{k} {v}" for k, v in result.counts.items())
    say(f"已导出第 {result.sequence} 号报送包（{'全部' if result.full else '增量'}）：{counts}；"
        f"附件 {result.files} 个，{human_size(result.file_bytes)}；共 {len(result.paths)} 个文件，已复核无误。")
    for w in result.warnings:
        say(f"注意：{w}")
    return 0


def cmd_import(ws: Workspace, args: argparse.Namespace) -> int:
    from core.exchange.importer import FeedbackImporter
    from core.sections.common import is_section_desk

    with ws.read() as s:
        at_desk = is_section_desk(s)
    if at_desk:
        from core.cli.section_cmds import import_at_desk

        return import_at_desk(ws, args.files)
    from core.sections.report import package_type_of

    if any(package_type_of(Path(f)) == "section-report" for f in args.files):
        from core.cli.section_cmds import import_section_reports

        return import_section_reports(ws, args.files)

    outcomes = FeedbackImporter(ws).import_files([Path(f) for f in args.files])
    refused = []
    for o in outcomes:
        if o.result is not None:
            say(o.result.headline())
            for w in o.result.warnings:
                say(f"  注意：{w}")
        else:
            assert o.error is not None
            refused.append(shown(o.path.name))
            complain(f"{shown(o.path.name)}：被拒收，没有做任何改动。原因：{o.error}")
    say_clock_warning(ws)
    if refused:
        complain(f"共 {len(refused)} 个数据包被拒收：{'、'.join(refused)}")
        return 3
    return 0


def say_clock_warning(ws: Workspace) -> None:
    """An obviously wrong PC clock (earlier than the newest package) is pointed out where dates matter."""
    from core.clock import clock_warning

    with ws.read() as s:
        warning = clock_warning(s, ws.today)
    if warning:
        say(f"注意：{warning}")


def package_rows(ws: Workspace) -> list[dict[str, Any]]:
    from db.models import PackageLog

    with ws.read() as s:
        rows = s.scalars(select(PackageLog).order_by(PackageLog.direction, PackageLog.sequence, PackageLog.part_no))
        return [{"direction": r.direction, "sequence": r.sequence, "package_id": r.package_id, "digest": r.digest,
                 "part": f"{r.part_no}/{r.part_count}", "status": r.status, "ack_reason": r.ack_reason,
                 "file_name": r.file_name, "logged": r.logged, "warnings": list(r.warnings or [])} for r in rows]


def cmd_packages(ws: Workspace, args: argparse.Namespace) -> int:
    from core.exchange import refusals

    rows = package_rows(ws)
    if args.json:
        print_json(rows)
        return 0
    refused = refusals.recent(ws.paths)
    if not rows and not refused:
        say("还没有报送或导入过数据包。")
        return 0
    for r in rows:
        way = "导入" if r["direction"] == "in" else "导出"
        status = _STATUS.get(r["status"], r["status"])
        if r["ack_reason"]:
            status += f"（{r['ack_reason']}）"
        say(f"{way} 第 {r['sequence']} 号 分卷 {r['part']} {status} 编号 {r['package_id']} 校验值 {r['digest'][:16]}…")
        for w in r["warnings"]:
            say(f"    注意：{w}")
    for x in refused:  # spec §8: a refused package is no part of the data, so it is listed apart
        say(f"已拒收 {shown(x.file)} {x.at[:19].replace('T', ' ')}：{shown(x.message)}")
    return 0


def cmd_respond(ws: Workspace, args: argparse.Namespace) -> int:
    from core.exchange.notices import respond_to_notice
    from core.sections.common import is_section_desk
    from db.models import Notice

    with ws.session() as s:
        resp = respond_to_notice(s, ws.user, args.notice_id, args.text, args.evidence)
        at_desk = is_section_desk(s)
        notice = s.get(Notice, resp.notice_id)
        own = notice is not None and notice.origin == "unit"
    where = ("将随下一次报送交本单位" if at_desk else "这是本单位的内部督办，不上报市平台" if own
             else "将随下一次报送上报市平台")
    say(f"已记录对督办通知 {args.notice_id} 的反馈，{where}。")
    return 0


def cmd_appeal(ws: Workspace, args: argparse.Namespace) -> int:
    from core.exchange.notices import file_appeal

    with ws.session() as s:
        appeal = file_appeal(s, ws.user, args.target_type, args.target_id, args.reason, args.evidence)
        say(appeal.id)
    say("申诉已记录，将随下一次报送上报市平台。")
    return 0
