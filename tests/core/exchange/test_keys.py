"""Keys: the unit key pair with its passphrase, key ids for the phone, trust anchor, backup and restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exchkit import CITY_PUB, PASS

from core.errors import InputRefused
from core.exchange import keys


def test_key_id_reads_in_groups_of_four() -> None:
    assert keys.format_key_id("9f86d081884c7d65") == "9f86-d081-884c-7d65"


def test_wrong_passphrase_is_a_clear_message(unit_ws) -> None:  # noqa: ANN001
    with unit_ws.read() as s:
        with pytest.raises(InputRefused) as info:
            keys.signing_key(s, "wrong pass")
    assert "密码不对" in info.value.message and info.value.hint
    with unit_ws.read() as s:
        key, private = keys.signing_key(s, PASS)
    assert keys.key_id_for(keys.raw_public(private)) == key.key_id


def test_private_key_is_stored_encrypted(unit_ws) -> None:  # noqa: ANN001
    with unit_ws.read() as s:
        key = keys.require_unit_key(s)
    assert "ENCRYPTED PRIVATE KEY" in (key.private_pem or "")


def test_short_passphrase_refused(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s, pytest.raises(InputRefused):
        keys.create_unit_key(s, "张三", "123")


def test_public_file_round_trip_and_trust_city(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "unit.pub.json"
    with unit_ws.read() as s:
        key = keys.export_public(s, out)
    data = keys.read_public_file(out, owner="unit")
    assert data["key_id"] == key.key_id and data["code"] == "442000-017"
    with unit_ws.session() as s, pytest.raises(InputRefused):
        keys.trust_city(s, "张三", out)  # a unit key is not a city trust anchor
    city = json.loads(CITY_PUB.read_text(encoding="utf-8"))
    with unit_ws.read() as s:
        assert [k.key_id for k in keys.city_keys(s)] == [city["key_id"]]


def test_tampered_public_file_is_refused(tmp_path: Path, workspace) -> None:  # noqa: ANN001
    data = json.loads(CITY_PUB.read_text(encoding="utf-8"))
    data["key_id"] = "0" * 16
    bad = tmp_path / "bad.pub.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with workspace.session() as s, pytest.raises(InputRefused) as info:
        keys.trust_city(s, "张三", bad)
    assert "不符" in info.value.message


def test_backup_and_restore(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "key.backup"
    with unit_ws.read() as s:
        keys.backup_keys(s, out)
        original = keys.require_unit_key(s).key_id
    assert "ENCRYPTED" in out.read_text(encoding="utf-8")
    with unit_ws.session() as s:
        for k in keys.unit_keys(s):
            s.delete(k)
    with unit_ws.session() as s, pytest.raises(InputRefused):
        keys.restore_keys(s, "张三", out, "not the passphrase")
    with unit_ws.session() as s:
        keys.restore_keys(s, "张三", out, PASS)
    with unit_ws.read() as s:
        assert keys.require_unit_key(s).key_id == original


def test_rotate_needs_the_old_passphrase(unit_ws) -> None:  # noqa: ANN001
    with unit_ws.session() as s, pytest.raises(InputRefused):
        keys.rotate_unit_key(s, "张三", "wrong pass", "new passphrase")
    with unit_ws.session() as s:
        new = keys.rotate_unit_key(s, "张三", PASS, "new passphrase")
        assert keys.pending_unit_key(s).key_id == new.key_id


def test_init_without_passphrase_succeeds_and_says_how(cli) -> None:  # noqa: ANN001
    code, out, err = cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")
    assert code == 0, err
    assert "keys create" in out
    code, out, _ = cli("keys", "show")
    assert code == 0 and "keys create" in out


def test_init_with_passphrase_creates_key(cli, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    code, out, err = cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")
    assert code == 0, err
    assert "签名密钥" in out
    code, out, _ = cli("keys", "show")
    assert code == 0 and "本单位" in out
    code, out, _ = cli("keys", "trust-city", str(CITY_PUB))
    assert code == 0 and "11e7-810d-d05d-7b61" in out


def test_a_key_file_saved_in_notepad_still_reads(tmp_path: Path) -> None:
    """Windows Notepad adds a byte-order mark when it saves: the city's key is the same key."""
    saved = tmp_path / "city.pub.json"
    saved.write_bytes(b"\xef\xbb\xbf" + CITY_PUB.read_bytes())
    assert keys.read_public_file(saved, owner="city")["key_id"] == json.loads(CITY_PUB.read_text())["key_id"]
