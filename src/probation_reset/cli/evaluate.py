"""``probation-reset evaluate``: every case of a file on a day (CONTRACT.md section 1)."""

from __future__ import annotations

from collections.abc import Iterable

import typer
from rich.progress import track
from rich.table import Table

from probation_reset.cli.console import err, out
from probation_reset.cli.options import (
    CasesArg,
    FormatOpt,
    OnOpt,
    OutputFormat,
    PolicyOpt,
    day_option,
    engine_for,
    intake_from,
)
from probation_reset.cli.safe_output import plain, write_json
from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import ObligationStatus
from probation_reset.evaluation.document import document_json
from probation_reset.evaluation.engine import CaseResult
from probation_reset.intake.reader import CaseError

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
    cases: CasesArg,
    on: OnOpt,
    output: FormatOpt = OutputFormat.table,
    policy: PolicyOpt = None,
) -> None:
    """Evaluate every case on a day: status, reasons, final third, timeline and obligations."""
    day = day_option(on)
    engine = engine_for(policy)
    intake = intake_from(cases)
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


def print_table(results: list[CaseResult], errors: list[CaseError], version: str, on: str) -> None:
    table = Table(title=f"Probation Reset on {on} (policy {version})")
    for heading in ("CRN", "status", "exemptions", "final third starts", "due", "missed"):
        table.add_column(heading)
    for result in results:
        style = STATUS_STYLE[result.status.value]
        starts = ", ".join(
            f"{e.event_id}: {e.final_third_start.isoformat()}"
            for e in result.events
            if e.final_third_start is not None
        )
        due = sum(o.status is ObligationStatus.DUE for o in result.obligations)
        missed = sum(o.status is ObligationStatus.MISSED for o in result.obligations)
        table.add_row(
            plain(result.crn),
            plain(result.status.value, style),
            ", ".join(result.exemptions) or "-",
            plain(starts or "-"),
            str(due),
            plain(missed, "red") if missed else "0",
        )
    out.print(table)
    if errors:
        problems = Table(title="Cases not evaluated", style="red")
        for heading in ("index", "CRN", "field", "problem"):
            problems.add_column(heading)
        for error in errors:
            problems.add_row(
                str(error.index), plain(error.crn or "-"), plain(error.field), plain(error.message)
            )
        err.print(problems)
