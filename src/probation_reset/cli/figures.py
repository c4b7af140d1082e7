"""``probation-reset figures``: the regional dashboard's figures from the database."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from probation_reset.cli.console import err, out
from probation_reset.cli.options import (
    DatabaseOpt,
    OnOpt,
    PolicyOpt,
    day_option,
    engine_for,
    misuse,
)
from probation_reset.cli.safe_output import plain, printable, write_json
from probation_reset.figures.document import CSV_COLUMNS, csv_rows, figures_json
from probation_reset.figures.model import STATUS_ORDER, Figures, Scope, ScopeLevel


class FiguresFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def scope_of(region: str | None, pdu: str | None, team: str | None) -> Scope:
    given = [
        (level, name)
        for level, name in (
            (ScopeLevel.REGION, region),
            (ScopeLevel.PDU, pdu),
            (ScopeLevel.TEAM, team),
        )
        if name is not None
    ]
    if len(given) > 1:
        misuse("give at most one of --region, --pdu and --team")
    if not given:
        return Scope()
    level, name = given[0]
    if not name.strip():
        misuse(f"--{level.value}: the name is empty")
    return Scope(level, name)


def figures_command(
    on: OnOpt,
    region: Annotated[str | None, typer.Option("--region", help="Only this region.")] = None,
    pdu: Annotated[str | None, typer.Option("--pdu", help="Only this PDU.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="Only this team.")] = None,
    weeks: Annotated[
        int, typer.Option("--weeks", min=1, max=260, help="Weeks of history, ending on --on.")
    ] = 52,
    output: Annotated[
        FiguresFormat,
        typer.Option("--format", help="table, json (with chart-ready series), or csv."),
    ] = FiguresFormat.table,
    obligations: Annotated[
        bool,
        typer.Option(
            "--obligations",
            help="Also count obligations missed by team (evaluates every case in scope: slow "
            "for a region).",
        ),
    ] = False,
    svg: Annotated[
        Path | None,
        typer.Option("--svg", help="Write each chart as SVG, with its table as CSV, into DIR."),
    ] = None,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
) -> None:
    """People by status, in Reset measures, status changes per week, the workload removed."""
    day = day_option(on)
    scope = scope_of(region, pdu, team)
    engine = engine_for(policy) if obligations else None
    from probation_reset.cli.database import sessions_for, store_failures
    from probation_reset.figures.dashboard import dashboard

    sessions = sessions_for(database, reading=True)
    from probation_reset.store.refresh import StoredCaseError

    with store_failures(), sessions() as session:
        try:
            found = dashboard(session, scope, day, weeks, engine)
        except StoredCaseError as error:
            misuse(str(error))
    if svg is not None:
        from probation_reset.figures.svg import write_charts

        try:
            written = write_charts(found, svg)
        except OSError as error:
            misuse(f"--svg: cannot write into {svg}: {error}")
        err.print(plain(f"{len(written)} charts written to {svg}"), highlight=False)
    if output is FiguresFormat.json:
        write_json(figures_json(found))
    elif output is FiguresFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(tuple(printable(v) for v in row) for row in csv_rows(found))
    else:
        print_figures(found)


def print_figures(found: Figures) -> None:
    title = f"{found.scope.describe()} on {found.on.isoformat()}: {found.people} people"
    summary = Table(title=plain(title))
    summary.add_column("status")
    summary.add_column("people", justify="right")
    for status in STATUS_ORDER:
        summary.add_row(status.value, str(found.by_status.get(status.value, 0)))
    out.print(summary)
    out.print(
        plain(
            f"In Reset measures (SUSPENDED): {found.in_reset_measures}. Histories derived under "
            f"policy {', '.join(found.policy_versions) or '(none)'}."
        ),
        highlight=False,
    )
    teams = Table(title="By team on the day")
    teams.add_column("team")
    for status in STATUS_ORDER[:-1]:
        teams.add_column(status.value, justify="right")
    for name, counts in found.by_team.items():
        teams.add_row(plain(name), *(str(counts.get(s.value, 0)) for s in STATUS_ORDER[:-1]))
    out.print(teams)
    weekly = Table(title=f"Week by week ({len(found.weeks)} weeks)")
    weekly.add_column("week of", no_wrap=True)
    for heading in ("ACTIVE", "EXEMPT", "SUSPENDED", "suspended", "reinstated", "re-suspended"):
        weekly.add_column(heading, justify="right")
    for week in found.weeks:
        weekly.add_row(
            week.start.isoformat(),
            str(week.by_status.get("ACTIVE", 0)),
            str(week.by_status.get("EXEMPT", 0)),
            str(week.in_reset_measures),
            str(week.suspended),
            str(week.reinstated),
            str(week.re_suspended),
        )
    out.print(weekly)
    if found.hub is not None:
        hub = found.hub
        items = Table(
            title=f"Hub items received {hub.first.isoformat()} to {hub.last.isoformat()}: "
            f"{hub.received}"
        )
        items.add_column("from (source or kind)")
        items.add_column("items", justify="right")
        for source, count in hub.by_source.items():
            items.add_row(source, str(count))
        out.print(items)
        outcomes = Table(title="Their outcome (latest triage)")
        outcomes.add_column("outcome")
        outcomes.add_column("items", justify="right")
        for outcome, count in hub.by_outcome.items():
            outcomes.add_row(outcome, str(count))
        out.print(outcomes)
    workload = found.workload
    month = workload.month.start.strftime("%B %Y")
    removed = Table(
        title=f"Appointments the Reset removed in {month}: {workload.total.monthly} monthly, "
        f"{workload.total.weekly} weekly"
    )
    for heading in ("team", "monthly", "weekly"):
        removed.add_column(heading)
    for name, relief in workload.by_team.items():
        removed.add_row(plain(name), str(relief.monthly), str(relief.weekly))
    out.print(removed)
    if found.missed is not None:
        missed = found.missed
        table = Table(
            title=f"Obligations due {missed.first.isoformat()} to {missed.last.isoformat()} "
            f"and missed: {missed.total}"
        )
        for heading in ("team", "rule", "missed"):
            table.add_column(heading)
        for name, rules in missed.by_team.items():
            for number, (rule, count) in enumerate(rules.items()):
                table.add_row(plain(name if number == 0 else ""), rule, str(count))
        out.print(table)
