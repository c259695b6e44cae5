"""Every tag file within the spec's limits (§2: 64 KiB per tag file, lines of 8 KiB; §5 ranges).

The writer never makes a package the spec forbids: a report with many small evidence files is split so that
each part's manifest-sha256.txt stays within 64 KiB, and a value a reader would refuse is named to the user
before a byte is written. The reader holds every tag file, the payload manifest included, to the exact limit.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from city_desk import verify_report
from exchkit import PASS, dump
from test_bag import RECORD, build, code_of, read

from core.errors import InputRefused, UserError
from core.evidence.attach import attach_file
from core.exchange import bag
from core.exchange.exporter import ReportExporter
from core.ledger.tasks import TaskInput, create_task
from db.models import Task

LONG_NAME = "关于某某镇二〇二六年度农村人居环境整治提升工作整改落实情况的佐证材料（第{:04d}号）现场照片及会议记录.txt"


def many_small_files(ws, tmp_path: Path, n: int) -> str:  # noqa: ANN001
    src = tmp_path / "src"
    src.mkdir()
    with ws.session() as s:
        t = create_task(s, "张三", TaskInput(title="村务公开不及时", source="巡察", category="立行立改",
                                            owner="李四", deadline="2026-03-31", nodes=[]))
        for i in range(n):
            f = src / LONG_NAME.format(i)
            f.write_bytes(f"佐证 {i}\n".encode())
            attach_file(s, ws.evidence, "张三", t.id, f)
        return t.id


def unit_pub(ws, tmp_path: Path) -> dict:  # noqa: ANN001
    from core.exchange import keys

    path = tmp_path / "unit.pub.json"
    with ws.read() as s:
        keys.export_public(s, path)
    return keys.read_public_file(path, owner="unit")


def test_two_thousand_small_files_split_into_parts_each_within_every_limit(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    many_small_files(unit_ws, tmp_path, 2000)
    out = tmp_path / "out"
    out.mkdir()
    res = ReportExporter(unit_ws).export(out, passphrase=PASS)  # far below the 20 MB volume limit
    assert len(res.paths) == 5  # about 460 files a part: the manifest, not the size, splits them
    pub = unit_pub(unit_ws, tmp_path)
    pkgs = [verify_report(p, pub) for p in res.paths]  # the city's tool accepts every part
    for p in res.paths:
        with zipfile.ZipFile(p) as z:
            for info in z.infolist():
                if "/data/" not in info.filename:
                    data = z.read(info)
                    assert len(data) <= 64 * 1024, info.filename
                    assert all(len(line) <= 8 * 1024 for line in data.split(b"\n"))
    # the group is whole: part 1 names every file, and the parts carry each one exactly once
    sent = [sha for pkg in pkgs for sha in pkg.files]
    assert len(sent) == len(set(sent)) == 2000
    named = {r["sha256"] for _l, r in pkgs[0].records if r["type"] == "evidence"}
    assert named == set(sent)
    assert {p.group_id for p in pkgs} == {pkgs[0].group_id} and {p.part_count for p in pkgs} == {5}
    assert sorted(p.part_no for p in pkgs) == [1, 2, 3, 4, 5]


def test_plan_parts_counts_the_manifest_lines_and_keeps_its_signature() -> None:
    files = [bag.SourceFile(hashlib.sha256(str(i).encode()).hexdigest(), 10, Path("x")) for i in range(2000)]
    parts = bag.plan_parts(1000, files, 20_000_000)  # the positional call other callers make
    assert sum(map(len, parts)) == 2000
    for part in parts:
        manifest = bag.manifest_line_size("data/records.jsonl") + sum(
            bag.manifest_line_size(bag.payload_name(f.sha256)) for f in part)
        assert manifest <= bag.MAX_TAG_FILE
    assert len(parts) == 5
    assert len(bag.plan_parts(1000, files, 20_000_000, 100)) == 20  # the entry bound still holds
    assert len(bag.plan_parts(1000, files, 20_000_000, max_manifest=10_000)) > 5


def test_write_package_refuses_a_manifest_over_64_kib_and_writes_nothing(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    src = tmp_path / "f"
    src.write_bytes(b"x")
    sha = hashlib.sha256(b"x").hexdigest()
    # the same file named 470 times would need 470 manifest lines: more than 64 KiB
    files = [bag.SourceFile(sha, 1, src)] * 470
    from test_bag import INFO

    info = {k: v for k, v in INFO.items() if k != "Payload-Oxum"}
    with pytest.raises(bag.TagLimitExceeded) as exc:
        bag.write_package(tmp_path / "p.zgb", info=info, records=[RECORD], files=files, signer=city_key,
                          key_id="0" * 16)
    assert "64 KiB" in exc.value.message
    assert list(tmp_path.glob("*.zgb")) == [] and list(tmp_path.glob(".*")) == []


def payload_of(n: int) -> dict[str, bytes]:
    payload = {"data/records.jsonl": RECORD}
    for i in range(n):
        data = f"附件{i}".encode()
        payload[f"data/files/{hashlib.sha256(data).hexdigest()}"] = data
    return payload


def test_the_reader_holds_the_payload_manifest_to_exactly_64_kib(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    payload = payload_of(460)
    manifest = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in payload.items()).encode()
    exact = manifest + b"\n" * (64 * 1024 - len(manifest))  # blank lines pad it to the byte
    assert len(exact) == 64 * 1024
    ok = build(tmp_path / "ok.zgb", city_key, payload=payload, raw_tags={"manifest-sha256.txt": exact})
    assert len(read(ok, city_key).files) == 460
    over = build(tmp_path / "over.zgb", city_key, payload=payload, raw_tags={"manifest-sha256.txt": exact + b"\n"})
    assert code_of(over, city_key) == "too_large"


def test_a_signed_package_whose_manifest_lists_470_real_files_is_refused_before_the_key(tmp_path: Path,
                                                                                       city_key) -> None:  # noqa: ANN001
    """Every file listed and present (the old bound, by the names there, let it through): over 64 KiB."""
    from test_presignature import refused_before_the_key

    p = build(tmp_path / "many.zgb", city_key, payload=payload_of(470))
    err = refused_before_the_key(p, city_key)
    assert err.reason_code == "too_large" and "manifest-sha256.txt" in err.message and "64 KiB" in err.message


def test_the_command_line_refuses_it_with_exit_3_and_changes_nothing(cli, data_dir: Path, city_key,  # noqa: ANN001
                                                                     tmp_path: Path) -> None:
    from exchkit import CITY_PUB

    from core.workspace import Workspace

    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    assert cli("keys", "trust-city", str(CITY_PUB))[0] == 0
    p = build(tmp_path / "many.zgb", city_key, payload=payload_of(470))

    def state() -> dict:
        ws = Workspace.open(data_dir, user="张三")
        try:
            return dump(ws)
        finally:
            ws.close()

    before = state()
    code, _out, err = cli("import", str(p))
    assert code == 3 and "manifest-sha256.txt" in err and "64 KiB" in err
    assert state() == before


def export_refused(ws, tmp_path: Path) -> InputRefused:  # noqa: ANN001
    out = tmp_path / "stick"
    out.mkdir(exist_ok=True)
    before = dump(ws)
    with pytest.raises(InputRefused) as exc:
        ReportExporter(ws).export(out, passphrase=PASS)
    assert list(out.iterdir()) == []  # nothing written, not even a temporary file
    assert dump(ws) == before  # the Sequence and the package log as they were
    assert exc.value.hint
    return exc.value


def test_a_control_character_in_a_stored_title_is_named_before_writing(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    with unit_ws.session() as s:
        t = create_task(s, "张三", TaskInput(title="村务公开不及时", source="巡察", category="立行立改",
                                            owner="李四", deadline="2026-03-31", nodes=[]))
        s.get(Task, t.id).description = "第一行\r\n第二行"  # pasted before the input was cleaned
    err = export_refused(unit_ws, tmp_path)
    assert "任务“村务公开不及时”的问题描述" in err.message and "控制字符" in err.message
    assert "问题描述" in err.hint


def test_a_record_over_1_mib_is_named_before_writing(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    with unit_ws.session() as s:
        t = create_task(s, "张三", TaskInput(title="长描述", source="巡察", category="立行立改",
                                            owner="李四", deadline="2026-03-31", nodes=[]))
        s.get(Task, t.id).description = "很" * 400_000  # 1.2 MB in UTF-8
    err = export_refused(unit_ws, tmp_path)
    assert "任务“长描述”" in err.message and "1 MiB" in err.message


def test_a_unit_name_too_long_for_bag_info_is_refused_before_writing(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    from db.models import Unit

    with unit_ws.session() as s:
        s.query(Unit).one().name = "某" * 3000  # 9,000 bytes: over the 8 KiB line of bag-info.txt
    err = export_refused(unit_ws, tmp_path)
    assert "单位名称太长" in err.message and "unit set" in err.hint
    assert "设置 → 本单位" in err.window_hint


def test_the_writer_itself_refuses_a_bag_info_line_over_8_kib(tmp_path: Path, city_key) -> None:  # noqa: ANN001
    """The last guard for every caller (section packages, the city's tool): nothing is written."""
    from test_bag import INFO

    info = {k: v for k, v in INFO.items() if k != "Payload-Oxum"}
    for name, words in (("某" * 3000, "太长"), ("某镇\nSequence: 9", "换行")):
        info["Source-Organization"] = name
        with pytest.raises(bag.TagLimitExceeded) as exc:
            bag.write_package(tmp_path / "p.zgb", info=info, records=[RECORD], files=[], signer=city_key,
                              key_id="0" * 16)
        assert "单位名称" in exc.value.message and words in exc.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_unit_name_with_a_line_break_never_reaches_bag_info(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    from db.models import Unit

    with unit_ws.session() as s:
        s.query(Unit).one().name = "某镇\nSequence: 9"
    err = export_refused(unit_ws, tmp_path)
    assert "单位名称应写在一行内" in err.message


def test_the_unit_form_refuses_a_name_that_could_not_travel(workspace) -> None:  # noqa: ANN001
    from core.unit import UnitFormRefused, set_unit

    for name, words in (("某" * 101, "太长"), ("某镇\n人民政府", "一行")):
        with workspace.session() as s, pytest.raises(UnitFormRefused) as exc:
            set_unit(s, "张三", name=name)
        assert words in exc.value.problems["name"]
    with workspace.session() as s:
        assert set_unit(s, "张三", name="某" * 100).name == "某" * 100


def test_user_error_is_the_base_of_the_writer_refusal() -> None:
    assert issubclass(bag.TagLimitExceeded, UserError)


def test_the_receipt_lists_at_most_the_highest_accepted_sequences(unit_ws, tmp_path: Path,  # noqa: ANN001
                                                                  monkeypatch) -> None:
    """§5: `accepted` has at most 100,000 entries (shown here with a bound of one): the highest travel."""
    from city_desk import verify_report as city_verify
    from exchkit import FB1, FB2, import_ok

    from core.exchange import exporter

    import_ok(unit_ws, FB1, FB2)
    monkeypatch.setattr(exporter, "MAX_ACCEPTED", 1)
    out = tmp_path / "out"
    out.mkdir()
    (path,) = ReportExporter(unit_ws).export(out, passphrase=PASS).paths
    receipt = [r for _l, r in city_verify(path, unit_pub(unit_ws, tmp_path)).records if r["type"] == "receipt"]
    assert receipt[0]["accepted"] == [2]


def test_a_pasted_note_and_response_travel_in_the_next_report(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    from datetime import date

    from exchkit import FB1, import_ok

    from core.exchange.notices import respond_to_notice
    from core.ledger.tasks import NodeInput, complete_node
    from db.models import Notice

    import_ok(unit_ws, FB1)
    with unit_ws.session() as s:
        t = create_task(s, "张三", TaskInput(title="村务公开", source="巡察", category="立行立改", owner="李四",
                                            deadline="2026-03-31", nodes=[NodeInput("公开", "2026-03-01")]))
        node = complete_node(s, "张三", t.id, 1, done=date(2026, 3, 1), note="已公开\r\n见照片\x85")
        assert node.note == "已公开\n见照片"
        notice = s.query(Notice).first()
        assert respond_to_notice(s, "张三", notice.id, "已整改\r\n完毕").text == "已整改\n完毕"
        photo = tmp_path / "照片.jpg"
        photo.write_bytes(b"jpeg")
        ev = attach_file(s, unit_ws.evidence, "张三", t.id, photo, description="现场\r照片")
        assert ev.description == "现场\n照片"
    out = tmp_path / "out"
    out.mkdir()
    assert ReportExporter(unit_ws).export(out, passphrase=PASS).paths


def test_each_part_of_many_files_stays_within_the_volume_limit(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    """Close to the limit both ways (about 400 files and 1 MB a part): the manifest counts in the volume too."""
    import os

    src = tmp_path / "src"
    src.mkdir()
    with unit_ws.session() as s:
        t = create_task(s, "张三", TaskInput(title="材料很多", source="巡察", category="立行立改", owner="李四",
                                            deadline="2026-03-31", nodes=[]))
        for i in range(900):
            f = src / f"{i:04d}.jpg"
            f.write_bytes(os.urandom(2_100))
            attach_file(s, unit_ws.evidence, "张三", t.id, f)
    out = tmp_path / "out"
    out.mkdir()
    res = ReportExporter(unit_ws).export(out, passphrase=PASS, volume_mb=1)
    assert len(res.paths) >= 2 and not res.warnings
    for p in res.paths:
        assert p.stat().st_size <= 1_000_000, (p.name, p.stat().st_size)
    pub = unit_pub(unit_ws, tmp_path)
    assert sum(len(verify_report(p, pub).files) for p in res.paths) == 900
