"""A demo ledger and its four reports, built once for the report tests (rendering is the slow part)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

TODAY = date(2026, 4, 15)


@dataclass
class DemoReports:
    data_dir: Path
    summary: Path
    ledger: Path
    task: Path
    monthly: Path
    task_id: str


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> DemoReports:
    from sqlalchemy import select

    from core.demo import build_demo
    from core.reports.pdf import render_report
    from core.workspace import Workspace
    from db.models import Evidence

    root = tmp_path_factory.mktemp("reports")
    data_dir = root / "data"
    ws = Workspace.open(data_dir, user="陈晓红", today=TODAY)
    try:
        build_demo(ws)
        with ws.read() as s:
            task_id = s.scalars(select(Evidence.task_id).where(Evidence.deleted.is_(None))).first()
            paths = {}
            for kind in ("summary", "ledger", "task", "monthly"):
                paths[kind], _ = render_report(s, TODAY, kind, root / f"{kind}.pdf", task_id=task_id, period="2026-04")
    finally:
        ws.close()
    return DemoReports(data_dir, paths["summary"], paths["ledger"], paths["task"], paths["monthly"], str(task_id))
