"""RectiDesk 整改通: opens the window, or with a subcommand runs the same operation on the command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from core.cli import build_parser, prepare_streams, run

    prepare_streams()
    argv = sys.argv[1:] if argv is None else argv
    if not {"-h", "--help", "--version"} & set(argv):
        # Only global options: the window starts without importing every subcommand's modules.
        args, rest = build_parser(with_commands=False).parse_known_args(argv)
        if not rest:
            from ui.app import run_app

            return run_app(args)
    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.app import run_app

        return run_app(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
