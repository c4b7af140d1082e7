"""Figures as JSON-ready data and as CSV rows (the CLI's and the web service's output)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from probation_reset.figures.charts import Chart, charts
from probation_reset.figures.model import Figures

#: The columns of the long CSV of every chart's table: one row per number.
CSV_COLUMNS = ("chart", "x_label", "x", "series", "value")


def chart_json(chart: Chart) -> dict[str, Any]:
    return {
        "id": chart.id,
        "title": chart.title,
        "description": chart.description,
        "kind": chart.kind.value,
        "x_label": chart.x_label,
        "y_label": chart.y_label,
        "categories": list(chart.categories),
        "series": [{"name": s.name, "values": list(s.values)} for s in chart.series],
    }


def figures_json(figures: Figures) -> dict[str, Any]:
    workload = figures.workload
    missed = figures.missed
    return {
        "on": figures.on.isoformat(),
        "scope": {"level": figures.scope.level.value, "name": figures.scope.name},
        "people": figures.people,
        "policy_versions": list(figures.policy_versions),
        "by_status": dict(figures.by_status),
        "in_reset_measures": figures.in_reset_measures,
        "by_team": {team: dict(counts) for team, counts in figures.by_team.items()},
        "weeks": [
            {
                "start": w.start.isoformat(),
                "last": w.last.isoformat(),
                "by_status": dict(w.by_status),
                "in_reset_measures": w.in_reset_measures,
                "suspended": w.suspended,
                "reinstated": w.reinstated,
                "re_suspended": w.re_suspended,
                "hub_received": w.hub_received,
                "hub_triaged": dict(w.hub_triaged),
            }
            for w in figures.weeks
        ],
        "workload_removed": {
            "month": workload.month.start.isoformat()[:7],
            "monthly": workload.total.monthly,
            "weekly": workload.total.weekly,
            "by_team": {
                team: {"monthly": r.monthly, "weekly": r.weekly}
                for team, r in workload.by_team.items()
            },
        },
        "missed_obligations": None
        if missed is None
        else {
            "from": missed.first.isoformat(),
            "to": missed.last.isoformat(),
            "total": missed.total,
            "by_team": {team: dict(rules) for team, rules in missed.by_team.items()},
        },
        "hub": None
        if figures.hub is None
        else {
            "from": figures.hub.first.isoformat(),
            "to": figures.hub.last.isoformat(),
            "received": figures.hub.received,
            "by_source": dict(figures.hub.by_source),
            "by_outcome": dict(figures.hub.by_outcome),
        },
        "charts": [chart_json(c) for c in charts(figures)],
    }


def csv_rows(figures: Figures) -> Iterator[tuple[str | int, ...]]:
    """Every chart's numbers, one row each: chart id, x label, category, series, value."""
    for chart in charts(figures):
        for i, category in enumerate(chart.categories):
            for series in chart.series:
                yield (chart.id, chart.x_label, category, series.name, series.values[i])
