"""Text from packages and spreadsheets is shown as written: never drawn as markup, tooltips included."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from sqlalchemy import select

from db.models import Notice, Task

HOSTILE = '<img src="file:///etc/hosts"><b>x</b>'


def _as_qt_draws_it(tooltip: str) -> str:
    """What a tooltip shows: Qt draws it as HTML whenever it looks like HTML (Qt.mightBeRichText)."""
    doc = QTextDocument()
    doc.setHtml(tooltip)
    assert "<img" not in doc.toHtml()  # nothing to load
    return doc.toPlainText()


def test_a_hostile_title_shows_literally_in_the_ledger_tooltip(demo_ws: Any, qtbot: Any) -> None:
    from ui.main_window import MainWindow
    from ui.models.ledger_model import COLUMNS

    with demo_ws.session() as s:
        task = s.scalar(select(Task).where(Task.deleted.is_(None)).order_by(Task.id).limit(1))
        task.title = HOSTILE
        task_id = task.id
    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    model = win.ledger_page.model
    col = [c[0] for c in COLUMNS].index("title")
    r = next(r for r in range(model.rowCount()) if model.row(r).id == task_id)
    tip = model.index(r, col).data(Qt.ItemDataRole.ToolTipRole)
    assert _as_qt_draws_it(tip) == HOSTILE


def test_a_hostile_notice_shows_literally_in_the_list_and_the_view(window: Any, demo_ws: Any,
                                                                    add_notice: Any) -> None:
    add_notice(demo_ws, "red")
    with demo_ws.session() as s:
        n = s.scalar(select(Notice))
        n.title, n.text, n.issuer, n.respond_by = HOSTILE, HOSTILE + " 正文", HOSTILE, HOSTILE
    window.show_page("notices")
    page = window.notices_page
    page.refresh()
    title_col = next(c for c in range(page.model.columnCount())
                     if page.model.index(0, c).data(Qt.ItemDataRole.ToolTipRole))
    assert _as_qt_draws_it(page.model.index(0, title_col).data(Qt.ItemDataRole.ToolTipRole)) == HOSTILE + " 正文"
    shown = page.detail.toPlainText()
    assert shown.count(HOSTILE) >= 3 and "<img" not in page.detail.toHtml()


def test_every_tooltip_with_data_goes_through_the_escaping_helper() -> None:
    """A tooltip is set from a translation, a literal, or `ui.messages.tooltip(...)`: never raw data."""
    import ast

    from tests.conftest import ROOT

    def safe(arg: ast.expr) -> bool:
        if isinstance(arg, ast.Constant):
            return True
        if isinstance(arg, ast.IfExp):
            return safe(arg.body) and safe(arg.orelse)
        if isinstance(arg, ast.Call):
            f = arg.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            return name in ("tr", "translate", "tooltip")
        if isinstance(arg, ast.BinOp):  # self.tr("…%s") % n — a translation filled with a number
            return safe(arg.left)
        return False

    raw = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == "setToolTip" and not safe(node.args[-1]):
                raw.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not raw, raw
