"""Deriving the status history of stored cases again, one transaction per batch of cases.

Used after a change of policy version (``--policy``) or of the core's rules: each case's status
spans are replaced and its transitions brought up to date (one that no longer follows is marked
superseded, never deleted). Cases whose history is unchanged are not written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from probation_reset.domain.case import Case
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import validate_case
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.store import repository
from probation_reset.store.history import status_history
from probation_reset.store.importer import DEFAULT_BATCH_SIZE, Clock, Progress, utc_now


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
    """Derive and store again the status history of ``crns`` (default: every stored case)."""
    engine = Engine(parameters)
    if crns is None:
        with sessions() as session:
            crns = repository.crns_in_store(session)
    changed = added = superseded = 0
    for first in range(0, len(crns), batch_size):
        batch = crns[first : first + batch_size]
        with sessions.begin() as session:
            records = repository.cases_by_crn(session, batch)
            histories = [
                status_history(engine, stored_case(crn, records[crn].document))
                for crn in batch
                if crn in records
            ]
            written = repository.write_histories(session, histories, None, clock())
        changed += written.cases
        added += written.added
        superseded += written.superseded
        if progress is not None:
            progress("refresh", first + len(batch), len(crns))
    return RefreshReport(len(crns), changed, added, superseded)
