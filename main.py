"""RectiDesk 整改通: opens the window, or with a subcommand runs the same operation on the command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from core.cli import build_parser, prepare_streams, run

    prepare_streams()
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from ui.app import run_app

        return run_app(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
