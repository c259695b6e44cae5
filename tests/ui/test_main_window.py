"""The main window: every page opens, the notices badge counts, dashboard figures drill into the ledger."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ui.main_window import PAGES


def test_every_page_opens_in_chinese(window: Any) -> None:
    texts = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert texts == ["工作台", "整改台账", "督办通知", "数据交换", "设置"]
    for key in PAGES:
        window.show_page(key)
        assert window.current_page() == key
        assert window.stack.currentWidget().isVisible()
    assert "中山市某某镇人民政府" in window.windowTitle()


def test_badge_counts_notices_waiting_for_a_response(demo_ws: Any, qtbot: Any, add_notice: Any) -> None:
    from ui.main_window import MainWindow

    add_notice(demo_ws, "red")
    add_notice(demo_ws, "yellow", nid="TZ-yellow-2")
    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    assert win.badge_count() == 2
    win.show_page("notices")
    assert win.notices_page.model.rowCount() == 2
    assert win.notices_page.model.index(0, 1).data() == "未读"


def test_red_card_drills_down_to_red_tasks(window: Any, qtbot: Any) -> None:
    red = window.dashboard_page.figures["by_light"]["red"]
    assert red > 0
    qtbot.mouseClick(window.dashboard_page.cards["red"], Qt.MouseButton.LeftButton)
    assert window.current_page() == "ledger"
    model = window.ledger_page.model
    assert model.rowCount() == red
    assert window.ledger_page.combos["light"].currentData() == "red"
    assert window.ledger_page.count_label.text() == f"共 {red} 条"


def test_due_soon_card_shows_a_removable_filter(window: Any, qtbot: Any) -> None:
    qtbot.mouseClick(window.dashboard_page.cards["soon"], Qt.MouseButton.LeftButton)
    page = window.ledger_page
    assert page.current_filter().due_within_days == 3
    assert page.extra_label.isVisibleTo(page)
    qtbot.mouseClick(page.extra_clear, Qt.MouseButton.LeftButton)
    assert page.current_filter().due_within_days is None
    assert page.model.rowCount() == 60


def test_source_chart_bar_drills_down(window: Any) -> None:
    from PySide6.QtCharts import QBarSeries

    series = next(s for s in window.dashboard_page.source_chart.chart().series() if isinstance(s, QBarSeries))
    series.barSets()[0].clicked.emit(1)  # second bar: 审计 (audit) in the demo ledger
    assert window.current_page() == "ledger"
    assert window.ledger_page.combos["source"].currentData() == "audit"
    assert window.ledger_page.model.rowCount() == 10


def test_window_geometry_and_column_layout_are_remembered(demo_ws: Any, qtbot: Any) -> None:
    from ui.main_window import MainWindow

    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    win.show()
    win.resize(1000, 620)
    win.ledger_page.table.horizontalHeader().setSectionHidden(1, True)
    win.close()
    again = MainWindow(demo_ws)
    qtbot.addWidget(again)
    again.show()
    assert again.size().height() == 620  # not the default height of a first start
    assert again.ledger_page.table.horizontalHeader().isSectionHidden(1)
