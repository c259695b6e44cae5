"""Refused packages: a line in the log (a file name cannot forge one) and a history apart from the ledger."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from exchkit import BAD, FB1, dump
from sqlalchemy import select

from core.exchange import refusals
from core.exchange.importer import FeedbackImporter
from db.models import PackageLog


def _flush_log() -> None:
    for h in logging.getLogger().handlers:
        h.flush()


def test_a_refusal_is_logged_escaped_and_kept_apart_from_the_data(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    forged = tmp_path / "feedback\n2026-04-15 09:00:00 INFO core.exchange: all is well \x1b[2J.zgb"
    shutil.copy(BAD / "zip-slip.zgb", forged)
    before = dump(unit_ws)
    outcomes = FeedbackImporter(unit_ws).import_files([forged, FB1])
    assert outcomes[0].error is not None and outcomes[1].ok
    _flush_log()
    log_text = (unit_ws.paths.logs / "rectidesk.log").read_text(encoding="utf-8")
    refused = [ln for ln in log_text.splitlines() if "refused" in ln]
    assert len(refused) == 1 and "feedback\\u000a2026-04-15" in refused[0] and "\\u001b[2J" in refused[0]
    assert not any(ln.startswith("2026-04-15 09:00:00 INFO") for ln in log_text.splitlines())  # nothing forged
    history = refusals.recent(unit_ws.paths)
    assert len(history) == 1
    assert history[0].reason_code and "\x1b" not in history[0].file  # the spec's reason; no escape sequence
    assert "不安全" in history[0].message
    with unit_ws.read() as s:  # spec §8: the package log holds accepted packages only
        assert [p.sequence for p in s.scalars(select(PackageLog))] == [1]
    assert before["files"] == {k: v for k, v in dump(unit_ws)["files"].items() if k in before["files"]}


def test_a_preview_refusal_is_recorded_too_and_the_history_stays_short(unit_ws, monkeypatch) -> None:  # noqa: ANN001
    imp = FeedbackImporter(unit_ws)
    try:
        imp.preview(BAD / "not-a-zip.zgb")
    except Exception:  # noqa: BLE001, S110 - refused, as expected
        pass
    assert [r.file for r in refusals.recent(unit_ws.paths)] == ["not-a-zip.zgb"]
    monkeypatch.setattr(refusals, "KEEP", 3)
    for _ in range(8):
        try:
            imp.preview(BAD / "other-unit.zgb")
        except Exception:  # noqa: BLE001, S110
            pass
    lines = unit_ws.paths.refusals_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 6 and refusals.recent(unit_ws.paths)[0].file == "other-unit.zgb"


def test_a_damaged_history_is_read_around(unit_ws) -> None:  # noqa: ANN001
    unit_ws.paths.logs.mkdir(parents=True, exist_ok=True)
    unit_ws.paths.refusals_file.write_text('not json\n{"file": "a.zgb", "message": "坏了"}\n[1]\n', encoding="utf-8")
    assert [(r.file, r.message) for r in refusals.recent(unit_ws.paths)] == [("a.zgb", "坏了")]


def test_the_command_line_lists_refusals(cli, monkeypatch) -> None:  # noqa: ANN001
    from exchkit import CITY_PUB, PASS

    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府", "--admin", "张伟")[0] == 0
    assert cli("keys", "trust-city", str(CITY_PUB))[0] == 0
    assert cli("import", str(BAD / "zip-slip.zgb"))[0] == 3
    code, out, _ = cli("packages")
    assert code == 0 and "已拒收 zip-slip.zgb" in out


def test_the_command_line_prints_a_hostile_name_escaped(cli, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    from exchkit import CITY_PUB, PASS

    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府", "--admin", "张伟")[0] == 0
    assert cli("keys", "trust-city", str(CITY_PUB))[0] == 0
    hostile = tmp_path / "a\x1b[31mred\nforged.zgb"
    shutil.copy(BAD / "not-a-zip.zgb", hostile)
    code, _, err = cli("import", str(hostile))
    assert code == 3 and "\x1b" not in err and "\\u001b[31mred\\u000aforged.zgb" in err
