"""RectiDesk 整改通: opens the window, or with a subcommand runs the same operation on the command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from core.cli import build_parser, prepare_streams, run

    prepare_streams()  # the windowed RectiDesk.exe has no console: sys.stderr is None until here
    argv = sys.argv[1:] if argv is None else argv
    if not {"-h", "--help", "--version"} & set(argv):
        from core import applog

        applog.start(argv)  # the log and the crash file first: an error from here on reaches a file
        # Only global options: the window starts without importing every subcommand's modules.
        args, rest = build_parser(with_commands=False).parse_known_args(argv)
        if not rest or opens_packages(rest):
            from ui.app import run_app

            args.open_files = rest  # RectiDesk.exe FILE.zgb: a double-click on a feedback package
            return run_app(args)
    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.app import run_app

        return run_app(args)
    return run(args)


def opens_packages(rest: list[str]) -> bool:
    """Only names of feedback packages after the options: the window opens them in the import preview."""
    return all(r.lower().endswith(".zgb") and not r.startswith("-") for r in rest)


if __name__ == "__main__":
    sys.exit(main())
