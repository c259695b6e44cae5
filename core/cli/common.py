"""Shared pieces of the command line: opening the workspace, printing JSON."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from core.errors import PermissionDenied, UserError
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


USER_HINT = "请用 --user 姓名 指定由谁操作（可用 user list 查看本单位的用户）。"


def login(ws: Workspace) -> str | None:
    """Who acts, by the one rule of core.team.users.acting_user; the password where that user needs one.

    Before `init` nobody acts yet (None). With several users and no --user, a command that acts is
    refused (exit 2) and says which users exist; reading commands go on.
    """
    from core.team.users import (
        UserNotChosen,
        acting_user,
        active_user_names,
        authenticate,
        login_required,
        needs_password,
    )

    with ws.read() as s:
        if ws.unit(s) is None:
            return None
        if not active_user_names(s):
            ws.set_user(None)  # nobody to act as: an acting command says how to add the first user
            return None
        try:
            name = acting_user(s, ws._user)
        except UserNotChosen as exc:
            if login_required(s):  # every command logs in: say who may, and how
                exc.hint = f"请用 --user 姓名 登录，并在终端输入密码或设置环境变量 {ENV_PASSWORD}。"
                raise
            return None  # nobody acts unless a command needs someone: then ws.user says so
        if needs_password(s, name):
            password = _read_password(f"{name} 的密码：")
            if not password:
                raise PermissionDenied(f"请输入“{name}”的密码。",
                                       hint=f"请在终端输入密码，或设置环境变量 {ENV_PASSWORD}。")
            authenticate(s, name, password)
    ws.set_user(name)
    return name


def automatic_actor(ws: Workspace) -> str:
    """For bookkeeping a reading command does by itself (回头看 dates): the acting user when known."""
    from core.team.users import NoUsers, UserNotChosen

    try:
        return ws.user
    except (UserNotChosen, NoUsers):
        return "system"


def cli_hint(exc: UserError) -> UserError:
    """The command line's words for the refusals whose remedy depends on the front end."""
    from core.team.users import NoUsers, UserNotChosen

    if isinstance(exc, UserNotChosen) and not exc.hint:
        exc.hint = USER_HINT
    elif isinstance(exc, NoUsers) and not exc.hint:
        exc.hint = "请先运行 user add 姓名 --role admin 登记第一个用户（管理员）。"
    return exc


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
    """JSON is for other programs: always UTF-8 bytes, whatever the console's code page (GBK on Chinese Windows).
    json.dumps escapes C0 controls; C1, DEL, bidirectional overrides and lone surrogates are escaped here too
    (as \\uXXXX, still valid JSON), so no terminal ever acts on them."""
    text = escape_controls(json.dumps(data, ensure_ascii=False, indent=2, default=str), keep="\n") + "\n"
    write_utf8(text)


def write_utf8(text: str) -> None:
    """Text on stdout as UTF-8 bytes (written past the text layer, which follows the console's encoding)."""
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (a test's StringIO, an embedding host)
        out.write(text)
        return
    out.flush()  # what was written as text so far comes first
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def say(text: str) -> None:
    """A line for the console: control characters from outside text (ESC sequences …) are made visible."""
    sys.stdout.write(escape_controls(text, keep="\n\t") + "\n")


def complain(text: str) -> None:
    """A message on stderr, escaped as `say` does."""
    sys.stderr.write(escape_controls(text, keep="\n\t") + "\n")
