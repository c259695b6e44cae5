"""In a batch each package stands alone (issue 15, spec §8): one that fails, even by an unexpected error,
never stops the others, and the result says which was which."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchkit import CITY_PUB, assignment, dump, feedback

from core.exchange import importer as importer_mod
from core.exchange.importer import FeedbackImporter


@pytest.fixture
def _broken(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Make the importer crash (a bug, not a refusal) on packages whose file name contains 'crash'."""
    real = FeedbackImporter._run_once

    def run_once(self, path: Path, dry_run: bool):  # noqa: ANN001, ANN202
        if "crash" in path.name:
            raise RuntimeError("a bug in the importer")
        return real(self, path, dry_run)

    monkeypatch.setattr(FeedbackImporter, "_run_once", run_once)


@pytest.mark.usefixtures("_broken")
def test_one_crashing_package_does_not_stop_the_others(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    a = feedback(tmp_path, city_key, 1, [assignment("ZS-A")], name="a.zgb")
    b = feedback(tmp_path, city_key, 2, [assignment("ZS-B")], name="b-crash.zgb")
    bad = tmp_path / "c-broken.zgb"
    bad.write_bytes(b"not a zip")
    d = feedback(tmp_path, city_key, 3, [assignment("ZS-D")], name="d.zgb")
    outcomes = FeedbackImporter(unit_ws).import_files([a, b, bad, d])
    assert [o.ok for o in outcomes] == [True, False, False, True]
    assert "程序出错" in outcomes[1].error.message and "没有做任何改动" in outcomes[1].error.message
    assert "不是数据包" in outcomes[2].error.message
    previews = FeedbackImporter(unit_ws).preview_files([b, bad])
    assert [err is not None for _p, _pv, err in previews] == [True, True]


@pytest.mark.usefixtures("_broken")
def test_the_command_line_says_which_was_which(cli, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    assert cli("keys", "trust-city", str(CITY_PUB))[0] == 0
    a = feedback(tmp_path, city_key, 1, [assignment("ZS-A")], name="a.zgb")
    b = feedback(tmp_path, city_key, 2, [assignment("ZS-B")], name="b-crash.zgb")
    code, out, err = cli("import", str(a), str(b))
    assert code == 3
    assert "a.zgb：已导入第 1 号反馈包" in out
    assert "b-crash.zgb：被拒收，没有做任何改动" in err and "共 1 个数据包被拒收：b-crash.zgb" in err


def test_a_crash_changes_nothing_of_the_package_that_crashed(unit_ws, city_key, tmp_path: Path,  # noqa: ANN001
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug half-way through applying records: the package's transaction is rolled back whole."""
    before = dump(unit_ws)
    monkeypatch.setattr(importer_mod._Applier, "retry_kept", lambda _self: 1 / 0)
    p = feedback(tmp_path, city_key, 1, [assignment("ZS-A")], name="a.zgb")
    (outcome,) = FeedbackImporter(unit_ws).import_files([p])
    assert not outcome.ok and dump(unit_ws) == before
