"""A PC clock set years wrong (a flat CMOS battery on an old township PC): valid packages are still accepted,
Sequences go on from where they were, and `import` and `dashboard` tell the clerk the clock looks wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

PASS = "correct horse"
FB1 = FIXTURES / "packages" / "442000-017_city-feedback_000001.zgb"
FB2 = FIXTURES / "packages" / "442000-017_city-feedback_000002.zgb"
WRONG = "2019-01-01"


@pytest.fixture
def unit(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    code, _, err = cli("init", "--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府", "--admin", "张三")
    assert code == 0, err
    code, _, err = cli("keys", "trust-city", str(FIXTURES / "keys" / "test-city.pub.json"))
    assert code == 0, err


@pytest.fixture
def clock_2019(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PC's clock itself says 2019: every timestamp the program makes is from 2019 too."""
    from core.exchange import exporter, importer

    fake = lambda: "2019-01-01T08:30:00+08:00"  # noqa: E731
    monkeypatch.setattr(importer, "now_ts", fake)
    monkeypatch.setattr(exporter, "now_ts", fake)


@pytest.mark.usefixtures("unit", "clock_2019")
def test_feedback_is_accepted_with_a_clock_years_behind_and_the_clerk_is_warned(cli) -> None:  # noqa: ANN001
    code, out, err = cli("--today", WRONG, "import", str(FB1))
    assert code == 0, err
    assert "已导入第 1 号反馈包" in out
    assert "电脑的日期（2019-01-01）早于最近一个报送/反馈包的日期" in out
    code, out, err = cli("--today", WRONG, "import", str(FB2))
    assert code == 0 and "已导入第 2 号反馈包" in out, err
    code, out, _ = cli("packages", "--json")
    rows = json.loads(out)
    assert [(r["sequence"], r["status"]) for r in rows if r["direction"] == "in"] == [(1, "accepted"), (2, "accepted")]


@pytest.mark.usefixtures("unit", "clock_2019")
def test_dashboard_warns_about_the_clock_and_lights_use_the_date_shown(cli) -> None:  # noqa: ANN001
    assert cli("import", str(FB1))[0] == 0
    code, out, _ = cli("--today", WRONG, "dashboard")
    assert code == 0 and "工作台（2019-01-01）" in out and "电脑时钟可能不准" in out
    code, out, _ = cli("--today", WRONG, "dashboard", "--json")
    assert "电脑时钟可能不准" in json.loads(out)["clock_warning"]
    code, out, _ = cli("--today", "2026-05-01", "dashboard", "--json")
    assert json.loads(out)["clock_warning"] is None  # a right clock: no warning


@pytest.mark.usefixtures("unit")
def test_export_sequence_goes_on_when_the_clock_jumps_back(cli, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    first, second = tmp_path / "一", tmp_path / "二"
    first.mkdir()
    second.mkdir()
    code, out, err = cli("--today", "2026-04-15", "export", str(first))
    assert code == 0 and "_unit-report_000001.zgb" in out, err
    from core.exchange import exporter

    monkeypatch.setattr(exporter, "now_ts", lambda: "2019-01-01T08:30:00+08:00")
    code, out, err = cli("--today", WRONG, "export", str(second))
    assert code == 0 and "_unit-report_000002.zgb" in out, err
    rows = json.loads(cli("packages", "--json")[1])
    out_rows = [r for r in rows if r["direction"] == "out"]
    assert [r["sequence"] for r in out_rows] == [1, 2]
    assert len({r["package_id"] for r in out_rows}) == 2
    code, out, _ = cli("--today", WRONG, "dashboard")
    assert "电脑时钟可能不准" in out  # the first report was made on 2026-04-15
