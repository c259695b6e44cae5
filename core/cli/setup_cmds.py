"""Commands that set up or check a data folder: init, demo, verify."""

from __future__ import annotations

import argparse
from typing import Any

from core.cli.common import say, with_workspace
from core.workspace import Workspace


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="建立本单位的台账")
    p.add_argument("--unit-code", required=True, help="市督查室分配的单位代码")
    p.add_argument("--unit-name", required=True, help="单位全称")
    p.add_argument("--level", default="township", help="township（乡镇/街道）| department（部门）| other")
    p.add_argument("--admin", default="", help="第一个用户（管理员）的姓名（必填）")
    from core.cli.section_cmds import add_init_arguments

    add_init_arguments(p)
    p.set_defaults(handler=with_workspace(cmd_init))

    p = sub.add_parser("unit", help="本单位：show 查看 / set 修改代码或名称（管理员）")
    usub = p.add_subparsers(dest="unit_command", metavar="ACTION", required=True)
    q = usub.add_parser("show", help="查看本单位的代码和名称")
    q.set_defaults(handler=with_workspace(cmd_unit_show))
    q = usub.add_parser("set", help="修改本单位的代码或名称（管理员；记入操作日志）")
    q.add_argument("--code", help="新的单位代码，例如 442000-017")
    q.add_argument("--name", help="新的单位全称")
    q.set_defaults(handler=with_workspace(cmd_unit_set))

    p = sub.add_parser("demo", help="建立一份演示台账（约 60 条任务）")
    p.set_defaults(handler=with_workspace(cmd_demo))

    p = sub.add_parser("verify", help="检查数据库、操作日志链和佐证材料文件是否完好")
    p.set_defaults(handler=with_workspace(cmd_verify))


def cmd_init(ws: Workspace, args: argparse.Namespace) -> int:
    from core.errors import UsageError
    from core.unit import init_unit

    if not (args.admin or "").strip():
        raise UsageError("请用 --admin 姓名 给出第一个用户（管理员）。",
                         hint="整改通总是以本单位的某位用户的名义记录操作；以后可用 user add 添加其他用户。")
    if args.section or args.section_name:
        from core.cli.section_cmds import init_section_desk

        if not (args.section and args.section_name):
            raise UsageError("建立科室端需要同时给出 --section 科室代码 和 --section-name 科室名称。")
        return init_section_desk(ws, args)
    with ws.session() as s:
        unit = init_unit(s, args.unit_code, args.unit_name, args.level, args.admin)
        say(f"已建立台账：{unit.name}（{unit.code}），数据文件夹 {ws.paths.root}")
    from core.cli.common import login

    ws.set_user(None)
    login(ws)  # the first user acts from here on (the key is created in their name)
    from core.cli.exchange_cmds import create_key_at_init

    create_key_at_init(ws)
    return 0


def cmd_unit_show(ws: Workspace, args: argparse.Namespace) -> int:  # noqa: ARG001
    from core import enums

    with ws.read() as s:
        unit = ws.require_unit(s)
        say(f"{unit.name}（代码 {unit.code}，{enums.label('level', unit.level)}）")
    return 0


def cmd_unit_set(ws: Workspace, args: argparse.Namespace) -> int:
    from core.errors import UsageError
    from core.unit import set_unit

    if args.code is None and args.name is None:
        raise UsageError("请用 --code 或 --name 给出要修改的内容。")
    with ws.session() as s:
        ws.require_unit(s)
        unit = set_unit(s, ws.user, code=args.code, name=args.name)
        say(f"本单位：{unit.name}（代码 {unit.code}）")
    return 0


def cmd_demo(ws: Workspace, args: argparse.Namespace) -> int:  # noqa: ARG001
    from core.demo import build_demo

    summary = build_demo(ws)
    say(f"演示台账已建立：{summary['tasks']} 条整改任务，数据文件夹 {ws.paths.root}")
    return 0


def cmd_verify(ws: Workspace, args: argparse.Namespace) -> int:  # noqa: ARG001
    from core.verify import verify_workspace

    report = verify_workspace(ws)
    for line in report.lines():
        say(line)
    return 0 if report.ok else 1
