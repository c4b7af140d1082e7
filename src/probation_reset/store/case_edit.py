"""A change to one stored case made by hand (a hub reinstatement), through the import's path.

It is recorded as an import of one record (``source_kind`` says where from, ``imported_by`` who),
so it gets what every import gets: a ``case_changes`` row per changed field, the normalised rows
rebuilt, and the status spans and transitions derived again (a transition that no longer follows
is superseded, never deleted). Runs in the caller's transaction, with the case's row locked
(``concurrency.lock_cases``); never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from probation_reset.domain.case import Case
from probation_reset.evaluation.engine import Engine
from probation_reset.store import concurrency, repository
from probation_reset.store.case_document import content_hash
from probation_reset.store.history import status_history
from probation_reset.store.models import ImportBatch


@dataclass(frozen=True, slots=True)
class CaseEdit:
    """What the change did: its import, field changes, transitions added and superseded."""

    import_id: int
    changes: int
    transitions_added: int
    transitions_superseded: int


def edit_case(
    session: Session,
    engine: Engine,
    case: Case,
    document: dict[str, Any],
    source: str,
    source_kind: str,
    by: str,
    at: datetime,
) -> CaseEdit:
    """Store ``document`` (the canonical document of ``case``) as the case's new document."""
    record = concurrency.lock_cases(session, [case.crn])[case.crn]
    started = repository.start_import(
        session, source, source_kind, by, engine.parameters.version, at
    )
    digest = content_hash(document)
    changed = record.content_hash != digest
    changes = repository.update_case(session, record, document, digest, started.id, at)
    repository.replace_records(session, {case.crn: document})
    written = repository.write_histories(session, [status_history(engine, case)], started.id, at)
    repository.record_batch(
        session,
        ImportBatch(
            import_id=started.id,
            number=0,
            first_record=0,
            last_record=0,
            created=0,
            changed=int(changed),
            unchanged=int(not changed),
            rejected=0,
            committed_at=at,
        ),
    )
    repository.finish_import(session, started.id, at)
    return CaseEdit(started.id, changes, written.added, written.superseded)
