"""verify: the audit chain catches edits behind the program's back; evidence de-duplication and re-hash."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.evidence.attach import attach_file
from core.ledger.tasks import TaskInput, create_task
from core.verify import verify_workspace
from db.models import Evidence


def _add(ws):  # noqa: ANN001, ANN202
    with ws.session() as s:
        return create_task(s, "张三", TaskInput(title="公车登记不规范", source="audit", category="immediate",
                                                owner="李四", deadline="2026-05-31")).id


def test_row_changed_with_plain_sqlite_is_detected(workspace) -> None:  # noqa: ANN001
    tid = _add(workspace)
    assert verify_workspace(workspace).ok
    with sqlite3.connect(workspace.paths.database) as raw:
        raw.execute("UPDATE tasks SET deadline = '2027-01-01' WHERE id = ?", (tid,))
    report = verify_workspace(workspace)
    assert not report.ok
    assert ("task", tid) in report.audit.changed_rows


def test_audit_entry_edited_breaks_the_chain(workspace) -> None:  # noqa: ANN001
    _add(workspace)
    with sqlite3.connect(workspace.paths.database) as raw:
        raw.execute("UPDATE audit_log SET user = '别人' WHERE id = (SELECT min(id) FROM audit_log)")
    report = verify_workspace(workspace)
    assert report.audit.broken_chain


def test_evidence_is_deduplicated_and_verify_catches_a_changed_file(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    tid = _add(workspace)
    a = tmp_path / "现场照片.jpg"
    b = tmp_path / "copy.jpg"
    a.write_bytes(b"\xff\xd8same picture" * 1000)
    b.write_bytes(a.read_bytes())
    with workspace.session() as s:
        e1 = attach_file(s, workspace.evidence, "张三", tid, a)
        e2 = attach_file(s, workspace.evidence, "张三", tid, b)
        assert e1.sha256 == e2.sha256 and e1.media_type == "image/jpeg" and e1.filename == "现场照片.jpg"
    assert workspace.evidence.stored() == {e1.sha256}
    assert verify_workspace(workspace).ok
    path = workspace.evidence.path_for(e1.sha256)
    path.write_bytes(b"changed")
    report = verify_workspace(workspace)
    assert report.evidence_changed == [e1.sha256]
    path.unlink()
    assert verify_workspace(workspace).evidence_missing == [e1.sha256]


def test_missing_evidence_file_is_refused_cleanly(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    import pytest

    from core.errors import InputRefused

    tid = _add(workspace)
    with pytest.raises(InputRefused, match="找不到文件"), workspace.session() as s:
        attach_file(s, workspace.evidence, "张三", tid, tmp_path / "nope.pdf")
    with workspace.read() as s:
        assert s.query(Evidence).count() == 0


def test_an_empty_file_is_refused_as_evidence(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    """A 0-byte file (a failed scan, a cloud placeholder) is no evidence: refused, nothing stored."""
    import pytest

    from core.errors import InputRefused

    tid = _add(workspace)
    empty = tmp_path / "扫描件.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InputRefused, match="是空的"), workspace.session() as s:
        attach_file(s, workspace.evidence, "张三", tid, empty)
    with workspace.read() as s:
        assert s.query(Evidence).count() == 0
    assert not any(p.is_file() for p in workspace.paths.evidence.rglob("*"))
