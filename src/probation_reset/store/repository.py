"""Reading and writing the caseload. Every function takes a ``Session`` and never commits:
the caller owns the transaction (an import commits once per batch)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from probation_reset.domain.vocabulary import Status
from probation_reset.store.bulk import GatheredRows, insert_rows
from probation_reset.store.bulk_rows import RECORD_TABLES, case_records
from probation_reset.store.case_document import ChangeKind, document_changes, manager_columns
from probation_reset.store.concurrency import ConcurrentCreationError

# The status history's writing lives in ``history_writes``; callers reach it here, with the
# rest of the store's writes.
from probation_reset.store.history_writes import HistoryWrite as HistoryWrite
from probation_reset.store.history_writes import write_histories as write_histories
from probation_reset.store.models import (
    CaseChange,
    CaseRecord,
    ContactRow,
    EventRow,
    Import,
    ImportBatch,
    LicenceConditionRow,
    RegistrationRow,
    RejectedRecord,
    RequirementRow,
    StatusSpanRow,
    StatusTransitionRow,
)
from probation_reset.store.rejection import Rejection

RUNNING = "RUNNING"
COMPLETE = "COMPLETE"
#: An import stopped by a store failure it saw (a killed import stays ``RUNNING``).
FAILED = "FAILED"


# --- imports --------------------------------------------------------------------------------


def start_import(
    session: Session,
    source: str,
    source_kind: str,
    imported_by: str,
    policy_version: str,
    at: datetime,
) -> Import:
    started = Import(
        source=source,
        source_kind=source_kind,
        imported_by=imported_by,
        policy_version=policy_version,
        started_at=at,
        outcome=RUNNING,
        records=0,
        created=0,
        changed=0,
        unchanged=0,
        rejected=0,
    )
    session.add(started)
    session.flush()
    return started


def record_batch(session: Session, batch: ImportBatch) -> None:
    """Add a committed batch's counts to its import, and the batch row itself."""
    session.add(batch)
    session.execute(
        update(Import)
        .where(Import.id == batch.import_id)
        .values(
            records=Import.records + (batch.last_record - batch.first_record + 1),
            created=Import.created + batch.created,
            changed=Import.changed + batch.changed,
            unchanged=Import.unchanged + batch.unchanged,
            rejected=Import.rejected + batch.rejected,
        )
    )


def finish_import(session: Session, import_id: int, at: datetime) -> None:
    session.execute(
        update(Import).where(Import.id == import_id).values(outcome=COMPLETE, finished_at=at)
    )


def fail_import(session: Session, import_id: int, at: datetime) -> None:
    session.execute(
        update(Import)
        .where(Import.id == import_id, Import.outcome == RUNNING)
        .values(outcome=FAILED, finished_at=at)
    )


def record_rejections(session: Session, import_id: int, rejections: Iterable[Rejection]) -> None:
    """Keep each problem, cut and escaped to fit its columns (``Rejection.stored``)."""
    rows = [
        {
            "import_id": import_id,
            "record": r.record,
            "crn": r.crn,
            "field": r.field,
            "message": r.message,
            "location": r.location,
        }
        for r in (rejection.stored() for rejection in rejections)
    ]
    if rows:
        insert_rows(session, RejectedRecord, rows)


def import_batches(session: Session, import_id: int) -> list[ImportBatch]:
    return list(
        session.scalars(
            select(ImportBatch)
            .where(ImportBatch.import_id == import_id)
            .order_by(ImportBatch.number)
        )
    )


# --- cases ----------------------------------------------------------------------------------


def cases_by_crn(session: Session, crns: Collection[str]) -> dict[str, CaseRecord]:
    if not crns:
        return {}
    found = session.scalars(select(CaseRecord).where(CaseRecord.crn.in_(list(crns))))
    return {record.crn: record for record in found}


def case_states(session: Session, crns: Collection[str]) -> dict[str, tuple[str, str | None]]:
    """The content hash and history policy version of each stored case of ``crns``."""
    if not crns:
        return {}
    rows = session.execute(
        select(CaseRecord.crn, CaseRecord.content_hash, CaseRecord.history_policy_version).where(
            CaseRecord.crn.in_(list(crns))
        )
    )
    return {crn: (digest, version) for crn, digest, version in rows}


def case_documents(
    session: Session, crns: Collection[str] | None = None
) -> dict[str, dict[str, Any]]:
    """The canonical document of every stored case (or of those of ``crns``), by CRN."""
    query = select(CaseRecord.crn, CaseRecord.document).order_by(CaseRecord.crn)
    if crns is not None:
        query = query.where(CaseRecord.crn.in_(list(crns)))
    return {crn: document for crn, document in session.execute(query)}


def crns_in_store(session: Session) -> list[str]:
    return list(session.scalars(select(CaseRecord.crn).order_by(CaseRecord.crn)))


