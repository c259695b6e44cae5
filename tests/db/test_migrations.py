"""Migrations: from an empty database, from the previous revision with data, and matching the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from db.engine import HEAD_REVISION, alembic_config, current_revision, head_revision, make_engine, migrate
from db.models import Base


def test_empty_database_reaches_head_and_matches_models(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    engine = make_engine(db)
    migrate(engine, db, tmp_path / "backups")
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    # a fresh database needs no copy
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_previous_revision_with_data_is_upgraded_and_copied_first(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite3"
    engine = make_engine(db)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with sqlite3.connect(db) as raw:
        raw.execute("INSERT INTO unit (id, code, name, level, created) VALUES (1, '442000-017', '某镇', "
                    "'township', '2026-01-01T00:00:00+08:00')")
        raw.execute("INSERT INTO tasks (id, title, description, measures, source, category, batch, leader, deadline, "
                    "status, search_text, from_city, rev, created, updated, change_no, review_comment) VALUES "
                    "('t1', '旧任务', '', '', 'audit', 'phased', '', '', '2026-05-01', 'open', '', 0, 1, 'x', 'x', 1,"
                    " '')")
    assert current_revision(engine) == "0001"
    migrate(engine, db, tmp_path / "backups")
    assert current_revision(engine) == head_revision()
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT title FROM tasks").fetchall() == [("旧任务",)]
        assert raw.execute("SELECT count(*) FROM notices").fetchone() == (0,)
    copies = list((tmp_path / "backups").glob("before-upgrade-0001-*.sqlite3"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as raw:
        assert raw.execute("SELECT title FROM tasks").fetchall() == [("旧任务",)]


def test_wal_and_foreign_keys_are_on(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    engine = make_engine(db)
    migrate(engine, db, tmp_path / "backups")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_head_revision_constant_matches_the_scripts() -> None:
    assert head_revision() == HEAD_REVISION


@pytest.mark.parametrize("name", ["100%资料", "a%20b", "张三 的#数据", "问?号"])
def test_a_data_folder_with_url_characters_opens_its_own_database(tmp_path: Path, name: str) -> None:
    """'%', '#', '?' and spaces are plain characters of a folder name, never URL syntax."""
    from datetime import date

    from core.unit import init_unit
    from core.workspace import Workspace

    folder = tmp_path / name
    ws = Workspace.open(folder, user="张三", today=date(2026, 4, 15))
    try:
        with ws.session() as s:
            init_unit(s, "442000-017", "中山市某某镇人民政府", "township", admin="张三")
    finally:
        ws.close()
    assert (folder / "rectidesk.sqlite3").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written beside it
    ws = Workspace.open(folder, user="张三", today=date(2026, 4, 15))
    try:
        assert ws.unit() is not None and ws.unit().name == "中山市某某镇人民政府"
    finally:
        ws.close()


def test_migrations_run_from_a_folder_with_a_percent_sign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The program may be unpacked anywhere, e.g. under "D:\\100%软件\\RectiDesk"."""
    import shutil

    import db.engine

    moved = tmp_path / "100%软件" / "migrations"
    shutil.copytree(db.engine.MIGRATIONS_DIR, moved, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(db.engine, "MIGRATIONS_DIR", moved)
    assert head_revision() == HEAD_REVISION
    engine = make_engine(tmp_path / "fresh.sqlite3")
    migrate(engine, tmp_path / "fresh.sqlite3", tmp_path / "backups")
    assert current_revision(engine) == HEAD_REVISION


def test_a_ledger_from_a_newer_program_is_refused_untouched(tmp_path: Path) -> None:
    """Opened by an older RectiDesk (a colleague's newer copy wrote it): a plain message, nothing copied or changed."""
    from core.errors import DataFolderError
    from core.workspace import Workspace

    folder = tmp_path / "data"
    Workspace.open(folder).close()
    db = folder / "rectidesk.sqlite3"
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.commit()
    con.close()
    before = db.read_bytes()
    with pytest.raises(DataFolderError, match="更新版本"):
        Workspace.open(folder)
    assert db.read_bytes() == before
    assert list((folder / "backups").iterdir()) == []
    with pytest.raises(DataFolderError, match="更新版本"):  # again: the folder lock was released
        Workspace.open(folder)
