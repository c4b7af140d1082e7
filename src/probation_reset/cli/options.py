"""Options and arguments shared by several commands, and their parsing into core values."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from probation_reset.cli.cases_file import CasesFileError, CheckedText, read_utf8
from probation_reset.cli.console import err
from probation_reset.cli.safe_output import plain
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.dates import parse_date
from probation_reset.intake.limits import parse_bounded
from probation_reset.intake.reader import Intake, UnreadableCasesError, read_cases
from probation_reset.policy import UnknownPolicyVersionError, load_parameters

MISUSE = 2


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


CasesArg = Annotated[str, typer.Argument(help="Cases file (JSON or JSON Lines), or - for stdin.")]
OptionalCasesArg = Annotated[
    str | None,
    typer.Argument(
        help="Cases file (JSON or JSON Lines), or - for stdin (default: the cases in the database)."
    ),
]
OnOpt = Annotated[str, typer.Option("--on", help="The day to evaluate, YYYY-MM-DD.")]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", help="json (the contract's document) or table.")
]
PolicyOpt = Annotated[
    str | None, typer.Option("--policy", help="Policy parameter version (default: the latest).")
]
DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="Database URL (default: $DATABASE_URL, else sqlite:///probation-reset.sqlite).",
    ),
]
BatchSizeOpt = Annotated[
    int | None,
    typer.Option("--batch-size", min=1, help="Records stored per transaction (default 1000)."),
]
WorkersOpt = Annotated[
    int,
    typer.Option(
        "--workers",
        min=0,
        help="Processes deriving status histories (default 0: one per core; 1: this process).",
    ),
]


def misuse(message: str) -> NoReturn:
    """A one-line message on stderr and exit code 2: the command itself was misused."""
    err.print(plain(f"probation-reset: {message}"), highlight=False)
    raise typer.Exit(MISUSE)


def day_option(value: str, name: str = "--on") -> date:
    try:
        return parse_date(value)
    except ValueError as error:
        misuse(f"{name}: {error}")


def engine_for(policy: str | None) -> Engine:
    try:
        return Engine(load_parameters(policy))
    except UnknownPolicyVersionError as error:
        misuse(str(error))


def read_text(source: str) -> str:
    """The text of a CASES file or of stdin (``-``); exit 2 when it cannot be (``read_utf8``)."""
    try:
        if source == "-":
            return read_utf8(sys.stdin.buffer)
        with Path(source).open("rb") as stream:
            return read_utf8(stream)
    except (OSError, CasesFileError) as error:
        misuse(f"cannot read {source}: {error}")


@contextmanager
def checked_text(source: str) -> Iterator[CheckedText]:
    """A CASES file or stdin (``-``) read a line at a time, within the limits of ``read_utf8``."""
    if source == "-":
        yield CheckedText(sys.stdin.buffer)
        return
    with Path(source).open("rb") as stream:
        yield CheckedText(stream)


def intake_from(source: str) -> Intake:
    """Every case of the document, validated, or exit 2 when the document is unreadable."""
    try:
        return read_cases(parse_bounded(read_text(source)))
    except UnreadableCasesError as error:
        misuse(f"{source}: {error}")
