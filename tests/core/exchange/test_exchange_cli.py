"""The exchange commands as a contract: exit codes, which package was refused, the package log."""

from __future__ import annotations

import json
import logging

from exchkit import BAD, CITY_PUB, FB1, FB2, PASS


def _init(cli, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府", "--admin", "张三")[0] == 0
    assert cli("keys", "trust-city", str(CITY_PUB))[0] == 0


def test_import_names_the_refused_ones_and_exits_3(cli, monkeypatch, caplog) -> None:  # noqa: ANN001
    _init(cli, monkeypatch)
    caplog.set_level(logging.WARNING, logger="core.exchange")
    code, out, err = cli("--today", "2026-04-15", "import", str(FB1), str(BAD / "zip-slip.zgb"), str(FB2))
    assert code == 3
    assert "已导入第 1 号" in out and "已导入第 2 号" in out and "future_thing" in out
    assert "zip-slip.zgb：被拒收" in err and "不安全的文件名" in err
    assert any("zip-slip" in r.getMessage() for r in caplog.records)  # written to the application log
    code, out, _ = cli("packages", "--json")
    rows = json.loads(out)
    assert [(r["direction"], r["sequence"], r["status"]) for r in rows] == [("in", 1, "accepted"),
                                                                             ("in", 2, "accepted")]
    code, out, _ = cli("import", str(FB1))
    assert code == 0 and "已经导入过" in out
    code, out, _ = cli("packages")
    assert code == 0 and "导入 第 2 号" in out


def test_all_refused_exit_3(cli, monkeypatch) -> None:  # noqa: ANN001
    _init(cli, monkeypatch)
    code, _, err = cli("import", str(BAD / "not-a-zip.zgb"))
    assert code == 3 and "不是 ZIP" in err


def test_wrong_passphrase_on_export(cli, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    _init(cli, monkeypatch)
    monkeypatch.setenv("RECTIDESK_PASSPHRASE", "not the one")
    code, _, err = cli("export", str(tmp_path))
    assert code == 3 and "密码不对" in err and "Traceback" not in err
    assert list(tmp_path.glob("*.zgb")) == []


def test_keys_backup_restore_export_public(cli, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    _init(cli, monkeypatch)
    code, out, _ = cli("keys", "show")
    spoken = out.split("密钥编号：")[1][:19]
    assert code == 0 and spoken.count("-") == 3
    assert cli("keys", "backup", str(tmp_path / "k.bak"))[0] == 0
    assert cli("keys", "restore", str(tmp_path / "k.bak"))[0] == 0
    assert cli("keys", "export-public", str(tmp_path / "u.pub.json"))[0] == 0
    data = json.loads((tmp_path / "u.pub.json").read_text(encoding="utf-8"))
    assert data["format"] == "zgb-public-key/1" and data["owner"] == "unit"
    assert spoken.replace("-", "") == data["key_id"]
    code, out, _ = cli("keys", "rotate")
    assert code == 0 and "新签名密钥" in out


def test_city_desk_feedback_from_a_json_description(cli, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    import city_desk
    from exchkit import CITY_KEY, assignment

    _init(cli, monkeypatch)
    desc = tmp_path / "records.json"
    desc.write_text(json.dumps({"records": [assignment("ZS-JSON-1", (1, "节点", "2026-05-01"))]},
                               ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "fb.zgb"
    assert city_desk.main(["feedback", "--key", str(CITY_KEY), "--unit-code", "442000-017", "--seq", "1",
                           "--records", str(desc), str(out)]) == 0
    code, stdout, err = cli("import", str(out))
    assert code == 0, err
    assert "新交办任务 1" in stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"type": "notice", "id": "N"}]), encoding="utf-8")
    assert city_desk.main(["feedback", "--key", str(CITY_KEY), "--unit-code", "442000-017", "--seq", "2",
                           "--records", str(bad), str(tmp_path / "x.zgb")]) == 3
    assert not (tmp_path / "x.zgb").exists()


def test_respond_appeal_and_handover_travel_and_validate(cli, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    """Everything the unit sends passes the city's checks (the export re-verifies and would refuse)."""
    from city_desk import verify_report

    from core.exchange.keys import read_public_file

    _init(cli, monkeypatch)
    assert cli("--today", "2026-04-15", "import", str(FB1), str(FB2))[0] == 0
    code, out, err = cli("respond", "DB-2026-0047", "计划已报送。")
    assert code == 0, err
    code, out, err = cli("appeal", "deduction", "KF-2026-0009", "--reason", "节点已按期完成，有凭证。")
    assert code == 0, err
    code, _, err = cli("appeal", "deduction", "KF-NOPE", "--reason", "x")
    assert code == 3 and "找不到" in err
    stick = tmp_path / "stick"
    stick.mkdir()
    code, out, err = cli("--today", "2026-04-15", "export", str(stick))
    assert code == 0, err
    assert cli("keys", "export-public", str(tmp_path / "u.pub.json"))[0] == 0
    pkg = verify_report(next(stick.glob("*.zgb")), read_public_file(tmp_path / "u.pub.json"))
    types = [r["type"] for _l, r in pkg.records]
    assert "response" in types and "appeal" in types and types.count("task") == 3
