"""The ledger's first page read before SQLAlchemy: the same rows as the ORM, or None whenever in doubt."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.ledger.firstpage import read_first_page, write_cache
from core.ledger.queries import LedgerFilter, LedgerQuery, waiting_notice_count
from core.paths import DataPaths
from core.settings import set_local
from core.workspace import Workspace
from db.models import Notice, Person, Task

TODAY = date(2026, 11, 23)
PAGE = 25
ROOT = Path(__file__).resolve().parents[3]


def _notice(task: Task, nid: str, level: str) -> Notice:
    return Notice(id=nid, level=level, task_ref=task.city_ref or "", task_id=task.id, title="督办",
                  text="请反馈。", issued="2026-11-16T09:00:00+08:00", issuer="市委督查室",
                  respond_by="2026-11-30", attachments=[], state="open")


def one_user(s: Any) -> None:
    """The demo keeps two users (陈晓红, 李志强); a fast start is for a ledger of one (no login list)."""
    s.scalar(select(Person).where(Person.name == "李志强")).role = None


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from core.demo import build_demo

    folder = tmp_path_factory.mktemp("firstpage") / "data"
    ws = Workspace.open(folder, user="李志强", today=TODAY)
    try:
        build_demo(ws)
        with ws.session() as s:  # open notices on tasks of the first page: the lights' notice branches
            tasks = list(s.scalars(select(Task).where(Task.deleted.is_(None)).order_by(Task.deadline).limit(9)))
            s.add(_notice(tasks[3], "DB-T-1", "red"))
            s.add(_notice(tasks[7], "DB-T-2", "yellow"))
            one_user(s)
    finally:
        ws.close()
    return folder


@pytest.fixture
def folder(tmp_path: Path, demo_template: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(demo_template, target)
    return target


@contextmanager
def opened(folder: Path, today: date = TODAY) -> Iterator[Workspace]:
    ws = Workspace.open(folder, user="李志强", today=today)
    try:
        yield ws
    finally:
        ws.close()


def cache(folder: Path, f: LedgerFilter | None = None, today: date = TODAY) -> None:
    with opened(folder, today) as ws, ws.read() as s:
        assert write_cache(s, ws.paths, today, f or LedgerFilter(), PAGE)


def plain(row: object) -> tuple:
    """The fields the first page has (the light's reason, nodes and notices come with the workspace)."""
    fields = ("id", "city_ref", "title", "source", "category", "status", "light", "deadline", "next_due",
              "owner", "section", "batch", "leader")
    return tuple(getattr(row, k) for k in fields)


@pytest.mark.parametrize(("sort", "descending"), [("deadline", False), ("light", True), ("owner", False),
                                                  ("next_due", True), ("title", False)])
@pytest.mark.parametrize("later", [0, 9, 40])
def test_first_page_is_the_ledgers_first_page(folder: Path, sort: str, descending: bool, later: int) -> None:
    """Cached today, read another day: same count, rows, lights, badge and unit as the ORM that day."""
    f = LedgerFilter(sort=sort, descending=descending)
    cache(folder, f)
    day = TODAY + timedelta(days=later)
    first = read_first_page(folder, day, sort, descending)
    assert first is not None
    with opened(folder, day) as ws, ws.read() as s:
        q = LedgerQuery(s, day)
        expected = q.page(f, 0, PAGE, with_details=False)
        assert first.count == q.count(f)
        assert first.waiting_notices == waiting_notice_count(s)
        assert first.unit_name == ws.unit().name
    assert [plain(r) for r in first.rows] == [plain(r) for r in expected]
    assert len({r.light for r in first.rows}) >= 2  # not one colour by accident


def test_thresholds_changed_after_caching_are_used(folder: Path) -> None:
    cache(folder)
    with opened(folder) as ws, ws.session() as s:
        set_local(s, "red_after_days", 1)
        set_local(s, "yellow_after_days", 0)
    first = read_first_page(folder, TODAY)
    assert first is not None
    with opened(folder) as ws, ws.read() as s:
        expected = LedgerQuery(s, TODAY).page(LedgerFilter(), 0, PAGE, with_details=False)
    assert [r.light for r in first.rows] == [r.light for r in expected]


def _db_state(folder: Path) -> tuple[str, list[str]]:
    db = folder / "rectidesk.sqlite3"
    con = sqlite3.connect(db)
    try:
        dump = list(con.iterdump())
    finally:
        con.close()
    return hashlib.sha256(db.read_bytes()).hexdigest(), dump


def test_reading_changes_nothing(folder: Path) -> None:
    cache(folder)
    before = _db_state(folder)
    assert read_first_page(folder, TODAY) is not None
    assert _db_state(folder) == before


def _edit_cache(folder: Path, change: object) -> None:
    path = DataPaths.resolve(folder).first_page_cache
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(json.dumps(data), encoding="utf-8")


DOUBTS = ["no cache", "not json", "too big", "too deep", "not an object", "attach", "write", "other version",
          "other format", "bad sql", "missing statement", "params changed", "other sort", "schema revision",
          "folder in use", "login needed", "no database"]


@pytest.mark.parametrize("case", DOUBTS)
def test_any_doubt_gives_the_ordinary_start(folder: Path, case: str) -> None:
    cache(folder)
    paths = DataPaths.resolve(folder)
    sort = "deadline"
    if case == "no cache":
        paths.first_page_cache.unlink()
    elif case == "not json":
        paths.first_page_cache.write_bytes(b"\x00{not json")
    elif case == "too big":
        paths.first_page_cache.write_bytes(b" " * (2 << 20) + paths.first_page_cache.read_bytes())
    elif case == "too deep":
        paths.first_page_cache.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    elif case == "not an object":
        paths.first_page_cache.write_text('["format", 1]', encoding="utf-8")
    elif case == "other version":
        _edit_cache(folder, lambda d: d.update(app="0.0.1"))
    elif case == "other format":
        _edit_cache(folder, lambda d: d.update(format=99))
    elif case == "attach":
        evil = str(folder / "evil.sqlite3")
        _edit_cache(folder, lambda d: d["statements"]["unit"].update(sql=f"ATTACH DATABASE '{evil}' AS e",
                                                                     params=[]))
    elif case == "write":
        _edit_cache(folder, lambda d: d["statements"]["unit"].update(sql="DELETE FROM tasks", params=[]))
    elif case == "bad sql":
        _edit_cache(folder, lambda d: d["statements"]["page"].update(sql="SELEC nonsense"))
    elif case == "missing statement":
        _edit_cache(folder, lambda d: d["statements"].pop("count"))
    elif case == "params changed":
        _edit_cache(folder, lambda d: d["statements"]["page"].update(params=[1]))
    elif case == "other sort":
        sort = "title"
    elif case == "schema revision":
        con = sqlite3.connect(paths.database)
        con.execute("UPDATE alembic_version SET version_num = '0001'")
        con.commit()
        con.close()
    elif case == "folder in use":
        paths.holder_file.write_text("another-pc pid 1", encoding="utf-8")
    elif case == "login needed":  # a second user: the window asks who is working before anything else
        with opened(folder) as ws, ws.session() as s:
            s.scalar(select(Person).where(Person.name == "李志强")).role = "reviewer"
    elif case == "no database":
        paths.database.unlink()
    before = _db_state(folder) if paths.database.exists() else None
    assert read_first_page(folder, TODAY, sort) is None
    assert not (folder / "evil.sqlite3").exists()
    if before is not None:
        assert _db_state(folder) == before


def test_no_unit_yet_gives_the_ordinary_start(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    with opened(folder) as ws, ws.read() as s:
        write_cache(s, ws.paths, TODAY, LedgerFilter(), PAGE)
    assert read_first_page(folder, TODAY) is None  # the first-run wizard comes first


def test_the_first_paint_needs_no_sqlalchemy() -> None:
    """The modules of the fast start import neither SQLAlchemy nor the models."""
    code = ("import sys; sys.path.insert(0, '.'); import ui.app, ui.main_window, core.ledger.firstpage; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic') "
            "or m == 'db.models'); print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_chinese_folder_name_with_odd_characters_works(tmp_path: Path, demo_template: Path) -> None:
    """Windows user folders are often Chinese; '#', '%' and spaces must survive the sqlite URI."""
    folder = tmp_path / "张三 的#数据%20夹" / "data"
    shutil.copytree(demo_template, folder)
    cache(folder)
    first = read_first_page(folder, TODAY)
    assert first is not None and first.count == 60
