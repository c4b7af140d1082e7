"""``probation-reset what-if``: one case before and after adding, or ending, a registration."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from probation_reset.caseload.what_if import (
    AddRegistration,
    Change,
    EndRegistration,
    WhatIf,
    WhatIfError,
    timeline_side_by_side,
    what_if,
    what_if_json,
)
from probation_reset.cli.caseload_source import one_case
from probation_reset.cli.console import out
from probation_reset.cli.options import (
    DatabaseOpt,
    FormatOpt,
    OnOpt,
    OutputFormat,
    PolicyOpt,
    day_option,
    engine_for,
    misuse,
)
from probation_reset.cli.safe_output import plain, write_json
from probation_reset.domain.vocabulary import RegistrationType
from probation_reset.intake.dates import parse_date
from probation_reset.rules.history import TimelineSpan

REGISTRATION_TYPES = ", ".join(t.value for t in RegistrationType)


def _registration_type(text: str, option: str) -> RegistrationType:
    try:
        return RegistrationType(text.strip().upper())
    except ValueError:
        misuse(f"{option}: unknown registration type {text!r} (one of {REGISTRATION_TYPES})")


def _day(text: str, option: str) -> date:
    try:
        return parse_date(text)
    except ValueError as error:
        misuse(f"{option}: {error}")


def parse_change(add: str | None, end: str | None) -> Change:
    """``--add TYPE:START[:LEVEL]`` or ``--end TYPE:DATE`` (exactly one), or exit 2."""
    if (add is None) == (end is None):
        misuse("give exactly one of --add TYPE:START[:LEVEL] and --end TYPE:DATE")
    if add is not None:
        parts = add.split(":")
        if len(parts) not in (2, 3):
            misuse(f"--add: expected TYPE:START[:LEVEL], got {add!r}")
        level = parts[2].strip().upper() if len(parts) == 3 else None
        return AddRegistration(
            _registration_type(parts[0], "--add"), _day(parts[1], "--add"), level or None
        )
    assert end is not None
    parts = end.split(":")
    if len(parts) != 2:
        misuse(f"--end: expected TYPE:DATE, got {end!r}")
    return EndRegistration(_registration_type(parts[0], "--end"), _day(parts[1], "--end"))


def what_if_command(
    crn: Annotated[str, typer.Option("--crn", help="The case reference number.")],
    on: OnOpt,
    cases: Annotated[
        str | None,
        typer.Argument(
            help="Cases file (JSON or JSON Lines), or - for stdin; default: the database."
        ),
    ] = None,
    add: Annotated[
        str | None,
        typer.Option(
            "--add",
            help="Add a registration: TYPE:START[:LEVEL], e.g. MAPPA:2025-12-01:2.",
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--end", help="End the registrations of TYPE in force on DATE: TYPE:DATE."),
    ] = None,
    output: FormatOpt = OutputFormat.table,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
) -> None:
    """One case on a day as it is and if a registration were added or ended, side by side."""
    day = day_option(on)
    change = parse_change(add, end)
    engine = engine_for(policy)
    case = one_case(cases, crn, database)
    try:
        result = what_if(engine, case, change, day)
    except WhatIfError as error:
        misuse(f"{crn}: {error}")
    if output is OutputFormat.json:
        document = what_if_json(result, engine.parameters.version)
        write_json(document)
        return
    _print_side_by_side(result)


def _status(result: WhatIf, side: str) -> Text:
    evaluated = result.before if side == "before" else result.after
    exemptions = f" ({', '.join(evaluated.exemptions)})" if evaluated.exemptions else ""
    return plain(f"{evaluated.status.value}{exemptions}")


def _span(span: TimelineSpan | None) -> Text:
    if span is None:
        return plain("-")
    last = span.span.last
    to = last.isoformat() if last else "(open)"
    exemptions = f" {', '.join(span.exemptions)}" if span.exemptions else ""
    return plain(f"{span.status.value}{exemptions} to {to}")


def _print_side_by_side(result: WhatIf) -> None:
    summary = Table(
        title=plain(
            f"Case {result.before.crn} on {result.on.isoformat()}: {result.change.describe()}"
        )
    )
    for heading in ("", "as it is", "with the change"):
        summary.add_column(heading)
    summary.add_row("status", _status(result, "before"), _status(result, "after"))
    summary.add_row(
        "why",
        plain("\n".join(r.text for r in result.before.reasons)),
        plain("\n".join(r.text for r in result.after.reasons)),
    )
    out.print(summary)
    if result.reinstates:
        out.print("Contact would be reinstated: an exemption would apply.", highlight=False)

    timeline = Table(title="Timeline (each day either side changes)")
    for heading in ("from", "as it is", "with the change"):
        timeline.add_column(heading)
    for day, before, after in timeline_side_by_side(result.before.timeline, result.after.timeline):
        marker = "" if before == after else " *"
        timeline.add_row(day.isoformat() + marker, _span(before), _span(after))
    out.print(timeline)

    changes = result.obligation_changes()
    obligations = Table(title=f"Obligations that differ: {len(changes)}")
    for heading in ("rule", "event", "window", "due by", "as it is", "with the change"):
        obligations.add_column(heading)
    for change in changes:
        obligations.add_row(
            change.rule,
            plain(change.event_id or "-"),
            change.window_start.isoformat(),
            change.due_by.isoformat(),
            change.before.value if change.before else "not owed",
            change.after.value if change.after else "not owed",
        )
    out.print(obligations)
