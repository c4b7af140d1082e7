"""The caseload database as the commands use it, imported only by commands that need it.

SQLAlchemy and Alembic take a good part of a second to import: ``--help``, ``evaluate FILE`` and
``explain FILE`` never import this module (a test checks ``sys.modules``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.cli.console import err
from probation_reset.cli.options import misuse
from probation_reset.domain.case import Case
from probation_reset.rules.history import last_recorded_fact
from probation_reset.store import repository
from probation_reset.store.database import DatabaseUrlError, open_database, session_factory
from probation_reset.store.importer import Progress as ImportProgress
from probation_reset.store.refresh import StoredCaseError, stored_case

PHASES = {"check": "Checking records", "store": "Storing batches", "refresh": "Deriving history"}


def store_engine(url: str | None) -> Engine:
    try:
        return open_database(url)
    except DatabaseUrlError as error:
        misuse(str(error))
    except SQLAlchemyError as error:
        misuse(f"cannot open the database: {error.__class__.__name__}: {error}".splitlines()[0])


def sessions_for(url: str | None) -> sessionmaker[Session]:
    return session_factory(store_engine(url))


def stored_cases(url: str | None, crns: Sequence[str] | None = None) -> list[Case]:
    """The stored cases (every one, or those of ``crns`` found), in CRN order."""
    sessions = sessions_for(url)
    with sessions() as session:
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

    def advance(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = bar.add_task(PHASES.get(phase, phase), total=total)
        bar.update(tasks[phase], completed=done)

    with bar:
        yield advance
