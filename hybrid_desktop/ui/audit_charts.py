"""The charts and small read-outs of the Workload Audit window (``ui.audit_window``).

Each widget only shows figures it is handed (``storage.audit``'s aggregates, read off the GUI
thread by the window); none of them reads the history. The route colours are those of the tray
icon (``ui.icons``): local blue, edge teal, cloud violet.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.storage.audit import AVOIDED_NOTE
from hybrid_desktop.ui import theme
from hybrid_desktop.ui.audit_words import bucket_label, kind_label, money, route_label, word

ROUTES = ("local", "edge", "cloud")
ROUTE_COLOURS = {"local": "#2563eb", "edge": "#0f766e", "cloud": "#7c3aed"}
#: How many buckets the share chart shows at most (the newest), so its axis stays readable.
MAX_BARS = {"day": 30, "week": 26, "month": 24}


def label(text: str = "", name: str = "", *, wrap: bool = False) -> QLabel:
    """A label, named for assistive technology when it reads out a figure."""
    out = QLabel(text)
    out.setWordWrap(wrap)
    if name:
        out.setAccessibleName(name)
    return out


def name_for_screen_readers(widget: QWidget, name: str, description: str) -> None:
    """An accessible name and description without a tooltip (for views whose items or bars
    show tooltips of their own, which the widget's would cover)."""
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)


def group(title: str, *widgets: QWidget) -> QGroupBox:
    """A titled box of ``widgets``, one under the other."""
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 6, 8, 6)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def _small_font() -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    return font


def _chart_theme() -> QChart.ChartTheme:
    dark = theme.is_dark()
    return QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight


def _chart() -> QChart:
    """A chart without title or margins: the group box around it says what it shows."""
    chart = QChart()
    chart.setTheme(_chart_theme())
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(0, 0, 0, 0))
    layout = chart.layout()
    if layout is not None:
        layout.setContentsMargins(0, 0, 0, 0)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
    chart.legend().setFont(_small_font())
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _bar_set(name: str, colour: str, values: list[float]) -> QBarSet:
    bar_set = QBarSet(name)
    bar_set.setColor(QColor(colour))
    bar_set.setBorderColor(QColor(colour))
    bar_set.append(values)
    return bar_set


class BarChart(QChartView):
    """A bar chart rebuilt from scratch on each :meth:`plot` (series and axes are cheap)."""

    horizontal = False

    def __init__(self, name: str, description: str) -> None:
        self.chart_ = _chart()
        super().__init__(self.chart_)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        name_for_screen_readers(self, name, description)  # no tooltip: the bars have theirs
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMinimumHeight(150)
        self.shown_categories: list[str] = []

    def plot(
        self,
        series: QBarSeries | QStackedBarSeries | QHorizontalBarSeries,
        categories: list[str],
        top: float,
    ) -> tuple[QBarCategoryAxis, QValueAxis]:
        chart = self.chart_
        if chart.theme() != _chart_theme():  # the scheme changed since the last plot
            chart.setTheme(_chart_theme())
            chart.setBackgroundVisible(False)
            chart.legend().setFont(_small_font())
        chart.removeAllSeries()
        for old in chart.axes():
            chart.removeAxis(old)
        chart.addSeries(series)
        category_axis, value_axis = QBarCategoryAxis(), QValueAxis()
        category_axis.append(categories)
        value_axis.setLabelFormat("%.0f")
        value_axis.setRange(0, max(1.0, top))
        value_axis.applyNiceNumbers()
        for axis in (category_axis, value_axis):
            axis.setLabelsFont(_small_font())
        sides = (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft)
        category_side, value_side = reversed(sides) if self.horizontal else sides
        chart.addAxis(category_axis, category_side)
        chart.addAxis(value_axis, value_side)
        series.attachAxis(category_axis)
        series.attachAxis(value_axis)
        self.shown_categories = list(categories)
        return category_axis, value_axis


