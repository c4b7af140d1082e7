"""Figures as chart-ready series, each with the table of the same numbers (for CSV and for the
data table beside an accessible chart).

A chart has categories along the x axis (weeks, or teams) and one or more series of whole
numbers, one per line or bar group; ``rows`` gives the same numbers as a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from probation_reset.domain.vocabulary import Status
from probation_reset.figures.model import STATUS_ORDER, Figures


class ChartKind(StrEnum):
    LINE = "line"
    BAR = "bar"


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: ``id`` (a file name), a title, a sentence saying what it shows (the text
    alternative), axis labels, the categories and the series."""

    id: str
    title: str
    description: str
    kind: ChartKind
    x_label: str
    y_label: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.x_label, *(s.name for s in self.series))

    def rows(self) -> list[tuple[str | int, ...]]:
        return [
            (category, *(s.values[i] for s in self.series))
            for i, category in enumerate(self.categories)
        ]


#: The statuses drawn week by week (ENDED is everyone else: in the table, not on the chart).
CHARTED_STATUSES = tuple(s for s in STATUS_ORDER if s is not Status.ENDED)


def charts(figures: Figures) -> list[Chart]:
    """The dashboard's charts for ``figures``, in reading order."""
    weeks = tuple(w.start.isoformat() for w in figures.weeks)
    scope = figures.scope.describe()
    span = f"the {len(weeks)} weeks to {figures.on.isoformat()}"
    found = [
        Chart(
            "people-by-status",
            f"People by status, {scope}",
            f"People in each Reset status at the end of each week, {span} (week of Monday).",
            ChartKind.LINE,
            "week",
            "people",
            weeks,
            tuple(
                Series(s.value, tuple(w.by_status.get(s.value, 0) for w in figures.weeks))
                for s in (*CHARTED_STATUSES, Status.ENDED)
            ),
        ),
        Chart(
            "in-reset-measures",
            f"In Reset measures, {scope}",
            f"People whose sentence-management contact is suspended at the end of each week, "
            f"{span}.",
            ChartKind.LINE,
            "week",
            "people",
            weeks,
            (Series("SUSPENDED", tuple(w.in_reset_measures for w in figures.weeks)),),
        ),
        Chart(
            "status-changes",
            f"Suspensions, reinstatements and re-suspensions, {scope}",
            f"Status changes dated in each week, {span}: first suspensions, reinstatements "
            f"(an exemption began) and re-suspensions.",
            ChartKind.BAR,
            "week",
            "people",
            weeks,
            (
                Series("suspended", tuple(w.suspended for w in figures.weeks)),
                Series("reinstated", tuple(w.reinstated for w in figures.weeks)),
                Series("re-suspended", tuple(w.re_suspended for w in figures.weeks)),
            ),
        ),
    ]
    outcomes = sorted({o for w in figures.weeks for o in w.hub_triaged})
    found.append(
        Chart(
            "hub-items",
            f"Hub items received and triaged, {scope}",
            f"Items received by the regional hub in each week, and triages in it by outcome, "
            f"{span}.",
            ChartKind.BAR,
            "week",
            "items",
            weeks,
            (
                Series("received", tuple(w.hub_received for w in figures.weeks)),
                *(
                    Series(o, tuple(w.hub_triaged.get(o, 0) for w in figures.weeks))
                    for o in outcomes
                ),
            ),
        )
    )
    workload = figures.workload
    teams = tuple(workload.by_team)
    month = workload.month.start.strftime("%B %Y")
    found.append(
        Chart(
            "workload-removed",
            f"Appointments the Reset removed in {month}, {scope}",
            f"Appointments not owed in {month} because contact is suspended, by team: "
            f"{workload.total.monthly} monthly (RAR orders and licences) and "
            f"{workload.total.weekly} weekly (RoSH high) in all.",
            ChartKind.BAR,
            "team",
            "appointments",
            teams,
            (
                Series("monthly", tuple(workload.by_team[t].monthly for t in teams)),
                Series("weekly", tuple(workload.by_team[t].weekly for t in teams)),
            ),
        )
    )
    if figures.missed is not None:
        missed = figures.missed
        rules = sorted({rule for counts in missed.by_team.values() for rule in counts})
        missed_teams = tuple(missed.by_team)
        found.append(
            Chart(
                "missed-by-team",
                f"Obligations missed by team, {scope}",
                f"Obligations due from {missed.first.isoformat()} to {missed.last.isoformat()} "
                f"and missed, by team and rule: {missed.total} in all.",
                ChartKind.BAR,
                "team",
                "obligations",
                missed_teams,
                tuple(
                    Series(rule, tuple(missed.by_team[t].get(rule, 0) for t in missed_teams))
                    for rule in rules
                ),
            )
        )
    return found
