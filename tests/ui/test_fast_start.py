"""Fast start: the ledger painted from the cached first page, then the workspace takes over."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from core.ledger.firstpage import read_first_page, write_cache
from core.ledger.rows import LedgerFilter
from tests.ui.conftest import DEMO_TODAY

ROOT = Path(__file__).resolve().parents[2]


def _cached_first_page(demo_ws: Any) -> Any:
    """Cache the first page of the demo, close the workspace, read the page as a start would."""
    from tests.core.ledger.test_firstpage import one_user
    from ui.models.ledger_model import PAGE_SIZE

    with demo_ws.session() as s:
        one_user(s)
    with demo_ws.read() as s:
        write_cache(s, demo_ws.paths, DEMO_TODAY, LedgerFilter(), PAGE_SIZE)
    demo_ws.close()
    first = read_first_page(demo_ws.paths.root, DEMO_TODAY)
    assert first is not None
    return first


def test_window_paints_the_first_page_then_attaches(demo_ws: Any, qtbot: Any) -> None:
    from core.workspace import Workspace
    from ui.main_window import MainWindow

    first = _cached_first_page(demo_ws)
    win = MainWindow(None, start_page="ledger", first=first)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    page = win.ledger_page
    assert not win.ready
    assert page.model.rowCount() == first.count == 60
    assert page.model.row(0).id == first.rows[0].id
    assert page.model.row(0).light_reason == ""  # reasons come with the workspace
    assert win.badge_count() == first.waiting_notices
    assert "整改通" in win.windowTitle() or first.unit_name in win.windowTitle()

    # Before the workspace is open: choosing another page waits, actions do nothing, nothing breaks.
    win.show_page("dashboard")
    assert win.stack.currentWidget() is page
    page.new_task()
    page.open_task(first.rows[0].id)
    page.combos["light"].setCurrentIndex(page.combos["light"].findData("red"))  # remembered for later

    ws = Workspace.open(demo_ws.paths.root, user="陈晓红", today=DEMO_TODAY)
    try:
        win.attach(ws)
        assert win.ready
        assert win.current_page() == "dashboard"
        assert win.stack.currentWidget() is win.dashboard_page  # the page chosen meanwhile is now built
        reds = page.model.rowCount()
        assert 0 < reds < 60  # the light filter chosen before the workspace opened is applied
        assert all(page.model.row(r).light == "red" and page.model.row(r).light_reason for r in range(reds))
        assert page.combos["owner"].count() > 1  # the value lists are read now
        assert win.badge_count() == first.waiting_notices
    finally:
        win.close()
        ws.close()


def test_closing_remembers_the_sort_and_caches_it(demo_ws: Any, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    from tests.core.ledger.test_firstpage import one_user
    from ui.main_window import MainWindow
    from ui.pages.ledger import remembered_sort

    with demo_ws.session() as s:
        one_user(s)
    win = MainWindow(demo_ws, start_page="ledger")
    qtbot.addWidget(win)
    win.show()
    win.ledger_page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # 问题 (title), descending
    win.close()
    assert remembered_sort() == ("title", True)
    assert QSettings().value("window/page") == "ledger"
    demo_ws.close()
    first = read_first_page(demo_ws.paths.root, DEMO_TODAY, "title", True)
    assert first is not None
    assert [r.title for r in first.rows] == sorted((r.title for r in first.rows), reverse=True)


def _run_main(folder: Path, smoke: str, settings: Path) -> list[str]:
    """main.main in a fresh interpreter; prints its exit code and whether SQLAlchemy got imported."""
    code = (
        "import sys; sys.path.insert(0, '.'); import main; "
        "from PySide6.QtCore import QSettings; "
        "QSettings.setDefaultFormat(QSettings.Format.IniFormat); "
        f"QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, {str(settings)!r}); "
        f"rc = main.main(['--data-dir', {str(folder)!r}, '--today', '{DEMO_TODAY}', {smoke}]); "
        "print(rc, 'sqlalchemy' in sys.modules)"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[-2:]


def test_main_starts_fast_from_the_second_start(demo_template: Path, tmp_path: Path) -> None:
    from core.workspace import Workspace
    from tests.core.ledger.test_firstpage import one_user

    folder = tmp_path / "data"
    shutil.copytree(demo_template, folder)
    with Workspace.open(folder) as ws, ws.session() as s:
        one_user(s)
    settings = tmp_path / "settings"
    # First start: no cache yet, the ordinary way (SQLAlchemy first), which writes the cache.
    assert _run_main(folder, "'--smoke'", settings) == ["0", "True"]
    assert (folder / "cache" / "first-page.json").exists()
    # Second start: the ledger is painted before SQLAlchemy is imported.
    assert _run_main(folder, "'--smoke'", settings) == ["0", "False"]
    # And the full start from there attaches the workspace and paints again.
    assert _run_main(folder, "'--smoke', 'ready'", settings) == ["0", "True"]
