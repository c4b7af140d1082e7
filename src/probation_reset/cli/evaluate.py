"""``probation-reset evaluate``: every case of a file on a day (CONTRACT.md section 1)."""

from __future__ import annotations

from collections.abc import Iterable

import typer
from rich.progress import track
from rich.table import Table

from probation_reset.cli.collector import collector_paused
from probation_reset.cli.console import err, out
from probation_reset.cli.options import (
    DatabaseOpt,
    FormatOpt,
    OnOpt,
    OptionalCasesArg,
    OutputFormat,
    PolicyOpt,
    day_option,
    engine_for,
    intake_from,
    misuse,
)
from probation_reset.cli.safe_output import plain, write_json
from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import ObligationStatus
from probation_reset.evaluation.document import document_json
from probation_reset.evaluation.engine import CaseResult
from probation_reset.intake.reader import CaseError, Intake

#: The longest exemption id (``EXEMPT_CHILD_PROTECTION_PLAN``): a column never cuts one.
EXEMPTION_WIDTH = 28

#: Inputs at least this large show a progress bar on a terminal's standard error.
PROGRESS_FROM = 2_000

STATUS_STYLE = {
    "ACTIVE": "green",
    "EXEMPT": "cyan",
    "SUSPENDED": "yellow",
    "NOT_APPLICABLE": "white",
    "ENDED": "dim",
}


def evaluate(
    on: OnOpt,
    cases: OptionalCasesArg = None,
    output: FormatOpt = OutputFormat.table,
    policy: PolicyOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Evaluate every case on a day: status, reasons, final third, timeline, obligations and
    next actions. With no CASES file, every case stored in the database."""
    day = day_option(on)
    engine = engine_for(policy)
    with collector_paused():
        intake = intake_from(cases) if cases is not None else stored_intake(database)
        cases_in: Iterable[Case] = [case for _, case in intake.cases]
        if err.is_terminal and len(intake.cases) >= PROGRESS_FROM:
            cases_in = track(
                cases_in, "Evaluating", total=len(intake.cases), console=err, transient=True
            )
        results = [engine.evaluate(case, day) for case in cases_in]
        errors = list(intake.errors)
        if output is OutputFormat.json:
            document = document_json(day, engine.parameters.version, results, errors)
            write_json(document)
        else:
            print_table(results, errors, engine.parameters.version, day.isoformat())
    if errors:
        raise typer.Exit(1)


def stored_intake(database: str | None) -> Intake:
    """Every case in the database, as an intake (stored cases were validated on import)."""
    from probation_reset.cli.database import stored_cases

    cases = stored_cases(database)
    if not cases:
        misuse("no CASES file given, and the database holds no case (probation-reset import)")
    return Intake(tuple(enumerate(cases)), ())


def print_table(results: list[CaseResult], errors: list[CaseError], version: str, on: str) -> None:
    table = Table(title=f"Probation Reset on {on} (policy {version})")
    # Stacked to read at 80 columns: no date, id or exemption name is ever cut.
    table.add_column("CRN / status", overflow="fold", min_width=14)
    table.add_column("exemptions", no_wrap=True, min_width=EXEMPTION_WIDTH)
    table.add_column("final third starts", overflow="fold", min_width=10)
    table.add_column("due / missed", justify="right")
    for result in results:
        starts = "\n".join(
            f"{e.event_id}: {e.final_third_start.isoformat()}"
            for e in result.events
            if e.final_third_start is not None
        )
        due = sum(o.status is ObligationStatus.DUE for o in result.obligations)
        missed = sum(o.status is ObligationStatus.MISSED for o in result.obligations)
        who = plain(result.crn + "\n")
        who.append(result.status.value, style=STATUS_STYLE[result.status.value])
        counts = plain(f"{due} / ")
        counts.append(str(missed), style="red" if missed else "")
        table.add_row(who, plain("\n".join(result.exemptions) or "-"), plain(starts or "-"), counts)
    out.print(table)
    if errors:
        problems = Table(title="Cases not evaluated", style="red")
        problems.add_column("index", justify="right")
        problems.add_column("CRN", overflow="fold")
        problems.add_column("field", overflow="fold")
        problems.add_column("problem", ratio=1)
        for error in errors:
            problems.add_row(
                str(error.index), plain(error.crn or "-"), plain(error.field), plain(error.message)
            )
        err.print(problems)
