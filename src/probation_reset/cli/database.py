"""The caseload database as the commands use it, imported only by commands that need it.

SQLAlchemy and Alembic take a good part of a second to import: ``--help``, ``evaluate FILE`` and
``explain FILE`` never import this module (a test checks ``sys.modules``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from importlib import resources
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.cli.console import err, out
from probation_reset.cli.options import misuse
from probation_reset.domain.case import Case
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.rules.history import last_recorded_fact
from probation_reset.store import repository
from probation_reset.store.concurrency import StoreBusyError, store_failure
from probation_reset.store.database import (
    DatabaseUrlError,
    database_url,
    in_memory,
    masked,
    open_database,
    session_factory,
)
from probation_reset.store.importer import (
    DEFAULT_BATCH_SIZE,
    Importer,
    ImportStoppedError,
    document_source,
)
from probation_reset.store.importer import Progress as ImportProgress
from probation_reset.store.refresh import StoredCaseError, stored_case

PHASES = {"check": "Checking records", "store": "Importing records", "refresh": "Deriving history"}


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


def sessions_for(url: str | None, reading: bool = False) -> sessionmaker[Session]:
    """Sessions on the database; ``reading`` ones never take SQLite's write lock up front."""
    return session_factory(store_engine(url), reading=reading)


def stored_cases(url: str | None, crns: Sequence[str] | None = None) -> list[Case]:
    """The stored cases (every one, or those of ``crns`` found), in CRN order."""
    sessions = sessions_for(url, reading=True)
    with store_failures(), sessions() as session:
        if crns is None:
            documents = repository.case_documents(session)
        else:
            documents = {c: r.document for c, r in repository.cases_by_crn(session, crns).items()}
    try:
        return [stored_case(crn, documents[crn]) for crn in sorted(documents)]
    except StoredCaseError as error:
        misuse(str(error))


def facts_days(sessions: sessionmaker[Session], crns: Sequence[str]) -> dict[str, date]:
    """The day each case's facts run to: the earlier of its last import and its last recorded
    fact. A status change after it is a projection from the facts, not a recorded one."""
    days: dict[str, date] = {}
    with sessions() as session:
        records = repository.cases_by_crn(session, sorted(set(crns)))
    for crn, record in records.items():
        imported = record.updated_at.date()
        try:
            recorded = last_recorded_fact(stored_case(crn, record.document))
        except StoredCaseError:
            recorded = None
        days[crn] = imported if recorded is None else min(imported, recorded)
    return days


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

    def advance(phase: str, done: int, total: int | None) -> None:
        if phase not in tasks:
            tasks[phase] = bar.add_task(PHASES.get(phase, phase), total=total)
        bar.update(tasks[phase], completed=done)

    with bar:
        yield advance


def load_sample_if_empty(
    sessions: sessionmaker[Session], parameters: PolicyParameters, by: str
) -> None:
    """Import the bundled sample caseload when the database holds no case (``by``: the
    command, recorded as who imported it)."""
    from probation_reset.sample.generator import SAMPLE_FILE_NAME
    from probation_reset.store.ndelius import ndelius_codes

    with sessions() as session:
        if repository.crns_in_store(session):
            return
    text = resources.files("probation_reset.sample").joinpath(SAMPLE_FILE_NAME).read_text()
    importer = Importer(sessions, parameters, ndelius_codes(), DEFAULT_BATCH_SIZE)
    with store_failures(), progress_bar() as progress:
        report = importer.run(document_source("bundled sample", text), by, progress)
    out.print(
        f"Loaded the bundled sample: {report.created} people, "
        f"{report.transitions_added} status transitions.",
        highlight=False,
    )
