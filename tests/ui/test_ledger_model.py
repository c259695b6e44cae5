"""The ledger model: a correct Qt model, filters and sorting done by core, pages fetched on demand."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from core.ledger.queries import LedgerFilter
from core.ledger.tasks import TaskInput, create_task
from ui.models.ledger_model import COLUMNS, LIGHT_ROLE, PAGE_SIZE, TASK_ID_ROLE, LedgerModel


def _model(ws: Any) -> LedgerModel:
    return LedgerModel(ws.read, ws.today)


def test_model_passes_qt_model_tester(demo_ws: Any, qtmodeltester: Any) -> None:
    model = _model(demo_ws)
    assert model.rowCount() == 60
    qtmodeltester.check(model, force_py=True)


def test_rows_show_chinese_labels_and_light_reason(demo_ws: Any) -> None:
    model = _model(demo_ws)
    model.set_filter(LedgerFilter(light="red"))
    assert model.rowCount() > 0
    col = {key: i for i, (key, _) in enumerate(COLUMNS)}
    for r in range(model.rowCount()):
        assert model.index(r, 0).data(LIGHT_ROLE) == "red"
        assert model.index(r, col["light"]).data() == "红灯"
        assert "逾期" in model.index(r, col["light"]).data(Qt.ItemDataRole.ToolTipRole) or \
            "督办" in model.index(r, col["light"]).data(Qt.ItemDataRole.ToolTipRole)
    sources = ("巡察", "审计", "绩效考核", "督查", "信访/群众反映", "其他")
    assert model.index(0, col["source"]).data() in sources


def test_text_filter_and_sort_run_through_core(demo_ws: Any) -> None:
    model = _model(demo_ws)
    model.set_filter(LedgerFilter(text="消防"))
    titles = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert titles and all("消防" in t for t in titles)
    model.set_filter(LedgerFilter())
    model.sort(2, Qt.SortOrder.DescendingOrder)
    titles = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert titles == sorted(titles, reverse=True)
    # A new filter keeps the chosen order.
    model.set_filter(LedgerFilter(source="audit"))
    titles = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert len(titles) == 10 and titles == sorted(titles, reverse=True)


def test_pages_are_fetched_on_demand_across_page_boundaries(workspace: Any) -> None:
    n = PAGE_SIZE + 37
    with workspace.session() as s:
        for i in range(n):
            create_task(s, "张三", TaskInput(title=f"问题{i:04d}", source="audit", category="immediate",
                                             owner="张三", deadline="2026-06-30"))
    model = _model(workspace)
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == n
    assert model._pages == {}  # nothing read until the view asks
    assert model.index(n - 1, 2).data() == f"问题{n - 1:04d}"
    assert list(model._pages) == [1]
    assert model.index(PAGE_SIZE - 1, 2).data() == f"问题{PAGE_SIZE - 1:04d}"
    assert model.index(0, 0).data(TASK_ID_ROLE)
