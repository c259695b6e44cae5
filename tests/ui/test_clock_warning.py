"""A PC clock years behind is pointed out at the top of the window; lights still use the date shown."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests_ui_paths import FIXTURES


def test_clock_behind_the_newest_package_is_shown(data_dir: Any, qtbot: Any) -> None:
    from core.exchange.importer import FeedbackImporter
    from core.exchange.keys import trust_city
    from core.unit import init_unit
    from core.workspace import Workspace
    from ui.main_window import MainWindow

    ws = Workspace.open(data_dir, user="张三", today=date(2019, 1, 1))
    try:
        with ws.session() as s:
            init_unit(s, "442000-017", "中山市某某镇人民政府", "township", admin="张三")
            trust_city(s, "张三", FIXTURES / "keys" / "test-city.pub.json")
        win = MainWindow(ws)
        qtbot.addWidget(win)
        assert win.clock_warning.isHidden()  # nothing to compare with yet
        FeedbackImporter(ws).import_files([FIXTURES / "packages" / "442000-017_city-feedback_000001.zgb"])
        win.ctx.changed.emit()
        assert not win.clock_warning.isHidden()
        assert "2019-01-01" in win.clock_warning.text() and "时钟" in win.clock_warning.text()
    finally:
        ws.close()
