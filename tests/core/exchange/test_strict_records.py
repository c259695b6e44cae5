"""Signed, but hostile (issue 15, spec §5 "Strict JSON and ranges"): the city's key can be stolen and its
software can have bugs. Each record line below is signed with the test city key; each package is refused
with a reason naming the line, and nothing changes. Updates get exactly the checks of new records.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from exchkit import TS, assignment, dump, feedback

from core.dates import now_ts
from core.errors import PackageRejected
from core.exchange import bag
from core.exchange.importer import FeedbackImporter
from core.exchange.keys import raw_public
from core.exchange.records import key_id_for

ASSIGN = ('{"type":"assignment","id":"ZS-1","title":"任务","source":"audit","category":"phased",'
          '"deadline":"2026-06-30","issued":"%s"' % TS)


def raw_feedback(folder: Path, key, seq: int, lines: list[bytes]) -> Path:  # noqa: ANN001
    """A signed feedback package whose records.jsonl holds exactly these bytes (no writer's checks)."""
    created = now_ts()
    info = {"Source-Organization": "市督查室", "Bagging-Date": created[:10], "External-Identifier": str(uuid.uuid4()),
            "Bag-Count": "1 of 1", "Exchange-Format": "zgb/1", "Package-Type": "city-feedback",
            "Unit-Code": "442000-017", "Sequence": str(seq), "Previous-Package-Digest": "none", "Created": created,
            "Generator": "hostile test"}
    out = folder / f"raw-{uuid.uuid4().hex[:6]}.zgb"
    bag.write_package(out, info=info, records=[ln if ln.endswith(b"\n") else ln + b"\n" for ln in lines],
                      files=[], signer=key, key_id=key_id_for(raw_public(key)))
    return out


def refused(ws, path: Path) -> PackageRejected:  # noqa: ANN001
    before = dump(ws)
    with pytest.raises(PackageRejected) as exc:
        FeedbackImporter(ws).import_file(path)
    assert exc.value.message and exc.value.hint
    assert dump(ws) == before
    return exc.value


def node_line(*nodes: str) -> bytes:
    return (ASSIGN + ',"nodes":[' + ",".join(nodes) + "]}").encode()


CASES = {
    "integer beyond 2^53-1": (ASSIGN + ',"nodes":[{"seq":9007199254740993,"title":"a","due":"2026-05-01"}]}',
                              "2^53"),
    "node seq out of range": (ASSIGN + ',"nodes":[{"seq":2000000,"title":"a","due":"2026-05-01"}]}', "1 至 1000000"),
    "unit_sequence 2^63": ('{"type":"ack","id":"A","unit_sequence":9223372036854775808,"status":"accepted",'
                           '"received":"%s"}' % TS, "2^53"),
    "red_after_days 800000": ('{"type":"settings","id":"S","red_after_days":800000}', "0 至 3650"),
    "due_soon_days 3e6": ('{"type":"settings","id":"S","due_soon_days":3000000}', "0 至 3650"),
    "setting 1e30": ('{"type":"settings","id":"S","yellow_after_days":1e30}', "yellow_after_days"),
    "volume 0": ('{"type":"settings","id":"S","volume_limit_mb":0}', "1 至 1024"),
    "points Infinity": ('{"type":"deduction","id":"D","task_ref":"ZS-1","points":Infinity,"kind":"pre",'
                        '"reason":"r","issued":"%s"}' % TS, "Infinity"),
    "points NaN": ('{"type":"deduction","id":"D","task_ref":"ZS-1","points":NaN,"kind":"pre",'
                   '"reason":"r","issued":"%s"}' % TS, "NaN"),
    "points 1e400": ('{"type":"deduction","id":"D","task_ref":"ZS-1","points":1e400,"kind":"pre",'
                     '"reason":"r","issued":"%s"}' % TS, "有限数"),
    "points 101": ('{"type":"deduction","id":"D","task_ref":"ZS-1","points":101,"kind":"pre",'
                   '"reason":"r","issued":"%s"}' % TS, "points"),
    "5000 digits": ('{"type":"settings","id":"S","red_after_days":' + "9" * 5000 + "}", "5000 位"),
    "5000-digit float": ('{"type":"settings","id":"S","x":0.' + "1" * 5000 + "}", "5002 个字符"),
    "nesting 10000 deep": ('{"type":"settings","id":"S","x":' + "[" * 10_000 + "]" * 10_000 + "}", "嵌套超过 8 层"),
    "lone surrogate": (ASSIGN.replace('"任务"', '"\\ud800任务"') + "}", "代理码点"),
    "lone surrogate in a name": ('{"type":"settings","id":"S","\\udfff":1}', "代理码点"),
    "duplicate member": ('{"type":"settings","id":"S","red_after_days":5,"red_after_days":6}', "出现了两次"),
    "two nodes, one seq": (ASSIGN + ',"nodes":[{"seq":1,"title":"a","due":"2026-05-01"},'
                           '{"seq":1,"title":"b","due":"2026-05-02"}]}', "序号都是 1"),
    "escape in a title": (ASSIGN.replace('"任务"', '"\\u001b[31m任务"') + "}", "控制字符"),
    "carriage return in a title": (ASSIGN.replace('"任务"', '"任\\r务"') + "}", "控制字符"),
    "C1 control in a title": (ASSIGN.replace('"任务"', '"任\\u009b务"') + "}", "控制字符"),
    "deadline in year 1": (ASSIGN.replace("2026-06-30", "0001-01-01") + "}", "deadline"),
    "deadline in 2100": (ASSIGN.replace("2026-06-30", "2100-01-01") + "}", "deadline"),
    "issued in year 9999": (ASSIGN.replace(TS, "9999-12-31T23:59:59+08:00") + "}", "issued"),
    "attachment as a path": ('{"type":"notice","id":"N","level":"red","task_ref":"ZS-1","title":"t","text":"x",'
                             '"issued":"%s","issuer":"市","respond_by":"2026-05-01",'
                             '"attachments":["../../../../etc/passwd"]}' % TS, "不能是路径"),
    "attachment in upper case": ('{"type":"notice","id":"N","level":"red","task_ref":"ZS-1","title":"t","text":"x",'
                                 '"issued":"%s","issuer":"市","respond_by":"2026-05-01","attachments":["%s"]}'
                                 % (TS, "A" * 64), "64 位小写"),
    "id of 129 characters": ('{"type":"settings","id":"%s"}' % ("x" * 129), "过长"),
    "id with a slash": ('{"type":"settings","id":"../S"}', "斜杠"),
    "task_ref with a control": ('{"type":"deduction","id":"D","task_ref":"ZS\\n1","points":1,"kind":"pre",'
                                '"reason":"r","issued":"%s"}' % TS, "控制字符"),
    "line over 1 MiB": ('{"type":"settings","id":"S","x":"' + "a" * (2**20 + 10) + '"}', "1 MiB"),
    "not UTF-8": (b'{"type":"settings","id":"S","x":"\xed\xa0\x80"}', "UTF-8"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_signed_record_is_refused_naming_its_line(unit_ws, city_key, tmp_path: Path, case: str) -> None:  # noqa: ANN001
    line, words = CASES[case]
    raw = line if isinstance(line, bytes) else line.encode()
    p = raw_feedback(tmp_path, city_key, 1, [b'{"type":"settings","id":"S0","red_after_days":9}', raw])
    err = refused(unit_ws, p)
    assert "第 2 行" in err.message and words in err.message, err.message


def test_the_same_type_and_id_twice_in_one_part_is_refused(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    p = raw_feedback(tmp_path, city_key, 1, [b'{"type":"settings","id":"S","red_after_days":9}',
                                             b'{"type":"settings","id":"S","red_after_days":8}'])
    err = refused(unit_ws, p)
    assert "第 2 行" in err.message and "出现了两次" in err.message


def test_the_ranges_themselves_are_accepted(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    lines = [
        b'{"type":"settings","id":"S","yellow_after_days":0,"red_after_days":3650,"due_soon_days":3650,'
        b'"volume_limit_mb":1024}',
        (ASSIGN + ',"nodes":[{"seq":1000000,"title":"a\\tb\\nc","due":"2099-12-31"}]}').encode(),
        ('{"type":"deduction","id":"D","task_ref":"ZS-1","points":100,"kind":"pre","reason":"r","issued":"%s"}'
         % TS).encode(),
        ('{"type":"deduction","id":"D2","task_ref":"ZS-1","points":0.5,"kind":"pre","reason":"r","issued":"%s"}'
         % TS).encode(),
        ('{"type":"settings","id":"%s","x":[[[[[[[1]]]]]]]}' % ("x" * 128)).encode(),  # depth 8
    ]
    r = FeedbackImporter(unit_ws).import_file(raw_feedback(tmp_path, city_key, 1, lines))
    assert r.status == "accepted"


UPDATES = {
    "an empty title": ({"title": "  "}, "标题不能为空"),
    "a deadline in year 1": ({"deadline": "0001-01-01"}, "deadline"),
    "control characters": ({"title": "任务\u001b]0;owned\u0007"}, "控制字符"),
    "an empty node title": ({"nodes": [{"seq": 1, "title": " ", "due": "2026-05-01"}]}, "节点名称不能为空"),
}


@pytest.mark.parametrize("case", list(UPDATES))
def test_an_update_gets_the_checks_of_a_new_record(unit_ws, city_key, tmp_path: Path, case: str) -> None:  # noqa: ANN001
    FeedbackImporter(unit_ws).import_file(feedback(tmp_path, city_key, 1, [assignment("ZS-1", (1, "a", "2026-05-01"))]))
    change, words = UPDATES[case]
    record = dict(assignment("ZS-1"), **change)
    line = json.dumps(record, ensure_ascii=False).encode()
    new_rec = dict(record, id="ZS-NEW")
    err = refused(unit_ws, raw_feedback(tmp_path, city_key, 2, [line]))
    assert "第 1 行" in err.message and words in err.message, err.message
    err_new = refused(unit_ws, raw_feedback(tmp_path, city_key, 2, [json.dumps(new_rec, ensure_ascii=False).encode()]))
    assert words in err_new.message


def test_dashboard_json_stays_json_after_hostile_points_are_refused(cli, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    from exchkit import CITY_PUB

    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    assert cli("keys", "trust-city", str(CITY_PUB))[0] == 0
    p = raw_feedback(tmp_path, city_key, 1, [ASSIGN.encode() + b"}", (
        '{"type":"deduction","id":"D","task_ref":"ZS-1","points":1e400,"kind":"pre","reason":"r","issued":"%s"}'
        % TS).encode()])
    code, _, err = cli("import", str(p))
    assert code == 3 and "第 2 行" in err
    code, out, _ = cli("dashboard", "--json")
    assert code == 0
    json.loads(out)
