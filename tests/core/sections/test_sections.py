"""内部督办, the slice so far: the unit registers 财政所 and trusts its desk, hands it its tasks in a signed
科室任务包, and the section desk takes them in — or refuses, changing nothing (docs/section-exchange.md)."""

from __future__ import annotations

import json
import shutil
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.core.exchange.exchkit import PASS, dump

UNIT = ("--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府")


@pytest.fixture
def desks(cli, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """A unit with two tasks for 财政所 and one for 党政办, and a section desk for 财政所 trusted both ways."""
    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    unit, desk, stick = tmp_path / "unit", tmp_path / "desk", tmp_path / "stick"
    stick.mkdir()
    assert cli("init", *UNIT, "--admin", "张三", data=unit)[0] == 0
    ids = []
    for title, section in (("食堂账目不清", "财政所"), ("专项资金拨付滞后", "财政所"), ("会议记录不全", "党政办")):
        code, out, err = cli("task", "add", "--title", title, "--source", "巡察", "--category", "分阶段整改",
                             "--owner", "王五", "--deadline", "2026-06-30", "--section", section,
                             "--node", "制定方案@2026-05-10", "--node", "完成整改@2026-06-20", data=unit)
        assert code == 0, err
        ids.append(out.strip().splitlines()[-1])
    assert cli("section", "add", "CZS", "--name", "财政所", data=unit)[0] == 0
    assert cli("section", "add", "DZB", "--name", "党政办", data=unit)[0] == 0
    code, out, err = cli("init", *UNIT, "--section", "CZS", "--section-name", "财政所", "--admin", "李四",
                         data=desk)
    assert code == 0, err
    assert "科室端" in out
    assert cli("keys", "export-public", str(stick / "CZS.pub.json"), data=desk)[0] == 0
    code, out, err = cli("section", "trust", "CZS", str(stick / "CZS.pub.json"), data=unit)
    assert code == 0, err
    return {"unit": unit, "desk": desk, "stick": stick, "ids": ids, "cli": cli}


def _open(path: Path):  # noqa: ANN202
    from core.workspace import Workspace

    return Workspace.open(path, today=date(2026, 4, 15))


def _send(d, code: str = "CZS") -> Path:  # noqa: ANN001
    code_, out, err = d["cli"]("section", "send", code, str(d["stick"]), data=d["unit"])
    assert code_ == 0, err
    return Path(out.strip().splitlines()[0])


def _desk_tasks(d) -> list[str]:  # noqa: ANN001
    from sqlalchemy import select

    from db.models import Task

    ws = _open(d["desk"])
    try:
        with ws.read() as s:
            return sorted(s.scalars(select(Task.title).where(Task.deleted.is_(None))))
    finally:
        ws.close()


def _desk_dump(d):  # noqa: ANN001, ANN202
    ws = _open(d["desk"])
    try:
        return dump(ws)
    finally:
        ws.close()


def test_section_list_shows_code_open_tasks_and_key(desks) -> None:  # noqa: ANN001
    code, out, _ = desks["cli"]("section", "list", data=desks["unit"])
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("CZS"))
    assert "财政所" in line and "未销号任务 2 条" in line and "公钥" in line and "未导入" not in line
    assert "未导入公钥" in next(x for x in out.splitlines() if x.startswith("DZB"))


def test_trust_refuses_a_key_file_of_another_section_or_the_unit(desks, tmp_path) -> None:  # noqa: ANN001
    cli = desks["cli"]
    code, _, err = cli("section", "trust", "DZB", str(desks["stick"] / "CZS.pub.json"), data=desks["unit"])
    assert code == 3 and "不是科室“党政办”" in err
    assert cli("keys", "export-public", str(tmp_path / "unit.pub.json"), data=desks["unit"])[0] == 0
    code, _, err = cli("section", "trust", "CZS", str(tmp_path / "unit.pub.json"), data=desks["unit"])
    assert code == 3 and "不是科室" in err


def test_send_then_the_section_desk_sees_exactly_its_tasks(desks) -> None:  # noqa: ANN001
    cli = desks["cli"]
    pkg = _send(desks)
    assert pkg.name == "442000-017_CZS_section-tasks_000001.zgb"
    pub = desks["stick"] / "442000-017.pub.json"
    assert pub.exists()  # the first time, the unit's key file travels with the package
    code, out, err = cli("keys", "trust-unit", str(pub), data=desks["desk"])
    assert code == 0, err
    code, out, err = cli("import", str(pkg), data=desks["desk"])
    assert code == 0, err
    assert "新任务 2 条" in out
    assert _desk_tasks(desks) == ["专项资金拨付滞后", "食堂账目不清"]
    code, out, err = cli("node", "done", desks["ids"][0], "1", "--note", "方案已印发", data=desks["desk"])
    assert code == 0, err  # the unit's task ids, with its nodes, work as usual at the desk
    code, out, _ = cli("import", str(pkg), data=desks["desk"])
    assert code == 0 and "已经导入过" in out
    pub.unlink()
    _send(desks)
    assert not pub.exists()  # later packages do not repeat it


