"""``probation-reset import``, ``refresh`` and ``changes``: the caseload database.

The database is ``--database URL``, else ``$DATABASE_URL``, else ``probation-reset.sqlite`` in the
working directory; it is created and migrated on first use.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from probation_reset.cli.console import err, out
from probation_reset.cli.evaluate import STATUS_STYLE
from probation_reset.cli.options import (
    DatabaseOpt,
    FormatOpt,
    OnOpt,
    OutputFormat,
    PolicyOpt,
    day_option,
    engine_for,
    misuse,
    read_text,
)
from probation_reset.cli.safe_output import plain, write_json
from probation_reset.intake.reader import UnreadableCasesError
from probation_reset.store import repository
from probation_reset.store.concurrency import StoreBusyError, store_failure
from probation_reset.store.csv_bundle import CsvBundleError
from probation_reset.store.database import (
    DatabaseUrlError,
    database_url,
    in_memory,
    masked,
    open_database,
    session_factory,
)
from probation_reset.store.history import TransitionKind
from probation_reset.store.importer import (
    DEFAULT_BATCH_SIZE,
    Importer,
    ImportReport,
    ImportStoppedError,
    csv_source,
    document_source,
)
from probation_reset.store.importer import (
    Progress as ImportProgress,
)
from probation_reset.store.models import StatusTransitionRow
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.refresh import refresh_histories

BatchSizeOpt = Annotated[
    int, typer.Option("--batch-size", min=1, help="Records stored per transaction.")
]
PHASES = {"check": "Checking records", "store": "Storing batches", "refresh": "Deriving history"}


def store_engine(url: str | None) -> Engine:
    """The database, migrated; exit 2 with a clear message (never the password) when it
    cannot be used. An in-memory SQLite database is refused: it keeps nothing."""
    chosen = database_url(url)
    if in_memory(chosen):
        misuse(
            f"{masked(chosen)!r} is a database in memory, which keeps nothing once the command "
            "ends; give a file (sqlite:///caseload.sqlite) or a PostgreSQL URL"
        )
    try:
        return open_database(chosen)
    except DatabaseUrlError as error:
        misuse(str(error))
    except (SQLAlchemyError, StoreBusyError) as error:
        misuse(f"cannot open the database {masked(chosen)!r}: {store_failure(error)}")


@contextmanager
def store_failures() -> Iterator[None]:
    """A store that fails mid-command (read-only, busy, gone) is exit 2 with one clear line."""
    try:
        yield
    except ImportStoppedError as error:
        misuse(str(error))
    except (SQLAlchemyError, StoreBusyError) as error:
        misuse(store_failure(error))


@contextmanager
def progress_bar() -> Iterator[ImportProgress]:
    """A progress bar on standard error (only when it is a terminal), fed ``(phase, done,
    total)``."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
    )
    tasks: dict[str, Any] = {}

    def advance(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = bar.add_task(PHASES.get(phase, phase), total=total)
        bar.update(tasks[phase], completed=done)

    with bar:
        yield advance


def import_cases(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="Cases file (JSON or JSON Lines, - for stdin), or a CSV bundle directory.",
        ),
    ],
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
    batch_size: BatchSizeOpt = DEFAULT_BATCH_SIZE,
    output: FormatOpt = OutputFormat.table,
    imported_by: Annotated[
        str | None,
        typer.Option("--by", help="Who is importing (default: the login name)."),
    ] = None,
) -> None:
    """Import cases into the database: an upsert by CRN, one transaction per batch."""
    parameters = engine_for(policy).parameters
    codes = ndelius_codes()
    try:
        if source != "-" and Path(source).is_dir():
            found = csv_source(source, codes)
        else:
            found = document_source("<stdin>" if source == "-" else source, read_text(source))
    except (UnreadableCasesError, CsvBundleError) as error:
        misuse(f"{source}: {error}")
    sessions = session_factory(store_engine(database))
    importer = Importer(sessions, parameters, codes, batch_size)
    with store_failures(), progress_bar() as progress:
        report = importer.run(found, imported_by or getpass.getuser(), progress)
    if output is OutputFormat.json:
        write_json(_report_json(report))
    else:
        _print_report(report)
    if report.rejections:
        raise typer.Exit(1)


