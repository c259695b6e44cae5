"""工作台: the city's deductions with reversed ones struck out, pending appeals, red tasks at risk."""

from __future__ import annotations

from tests.core.ledger.test_points import _ledger


def test_the_dashboard_shows_deductions_with_reversed_ones_struck_out(qtbot, workspace) -> None:  # noqa: ANN001
    from ui.context import AppContext
    from ui.pages.dashboard import DashboardPage

    _ledger(workspace)
    page = DashboardPage(AppContext(workspace))
    qtbot.addWidget(page)
    page.refresh()
    assert "预扣分 0.5 分" in page.points_summary.text() and "申诉" in page.points_summary.text()
    rows = [page.points.topLevelItem(i) for i in range(page.points.topLevelItemCount())]
    struck = {r.text(4): r.font(0).strikeOut() for r in rows}
    assert struck == {"进度滞后": False, "逾期未整改": True, "台账不实": False}
    assert page.at_risk_button.isVisibleTo(page) and "1" in page.at_risk_button.text()
    with qtbot.waitSignal(page.drill_down) as sig:
        page.at_risk_button.click()
    assert sig.args == [{"light": "red"}]
