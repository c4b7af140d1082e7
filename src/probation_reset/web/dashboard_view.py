"""The regional dashboard as the web shows it: the figures of a region, PDU or team on a day
(``figures.dashboard``), each chart as an accessible SVG image (``figures.svg``, pygal) with
the table of its numbers beside it, and each table as CSV.

The SVG is embedded as a ``data:`` image: an image document runs no script and the page's
Content-Security-Policy allows ``data:`` images only, so the chart's own styles never reach the
page; its text alternative is the chart's description, and the data table says the same.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from probation_reset.figures.charts import Chart, charts
from probation_reset.figures.model import STATUS_ORDER, Figures
from probation_reset.figures.svg import render_svg
from probation_reset.web.tables import Table


@dataclass(frozen=True, slots=True)
class ShownChart:
    chart: Chart
    image: str
    table: Table


def chart_table(chart: Chart) -> Table:
    rows = tuple(tuple(row) for row in chart.rows())
    return Table(chart.id, chart.title, chart.columns, rows)


def summary_table(figures: Figures) -> Table:
    statuses = [s.value for s in STATUS_ORDER]
    rows = [(s, figures.by_status.get(s, 0)) for s in statuses]
    return Table(
        "summary",
        f"People by status on {figures.on.isoformat()}, {figures.scope.describe()}",
        ("status", "people"),
        (*rows, ("in Reset measures (SUSPENDED)", figures.in_reset_measures)),
    )


def team_table(figures: Figures) -> Table:
    statuses = [s.value for s in STATUS_ORDER]
    return Table(
        "teams",
        f"People by status and team on {figures.on.isoformat()}",
        ("team", *statuses),
        tuple(
            (team, *(counts.get(s, 0) for s in statuses))
            for team, counts in figures.by_team.items()
        ),
    )


def shown_charts(figures: Figures) -> list[ShownChart]:
    shown = []
    for chart in charts(figures):
        svg = render_svg(chart).encode("utf-8")
        image = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
        shown.append(ShownChart(chart, image, chart_table(chart)))
    return shown


def tables(figures: Figures) -> list[Table]:
    return [summary_table(figures), team_table(figures), *(chart_table(c) for c in charts(figures))]
