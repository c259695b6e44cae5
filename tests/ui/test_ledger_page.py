"""整改台账 page: search (debounced), filters, clearing, deleting through core."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt


def test_search_box_filters_after_typing_stops(window: Any, qtbot: Any) -> None:
    page = window.ledger_page
    window.show_page("ledger")
    page.search.setText("巡察")
    assert page.model.rowCount() == 60  # not yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: page.model.rowCount() == 12)
    assert page.count_label.text() == "共 12 条"


def test_filters_combine_and_clear(window: Any, qtbot: Any) -> None:
    page = window.ledger_page
    page.combos["source"].setCurrentIndex(page.combos["source"].findData("audit"))
    assert page.model.rowCount() == 10
    page.combos["status"].setCurrentIndex(page.combos["status"].findData("closed"))
    closed_audit = page.model.rowCount()
    assert closed_audit < 10
    assert all(page.model.index(r, 9).data() == "已销号" for r in range(closed_audit))
    owner = page.combos["owner"]
    qtbot.waitUntil(lambda: owner.count() > 5)  # the people of the demo unit, read after the first paint
    page.clear_filters()
    assert page.model.rowCount() == 60


def test_delete_from_context_action_goes_through_core(window: Any, messages: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.delete_task import DeleteTaskDialog

    asked: list[str] = []

    def confirm(dialog: DeleteTaskDialog) -> int:  # a task with evidence: the tick box, then 删除
        asked.append(dialog.guard.title)
        dialog.understood.setChecked(True)
        dialog.delete_button.click()
        return int(dialog.result())

    monkeypatch.setattr(DeleteTaskDialog, "exec", confirm)
    page = window.ledger_page
    page.search.setText("统计数据质量问题")  # a task entered by the unit itself (no city ref)
    page.apply_filters()
    assert page.model.rowCount() == 1
    row = page.model.row(0)
    page.delete_task(row.id, row.title)
    assert "统计数据质量问题" in (asked or messages)[-1]
    page.apply_filters()
    assert page.model.rowCount() == 0


def test_sorting_by_header_click_orders_rows(window: Any) -> None:
    page = window.ledger_page
    page.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)
    deadlines = [page.model.index(r, 7).data() for r in range(page.model.rowCount())]
    assert deadlines == sorted(deadlines, reverse=True)


def test_an_empty_ledger_says_what_to_do(workspace: Any, qtbot: Any, qapp: Any) -> None:  # noqa: ARG001
    from ui.context import AppContext
    from ui.pages.ledger import LedgerPage

    page = LedgerPage(AppContext(workspace))
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    assert page.empty.isVisible() and "新建任务" in page.empty.text() and "数据交换" in page.empty.text()
    page.search.setText("消防")
    page.apply_filters()
    assert page.empty.isVisible() and "清除筛选" in page.empty.text()