def test_section_desk_never_exports_to_the_city(desks, tmp_path) -> None:  # noqa: ANN001
    code, out, err = desks["cli"]("export", str(tmp_path), data=desks["desk"])
    assert code == 0, err
    assert "交本单位" in out
    assert [p.name for p in tmp_path.glob("*.zgb")] == ["442000-017_CZS_section-report_000001.zgb"]
    from core.errors import InputRefused
    from core.exchange.exporter import ReportExporter

    city = tmp_path / "city"
    city.mkdir()
    ws = _open(desks["desk"])
    try:
        with pytest.raises(InputRefused, match="不向市督查平台报送"):
            ReportExporter(ws).export(city, passphrase=PASS)
    finally:
        ws.close()
    assert list(city.iterdir()) == []


def test_section_desk_cannot_register_sections(desks) -> None:  # noqa: ANN001
    code, _, err = desks["cli"]("section", "add", "X1", "--name", "某所", data=desks["desk"])
    assert code == 3 and "科室端" in err


def _refused(d, pkg: Path, words: str) -> None:  # noqa: ANN001
    before = _desk_dump(d)
    code, _, err = d["cli"]("import", str(pkg), data=d["desk"])
    assert code == 3 and "被拒收" in err and words in err, err
    assert _desk_dump(d) == before


def test_without_the_units_key_nothing_is_taken(desks) -> None:  # noqa: ANN001
    _refused(desks, _send(desks), "还没有登记本单位的公钥")


def _trusted(d) -> None:  # noqa: ANN001
    assert d["cli"]("keys", "trust-unit", str(d["stick"] / "442000-017.pub.json"), data=d["desk"])[0] == 0


def test_tampered_package_refused(desks, tmp_path) -> None:  # noqa: ANN001
    pkg = _send(desks)
    _trusted(desks)
    bad = tmp_path / "tampered.zgb"
    with zipfile.ZipFile(pkg) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith("records.jsonl"):
                data = data.replace("食堂账目不清".encode(), "食堂账目清楚".encode())
            zout.writestr(item, data)
    _refused(desks, bad, "改动")


def test_package_for_another_section_refused(desks) -> None:  # noqa: ANN001
    cli = desks["cli"]
    other = desks["desk"].parent / "desk2"
    assert cli("init", *UNIT, "--section", "DZB", "--section-name", "党政办", "--admin", "赵六", data=other)[0] == 0
    pkg = _send(desks, "DZB")
    _trusted(desks)
    _refused(desks, pkg, "不是本科室")


def test_package_signed_by_another_key_refused(desks) -> None:  # noqa: ANN001
    _send(desks)
    _trusted(desks)
    forged = _forge(desks, sequence=1, own_key=False)
    _refused(desks, forged, "不信任的密钥")


def test_replay_refused_and_gap_warned(desks) -> None:  # noqa: ANN001
    first = _send(desks)
    second = _send(desks)
    _trusted(desks)
    code, out, err = desks["cli"]("import", str(second), data=desks["desk"])
    assert code == 0, err
    assert "缺少第 1 号科室任务包" in out
    code, out, err = desks["cli"]("import", str(first), data=desks["desk"])
    assert code == 0, err  # late, accepted
    _refused(desks, _forge(desks, sequence=2), "重放")


