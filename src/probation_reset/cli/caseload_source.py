"""The cases a caseload command works on: a CASES file when one is given, else the database."""

from __future__ import annotations

from dataclasses import dataclass

import typer

from probation_reset.cli.console import err
from probation_reset.cli.options import intake_from, misuse
from probation_reset.cli.safe_output import plain, printable
from probation_reset.domain.case import Case
from probation_reset.intake.reader import CaseError


@dataclass(frozen=True, slots=True)
class Caseload:
    cases: list[Case]
    errors: tuple[CaseError, ...]


def load_caseload(source: str | None, database: str | None) -> Caseload:
    """Every valid case of ``source`` (a path or ``-``), or of the database when it is None."""
    if source is not None:
        intake = intake_from(source)
        return Caseload([case for _, case in intake.cases], intake.errors)
    # The store is imported only when the database is read: file commands start faster.
    from probation_reset.cli.database import stored_cases

    return Caseload(stored_cases(database), ())


def one_case(source: str | None, crn: str, database: str | None) -> Case:
    """The case ``crn`` of ``source``, or of the database when it is None; exit 1 when the file
    holds it but it cannot be evaluated (its problems on standard error), 2 when it is absent."""
    if source is None:
        from probation_reset.cli.database import stored_cases

        stored = stored_cases(database, [crn])
        if not stored:
            misuse(f"no case with crn {crn!r} in the database")
        return stored[0]
    intake = intake_from(source)
    problems = [e for e in intake.errors if e.crn == crn]
    if problems:
        for problem in problems:
            err.print(plain(f"{crn}: {problem.field}: {problem.message}"))
        raise typer.Exit(1)
    found = next((case for _, case in intake.cases if case.crn == crn), None)
    if found is None:
        misuse(f"no case with crn {crn!r} in {source}")
    return found


def report_errors(errors: tuple[CaseError, ...]) -> None:
    """Each rejected case on standard error, data printed as text, never as markup."""
    for error in errors:
        err.print(
            printable(f"rejected case {error.index} ({error.crn}): {error.field}: {error.message}"),
            markup=False,
            highlight=False,
        )
