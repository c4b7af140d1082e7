"""``probation-reset import``, ``refresh`` and ``changes``: the caseload database.

The database is ``--database URL``, else ``$DATABASE_URL``, else ``probation-reset.sqlite`` in the
working directory; it is created and migrated on first use.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from probation_reset.cli.cases_file import CasesFileError
from probation_reset.cli.console import err, out
from probation_reset.cli.evaluate import STATUS_STYLE
from probation_reset.cli.options import (
    BatchSizeOpt,
    DatabaseOpt,
    FormatOpt,
    OnOpt,
    OutputFormat,
    PolicyOpt,
    WorkersOpt,
    checked_text,
    day_option,
    engine_for,
    misuse,
)
from probation_reset.cli.safe_output import plain, write_json
from probation_reset.store.history import TransitionKind

if TYPE_CHECKING:
    from probation_reset.store.importer import ImportReport, ImportSource
    from probation_reset.store.models import StatusTransitionRow
    from probation_reset.store.ndelius import NDeliusCodes


def import_cases(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="Cases: JSON Lines (streamed), JSON, - for stdin, a CSV bundle directory, or a "
            "directory of Parquet tables (probation-reset generate).",
        ),
    ],
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
    batch_size: BatchSizeOpt = None,
    output: FormatOpt = OutputFormat.table,
    imported_by: Annotated[
        str | None,
        typer.Option("--by", help="Who is importing (default: the login name)."),
    ] = None,
    workers: WorkersOpt = 0,
) -> None:
    """Import cases into the database: an upsert by CRN, one transaction per batch."""
    from probation_reset.cli.collector import collector_paused
    from probation_reset.cli.database import progress_bar, sessions_for, store_failures
    from probation_reset.evaluation.engine import Engine
    from probation_reset.store.digest import sync_digests
    from probation_reset.store.importer import DEFAULT_BATCH_SIZE, Importer, UnreadableSourceError
    from probation_reset.store.ndelius import ndelius_codes

    parameters = engine_for(policy).parameters
    codes = ndelius_codes()
    found = _import_source(source, codes)
    sessions = sessions_for(database)
    importer = Importer(
        sessions,
        parameters,
        codes,
        batch_size or DEFAULT_BATCH_SIZE,
        workers=workers or os.cpu_count() or 1,
    )
    with store_failures(), progress_bar() as progress, collector_paused():
        try:
            report = importer.run(found, imported_by or getpass.getuser(), progress)
        except UnreadableSourceError as error:
            if isinstance(error.reason, OSError | CasesFileError):
                misuse(f"cannot read {source}: {error.reason}")
            misuse(f"{source}: {error.reason}")
    with store_failures():
        # The caseload digests of cases the import did not derive (the web's caseload
        # filters), derived now rather than when the web service next starts.
        sync_digests(sessions, Engine(parameters))
    if output is OutputFormat.json:
        write_json(_report_json(report))
    else:
        _print_report(report)
    if report.rejections:
        raise typer.Exit(1)


def _import_source(source: str, codes: NDeliusCodes) -> ImportSource:
    """The import's source: a CSV bundle (read whole), Parquet tables or a CASES text (both
    read as the import goes); exit 2 when it cannot be opened."""
    from probation_reset.store.csv_bundle import CsvBundleError
    from probation_reset.store.importer import csv_source, table_source, text_source

    path = Path(source)
    if source != "-" and path.is_dir():
        if not (path / "cases.csv").exists() and (path / "people.parquet").exists():
            return table_source(source)
        try:
            return csv_source(source, codes)
        except CsvBundleError as error:
            misuse(f"{source}: {error}")
    return text_source("<stdin>" if source == "-" else source, partial(checked_text, source))


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
        problems = Table(title="Records not imported", style="red", show_lines=True)
        problems.add_column("record / CRN", overflow="fold")
        problems.add_column("field / where", overflow="fold")
        problems.add_column("problem", ratio=1)
        for r in report.rejections:
            problems.add_row(
                plain(f"{'-' if r.record is None else r.record}\n{r.crn or '-'}"),
                plain(f"{r.field or '-'}\n{r.location or '-'}"),
                plain(r.message),
            )
        err.print(problems)


def refresh(
    on: OnOpt,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
    batch_size: BatchSizeOpt = None,
    workers: WorkersOpt = 0,
) -> None:
    """Derive every stored case's status history again; print the caseload's statuses on a day."""
    from probation_reset.cli.collector import collector_paused
    from probation_reset.cli.database import progress_bar, sessions_for, store_failures
    from probation_reset.store import repository
    from probation_reset.store.importer import DEFAULT_BATCH_SIZE
    from probation_reset.store.refresh import refresh_histories

    day = day_option(on)
    parameters = engine_for(policy).parameters
    sessions = sessions_for(database)
    with store_failures():
        with progress_bar() as progress, collector_paused():
            report = refresh_histories(
                sessions,
                parameters,
                batch_size=batch_size or DEFAULT_BATCH_SIZE,
                progress=progress,
                workers=workers or os.cpu_count() or 1,
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
        table.add_row(plain(status, style=STATUS_STYLE[status]), str(people))
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
    """List status transitions between two days: who was suspended, reinstated, and why.

    A change dated after the day a case's facts run to (the earlier of its last import and the
    last thing recorded about it) is marked projected: it follows from dates known in advance."""
    from probation_reset.cli.database import facts_days, sessions_for, store_failures
    from probation_reset.store import repository

    start, end = day_option(first, "--from"), day_option(last, "--to")
    if end < start:
        misuse("--to is before --from")
    sessions = sessions_for(database, reading=True)
    with store_failures(), sessions() as session:
        rows = repository.transitions_between(session, start, end, [k.value for k in kind or ()])
    with store_failures():
        known = facts_days(sessions, [row.crn for row in rows])
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
                    "projected": _projected(row, known),
                }
                for row in rows
            ],
        }
        write_json(document)
        return
    out.print(
        transitions_table(
            rows, f"Status changes from {start.isoformat()} to {end.isoformat()}", known
        )
    )


def _projected(row: StatusTransitionRow, known: Mapping[str, date]) -> bool:
    facts_day = known.get(row.crn)
    return facts_day is not None and row.day > facts_day


def transitions_table(
    rows: Sequence[StatusTransitionRow], title: str, known: Mapping[str, date] | None = None
) -> Table:
    """Status transitions for people, stacked to read at 80 columns: day and CRN, the change
    (from, to, projected or not), and why with sources."""
    table = Table(title=title, show_lines=True)
    table.add_column("day / CRN", min_width=10, overflow="fold")
    table.add_column("change", min_width=12)
    table.add_column("why", ratio=1)
    for row in rows:
        change = plain(row.kind)
        change.append(f"\n{row.from_status or '-'} to ")
        change.append(row.to_status, style=STATUS_STYLE[row.to_status])
        if known is not None and _projected(row, known):
            change.append("\nprojected", style="italic")
        table.add_row(
            plain(f"{row.day.isoformat()}\n{row.crn}", overflow="fold"),
            change,
            plain("\n".join(f"{r['text']} ({r['source']})" for r in row.reasons)),
        )
    return table