def create_cases(
    session: Session,
    documents: Mapping[str, tuple[dict[str, Any], str]],
    import_id: int,
    at: datetime,
) -> None:
    """New cases (CRN to document and content hash), each with the change that created it,
    inserted in CRN order; ``ConcurrentCreationError`` when another writer created one of them
    since this transaction read the store (the caller tries the batch again)."""
    if not documents:
        return
    created = session.scalars(
        _insert_new(session).returning(CaseRecord.crn),
        [
            {
                "crn": crn,
                "document": document,
                "content_hash": content_hash,
                "created_by_import": import_id,
                "updated_by_import": import_id,
                "created_at": at,
                "updated_at": at,
                **manager_columns(document),
            }
            for crn, (document, content_hash) in sorted(documents.items())
        ],
    ).all()
    if len(created) != len(documents):
        raise ConcurrentCreationError(
            f"{len(documents) - len(created)} case(s) were created by another writer meanwhile"
        )
    insert_rows(
        session,
        CaseChange,
        [
            {
                "import_id": import_id,
                "crn": crn,
                "kind": ChangeKind.CASE_CREATED.value,
                "field": "",
                "old_value": None,
                "new_value": document,
                "changed_at": at,
            }
            for crn, (document, _) in documents.items()
        ],
    )


def _insert_new(session: Session) -> Any:
    """``INSERT INTO cases ... ON CONFLICT (crn) DO NOTHING`` in the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql_insert(CaseRecord).on_conflict_do_nothing(index_elements=["crn"])
    return sqlite_insert(CaseRecord).on_conflict_do_nothing(index_elements=["crn"])


def update_case(
    session: Session,
    record: CaseRecord,
    document: dict[str, Any],
    content_hash: str,
    import_id: int,
    at: datetime,
) -> int:
    """Replace the case's document, keeping every changed field's old and new value; the
    number of changes recorded."""
    changes = [
        {
            "import_id": import_id,
            "crn": record.crn,
            "kind": change.kind.value,
            "field": change.field,
            "old_value": change.old_value,
            "new_value": change.new_value,
            "changed_at": at,
        }
        for change in document_changes(record.document, document)
    ]
    if changes:
        insert_rows(session, CaseChange, changes)
    record.document = document
    record.content_hash = content_hash
    for column, value in manager_columns(document).items():
        setattr(record, column, value)
    record.updated_by_import = import_id
    record.updated_at = at
    session.flush()
    return len(changes)


def case_changes(session: Session, crn: str) -> list[CaseChange]:
    return list(
        session.scalars(select(CaseChange).where(CaseChange.crn == crn).order_by(CaseChange.id))
    )


def replace_records(session: Session, documents: Mapping[str, Mapping[str, Any]]) -> None:
    """Rebuild the normalised rows (events, requirements, licence conditions, registrations,
    contacts) of these cases from their documents."""
    crns = list(documents)
    if not crns:
        return
    for model in (RequirementRow, LicenceConditionRow, ContactRow, RegistrationRow, EventRow):
        session.execute(delete(model).where(model.crn.in_(crns)))
    gathered = GatheredRows(session.get_bind().dialect.name)
    records = [case_records(crn, document) for crn, document in documents.items()]
    for table in RECORD_TABLES:
        gathered.add(table, [row for rows in records for row in rows[table]])
    gathered.write(session)


# --- status history (written by ``history_writes``) ----------------------------------------


def transitions_between(
    session: Session, first: date, last: date, kinds: Collection[str] = ()
) -> list[StatusTransitionRow]:
    """The transitions in force dated from ``first`` to ``last`` inclusive, by day then CRN."""
    query = select(StatusTransitionRow).where(
        StatusTransitionRow.superseded_at.is_(None),
        StatusTransitionRow.day >= first,
        StatusTransitionRow.day <= last,
    )
    if kinds:
        query = query.where(StatusTransitionRow.kind.in_(list(kinds)))
    return list(
        session.scalars(
            query.order_by(StatusTransitionRow.day, StatusTransitionRow.crn, StatusTransitionRow.id)
        )
    )


def status_counts_on(session: Session, day: date) -> dict[str, int]:
    """How many stored people hold each status on ``day`` (``ENDED`` when no span covers it)."""
    covering = session.execute(
        select(StatusSpanRow.status, func.count())
        .where(
            StatusSpanRow.start_date <= day,
            or_(StatusSpanRow.end_date.is_(None), StatusSpanRow.end_date > day),
        )
        .group_by(StatusSpanRow.status)
    )
    counts: Counter[str] = Counter({status: n for status, n in covering})
    people = session.scalar(select(func.count()).select_from(CaseRecord)) or 0
    counts[Status.ENDED.value] += people - sum(counts.values())
    return {status.value: counts[status.value] for status in Status if counts[status.value]}
