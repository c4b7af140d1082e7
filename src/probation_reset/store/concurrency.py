"""Several writers at once: each waits its turn or retries, and gives up only after a stated wait.

- **SQLite** runs in WAL mode (readers never block a writer nor the other way round), with a busy
  timeout of ``LOCK_WAIT_SECONDS``, and every write transaction begins ``BEGIN IMMEDIATE``: it
  takes the database's write lock before reading, so two writers queue instead of one failing
  when it tries to upgrade a read lock. Transactions of sessions made ``reading`` begin
  ``BEGIN`` (deferred) and never wait.
- **PostgreSQL** waits at most ``LOCK_WAIT_SECONDS`` for any lock (``lock_timeout``). Writers
  lock the case rows they touch up front, in CRN order (``lock_cases``), so two writers never
  hold each other's rows; new cases are inserted ``ON CONFLICT DO NOTHING``, and a case another
  writer created meanwhile makes the batch start again (``ConcurrentCreationError``).
- A transaction that fails because of another writer (deadlock, serialization failure, a case
  created meanwhile) is rolled back and run again, up to ``ATTEMPTS`` times with growing,
  jittered pauses (``write``).
- Migrations run in one transaction that first takes the write lock (SQLite) or a transaction
  advisory lock (PostgreSQL, ``MIGRATION_LOCK``), so two first uses of a new database do not
  race to create it.

A writer that still cannot go on raises ``StoreBusyError``, whose message says how long it
waited.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Callable, Collection
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.store.models import CaseRecord

#: How long a writer waits for another one's lock before giving up, in seconds, unless the
#: environment variable ``PROBATION_RESET_LOCK_WAIT_SECONDS`` says otherwise.
LOCK_WAIT_SECONDS = 60
LOCK_WAIT_VARIABLE = "PROBATION_RESET_LOCK_WAIT_SECONDS"
#: How many times a transaction that met another writer is tried in all.
ATTEMPTS = 8
#: The first pause before trying again, in seconds; it doubles each time (with jitter).
FIRST_PAUSE = 0.05
#: PostgreSQL advisory lock key held while migrating (``pg_advisory_xact_lock``).
MIGRATION_LOCK = 0x70726F62  # "prob"
#: An execution option: transactions of this engine only read (SQLite: deferred ``BEGIN``).
READING = "probation_reset_reading"

#: SQLSTATEs of PostgreSQL errors that a second try may not meet: deadlock, serialization.
RETRYABLE_STATES = frozenset({"40P01", "40001"})
LOCK_NOT_AVAILABLE = "55P03"

T = TypeVar("T")


def lock_wait_seconds() -> int:
    """``$PROBATION_RESET_LOCK_WAIT_SECONDS`` when it is a whole number of at least 1, else
    ``LOCK_WAIT_SECONDS``."""
    given = os.environ.get(LOCK_WAIT_VARIABLE, "")
    return int(given) if given.isdigit() and int(given) >= 1 else LOCK_WAIT_SECONDS


class StoreBusyError(RuntimeError):
    """Another writer kept the database for longer than this one would wait."""


class ConcurrentCreationError(RuntimeError):
    """Another writer created one of this batch's new cases since it was read: try again."""


# --- set-up of connections ------------------------------------------------------------------


#: The page size of a new SQLite file. A case's document (about 6.6 KB of JSON) fits in one
#: page rather than a chain of them: against 4 KiB pages (SQLite's default) an import took 0.96x
#: the time at 50k and 0.95x at 250k (208.7 s against 218.8 s), the file 8% larger, the
#: caseload's filters as fast.
SQLITE_PAGE_BYTES = 16384


def _on_sqlite_connect(connection: Any, _record: Any) -> None:
    """Foreign keys on, WAL, a busy timeout; transactions begun by SQLAlchemy, not by the
    driver (so a transaction, and a savepoint in it, covers reads and writes alike)."""
    connection.isolation_level = None
    cursor = connection.cursor()
    # Before anything is written: a new file gets larger pages (an existing one keeps its own).
    cursor.execute(f"PRAGMA page_size={SQLITE_PAGE_BYTES}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={lock_wait_seconds() * 1000}")
    # A read-only file keeps its journal mode; its first write then says it is read-only.
    with contextlib.suppress(Exception):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    reading = connection.get_execution_options().get(READING, False)
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


#: How PostgreSQL is asked to compress large values (below).
TOAST_COMPRESSION = "lz4"


