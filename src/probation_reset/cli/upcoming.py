"""``probation-reset upcoming``: who enters the final third or PSS soon, by practitioner."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated, Any

import typer
from rich.table import Table

from probation_reset.caseload.upcoming import Upcoming, upcoming
from probation_reset.cli.caseload_source import load_caseload, report_errors
from probation_reset.cli.console import out
from probation_reset.cli.options import (
    DatabaseOpt,
    FormatOpt,
    OnOpt,
    OutputFormat,
    PolicyOpt,
    day_option,
    engine_for,
)
from probation_reset.cli.safe_output import plain, write_json
from probation_reset.domain.vocabulary import Status


def upcoming_json(entry: Upcoming) -> dict[str, Any]:
    manager = entry.manager
    return {
        "crn": entry.crn,
        "event_id": entry.event_id,
        "entering": entry.entering.value,
        "starts": entry.starts.isoformat(),
        "status_then": entry.status_then.value,
        "exemptions_then": list(entry.exemptions_then),
        "team": manager.team if manager else None,
        "staff_code": manager.staff_code if manager else None,
        "staff_name": manager.staff_name if manager else None,
        "open_items": [
            {
                "rule": o.rule,
                "window_start": o.window_start.isoformat(),
                "due_by": o.due_by.isoformat(),
                "status": o.status.value,
            }
            for o in entry.open_items
        ],
    }


def upcoming_command(
    on: OnOpt,
    cases: Annotated[
        str | None,
        typer.Argument(
            help="Cases file (JSON or JSON Lines), or - for stdin; default: the database."
        ),
    ] = None,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=104, help="How far ahead.")] = 4,
    output: FormatOpt = OutputFormat.table,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
) -> None:
    """Everyone entering a final third or PSS in the next weeks, with checklist items open."""
    day = day_option(on)
    engine = engine_for(policy)
    caseload = load_caseload(cases, database)
    entries = [
        entry
        for case in caseload.cases
        for entry in upcoming(case, engine.history(case), engine.evaluate(case, day), weeks)
    ]
    entries.sort(key=lambda e: (e.practitioner, e.starts, e.crn, e.event_id))
    if output is OutputFormat.json:
        document = {
            "on": day.isoformat(),
            "weeks": weeks,
            "policy_version": engine.parameters.version,
            "upcoming": [upcoming_json(e) for e in entries],
        }
        write_json(document)
    else:
        _print_by_practitioner(entries, day.isoformat(), weeks)
    report_errors(caseload.errors)
    if caseload.errors:
        raise typer.Exit(1)


def _then(entry: Upcoming) -> str:
    if entry.status_then is Status.SUSPENDED:
        return "contact will be suspended"
    if entry.status_then is Status.EXEMPT:
        return f"exempt, contact continues ({', '.join(entry.exemptions_then)})"
    return f"{entry.status_then.value}"


def _print_by_practitioner(entries: list[Upcoming], on: str, weeks: int) -> None:
    if not entries:
        out.print(f"Nobody enters a final third or PSS in the {weeks} weeks after {on}.")
        return
    for practitioner, group in groupby(entries, key=lambda e: e.practitioner):
        rows = list(group)
        table = Table(
            title=plain(f"{practitioner}: {len(rows)} entering in {weeks} weeks from {on}")
        )
        table.add_column("CRN", no_wrap=True)
        table.add_column("enters", no_wrap=True)
        table.add_column("then")
        table.add_column("still open (due by)")
        for entry in rows:
            items = "\n".join(
                f"{o.rule} ({o.due_by.isoformat()}, {o.status.value})" for o in entry.open_items
            )
            table.add_row(
                plain(f"{entry.crn}\nevent {entry.event_id}"),
                f"{entry.entering.value}\n{entry.starts.isoformat()}",
                _then(entry),
                plain(items or "nothing open"),
            )
        out.print(table)
