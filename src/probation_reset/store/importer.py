"""Bringing a file of cases into the store: checked whole, stored one transaction per batch.

Every record is first checked (``import_check``: the store's limits, NDelius codes, the core's
validation). Then the records are
stored in batches of ``batch_size`` consecutive records, each batch in one transaction with its
``import_batches`` row and its rejected records: a crash or kill mid-import leaves the store as it
was before the unfinished batch (and the import ``RUNNING``; ``FAILED`` when the importer saw
the failure). Several imports and refreshes may run at once (see ``Importer``). A case is
upserted by CRN: a new CRN is created, a changed one updated with every changed field recorded,
an unchanged one (same content hash) left alone, so importing the same file again records
nothing but the import itself.
The status history of every created or changed case (or of one derived under another policy
version) is derived and stored in the same transaction.
A registration the regional hub recorded on a case is kept on it until the imported data
carries it (``hub_registrations.keep_hub_registrations``, called once per batch).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.domain.case import Case
from probation_reset.evaluation.engine import Engine
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.store import concurrency, repository
from probation_reset.store.case_document import content_hash
from probation_reset.store.concurrency import StoreBusyError, store_failure
from probation_reset.store.history import StatusHistory, status_history
from probation_reset.store.hub_registrations import keep_hub_registrations
from probation_reset.store.import_check import (
    CASES_DOCUMENT,
    CSV_BUNDLE,
    CheckedRecords,
    ImportSource,
    Progress,
    check_records,
    csv_source,
    document_source,
    no_progress,
    rejection_order,
)
from probation_reset.store.models import ImportBatch
from probation_reset.store.ndelius import NDeliusCodes
from probation_reset.store.rejection import Rejection
from probation_reset.store.repository import HistoryWrite
from probation_reset.store.unstorable import find_unstorable, is_record_problem

DEFAULT_BATCH_SIZE = 1000
__all__ = [
    "CASES_DOCUMENT",
    "CSV_BUNDLE",
    "DEFAULT_BATCH_SIZE",
    "CheckedRecords",
    "Clock",
    "ImportReport",
    "ImportSource",
    "ImportStoppedError",
    "Importer",
    "Progress",
    "check_records",
    "csv_source",
    "document_source",
    "utc_now",
]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Now, as the naive UTC the store keeps."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class ImportReport:
    import_id: int
    records: int
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    #: Records kept out (each may have several problems in ``rejections``).
    rejected: int = 0
    #: Field changes recorded on existing cases.
    changes: int = 0
    transitions_added: int = 0
    transitions_superseded: int = 0
    batches: int = 0
    rejections: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    """What one committed batch did."""

    created: int
    changed: int
    unchanged: int
    changes: int
    written: HistoryWrite


class ImportStoppedError(RuntimeError):
    """The store failed mid-import. The batches committed before are kept and the import is
    marked ``FAILED``; the message says what happened and what was kept."""


class _Trial(Exception):  # noqa: N818 - not an error: it rolls a trial transaction back
    """Raised to roll back a trial write."""


#: A valid record ready to store: its index, the case, its canonical document and its hash.
Ready = tuple[int, Case, dict[str, Any], str]


@dataclass
class Importer:
    """Imports sources into the store reached by ``sessions``, under one policy version.

    Each batch is prepared without holding any lock (the stored hashes are read and the status
    histories that will be needed are derived), then written in one short transaction that
    locks its cases in CRN order and is tried again when it meets another writer
    (``concurrency.write``). A store failure marks the import ``FAILED`` and raises
    ``ImportStoppedError``; the batches committed before it are kept.
    """

    sessions: sessionmaker[Session]
    parameters: PolicyParameters
    codes: NDeliusCodes
    batch_size: int = DEFAULT_BATCH_SIZE
    clock: Clock = utc_now

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError("the batch size must be at least 1")
        self.engine = Engine(self.parameters)

    def run(
        self, source: ImportSource, imported_by: str, progress: Progress = no_progress
    ) -> ImportReport:
        checked = check_records(source, self.codes, progress)
        version, at = self.parameters.version, self.clock()
        try:
            import_id = concurrency.write(
                self.sessions,
                lambda s: (
                    repository.start_import(
                        s, source.name, source.kind, imported_by, version, at
                    ).id
                ),
                "starting the import",
            )
        except (SQLAlchemyError, StoreBusyError) as error:
            raise ImportStoppedError(f"nothing was stored: {store_failure(error)}") from None
        report = ImportReport(import_id, checked.total, rejections=checked.rejections)
        report.rejected = checked.rejected_records
        try:
            self._store(import_id, checked, report, progress)
        except BaseException as error:
            marked = "marked FAILED" if self._fail(import_id) else "left RUNNING"
            if not isinstance(error, SQLAlchemyError | StoreBusyError):
                raise
            kept = (
                f"the {report.batches} batch(es) before it are stored"
                if report.batches
                else "no batch was stored"
            )
            raise ImportStoppedError(
                f"import {import_id} stopped at batch {report.batches} "
                f"(records from {report.batches * self.batch_size}): {store_failure(error)}; "
                f"{kept} and the import is {marked}; importing the file again finishes the work"
            ) from None
        return report

    def _store(
        self, import_id: int, checked: CheckedRecords, report: ImportReport, progress: Progress
    ) -> None:
        valid = iter(checked.valid)
        pending = next(valid, None)
        for number, first in enumerate(range(0, checked.total, self.batch_size)):
            last = min(first + self.batch_size, checked.total) - 1
            cases: list[Ready] = []
            while pending is not None and pending[0] <= last:
                index, case, document = pending
                cases.append((index, case, document, content_hash(document)))
                pending = next(valid, None)
            rejections = [
                r for r in checked.rejections if r.record is not None and first <= r.record <= last
            ]
            derived = self._derive_ahead(cases)
            write = partial(self._write_batch, import_id, number, first, last, derived=derived)
            try:
                outcome = write(cases, rejections)
            except Exception as error:
                if not is_record_problem(error):
                    raise
                refused = self._unstorable(write, cases)
                report.rejections = sorted([*report.rejections, *refused], key=rejection_order)
                report.rejected += len(refused)
                kept = {r.record for r in refused}
                outcome = write(
                    [ready for ready in cases if ready[0] not in kept],
                    sorted([*rejections, *refused], key=rejection_order),
                )
            report.created += outcome.created
            report.changed += outcome.changed
            report.unchanged += outcome.unchanged
            report.changes += outcome.changes
            report.transitions_added += outcome.written.added
            report.transitions_superseded += outcome.written.superseded
            report.batches += 1
            progress("store", last + 1, checked.total)
        unplaced = [r for r in checked.rejections if r.record is None]

        def finish(session: Session) -> None:
            repository.record_rejections(session, import_id, unplaced)
            repository.finish_import(session, import_id, self.clock())

        concurrency.write(self.sessions, finish, "finishing the import")

    def _write_batch(
        self,
        import_id: int,
        number: int,
        first: int,
        last: int,
        cases: list[Ready],
        rejections: list[Rejection],
        derived: dict[str, StatusHistory],
        trial: bool = False,
    ) -> BatchOutcome:
        """Store the batch in one transaction (tried again when it meets another writer); a
        ``trial`` is rolled back, to see whether the database would take it."""

        def store(session: Session) -> BatchOutcome:
            outcome = self._store_batch(
                session, import_id, number, first, last, cases, rejections, derived
            )
            if trial:
                raise _Trial
            return outcome

        return concurrency.write(self.sessions, store, f"storing batch {number}")

    def _unstorable(
        self, write: Callable[..., BatchOutcome], cases: list[Ready]
    ) -> list[Rejection]:
        """The batch's records the database refuses, as rejections (``find_unstorable``)."""

        def tried(some: Sequence[Ready]) -> None:
            with contextlib.suppress(_Trial):
                write(list(some), [], trial=True)

        return [
            Rejection(index, case.crn, "", f"the database cannot keep this record: {why}")
            for (index, case, _, _), why in find_unstorable(cases, tried)
        ]

    def _fail(self, import_id: int) -> bool:
        """Mark the import ``FAILED``, if the store still lets us (else it stays ``RUNNING``);
        whether it did."""
        try:
            concurrency.write(
                self.sessions,
                lambda s: repository.fail_import(s, import_id, self.clock()),
                "marking the import failed",
            )
        except Exception:
            return False
        return True

    def _derive_ahead(self, cases: list[Ready]) -> dict[str, StatusHistory]:
        """The status histories the batch will need as the store stands, derived before its
        transaction so that no lock is held meanwhile."""
        states = concurrency.read(
            self.sessions, lambda s: repository.case_states(s, [c.crn for _, c, _, _ in cases])
        )
        version = self.parameters.version
        return {
            case.crn: status_history(self.engine, case)
            for _, case, _, digest in cases
            if states.get(case.crn) != (digest, version)
        }

    def _store_batch(
        self,
        session: Session,
        import_id: int,
        number: int,
        first: int,
        last: int,
        cases: list[Ready],
        rejections: list[Rejection],
        derived: dict[str, StatusHistory],
    ) -> BatchOutcome:
        at = self.clock()
        stored = concurrency.lock_cases(session, [case.crn for _, case, _, _ in cases])
        cases, derived = keep_hub_registrations(session, import_id, at, cases, derived)
        created: dict[str, tuple[dict[str, Any], str]] = {}
        rebuilt: dict[str, dict[str, Any]] = {}
        to_derive: list[Case] = []
        changed = unchanged = changes = 0
        for _, case, document, digest in cases:
            record = stored.get(case.crn)
            if record is None:
                created[case.crn] = (document, digest)
            elif record.content_hash != digest:
                changes += repository.update_case(session, record, document, digest, import_id, at)
                changed += 1
            else:
                unchanged += 1
                if record.history_policy_version != self.parameters.version:
                    to_derive.append(case)
                continue
            rebuilt[case.crn] = document
            to_derive.append(case)
        repository.create_cases(session, created, import_id, at)
        repository.replace_records(session, rebuilt)
        histories = [derived.get(c.crn) or status_history(self.engine, c) for c in to_derive]
        written = repository.write_histories(session, histories, import_id, at)
        repository.record_rejections(session, import_id, rejections)
        repository.record_batch(
            session,
            ImportBatch(
                import_id=import_id,
                number=number,
                first_record=first,
                last_record=last,
                created=len(created),
                changed=changed,
                unchanged=unchanged,
                rejected=len({r.record for r in rejections}),
                committed_at=at,
            ),
        )
        return BatchOutcome(len(created), changed, unchanged, changes, written)