class RouteShareChart(BarChart):
    """Requests per route per day, week or month (stacked), the newest :data:`MAX_BARS`. The
    window's headline is its legend (the route colours)."""

    def __init__(self) -> None:
        super().__init__(
            QCoreApplication.translate("RouteShareChart", "Requests per route over time"),
            QCoreApplication.translate(
                "RouteShareChart",
                "Stacked bars: local, edge and cloud requests per day, week or month",
            ),
        )
        self.chart_.legend().hide()
        self.rows: list[dict[str, Any]] = []
        self.bucket = "day"
        self.note = ""  # which buckets are shown, when not all

    def show_rows(self, rows: list[dict[str, Any]], bucket: str) -> None:
        self.rows, self.bucket = rows[-MAX_BARS.get(bucket, 30) :], bucket
        series = QStackedBarSeries()
        for route in ROUTES:
            values = [float(row[route]) for row in self.rows]
            series.append(_bar_set(route_label(route), ROUTE_COLOURS[route], values))
        series.setBarWidth(0.75)
        series.hovered.connect(self._hovered)
        top = max((row["total"] for row in self.rows), default=0)
        labels = [bucket_label(row["bucket"], bucket) for row in self.rows]
        category_axis, _ = self.plot(series, labels, top)
        category_axis.setLabelsAngle(-90 if len(labels) > 10 else 0)
        shown = len(self.rows)
        self.note = self._note(shown, bucket) if len(rows) > shown else ""

    def _note(self, shown: int, bucket: str) -> str:
        if bucket == "week":
            return self.tr("the last %n weeks shown", "", shown)
        if bucket == "month":
            return self.tr("the last %n months shown", "", shown)
        return self.tr("the last %n days shown", "", shown)

    def _hovered(self, status: bool, index: int, _bar_set: QBarSet) -> None:
        if not status or not 0 <= index < len(self.rows):
            QToolTip.hideText()
            return
        row = self.rows[index]
        total = row["total"] or 1
        parts = ", ".join(
            self.tr("{route} {count} ({share})").format(
                route=word(r), count=row[r], share=f"{row[r] / total:.0%}"
            )
            for r in ROUTES
        )
        when = bucket_label(row["bucket"], self.bucket)
        text = self.tr("{when}: %n requests; {parts}", "", int(row["total"]))
        QToolTip.showText(QCursor.pos(), text.format(when=when, parts=parts), self)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


