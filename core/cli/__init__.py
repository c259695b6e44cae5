"""The command line: the same operations as the window, headless, for automation and tests.

Exit codes: 0 done; 2 wrong usage; 3 input refused (nothing changed); 1 anything else.
Each area registers its subcommands from its own module.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from core import APP_VERSION
from core.errors import UsageError, UserError
from core.text import escape_controls, shown

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """Options are never taken by abbreviation: `handover --to B` must not be read as the global `--today`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(escape_controls(f"用法错误：{message}", keep="\n\t") + "\n")
        sys.exit(2)


def _date_arg(value: str) -> date:
    from core.dates import parse_date

    try:
        return parse_date(value, "--today")
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The full command line; without commands only the global options (the window starts faster)."""
    p = _Parser(prog="main.py", description="RectiDesk 整改通 — 整改台账、报送与反馈")
    p.add_argument("--version", action="version", version=f"RectiDesk {APP_VERSION}")
    p.add_argument("--data-dir", help="数据文件夹（默认：用户数据目录，或环境变量 RECTIDESK_DATA_DIR）")
    p.add_argument("--today", type=_date_arg, help="按这一天计算预警灯（YYYY-MM-DD），用于测试和培训")
    p.add_argument("--user", help="以此用户身份操作")
    p.add_argument("--demo", action="store_true", help="打开窗口时先建立一份演示台账")
    p.add_argument("--smoke", nargs="?", const="first", choices=("first", "ready"),
                   help="打开窗口、绘制台账后立即退出（用于自检）；--smoke ready 等台账全部载入后再退出")
    p.add_argument("--lang", choices=("zh_CN", "en"), help="界面语言")
    if not with_commands:
        p.set_defaults(command=None)
        return p
    from core.cli import (
        exchange_cmds,
        ledger_cmds,
        measures_cmds,
        report_cmds,
        section_cmds,
        setup_cmds,
        team_cmds,
    )

    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (setup_cmds, ledger_cmds, exchange_cmds, report_cmds, team_cmds, measures_cmds, section_cmds):
        module.register(sub)
    return p


def run(args: argparse.Namespace) -> int:
    """Run the chosen subcommand; user errors become a plain message and an exit code."""
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        raise UsageError("请指定要执行的命令。")
    try:
        _refuse_undecodable(args)
        return handler(args)
    except UserError as exc:
        from core.cli.common import cli_hint

        exc = cli_hint(exc)
        sys.stderr.write(escape_controls(str(exc), keep="\n\t") + "\n")
        log.info("refused: %s", exc)
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("已取消。\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - every other error is a bug: log it, say so plainly
        mapped = _machine_error(args, exc)
        if mapped is not None:
            sys.stderr.write(f"{mapped}\n")
            log.warning("%s in %s: %s", exc.__class__.__name__, getattr(args, "command", "?"), mapped)
            return mapped.exit_code
        log.exception("unexpected error in %s", getattr(args, "command", "?"))
        sys.stderr.write(f"程序出错：{exc.__class__.__name__}: {shown(exc)}\n详细信息已写入日志文件。\n")
        return 1


def _machine_error(args: argparse.Namespace, exc: Exception) -> UserError | None:
    """Disk full, a held file, a read-only folder, a failing disk: a message (core.faults), not "程序出错"."""
    from core.faults import explain
    from core.paths import DataPaths

    try:
        where = DataPaths.resolve(getattr(args, "data_dir", None)).database
    except (OSError, RuntimeError):
        where = None
    return explain(exc, where=where)


# Arguments that name files: any bytes the system allows in a file name are fine there.
PATH_ARGUMENTS = frozenset({"data_dir", "out", "out_dir", "file", "files", "pdf", "evidence_files", "verify"})


def _refuse_undecodable(args: argparse.Namespace) -> None:
    """Bytes the system could not decode arrive as lone surrogates: say which option, before storing them."""
    for name, value in vars(args).items():
        if name in PATH_ARGUMENTS:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and any("\ud800" <= ch <= "\udfff" for ch in text):
                raise UsageError(f"参数 {name} 含有无法识别的字符（不是有效的 UTF-8 文字）。",
                                 hint="请检查终端的字符编码（应为 UTF-8），或改用窗口录入。")


def prepare_streams() -> None:
    """Messages for a person follow the console's encoding: a character it lacks prints as '?', never a crash.

    The windowed program (RectiDesk.exe) has no console: sys.stdout and sys.stderr are None there, and a
    write would fail, so they go nowhere (the log keeps what matters). JSON is written as UTF-8 bytes
    (`core.cli.common.print_json`).
    """
    import os

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process
            continue
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass


def main(argv: Sequence[str] | None = None) -> int:
    """The command line without the window (used by tests and the console twin)."""
    prepare_streams()
    args = build_parser().parse_args(argv)
    return run(args)
