"""Bringing a file of cases into the store: checked whole, stored one transaction per batch.

Every record is first mapped from NDelius codes (``ndelius``) and validated by the core
(``read_cases``: the contract's errors, a later duplicate CRN rejected). Then the records are
stored in batches of ``batch_size`` consecutive records, each batch in one transaction with its
``import_batches`` row and its rejected records: a crash or kill mid-import leaves the store as it
was before the unfinished batch (and the import ``RUNNING``; ``FAILED`` when the importer saw
the failure). Several imports and refreshes may run at once (see ``Importer``). A case is
upserted by CRN: a new CRN is created, a changed one updated with every changed field recorded,
an unchanged one (same content hash) left alone, so importing the same file again records
nothing but the import itself.
The status history of every created or changed case (or of one derived under another policy
version) is derived and stored in the same transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.domain.case import Case
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.limits import parse_bounded, store_problems
from probation_reset.intake.reader import crn_of, field_sort_key, read_cases
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.store import concurrency, repository
from probation_reset.store.case_document import canonical_document, content_hash
from probation_reset.store.concurrency import StoreBusyError, store_failure
from probation_reset.store.csv_bundle import read_csv_bundle
from probation_reset.store.history import StatusHistory, status_history
from probation_reset.store.models import ImportBatch
from probation_reset.store.ndelius import NDeliusCodes
from probation_reset.store.rejection import Rejection
from probation_reset.store.repository import HistoryWrite

DEFAULT_BATCH_SIZE = 1000
CASES_DOCUMENT = "cases document"
CSV_BUNDLE = "csv bundle"

#: Called as records are checked and stored: ``(phase, done, total)``, phase ``check``/``store``.
Progress = Callable[[str, int, int], None]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Now, as the naive UTC the store keeps."""
    return datetime.now(UTC).replace(tzinfo=None)


def _no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


def _nowhere(_record: int, _field: str) -> str | None:
    return None


@dataclass(frozen=True)
class ImportSource:
    """Raw case records to import, with the problems found before validation (a CSV bundle's
    joins) and how to say where a record's field came from."""

    name: str
    kind: str
    records: Sequence[Any]
    rejections: Sequence[Rejection] = ()
    locate: Callable[[int, str], str | None] = _nowhere


def document_source(name: str, text: str) -> ImportSource:
    """A contract CASES document (JSON or JSON Lines); ``UnreadableCasesError`` if it is not."""
    return ImportSource(name, CASES_DOCUMENT, parse_bounded(text))


def csv_source(directory: str, codes: NDeliusCodes) -> ImportSource:
    """A CSV bundle directory; ``CsvBundleError`` if it cannot be read."""
    bundle = read_csv_bundle(Path(directory), key_date_codes=tuple(codes.key_dates))
    return ImportSource(directory, CSV_BUNDLE, bundle.records, bundle.rejections, bundle.locate)


@dataclass
class CheckedRecords:
    """The records that may be stored (index, domain case, canonical document) and every
    problem of the others."""

    total: int
    valid: list[tuple[int, Case, dict[str, Any]]]
    rejections: list[Rejection]

    @property
    def rejected_records(self) -> int:
        return len({r.record for r in self.rejections if r.record is not None})


def _rejection_order(rejection: Rejection) -> tuple[int, tuple[tuple[str, int], ...], str]:
    record = -1 if rejection.record is None else rejection.record
    return (record, field_sort_key(rejection.field), rejection.location or "")


def check_records(
    source: ImportSource, codes: NDeliusCodes, progress: Progress = _no_progress
) -> CheckedRecords:
    """Map every record from NDelius codes and validate it; keep the good, report the rest."""
    total = len(source.records)
    mapped: list[Any] = []
    mapping_problems: dict[int, list[tuple[str, str]]] = {}
    unstorable: dict[int, list[tuple[str, str]]] = {}
    for index, raw in enumerate(source.records):
        problems = store_problems(raw)
        if problems:
            # Kept out before anything reads it; only a clean CRN stays, for finding repeats.
            unstorable[index] = problems
            crn = crn_of(raw)
            safe = crn is not None and not any(field == "crn" for field, _ in problems)
            mapped.append({"crn": crn} if safe else None)
            continue
        record, problems = codes.to_contract(raw)
        mapped.append(record)
        if problems:
            mapping_problems[index] = problems

    def counted() -> Iterator[Any]:
        for index, record in enumerate(mapped):
            yield record
            progress("check", index + 1, total)

    intake = read_cases(counted())
    rejections = list(source.rejections)
    for index, problems in mapping_problems.items():
        crn = crn_of(mapped[index])
        rejections.extend(Rejection(index, crn, f, message) for f, message in problems)
    for index, problems in unstorable.items():
        crn = crn_of(source.records[index])
        rejections.extend(Rejection(index, crn, f, message) for f, message in problems)
    for error in intake.errors:
        if error.index in unstorable and error.field != "crn":
            continue  # the record was never read; only a repeated CRN is still worth saying
        if any(error.field == f for f, _ in mapping_problems.get(error.index, ())):
            continue  # the code's own problem says it better than "not one of ..."
        rejections.append(Rejection(error.index, error.crn, error.field, error.message))
    rejections = [
        r
        if r.record is None or r.location is not None
        else Rejection(r.record, r.crn, r.field, r.message, source.locate(r.record, r.field))
        for r in rejections
    ]
    rejections.sort(key=_rejection_order)
    refused = {r.record for r in rejections}
    valid = [
        (index, case, canonical_document(mapped[index]))
        for index, case in intake.cases
        if index not in refused
    ]
    return CheckedRecords(total, valid, rejections)


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
        self, source: ImportSource, imported_by: str, progress: Progress = _no_progress
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
            self._fail(import_id)
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
                f"{kept} and the import is marked FAILED; importing the file again finishes "
                "the work"
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
            outcome = concurrency.write(
                self.sessions,
                partial(
                    self._store_batch,
                    import_id=import_id,
                    number=number,
                    first=first,
                    last=last,
                    cases=cases,
                    rejections=rejections,
                    derived=derived,
                ),
                f"storing batch {number}",
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

    def _fail(self, import_id: int) -> None:
        """Mark the import ``FAILED``, if the store still lets us (else it stays ``RUNNING``)."""
        with contextlib.suppress(Exception):
            concurrency.write(
                self.sessions,
                lambda s: repository.fail_import(s, import_id, self.clock()),
                "marking the import failed",
            )

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
