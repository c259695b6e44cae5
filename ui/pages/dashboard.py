"""工作台: the figures that matter today and three charts; every figure opens the ledger filtered to it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import labels
from ui.context import AppContext
from ui.messages import fill, plain
from ui.models.ledger_model import LIGHT_COLORS
from ui.pages import LazyPage


class FigureCard(QPushButton):
    """A big number with its caption; clicking it drills down."""

    def __init__(self, caption: str, color: str = "#23395d") -> None:
        super().__init__()
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(78)
        self.setStyleSheet(
            "QPushButton { background: white; border: 1px solid #d6dce5; border-radius: 6px;"
            " text-align: left; padding: 8px 12px; }"
            "QPushButton:hover { border-color: #3a5a8c; background: #f4f7fb; }")
        self.value = QLabel("0")
        self.value.setStyleSheet(f"font-size: 26px; font-weight: bold; color: {color}; "
                                 "background: transparent;")
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: #555; background: transparent;")
        for w in (self.value, self.caption):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_value(self, text: str) -> None:
        self.value.setText(text)


class DashboardPage(LazyPage):
    drill_down = Signal(dict)
    open_notices = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.figures: dict[str, Any] = {}
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.cards: dict[str, FigureCard] = {}
        specs = [
            ("total", self.tr("Rectification tasks"), "#23395d", {}),
            ("closed", self.tr("Closed (signed off)"), "#1e8e3e", {"status": "closed"}),
            ("rate", self.tr("Completion rate"), "#1e8e3e", {"status": "closed"}),
            ("red", self.tr("Red light"), LIGHT_COLORS["red"], {"light": "red"}),
            ("yellow", self.tr("Yellow light"), "#b07d00", {"light": "yellow"}),
            ("green", self.tr("Green light"), LIGHT_COLORS["green"], {"light": "green"}),
            ("overdue", self.tr("Overdue nodes"), LIGHT_COLORS["red"], {"overdue_only": True}),
            ("soon", self.tr("Nodes due soon"), "#b07d00", None),
            ("notices", self.tr("Notices awaiting response"), LIGHT_COLORS["red"], None),
            ("submitted", self.tr("Awaiting sign-off by the city"), "#3a5a8c", {"status": "submitted"}),
            ("rechecks", self.tr("Re-checks (回头看) due"), "#b07d00", None),
            ("quality", self.tr("Evidence quality warnings"), "#b07d00", None),
        ]
        grid = QGridLayout()
        grid.setSpacing(10)
        for i, (key, caption, color, criteria) in enumerate(specs):
            card = FigureCard(caption, color)
            if key == "notices":
                card.clicked.connect(self.open_notices.emit)
            elif key == "rechecks":
                card.clicked.connect(self.show_rechecks)
            elif key == "quality":
                card.clicked.connect(self.show_quality)
            elif key == "soon":
                card.clicked.connect(lambda: self.drill_down.emit(
                    {"due_within_days": self.figures.get("due_soon_days", 3)}))
            else:
                card.clicked.connect(lambda _=False, c=criteria: self.drill_down.emit(dict(c)))
            self.cards[key] = card
            grid.addWidget(card, i // 6, i % 6)

        self.source_chart = self._chart_view()
        self.light_chart = self._chart_view()
        self.month_chart = self._chart_view()
        charts = QHBoxLayout()
        charts.addWidget(self.source_chart, 3)
        charts.addWidget(self.light_chart, 2)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self._points_box())
        layout.addWidget(self._sections_box())
        layout.addLayout(charts, 1)
        layout.addWidget(self.month_chart, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _points_box(self) -> QGroupBox:
        """督考合一: what the city's deductions cost, the appeals it has not answered, the red tasks at risk."""
        box = QGroupBox(self.tr("Deductions and appeals"))
        self.points_summary = plain(QLabel())
        self.points_summary.setWordWrap(True)
        self.at_risk_button = QPushButton()
        self.at_risk_button.setFlat(True)
        self.at_risk_button.setStyleSheet(f"color: {LIGHT_COLORS['red']}; text-align: left;")
        self.at_risk_button.clicked.connect(lambda: self.drill_down.emit({"light": "red"}))
        self.points = QTreeWidget()
        self.points.setRootIsDecorated(False)
        self.points.setHeaderLabels([self.tr("Issued"), self.tr("Kind"), self.tr("Points"), self.tr("Task"),
                                     self.tr("Reason")])
        self.points.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.points.setMinimumHeight(90)
        self.points.setMaximumHeight(170)
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(self.points_summary, 1)
        row.addWidget(self.at_risk_button)
        layout.addLayout(row)
        layout.addWidget(self.points)
        return box

    def _sections_box(self) -> QGroupBox:
        """内部督办: each section desk's progress (core.sections.progress); hidden while there is none."""
        self.sections_box = QGroupBox(self.tr("Section desks"))
        self.sections = QTreeWidget()
        self.sections.setRootIsDecorated(False)
        self.sections.setHeaderLabels([
            self.tr("Section"), self.tr("Tasks handed"), self.tr("Nodes done"), self.tr("Awaiting two-person check"),
            self.tr("Red"), self.tr("Yellow"), self.tr("Green"), self.tr("Last report received")])
        self.sections.header().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        QVBoxLayout(self.sections_box).addWidget(self.sections)
        self.sections_box.hide()
        return self.sections_box

    def _show_sections(self, rows: list[dict[str, Any]]) -> None:
        self.sections.clear()
        for r in rows:
            last = r["last_report"]
            received = fill(self.tr("no. %1 on %2"), last["sequence"], last["date"]) if last else self.tr("none yet")
            item = QTreeWidgetItem([
                f"{r['name']}（{r['code']}）", str(r["tasks"]), f"{r['nodes_done']}/{r['nodes_total']}",
                str(r["awaiting_confirmation"]), str(r["lights"]["red"]), str(r["lights"]["yellow"]),
                str(r["lights"]["green"]), received])
            for col, color in ((4, "red"), (5, "yellow"), (6, "green")):
                item.setForeground(col, QColor(LIGHT_COLORS[color]))
            self.sections.addTopLevelItem(item)
        for col in range(7):
            self.sections.resizeColumnToContents(col)
        row_h = self.sections.sizeHintForRow(0) if rows else 20
        self.sections.setFixedHeight(min(170, self.sections.header().sizeHint().height() + row_h * len(rows) + 8))
        self.sections_box.setVisible(bool(rows))

    def _show_points(self, p: dict[str, Any]) -> None:
        t = p["totals"]
        self.points_summary.setText(fill(
            self.tr("Pre-deductions %1 points, deductions %2 points (reversed, not counted: %3 points). "
                    "Appeals awaiting the city's answer: %4."),
            f"{t['pre']:g}", f"{t['final']:g}", f"{t['reversed']:g}", len(p["appeals_pending"])))
        self.at_risk_button.setText(fill(self.tr("%1 open red tasks put further points at risk…"),
                                         p["red_at_risk_count"]))
        self.at_risk_button.setVisible(p["red_at_risk_count"] > 0)
        self.points.clear()
        for d in p["deductions"]:
            kind = labels.label("deduction", d["kind"])
            points = f"{d['points']:g}"
            if d["reversed"]:
                points += self.tr(" (reversed)")
            item = QTreeWidgetItem([d["issued"], kind, points, d["task_title"] or d["task_ref"], d["reason"]])
            if d["reversed"]:
                font = item.font(0)
                font.setStrikeOut(True)
                for col in range(5):
                    item.setFont(col, font)
                    item.setForeground(col, QColor("#777777"))
            self.points.addTopLevelItem(item)
        if not p["deductions"]:
            self.points.addTopLevelItem(QTreeWidgetItem(["", self.tr("No deduction from the city."), "", "", ""]))

    def _chart_view(self) -> QChartView:
        view = QChartView()
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(230)
        return view

    def refresh(self) -> None:
        d = self.ctx.query(lambda q: {**q.dashboard(), "months": q.completion_by_month(12),
                                      "due_soon_days": q.thresholds.due_soon_days, "points": q.points()})
        self._show_points(d["points"])
        from core.sections.progress import section_progress

        self._show_sections(self.ctx.read(lambda s: section_progress(s, self.ctx.ws.today)))
        self.figures = d
        self.title.setText(self.tr("Today %s") % d["today"])
        self.cards["total"].set_value(f"{d['total']:,}")
        self.cards["closed"].set_value(f"{d['closed']:,}")
        self.cards["rate"].set_value(f"{d['completion_rate'] * 100:.1f}%")
        for color in ("red", "yellow", "green"):
            self.cards[color].set_value(f"{d['by_light'][color]:,}")
        self.cards["overdue"].set_value(f"{d['overdue_nodes']:,}")
        self.cards["submitted"].set_value(f"{d['by_status']['submitted']:,}")
        self.cards["soon"].set_value(f"{d['due_soon_nodes']:,}")
        self.cards["soon"].caption.setText(self.tr("Nodes due within %s days") % d["due_soon_days"])
        self.cards["notices"].set_value(f"{d['notices_awaiting_response']:,}")
        from ui.dialogs.rechecks_dialog import recheck_due_count

        self.cards["rechecks"].set_value(f"{recheck_due_count(self.ctx):,}")
        self.cards["quality"].set_value("…")
        QTimer.singleShot(0, self._count_quality)  # a full scan of the evidence: after the page is painted
        self._source_chart(d)
        self._light_chart(d)
        self._month_chart(d["months"])

    def _count_quality(self) -> None:
        from ui.dialogs.quality_dialog import all_flags

        self.quality_flags = all_flags(self.ctx)
        self.cards["quality"].set_value(f"{len(self.quality_flags):,}")

    def show_rechecks(self) -> None:
        from ui.dialogs.rechecks_dialog import RechecksDialog

        RechecksDialog(self.ctx, self).exec()

    def show_quality(self) -> None:
        from ui.dialogs.quality_dialog import QualityDialog

        QualityDialog(self.ctx, None, self).exec()

    # -- charts ------------------------------------------------------------------------------
    def _new_chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        return chart

    def _source_chart(self, d: dict[str, Any]) -> None:
        chart = self._new_chart(self.tr("Tasks by source (click a bar for the list)"))
        keys = [k for k, _ in labels.choices("source") if d["by_source"].get(k)]
        total = QBarSet(self.tr("All"))
        closed = QBarSet(self.tr("Closed"))
        total.setColor(QColor("#3a5a8c"))
        closed.setColor(QColor(LIGHT_COLORS["green"]))
        for k in keys:
            total.append(d["by_source"].get(k, 0))
            closed.append(d["closed_by_source"].get(k, 0))
        total.clicked.connect(lambda i: self.drill_down.emit({"source": keys[i]}))
        closed.clicked.connect(lambda i: self.drill_down.emit({"source": keys[i], "status": "closed"}))
        _add_bars(chart, [total, closed], [labels.label("source", k) for k in keys])
        self._set_chart(self.source_chart, chart)

    def _light_chart(self, d: dict[str, Any]) -> None:
        chart = self._new_chart(self.tr("Three-colour warning"))
        series = QPieSeries()
        series.setHoleSize(0.35)
        for color in ("red", "yellow", "green"):
            n = d["by_light"][color]
            if not n:
                continue
            s: QPieSlice = series.append(f"{labels.label('light', color)} {n}", n)
            s.setColor(QColor(LIGHT_COLORS[color]))
            s.clicked.connect(lambda c=color: self.drill_down.emit({"light": c}))
            s.hovered.connect(lambda on, sl=s: sl.setExploded(on))
        chart.addSeries(series)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self._set_chart(self.light_chart, chart)

    def _month_chart(self, months: list[tuple[str, int, int]]) -> None:
        chart = self._new_chart(self.tr("Completion over the last 12 months"))
        closed = QBarSet(self.tr("Closed that month"))
        created = QBarSet(self.tr("Added that month"))
        closed.setColor(QColor(LIGHT_COLORS["green"]))
        created.setColor(QColor("#9aa9c2"))
        for _, c, n in months:
            closed.append(c)
            created.append(n)
        keys = [m for m, _, _ in months]
        closed.clicked.connect(lambda i: self.drill_down.emit({"closed_in": keys[i], "status": "closed"}))
        _add_bars(chart, [created, closed], [m[2:] for m in keys])
        self._set_chart(self.month_chart, chart)

    @staticmethod
    def _set_chart(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()


def _add_bars(chart: QChart, sets: list[QBarSet], categories: list[str]) -> None:
    series = QBarSeries()
    for s in sets:
        series.append(s)
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append(categories)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    axis_y = _count_axis(series)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)


def _count_axis(series: QBarSeries) -> QValueAxis:
    """Whole numbers only: ticks every 1, 2, 5, 10… so that no tick falls between two counts."""
    top = max((s.at(i) for s in series.barSets() for i in range(s.count())), default=0)
    step = next(x for x in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10**4, 10**5, 10**6)
                if top / x <= 4)  # few labels: the axis stays legible when the chart is short
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, max(step, -(-top // step) * step))
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    return axis
