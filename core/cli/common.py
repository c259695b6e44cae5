"""Shared pieces of the command line: opening the workspace, printing JSON."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from core.errors import PermissionDenied
from core.text import escape_controls
from core.workspace import Workspace

ENV_PASSWORD = "RECTIDESK_PASSWORD"


def open_workspace(args: argparse.Namespace) -> Workspace:
    return Workspace.open(args.data_dir, user=args.user, today=args.today)


def _read_password(prompt: str) -> str:
    value = os.environ.get(ENV_PASSWORD)
    if value is not None:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    return ""


def login(ws: Workspace) -> str:
    """Where the unit has several users with passwords, every command needs the password of --user."""
    from core.team.users import authenticate, login_required

    with ws.read() as s:
        if login_required(s):
            password = _read_password(f"{ws.user} 的密码：")
            if not password:
                raise PermissionDenied("本单位有多名用户，需要先登录。",
                                       hint="请用 --user 姓名 指定用户，并在终端输入密码"
                                            f"或设置环境变量 {ENV_PASSWORD}。")
            authenticate(s, ws.user, password)
    return ws.user


def with_workspace(fn: Callable[[Workspace, argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Handler wrapper: open (and lock) the data folder, log in where needed, run, always close."""

    def handler(args: argparse.Namespace) -> int:
        ws = open_workspace(args)
        try:
            login(ws)
            return fn(ws, args)
        finally:
            ws.close()

    return handler


def print_json(data: Any) -> None:
    """JSON for other programs: json.dumps escapes C0 controls; C1, DEL, bidirectional overrides and lone
    surrogates are escaped here too (as \\uXXXX, still valid JSON), so no terminal ever acts on them."""
    sys.stdout.write(escape_controls(json.dumps(data, ensure_ascii=False, indent=2, default=str), keep="\n") + "\n")


def say(text: str) -> None:
    """A line for the console: control characters from outside text (ESC sequences …) are made visible."""
    sys.stdout.write(escape_controls(text, keep="\n\t") + "\n")


def complain(text: str) -> None:
    """A message on stderr, escaped as `say` does."""
    sys.stderr.write(escape_controls(text, keep="\n\t") + "\n")
