"""Deriving the status history of stored cases again, one transaction per batch of cases.

Used after a change of policy version (``--policy``) or of the core's rules: each case's status
spans are replaced and its transitions brought up to date (one that no longer follows is marked
superseded, never deleted). Cases whose history is unchanged are not written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from probation_reset.domain.case import Case
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import validate_case
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.store import concurrency, repository
from probation_reset.store.case_document import content_hash
from probation_reset.store.history import StatusHistory, status_history
from probation_reset.store.importer import DEFAULT_BATCH_SIZE, Clock, Progress, utc_now
from probation_reset.store.repository import HistoryWrite


class StoredCaseError(ValueError):
    """A stored document is no longer a valid case (the contract changed under it)."""


@dataclass(frozen=True, slots=True)
class RefreshReport:
    cases: int
    changed: int
    transitions_added: int
    transitions_superseded: int


def stored_case(crn: str, document: object) -> Case:
    result = validate_case(document, 0)
    if isinstance(result, list):
        problems = "; ".join(f"{e.field}: {e.message}" for e in result)
        raise StoredCaseError(f"stored case {crn} is not a valid case: {problems}")
    return result


def refresh_histories(
    sessions: sessionmaker[Session],
    parameters: PolicyParameters,
    crns: Sequence[str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    clock: Clock = utc_now,
    progress: Progress | None = None,
) -> RefreshReport:
    """Derive and store again the status history of ``crns`` (default: every stored case).

    Each batch's histories are derived from the documents as read without holding a lock;
    the batch is then written in one transaction that locks its cases in CRN order and derives
    again any case an import changed meanwhile (``concurrency``)."""
    engine = Engine(parameters)
    if crns is None:
        crns = concurrency.read(sessions, repository.crns_in_store)
    changed = added = superseded = 0
    for first in range(0, len(crns), batch_size):
        batch = list(crns[first : first + batch_size])
        documents = concurrency.read(sessions, partial(repository.case_documents, crns=batch))
        ahead = {
            crn: (content_hash(document), status_history(engine, stored_case(crn, document)))
            for crn, document in documents.items()
        }
        written = concurrency.write(
            sessions,
            partial(_store_batch, engine=engine, batch=batch, ahead=ahead, at=clock()),
            f"refreshing cases from {batch[0]}",
        )
        changed += written.cases
        added += written.added
        superseded += written.superseded
        if progress is not None:
            progress("refresh", first + len(batch), len(crns))
    return RefreshReport(len(crns), changed, added, superseded)


def _store_batch(
    session: Session,
    engine: Engine,
    batch: list[str],
    ahead: dict[str, tuple[str, StatusHistory]],
    at: datetime,
) -> HistoryWrite:
    """Write the batch's histories with its cases locked; derive again a case changed since
    ``ahead`` was derived."""
    records = concurrency.lock_cases(session, batch)
    histories = [
        ahead[crn][1]
        if crn in ahead and ahead[crn][0] == records[crn].content_hash
        else status_history(engine, stored_case(crn, records[crn].document))
        for crn in batch
        if crn in records
    ]
    return repository.write_histories(session, histories, None, at)
