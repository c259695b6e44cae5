"""A file name is data (issue 15): control characters from outside never reach the log or a console raw.

A package named with a line break and a fake log line must not write that line into logs/rectidesk.log;
terminal escape sequences from a package must not reach stdout or stderr; JSON output stays JSON.
"""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest

from core.applog import FORMAT, SafeFormatter
from core.text import escape_controls, shown

FORGED = "2026-12-01 09:00:00,000 INFO core.exchange: feedback package accepted seq 99"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_escape_controls_makes_every_control_visible_and_keeps_the_rest() -> None:
    assert escape_controls("a\nb\x1b[31mc\x9bd\u202ee\ud800") == "a\\u000ab\\u001b[31mc\\u009bd\\u202ee\\ud800"
    assert escape_controls("整改\t通知\n", keep="\n\t") == "整改\t通知\n"
    assert shown("督办通知.zgb") == "督办通知.zgb"


def test_a_package_named_with_a_fake_log_line_cannot_forge_one(cli, tmp_path: Path) -> None:  # noqa: ANN001
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    evil = tmp_path / f"x\n{FORGED}\x1b[2J\x1b]0;owned\x07.zgb"
    evil.write_bytes(b"not a zip at all")
    code, out, err = cli("import", str(evil))
    assert code == 3
    assert not RAW.search(out) and not RAW.search(err.replace("\n", "").replace("\t", ""))
    assert "\\u001b[2J" in err  # the name is still shown, escaped
    log = (tmp_path / "data" / "logs" / "rectidesk.log").read_text(encoding="utf-8")
    assert not any(line.startswith(FORGED[:23]) for line in log.splitlines())
    assert "\x1b" not in log and "\\u000a" + FORGED in log


def test_a_traceback_keeps_its_lines_indented_so_none_looks_like_a_record() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SafeFormatter(FORMAT))
    logger = logging.getLogger("test.safeformatter")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError(f"bad name\n{FORGED}")
        except ValueError:
            logger.exception("import of %s failed", f"a\n{FORGED}.zgb")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("20") and "a\\u000a" + FORGED in lines[0]
    assert len(lines) > 2 and all(line.startswith("    ") for line in lines[1:])


def test_json_output_escapes_c1_and_bidi_controls_and_stays_json(capsys: pytest.CaptureFixture[str]) -> None:
    from core.cli.common import print_json, say

    data = {"title": "任务\x1b[31m\x9b\u202e\x7f\ud800", "n": 1}
    print_json(data)
    out = capsys.readouterr().out
    assert not RAW.search(out.replace("\n", ""))
    assert json.loads(out) == data
    say("名称\x1b]0;owned\x07\n第二行\t制表")
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "第二行\t制表" in out
