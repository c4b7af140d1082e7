"""Deriving the status history of stored cases again, one transaction per batch of cases.

Used after a change of policy version (``--policy``) or of the core's rules: each case's status
spans are replaced and its transitions brought up to date (one that no longer follows is marked
superseded, never deleted). Cases whose history is unchanged are not written.

Deriving is the work: each batch's documents are read and their histories derived without any
lock, by worker processes when there are several batches (``worker_pool``, each worker reading
the store on its own connection), while this process writes each batch in one transaction that
locks its cases in CRN order, compares the histories with the stored ones and writes only the
differences, in bulk (``repository.write_histories``). A case an import changed meanwhile (its
content hash moved) is derived again under the lock.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import Engine as DatabaseEngine
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.evaluation.engine import Engine
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.store import concurrency, repository, statistics
from probation_reset.store.bulk import DEFAULT_BATCH_SIZE
from probation_reset.store.case_document import StoredCaseError, stored_case
from probation_reset.store.history import StatusHistory, status_history
from probation_reset.store.import_check import Progress
from probation_reset.store.models import CaseRecord
from probation_reset.store.moments import Clock, utc_now
from probation_reset.store.repository import HistoryWrite
from probation_reset.worker_pool import results_in_order

__all__ = ["RefreshReport", "StoredCaseError", "refresh_histories", "stored_case"]

#: A batch's histories as derived ahead: each case's content hash then and its history.
Derived = dict[str, tuple[str, StatusHistory]]


@dataclass(frozen=True, slots=True)
class RefreshReport:
    cases: int
    changed: int
    transitions_added: int
    transitions_superseded: int


class _Deriver:
    """Reads a batch of stored cases and derives their histories, with one engine."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self.engine = engine
        self.sessions = sessions

    def __call__(self, crns: list[str]) -> Derived:
        query = select(CaseRecord.crn, CaseRecord.content_hash, CaseRecord.document).where(
            CaseRecord.crn.in_(crns)
        )
        rows = concurrency.read(self.sessions, lambda session: session.execute(query).all())
        return {
            crn: (digest, status_history(self.engine, stored_case(crn, document)))
            for crn, digest, document in rows
        }


_deriver: _Deriver | None = None


def _start_worker(parameters: PolicyParameters, url: str) -> None:
    """A worker process's set-up: its engine, its own read-only connection, its collector
    paused (it keeps nothing between batches)."""
    global _deriver
    from probation_reset.store.database import create_database_engine, session_factory

    sessions = session_factory(create_database_engine(url), reading=True)
    _deriver = _Deriver(Engine(parameters), sessions)
    gc.freeze()
    gc.disable()


def _derive_in_worker(crns: list[str]) -> Derived:
    if _deriver is None:
        raise RuntimeError("_start_worker was not called in this process")
    return _deriver(crns)


def refresh_histories(
    sessions: sessionmaker[Session],
    parameters: PolicyParameters,
    crns: Sequence[str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    clock: Clock = utc_now,
    progress: Progress | None = None,
    workers: int = 1,
) -> RefreshReport:
    """Derive and store again the status history of ``crns`` (default: every stored case),
    deriving in ``workers`` processes (1: this process).

    Each batch's histories are derived from the documents as read without holding a lock;
    the batch is then written in one transaction that locks its cases in CRN order and derives
    again any case an import changed meanwhile (``concurrency``)."""
    engine = Engine(parameters)
    statistics.analyse(sessions)  # a table loaded since its last ANALYZE is read whole
    if crns is None:
        crns = concurrency.read(sessions, repository.crns_in_store)
    batches = [list(crns[first : first + batch_size]) for first in range(0, len(crns), batch_size)]
    bind = sessions.kw.get("bind")
    url = (
        bind.url.render_as_string(hide_password=False) if isinstance(bind, DatabaseEngine) else None
    )
    local: Callable[[], Callable[[list[str]], Derived]] = lambda: _Deriver(engine, sessions)  # noqa: E731
    derived = results_in_order(
        batches,
        workers if url is not None else 1,
        local=local,
        remote=_derive_in_worker,
        initializer=_start_worker,
        initargs=(parameters, url),
    )
    changed = added = superseded = done = 0
    for batch, ahead in zip(batches, derived, strict=True):
        written = concurrency.write(
            sessions,
            partial(_store_batch, engine=engine, batch=batch, ahead=ahead, at=clock()),
            f"refreshing cases from {batch[0]}",
        )
        changed += written.cases
        added += written.added
        superseded += written.superseded
        done += len(batch)
        if progress is not None:
            progress("refresh", done, len(crns))
    return RefreshReport(len(crns), changed, added, superseded)


def _store_batch(
    session: Session, engine: Engine, batch: list[str], ahead: Derived, at: datetime
) -> HistoryWrite:
    """Write the batch's histories with its cases locked; derive again a case changed since
    ``ahead`` was derived."""
    states = concurrency.lock_case_states(session, batch)
    moved = [
        crn for crn, (digest, _) in states.items() if crn not in ahead or ahead[crn][0] != digest
    ]
    again = repository.case_documents(session, moved) if moved else {}
    histories = [
        status_history(engine, stored_case(crn, again[crn])) if crn in again else ahead[crn][1]
        for crn in batch
        if crn in states
    ]
    return repository.write_histories(session, histories, None, at)
