"""Shared pieces of the command line: opening the workspace, printing JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from core.workspace import Workspace


def open_workspace(args: argparse.Namespace) -> Workspace:
    return Workspace.open(args.data_dir, user=args.user, today=args.today)


def with_workspace(fn: Callable[[Workspace, argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Handler wrapper: open (and lock) the data folder, run, always close."""

    def handler(args: argparse.Namespace) -> int:
        ws = open_workspace(args)
        try:
            return fn(ws, args)
        finally:
            ws.close()

    return handler


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