def _forge(d, *, sequence: int, own_key: bool = True) -> Path:  # noqa: ANN001
    """A second, different package claiming `sequence`, signed by the unit's key (or a stranger's)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from core.dates import now_ts
    from core.exchange import bag
    from core.exchange.keys import raw_public, signing_key
    from core.exchange.records import dump_line, key_id_for

    ws = _open(d["unit"])
    try:
        with ws.read() as s:
            key, private = signing_key(s, PASS)
            key_id = key.key_id
    finally:
        ws.close()
    if not own_key:
        private = Ed25519PrivateKey.generate()
        key_id = key_id_for(raw_public(private))
    created = now_ts()
    pid = str(uuid.uuid4())
    info = {"Source-Organization": "某某镇", "Bagging-Date": created[:10], "External-Identifier": pid,
            "Bag-Count": "1 of 1", "Exchange-Format": "zgb/1", "Package-Type": "section-tasks",
            "Unit-Code": "442000-017", "Section-Code": "CZS", "Sequence": str(sequence),
            "Previous-Package-Digest": "none", "Created": created, "Generator": "test"}
    target = d["stick"] / f"forged-{sequence}-{pid[:6]}.zgb"
    unit = {"type": "unit", "id": "442000-017", "name": "某某镇", "level": "township"}
    bag.write_package(target, info=info, records=[dump_line(unit)], files=[], signer=private, key_id=key_id)
    return target


def test_unit_key_file_of_another_unit_refused_at_the_desk(desks, tmp_path) -> None:  # noqa: ANN001
    _send(desks)
    data = json.loads((desks["stick"] / "442000-017.pub.json").read_text(encoding="utf-8"))
    data["code"] = "442000-099"
    other = tmp_path / "other.pub.json"
    other.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, err = desks["cli"]("keys", "trust-unit", str(other), data=desks["desk"])
    assert code == 3 and "不是本单位" in err
    shutil.rmtree(desks["stick"])


# -- the section report at the unit: refusals change nothing ------------------------------------------

def _reported(d, tmp_path: Path, times: int = 1) -> list[Path]:  # noqa: ANN001
    """The desk takes its tasks, marks a node done and reports `times` times."""
    cli = d["cli"]
    pkg = _send(d)
    _trusted(d)
    assert cli("import", str(pkg), data=d["desk"])[0] == 0
    assert cli("--today", "2026-04-15", "node", "done", d["ids"][0], "1", data=d["desk"])[0] == 0
    out_paths = []
    for i in range(times):
        back = tmp_path / f"back{i}"
        back.mkdir()
        code, out, err = cli("export", str(back), data=d["desk"])
        assert code == 0, err
        out_paths.append(next(back.glob("*_section-report_*.zgb")))
    return out_paths


def _unit_refuses(d, pkg: Path, words: str) -> None:  # noqa: ANN001
    ws = _open(d["unit"])
    try:
        before = dump(ws)
    finally:
        ws.close()
    code, _, err = d["cli"]("import", str(pkg), data=d["unit"])
    assert code == 3 and "被拒收" in err and words in err, err
    ws = _open(d["unit"])
    try:
        assert dump(ws) == before
    finally:
        ws.close()


def test_unit_refuses_a_tampered_section_report(desks, tmp_path) -> None:  # noqa: ANN001
    (report,) = _reported(desks, tmp_path)
    bad = tmp_path / "tampered.zgb"
    with zipfile.ZipFile(report) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith("records.jsonl"):
                data = data.replace(b'"done"', b'"confirmed"', 1)
            zout.writestr(item, data)
    _unit_refuses(desks, bad, "改动")


def test_unit_refuses_a_report_from_an_unknown_section_key(desks, tmp_path) -> None:  # noqa: ANN001
    (report,) = _reported(desks, tmp_path)
    other = tmp_path / "desk-b"
    assert desks["cli"]("init", *UNIT, "--section", "CZS", "--section-name", "财政所", "--admin", "钱七",
                        data=other)[0] == 0
    assert desks["cli"]("keys", "export-public", str(tmp_path / "b.pub.json"), data=other)[0] == 0
    assert desks["cli"]("section", "trust", "CZS", str(tmp_path / "b.pub.json"), data=desks["unit"])[0] == 0
    _unit_refuses(desks, report, "不信任的密钥")  # the section's key was replaced: the old desk is a stranger


def test_unit_warns_a_gap_and_refuses_a_replay(desks, tmp_path) -> None:  # noqa: ANN001
    first, second = _reported(desks, tmp_path, times=2)
    code, out, err = desks["cli"]("import", str(second), data=desks["unit"])
    assert code == 0, err
    assert "缺少第 1 号" in out
    # a different package claiming Sequence 2 (the desk's counter wound back, as by a restored backup)
    from db.models import Counter

    ws = _open(desks["desk"])
    try:
        with ws.session() as s:
            s.get(Counter, "secout:CZS").value = 1  # type: ignore[union-attr]
    finally:
        ws.close()
    back = tmp_path / "again"
    back.mkdir()
    assert desks["cli"]("export", str(back), data=desks["desk"])[0] == 0
    _unit_refuses(desks, next(back.glob("*.zgb")), "重放")
    code, out, err = desks["cli"]("import", str(first), data=desks["unit"])
    assert code == 0, err  # the late one is still taken
