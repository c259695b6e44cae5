"""Files named by the user: only regular files, with a size limit, and a named pipe never blocks (issue 15).

The pipe cases run in a child process with a timeout: a reader that blocked on the pipe would hang the test
run instead of failing it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import InputRefused
from core.files import FileRefused, open_regular, read_regular
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")

CHILD = r"""
import json, sys
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from core.errors import UserError
from core.workspace import Workspace
from core.unit import init_unit
from core.exchange import keys
from core.exchange.importer import FeedbackImporter
from core.evidence.attach import attach_file
from core.ledger.tasks import TaskInput, create_task

pipe, data, city_pub = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
ws = Workspace.open(data, user="张三", today=date(2026, 4, 15))
out = {}
with ws.session() as s:
    init_unit(s, "442000-017", "某镇", "township", admin="张三")
    keys.create_unit_key(s, "张三", "correct horse")
    keys.trust_city(s, "张三", city_pub)
    task = create_task(s, "张三", TaskInput(title="档案室漏水", source="inspection", category="phased",
                                           owner="李四", deadline="2026-06-30"))
    tid = task.id
calls = {
    "package": lambda: FeedbackImporter(ws).import_file(pipe),
    "trust_city": lambda: keys.trust_city(ws.session().__enter__(), "张三", pipe),
    "key_backup": lambda: keys.restore_keys(ws.session().__enter__(), "张三", pipe, "correct horse"),
    "evidence": lambda: attach_file(ws.session().__enter__(), ws.evidence, "张三", tid, pipe),
    "excel": lambda: __import__("core.excel.importer", fromlist=["x"]).read_problem_list(pipe),
    "backup": lambda: __import__("core.team.backup", fromlist=["x"]).extract_verified(pipe, data / "staging"),
    "report": lambda: __import__("core.reports.proof", fromlist=["x"]).check_file(ws.read(), pipe),
}
for name, call in calls.items():
    try:
        call()
        out[name] = "accepted"
    except UserError as exc:
        out[name] = exc.message
print(json.dumps(out, ensure_ascii=False))
"""


def test_a_named_pipe_is_refused_at_once_wherever_a_path_comes_from_the_user(tmp_path: Path) -> None:
    pipe = tmp_path / "反馈.zgb"
    os.mkfifo(pipe)
    r = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(pipe), str(tmp_path / "d"),
                        str(FIXTURES / "keys" / "test-city.pub.json")],
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert set(out) == {"package", "trust_city", "key_backup", "evidence", "excel", "backup", "report"}
    for name, message in out.items():
        assert "不是普通文件" in message or "不是一个文件" in message, (name, message)


def test_open_regular_refuses_pipes_folders_and_oversized_files(tmp_path: Path) -> None:
    pipe = tmp_path / "p"
    os.mkfifo(pipe)
    with pytest.raises(FileRefused) as exc:  # O_NONBLOCK: returns at once, no writer needed
        open_regular(pipe, 100, what="公钥文件")
    assert exc.value.reason == "not_regular" and "公钥文件" in exc.value.message
    with pytest.raises(FileRefused) as exc:
        open_regular(tmp_path, 100)
    assert exc.value.reason == "directory"
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 101)
    with pytest.raises(FileRefused) as exc:
        read_regular(big, 100, what="公钥文件")
    assert exc.value.reason == "too_large" and "太大" in exc.value.message
    with pytest.raises(FileRefused) as exc:
        open_regular(tmp_path / "none", 100)
    assert exc.value.reason == "not_found"
    assert isinstance(exc.value, InputRefused)
    ok = tmp_path / "ok"
    ok.write_bytes(b"hello")
    assert read_regular(ok, 5) == b"hello"


def test_keys_trust_city_refuses_a_huge_file_without_reading_it(cli, tmp_path: Path) -> None:  # noqa: ANN001
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    huge = tmp_path / "city.pub.json"
    with open(huge, "wb") as f:
        f.truncate(3 * 2**30)  # sparse: 3 GB without the disk
    code, _, err = cli("keys", "trust-city", str(huge))
    assert code == 3 and "太大" in err
