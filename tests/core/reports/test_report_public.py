"""The 公示 version (for publishing the list): every problem, its source, measures, deadline and state, but no
person's name of the ledger, no evidence hashes, no internal notes."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from core.demo import LEADERS, SECTIONS

TODAY = "2026-04-15"


def _names(data_dir: Path) -> set[str]:
    """Every person's name the demo ledger holds: people, users, leaders, who did or checked nodes."""
    from sqlalchemy import select

    from core.workspace import Workspace
    from db.models import Node, Person

    ws = Workspace.open(data_dir)
    try:
        with ws.read() as s:
            names = set(s.scalars(select(Person.name)))
            names |= {n for n in s.scalars(select(Node.done_by)) if n}
            names |= {n for n in s.scalars(select(Node.confirmed_by)) if n}
    finally:
        ws.close()
    names |= {p for ps in SECTIONS.values() for p in ps} | set(LEADERS)
    return names


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from datetime import date

    from core.demo import build_demo
    from core.workspace import Workspace

    data_dir = tmp_path_factory.mktemp("public") / "data"
    ws = Workspace.open(data_dir, user="陈晓红", today=date.fromisoformat(TODAY))
    try:
        build_demo(ws)
    finally:
        ws.close()
    return data_dir


def test_public_pdf_lists_every_problem_without_a_name(cli, demo: Path, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "公示.pdf"
    code, said, err = cli("--today", TODAY, "--user", "陈晓红", "report", str(out), "--kind", "public", data=demo)
    assert code == 0, err
    assert "整改落实情况公示" in said
    with pdfplumber.open(out) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        assert all(p.width > p.height for p in pdf.pages)  # landscape
    flat = re.sub(r"\s", "", text)
    names = _names(demo)
    assert len(names) >= 15
    assert not [n for n in names if n in flat]
    for header in ("问题", "来源", "责任科室", "整改措施", "整改期限", "整改状态", "整改进展/完成情况"):
        assert header in flat
    assert "责任科室整改措施" in flat and "SHA-256" not in flat.replace("台账摘要SHA-256", "")  # no 责任人 column
    assert "党政办" in flat  # the 责任科室 may stay
    assert len(re.findall(r"(?m)^\d+ ", text)) >= 50  # every problem (60) with its number
    assert "已销号" in flat and "立行立" in flat
    # it is a report like the others: signed or registered, verifiable
    assert cli("--user", "陈晓红", "verify-report", str(out), data=demo)[0] == 0


def test_public_excel_has_no_name_and_every_problem(cli, demo: Path, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "公示.xlsx"
    code, said, err = cli("--today", TODAY, "--user", "陈晓红", "export-excel", str(out), "--public", data=demo)
    assert code == 0, err
    assert "公示版" in said
    wb = openpyxl.load_workbook(out)
    cells = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    names = _names(demo)
    assert not [n for n in names if n in cells]
    sheet = wb.worksheets[0]
    header = [c.value for c in sheet[2]]
    assert header == ["序号", "问题编号", "问题来源", "批次", "问题描述", "整改类别", "责任科室", "责任单位",
                      "整改措施", "整改时限", "整改状态", "整改进展/完成情况", "销号日期"]
    assert sheet.max_row == 62
    assert "公示" in str(sheet["A1"].value)