def _report_json(report: ImportReport) -> dict[str, Any]:
    return {
        "import_id": report.import_id,
        "records": report.records,
        "created": report.created,
        "changed": report.changed,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "changes": report.changes,
        "transitions_added": report.transitions_added,
        "transitions_superseded": report.transitions_superseded,
        "errors": [
            {
                "index": r.record,
                "crn": r.crn,
                "field": r.field,
                "message": r.message,
                "location": r.location,
            }
            for r in report.rejections
        ],
    }


def _print_report(report: ImportReport) -> None:
    out.print(
        f"Import {report.import_id}: {report.records} records in {report.batches} batches: "
        f"{report.created} created, {report.changed} changed ({report.changes} field changes), "
        f"{report.unchanged} unchanged, {report.rejected} rejected; "
        f"{report.transitions_added} status transitions recorded, "
        f"{report.transitions_superseded} superseded.",
        highlight=False,
    )
    if report.rejections:
        problems = Table(title="Records not imported", style="red")
        for heading in ("record", "CRN", "field", "problem", "where"):
            problems.add_column(heading)
        for r in report.rejections:
            problems.add_row(
                "-" if r.record is None else str(r.record),
                plain(r.crn or "-"),
                plain(r.field or "-"),
                plain(r.message),
                plain(r.location or "-"),
            )
        err.print(problems)


def refresh(
    on: OnOpt,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
    batch_size: BatchSizeOpt = DEFAULT_BATCH_SIZE,
) -> None:
    """Derive every stored case's status history again; print the caseload's statuses on a day."""
    day = day_option(on)
    parameters = engine_for(policy).parameters
    sessions = session_factory(store_engine(database))
    with store_failures():
        with progress_bar() as progress:
            report = refresh_histories(
                sessions, parameters, batch_size=batch_size, progress=progress
            )
        with sessions() as session:
            counts = repository.status_counts_on(session, day)
    out.print(
        f"{report.cases} cases under policy {parameters.version}: {report.changed} histories "
        f"changed, {report.transitions_added} transitions recorded, "
        f"{report.transitions_superseded} superseded.",
        highlight=False,
    )
    table = Table(title=f"Status on {day.isoformat()}")
    table.add_column("status")
    table.add_column("people", justify="right")
    for status, people in counts.items():
        table.add_row(plain(status, STATUS_STYLE[status]), str(people))
    out.print(table)


def changes(
    first: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD (inclusive).")],
    last: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD (inclusive).")],
    kind: Annotated[
        list[TransitionKind] | None,
        typer.Option("--kind", help="Only transitions of this kind (repeatable)."),
    ] = None,
    database: DatabaseOpt = None,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """List status transitions between two days: who was suspended, reinstated, and why."""
    start, end = day_option(first, "--from"), day_option(last, "--to")
    if end < start:
        misuse("--to is before --from")
    sessions = session_factory(store_engine(database), reading=True)
    with store_failures(), sessions() as session:
        rows = repository.transitions_between(session, start, end, [k.value for k in kind or ()])
    if output is OutputFormat.json:
        document = {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "transitions": [
                {
                    "crn": row.crn,
                    "day": row.day.isoformat(),
                    "kind": row.kind,
                    "from_status": row.from_status,
                    "to_status": row.to_status,
                    "exemptions": row.exemptions,
                    "reasons": row.reasons,
                    "policy_version": row.policy_version,
                }
                for row in rows
            ],
        }
        write_json(document)
        return
    out.print(
        transitions_table(rows, f"Status changes from {start.isoformat()} to {end.isoformat()}")
    )


def transitions_table(rows: Sequence[StatusTransitionRow], title: str) -> Table:
    """Status transitions for people: day, CRN, kind, from and to, and why (with sources)."""
    table = Table(title=title)
    for heading in ("day", "CRN", "change", "from", "to", "why"):
        table.add_column(heading)
    for row in rows:
        table.add_row(
            row.day.isoformat(),
            plain(row.crn),
            row.kind,
            row.from_status or "-",
            plain(row.to_status, STATUS_STYLE[row.to_status]),
            plain("\n".join(f"{r['text']} ({r['source']})" for r in row.reasons)),
        )
    return table
