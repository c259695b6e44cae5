"""The unit: its code in the city's format, every problem of the form at once, corrected later by an admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.errors import InputRefused, PermissionDenied
from core.unit import UnitFormRefused, init_unit, set_unit, unit_problems
from db.models import AuditEntry, Unit


@pytest.mark.parametrize("code", ["442000-017", "４４２０００－０１７", " 442000-017 "])
def test_codes_in_the_city_format(code: str) -> None:
    assert unit_problems(code, "某镇") == {}


@pytest.mark.parametrize("code", ["44200-017", "442000017", "442000-17", "ABCDEF-017", "442000-0170", "x"])
def test_codes_not_in_the_city_format(code: str) -> None:
    assert "格式不对" in unit_problems(code, "某镇")["code"]


def test_every_problem_at_once(workspace) -> None:  # noqa: ANN001
    problems = unit_problems("12-3", "", "")
    assert set(problems) == {"code", "name", "admin"}
    from core.workspace import Workspace

    with Workspace.open(workspace.paths.root.parent / "other") as ws:
        with pytest.raises(UnitFormRefused) as exc, ws.session() as s:
            init_unit(s, "12-3", " ", "")
        assert set(exc.value.problems) == {"code", "name", "admin"}
        assert "442000-017" in exc.value.hint
        assert ws.unit() is None


def test_cli_init_refuses_a_bad_code(cli) -> None:  # noqa: ANN001
    code, _, err = cli("init", "--unit-code", "442000-17", "--unit-name", "某镇", "--admin", "张三")
    assert code == 3 and "格式不对" in err and "442000-017" in err


def test_an_admin_corrects_the_unit_and_the_audit_log_says_so(workspace) -> None:  # noqa: ANN001
    ws = workspace
    with ws.session() as s:
        set_unit(s, "张三", code="442000-018", name="中山市某某镇人民政府（新）")
    with ws.read() as s:
        unit = s.scalar(select(Unit))
        assert (unit.code, unit.name) == ("442000-018", "中山市某某镇人民政府（新）")
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "unit.edit"))
        assert entry is not None and entry.user == "张三" and "442000-017" in entry.summary
    with pytest.raises(UnitFormRefused), ws.session() as s:
        set_unit(s, "张三", code="bad")
    with pytest.raises(PermissionDenied), ws.session() as s:
        set_unit(s, "路人", name="x")


def test_the_code_stays_once_packages_were_exchanged(workspace) -> None:  # noqa: ANN001
    from db.models import PackageLog

    ws = workspace
    with ws.session() as s:
        s.add(PackageLog(package_id="p1", direction="out", package_type="unit-report", unit_code="442000-017",
                         sequence=1, group_id="g", digest="d", previous_digest="", key_id="k", created="c",
                         logged="l", status="sent"))
    with pytest.raises(InputRefused, match="不能再改代码"), ws.session() as s:
        set_unit(s, "张三", code="442000-018")
    with ws.session() as s:
        set_unit(s, "张三", name="新名称")  # the name may still be corrected


def test_cli_unit_show_and_set(cli) -> None:  # noqa: ANN001
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    code, out, err = cli("unit", "set", "--name", "某某镇人民政府")
    assert code == 0, err
    code, out, _ = cli("unit", "show")
    assert "某某镇人民政府" in out and "442000-017" in out
    code, _, err = cli("unit", "set", "--code", "1-2")
    assert code == 3 and "格式不对" in err
    assert cli("unit", "set")[0] == 2