def _on_postgresql_connect(connection: Any, _record: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{lock_wait_seconds()}s'")
        # No JIT compilation: the store's queries run for well under a second, and compiling one
        # whose estimated cost passes ``jit_above_cost`` took 0.9 s of a region's 1.3 s
        # reconciliation (PostgreSQL's default is on).
        cursor.execute("SET jit = off")
    connection.commit()
    # Large values (a case's document, its creation record) compressed with lz4 rather than
    # pglz, PostgreSQL's default: the server compresses each document it stores, two for every
    # new case. A 50k import took 0.96x the time (42.8 s against 44.5 s), the database 3.5%
    # larger. A server built without lz4 refuses the value, one older than 14 the setting:
    # pglz then.
    from psycopg import errors

    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('default_toast_compression', %s, false)", (TOAST_COMPRESSION,)
            )
        connection.commit()
    except (errors.InvalidParameterValue, errors.UndefinedObject):
        connection.rollback()


def prepare_engine(engine: Engine) -> Engine:
    """Set ``engine``'s connections up for several writers (see the module's description)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _on_postgresql_connect)
    return engine


def reading_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions that only read: on SQLite they never wait for a writer."""
    return sessionmaker(engine.execution_options(**{READING: True}), expire_on_commit=False)


def take_migration_lock(connection: Connection) -> None:
    """Inside the migration's transaction: PostgreSQL's advisory lock (SQLite's write lock is
    taken by ``BEGIN IMMEDIATE``)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


# --- writing --------------------------------------------------------------------------------


def lock_cases(session: Session, crns: Collection[str]) -> dict[str, CaseRecord]:
    """The stored cases of ``crns``, their rows locked until the transaction ends, taken in CRN
    order (on SQLite the whole database is already locked by ``BEGIN IMMEDIATE``)."""
    if not crns:
        return {}
    query = select(CaseRecord).where(CaseRecord.crn.in_(sorted(crns))).order_by(CaseRecord.crn)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return {record.crn: record for record in session.scalars(query)}


def lock_case_states(session: Session, crns: Collection[str]) -> dict[str, tuple[str, str | None]]:
    """As ``lock_cases``, reading only each stored case's content hash and the policy version
    of its history (not its document)."""
    if not crns:
        return {}
    query = (
        select(CaseRecord.crn, CaseRecord.content_hash, CaseRecord.history_policy_version)
        .where(CaseRecord.crn.in_(sorted(crns)))
        .order_by(CaseRecord.crn)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return {crn: (digest, version) for crn, digest, version in session.execute(query)}


def _state(error: BaseException) -> str | None:
    orig = getattr(error, "orig", None)
    state = getattr(orig, "sqlstate", None)
    return state if isinstance(state, str) else None


def is_retryable(error: BaseException) -> bool:
    """Whether the error came from meeting another writer, so that trying again may succeed."""
    if isinstance(error, ConcurrentCreationError):
        return True
    return isinstance(error, DBAPIError) and _state(error) in RETRYABLE_STATES


def is_busy(error: BaseException) -> bool:
    """Whether the error is a lock waited for in vain (``LOCK_WAIT_SECONDS``)."""
    if not isinstance(error, OperationalError):
        return False
    if _state(error) == LOCK_NOT_AVAILABLE:
        return True
    message = str(error.orig)
    return "database is locked" in message or "database is busy" in message


def busy_message(what: str) -> str:
    return (
        f"{what}: another writer held the database for more than {lock_wait_seconds()} seconds; "
        "try again when it has finished"
    )


def write(
    sessions: sessionmaker[Session],
    work: Callable[[Session], T],
    what: str,
    pause: Callable[[float], None] = time.sleep,
) -> T:
    """``work`` in one write transaction, committed; run again (after a pause) when it meets
    another writer; ``StoreBusyError`` when a lock is not had within ``LOCK_WAIT_SECONDS`` or
    the last attempt fails."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with sessions.begin() as session:
                return work(session)
        except Exception as error:
            if is_busy(error):
                raise StoreBusyError(busy_message(what)) from error
            if not is_retryable(error):
                raise
            if attempt == ATTEMPTS:
                raise StoreBusyError(
                    f"{what}: other writers kept getting in the way ({ATTEMPTS} attempts); "
                    "try again when they have finished"
                ) from error
            pause(FIRST_PAUSE * 2 ** (attempt - 1) * (1 + random.random()))
    raise AssertionError("unreachable")


def read(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """``work`` in a transaction that only reads (on SQLite: deferred, never waits)."""
    with sessions() as session:
        session.connection(execution_options={READING: True})
        return work(session)


def store_failure(error: BaseException) -> str:
    """One line saying why the store refused, for people (no SQL, no parameters)."""
    if isinstance(error, StoreBusyError):
        return str(error)
    if is_busy(error):
        return busy_message("waiting for the database")
    orig = getattr(error, "orig", None)
    reason = str(orig if orig is not None else error).strip().splitlines()
    first = reason[0] if reason else error.__class__.__name__
    lowered = first.lower()
    if "read-only" in lowered or "readonly" in lowered or "permission denied" in lowered:
        return f"the database cannot be written to ({first})"
    return f"the database refused: {first}"