class LatencyPanel(QGroupBox):
    """p50 and p95 latency per route, in milliseconds: bars, and the figures under them."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Latency per route (ms)"))
        self.chart = BarChart(
            self.tr("Latency per route"),
            self.tr(
                "Bars: the median (p50) and 95th percentile (p95) latency of each route, in ms"
            ),
        )
        self.figures = label("", self.tr("Latency figures per route"))
        self.figures.setFont(_small_font())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.figures)

    def show_body(self, body: dict[str, Any]) -> None:
        latency: dict[str, dict[str, Any]] = body["latency_ms"]
        series = QBarSeries()
        top = 0.0
        for key, colour in (("p50", "#60a5fa"), ("p95", "#1e40af")):
            values = [float(latency[r][key] or 0) for r in ROUTES]
            top = max(top, *values)
            series.append(_bar_set(key, colour, values))
        self.chart.plot(series, [word(r) for r in ROUTES], top)
        rows = "".join(
            f"<tr><td>{word(r)}</td><td align=right>&nbsp;{_ms(latency[r]['p50'])}</td>"
            f"<td align=right>&nbsp;{_ms(latency[r]['p95'])}</td>"
            f"<td align=right>&nbsp;{latency[r]['n']:,}</td></tr>"
            for r in ROUTES
        )
        head = "<tr><th></th><th>&nbsp;p50</th><th>&nbsp;p95</th><th>&nbsp;n</th></tr>"
        table = f"<table>{head}{rows}</table>"
        self.figures.setText(table)


class PiiChart(BarChart):
    """PII findings per entity type (horizontal bars, the commonest on top, counts at the end)."""

    horizontal = True

    def __init__(self) -> None:
        super().__init__(
            QCoreApplication.translate("PiiChart", "PII findings per type"),
            QCoreApplication.translate(
                "PiiChart", "Horizontal bars: how many findings of each kind of personal data"
            ),
        )
        self.chart_.legend().hide()
        self.setMinimumHeight(200)  # less, and QtCharts elides the type names to "…"

    def show_pii(self, pii: dict[str, int]) -> None:
        kinds = list(reversed(pii))  # the chart draws the first category at the bottom
        series = QHorizontalBarSeries()
        bars = _bar_set(self.tr("findings"), "#b45309", [float(pii[k]) for k in kinds])
        bars.setLabelColor(self.palette().color(QPalette.ColorRole.WindowText))
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setBarWidth(0.7)
        names = [kind_label(k) for k in kinds] or [self.tr("none found")]
        _, value_axis = self.plot(series, names, max(pii.values(), default=0) * 1.2)
        value_axis.setLabelsVisible(False)  # the bars say their counts


class BudgetRow(QWidget):
    """ "$x of $cap today" and a bar filling towards the cap ("no cap" when it is 0); ``when``
    is "today" or "this month", translated."""

    def __init__(self, when: str) -> None:
        super().__init__()
        self.when = when
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.bar.setAccessibleName(self.tr("Cloud spend {when} against the cap").format(when=when))
        self.bar.setAccessibleDescription(self.tr("How much of the cap is spent"))
        layout.addWidget(self.label)
        layout.addWidget(self.bar)

    def show_spend(self, spent: float, cap: float) -> None:
        if cap <= 0:
            text = self.tr("{spent} {when}: no cap").format(spent=money(spent), when=self.when)
            self.bar.setValue(0)
        else:
            text = (
                self.tr("{spent} of {cap} {when} (the cap is reached)")
                if spent >= cap
                else self.tr("{spent} of {cap} {when}")
            ).format(spent=money(spent), cap=money(cap), when=self.when)
            self.bar.setValue(int(min(1.0, spent / cap) * 1000))
        self.label.setText(text)
        self.bar.setAccessibleDescription(text)
        self.bar.setToolTip(text)


class ReasonList(QTreeWidget):
    """The commonest reasons, with their counts (the full reason in the tooltip)."""

    def __init__(self, title: str, name: str, description: str) -> None:
        super().__init__()
        self.setColumnCount(2)
        self.setHeaderLabels([self.tr("Count"), title])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        name_for_screen_readers(self, name, description)
        name_for_screen_readers(
            self.header(),
            self.tr("{list}: columns").format(list=name),
            self.tr("The titles of the list's columns"),
        )
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.header().setStretchLastSection(True)
        self.setColumnWidth(0, 56)

    def show_reasons(self, reasons: list[dict[str, Any]], limit: int = 5) -> None:
        self.clear()
        for entry in reasons[:limit]:
            reason = entry["reason"] or self.tr("(no reason)")
            item = QTreeWidgetItem([f"{entry['count']:,}", reason])
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(1, entry["reason"])
            self.addTopLevelItem(item)
        if not reasons:
            self.addTopLevelItem(QTreeWidgetItem(["", self.tr("none in this period")]))

    def reasons(self) -> list[tuple[int, str]]:
        """What the list shows: (count, reason) per row."""
        out = []
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is not None and item.text(0):
                out.append((int(item.text(0).replace(",", "")), item.text(1)))
        return out


class RouteCounts(QWidget):
    """The headline: requests in the period, per route (with its share), per status."""

    def __init__(self) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(2, 0, 2, 0)
        self.total = label("", self.tr("Requests in the period"))
        font = self.total.font()
        font.setBold(True)
        self.total.setFont(font)
        names = {
            "local": self.tr("Local requests"),
            "edge": self.tr("Edge requests"),
            "cloud": self.tr("Cloud requests"),
        }
        self.routes = {r: label("", names[r]) for r in ROUTES}
        self.statuses = label("", self.tr("Requests per status"))
        row.addWidget(self.total)
        for route in ROUTES:
            row.addSpacing(12)
            row.addWidget(self.routes[route])
        row.addStretch(1)
        row.addWidget(self.statuses)

    def show_body(self, body: dict[str, Any]) -> None:
        n = int(body["requests"])
        if n == 1:
            total = self.tr("1 request:")
        elif n:
            total = self.tr("{count} requests:", "", n).format(count=f"{n:,}")
        else:
            total = self.tr("No requests in this period.")
        self.total.setText(total)
        for route, shown in self.routes.items():
            share = body["route_share"][route]
            html = (
                f"<span style='color:{ROUTE_COLOURS[route]}'>■</span> {route_label(route)} "
                f"{body['routes'][route]:,} ({share:.0%})"
            )
            shown.setText(html)
        self.statuses.setText(", ".join(f"{word(k)} {v:,}" for k, v in body["statuses"].items()))


class MoneyPanel(QGroupBox):
    """Cloud spend against the daily and monthly caps, and the estimated cloud cost avoided."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Cloud spend and budget"))
        self.today = BudgetRow(self.tr("today"))
        self.month = BudgetRow(self.tr("this month"))
        self.spend = label("", self.tr("Cloud spend in the period"), wrap=True)
        self.avoided = label("", self.tr("Estimated cloud cost avoided"), wrap=True)
        self.note = label("", self.tr("How the cost avoided is estimated"), wrap=True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.note.setToolTip(AVOIDED_NOTE)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        for widget in (self.today, self.month, self.spend, line, self.avoided, self.note):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_body(self, body: dict[str, Any]) -> None:
        budget = body["budget"]
        self.today.show_spend(budget["spent_today_usd"], budget["daily_cap_usd"])
        self.month.show_spend(budget["spent_month_usd"], budget["monthly_cap_usd"])
        unpriced = body["cost_by_source"]["unpriced"]
        spend = (
            self.tr("Cloud spend in the period: {cost} (and {count} unpriced)")
            if unpriced
            else self.tr("Cloud spend in the period: {cost}")
        )
        self.spend.setText(spend.format(cost=money(body["cost_usd"]), count=f"{unpriced:,}"))
        avoided = self.tr("Estimated cloud cost avoided: {cost}").format(
            cost=money(body["estimated_cost_avoided_usd"])
        )
        bold = f"<b>{avoided}</b>"
        self.avoided.setText(bold)
        self.avoided.setAccessibleDescription(avoided)
        self.note.setText(
            self.tr("(an estimate: local and edge tokens priced at {model}'s rates)").format(
                model=body["cloud_model"]
            )
        )


class PiiPanel(QGroupBox):
    """PII findings per type, and how many requests the policy kept on the device."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Personal data found"))
        self.chart = PiiChart()
        self.kept = label("", self.tr("Requests kept on this device by policy"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.kept)

    def show_body(self, body: dict[str, Any]) -> None:
        self.chart.show_pii(body["pii"])
        kept = f"{body['kept_local_by_policy']:,}"
        self.kept.setText(self.tr("Kept on this device by policy: {count}").format(count=kept))


class ReasonsPanel(QGroupBox):
    """The top five reasons for escalation and for fallback."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Top reasons"))
        self.escalations = ReasonList(
            self.tr("Escalation reason"),
            self.tr("Top reasons for escalation"),
            self.tr("The five commonest reasons a request went to a bigger model, with counts"),
        )
        self.fallbacks = ReasonList(
            self.tr("Fallback reason"),
            self.tr("Top reasons for fallback"),
            self.tr("The five commonest reasons a request took a fallback route, with counts"),
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.escalations)
        layout.addWidget(self.fallbacks)

    def show_body(self, body: dict[str, Any]) -> None:
        self.escalations.show_reasons(body["top_reasons"]["escalation"])
        self.fallbacks.show_reasons(body["top_reasons"]["fallback"])
