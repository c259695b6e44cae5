"""The file the city attached to the red notice of feedback 2 is listed with a name, a size and a copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchkit import FB1, FB2, import_ok

from core.errors import NotFound
from core.evidence.store import sniff_extension
from core.ledger.queries import copy_attachment, notice_attachments


def test_red_notice_attachment_is_listed_and_copied(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1, FB2)
    with unit_ws.read() as s:
        found = notice_attachments(s, unit_ws.evidence, notice_id="DB-2026-0047")
        by_task = notice_attachments(s, unit_ws.evidence, task_id=found[0].notice_id and _task_of(s))
    assert len(found) == 1
    att = found[0]
    assert att.present and att.size == 1500 and att.size_text == "1 KB"
    assert att.name == "督办通知附件.txt"  # the city's file is UTF-8 text: 督办单：…
    assert by_task == found
    copy = copy_attachment(att, tmp_path / "out" / att.save_name())
    assert copy.name == "DB-2026-0047_督办通知附件.txt"
    assert copy.read_text("utf-8").startswith("督办单")


def _task_of(s) -> str:  # noqa: ANN001
    from sqlalchemy import select

    from db.models import Notice

    return str(s.scalar(select(Notice.task_id).where(Notice.id == "DB-2026-0047")))


def test_missing_attachment_is_named_but_cannot_be_opened(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    from db.models import Notice

    with unit_ws.session() as s:
        s.add(Notice(id="DB-9", level="red", task_ref="X", title="t", text="", issued="2026-04-01", issuer="市",
                     respond_by="2026-04-30", attachments=["ab" * 32, "cd" * 32], state="open"))
    with unit_ws.read() as s:
        found = notice_attachments(s, unit_ws.evidence, notice_id="DB-9")
    assert [a.name for a in found] == ["督办通知附件1", "督办通知附件2"]
    assert not found[0].present
    with pytest.raises(NotFound, match="没有随反馈包送达"):
        copy_attachment(found[0], tmp_path / "x")


@pytest.mark.parametrize(("head", "ext"), [
    (b"%PDF-1.7", ".pdf"), (b"\xff\xd8\xff\xe0", ".jpg"), (b"\x89PNG\r\n\x1a\n....", ".png"),
    (b"PK\x03\x04" + b"\0" * 26 + b"word/document.xml", ".docx"), (b"PK\x03\x04xl/workbook.xml", ".xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1", ".doc"), (b"\x00\x01\xfe\xff\x80", ""),
])
def test_kind_is_sniffed_from_the_content(tmp_path: Path, head: bytes, ext: str) -> None:
    f = tmp_path / "f"
    f.write_bytes(head)
    assert sniff_extension(f) == ext


def test_cli_lists_and_saves_attachments(cli, unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1, FB2)
    unit_ws.close()
    code, out, _ = cli("attachments", "--notice", "DB-2026-0047", "--save", str(tmp_path / "saved"))
    assert code == 0 and "督办通知附件.txt" in out and "1 KB" in out
    assert (tmp_path / "saved" / "DB-2026-0047_督办通知附件.txt").exists()
