"""`verify` checks the city's notice attachments as well as evidence (issue 15): a changed, then deleted
notice attachment is reported, not "全部正常"; one the city never sent is said apart and is no damage."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from core.verify import verify_workspace

sys.path.insert(0, str(Path(__file__).resolve().parent / "exchange"))
from exchkit import CITY_KEY, CITY_PUB, PASS, TS, assignment, feedback  # noqa: E402


@pytest.fixture
def with_attachment(workspace, tmp_path: Path):  # noqa: ANN001, ANN201
    from cryptography.hazmat.primitives import serialization

    from core.exchange import keys
    from core.exchange.importer import FeedbackImporter

    with workspace.session() as s:
        keys.create_unit_key(s, "张三", PASS)
        keys.trust_city(s, "张三", CITY_PUB)
    key = serialization.load_pem_private_key(CITY_KEY.read_bytes(), password=None)
    att = tmp_path / "督办单.pdf"
    att.write_bytes(b"%PDF-1.4 notice")
    sha = hashlib.sha256(att.read_bytes()).hexdigest()
    never = hashlib.sha256(b"never sent").hexdigest()
    notice = {"type": "notice", "id": "DB-1", "level": "red", "task_ref": "ZS-1", "title": "督办", "text": "见附件",
              "issued": TS, "issuer": "市督查室", "respond_by": "2026-04-20", "attachments": [sha, never]}
    FeedbackImporter(workspace).import_file(feedback(tmp_path, key, 1, [assignment("ZS-1"), notice], files=[att]))
    return workspace, sha


def test_an_intact_attachment_and_one_never_sent_are_all_right(with_attachment) -> None:  # noqa: ANN001
    ws, _sha = with_attachment
    report = verify_workspace(ws)
    assert report.ok and report.attachments_checked == 1 and report.attachments_never_sent == 1
    assert any("督办通知附件：检查 1 个" in line and "未随通知送达" in line for line in report.lines())


def test_a_changed_then_deleted_attachment_is_reported(with_attachment, cli) -> None:  # noqa: ANN001
    ws, sha = with_attachment
    path = ws.evidence.path_for(sha)
    path.chmod(0o644)
    path.write_bytes(b"changed")
    report = verify_workspace(ws)
    assert not report.ok and report.attachments_changed == [sha]
    path.unlink()
    report = verify_workspace(ws)
    assert not report.ok and report.attachments_missing == [sha]
    assert report.lines()[-1] != "结论：全部正常"
    ws.close()
    code, out, _ = cli("verify")
    assert code == 1 and f"缺失：{sha}" in out and "全部正常" not in out
