"""Bringing a source of cases into the store, a batch at a time: read, checked and stored.

The source is read in batches of ``batch_size`` consecutive records (a JSON Lines file or Parquet
tables streamed, never held whole: ``import_sources``). Each batch is prepared without any lock
(``import_prepare``: every record checked against the store's limits, NDelius codes and the
core's validation; the valid ones' documents, hashes and rows built, the status histories and
caseload digests the store will need derived), in worker processes when there are several
batches (``worker_pool``: a few batches in flight, so memory does not grow with the source),
while this process applies the CRN rule across the whole source (a CRN seen earlier rejects the
later record; the set of CRNs seen is all that grows) and writes each batch in one transaction
with its ``import_batches`` row and its rejected records (``import_batch``: in bulk). A crash or
kill mid-import leaves the store as it was before the unfinished batch (and the import
``RUNNING``; ``FAILED`` when the importer saw the failure: the store's, or the source's when a
later part of it cannot be read). Several imports and refreshes may run at once (see
``Importer``). A case is upserted by CRN: a new CRN is created, a changed one updated with every
changed field recorded, an unchanged one (same content hash) left alone, so importing the same
file again records nothing but the import itself. A registration the regional hub recorded on a
case is kept on it until the imported data carries it (``hub_registrations``, called by the
batch's writer once its cases are locked).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain

from sqlalchemy import Engine as DatabaseEngine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.batch.sources import Chunk
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import UnreadableCasesError
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.store import concurrency, repository, statistics
from probation_reset.store.bulk import DEFAULT_BATCH_SIZE
from probation_reset.store.concurrency import StoreBusyError, store_failure
from probation_reset.store.import_batch import BatchOutcome, BatchRange, BatchWriter
from probation_reset.store.import_check import (
    CASES_DOCUMENT,
    CSV_BUNDLE,
    PARQUET_TABLES,
    CheckedRecords,
    ImportSource,
    Progress,
    Repeats,
    check_records,
    no_progress,
    rejection_order,
)
from probation_reset.store.import_prepare import (
    CheckedRecord,
    PreparedCase,
    Preparer,
    prepare_in_worker,
    start_worker,
    states_reader,
)
from probation_reset.store.import_sources import (
    csv_source,
    document_source,
    table_source,
    text_source,
)
from probation_reset.store.moments import Clock, utc_now
from probation_reset.store.ndelius import NDeliusCodes
from probation_reset.store.rejection import Rejection
from probation_reset.store.unstorable import find_unstorable, is_record_problem
from probation_reset.worker_pool import results_in_order

__all__ = [
    "CASES_DOCUMENT",
    "CSV_BUNDLE",
    "DEFAULT_BATCH_SIZE",
    "PARQUET_TABLES",
    "CheckedRecords",
    "Clock",
    "ImportReport",
    "ImportSource",
    "ImportStoppedError",
    "Importer",
    "Progress",
    "UnreadableSourceError",
    "check_records",
    "csv_source",
    "document_source",
    "table_source",
    "text_source",
    "utc_now",
]


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


class ImportStoppedError(RuntimeError):
    """The store failed mid-import, or a later part of the source could not be read. The
    batches committed before are kept and the import is marked ``FAILED``; the message says
    what happened and what was kept."""


class UnreadableSourceError(Exception):
    """The source cannot be read from its start: nothing was recorded. ``reason`` is its
    reader's error."""

    def __init__(self, reason: ValueError | OSError) -> None:
        super().__init__(str(reason))
        self.reason = reason


class _SourceFailedError(Exception):
    """The source could not be read any further (its reader's error is the cause)."""


class _Trial(Exception):  # noqa: N818 - not an error: it rolls a trial transaction back
    """Raised to roll back a trial write."""


def _read(chunks: Iterable[Chunk]) -> Iterator[Chunk]:
    try:
        yield from chunks
    except (ValueError, OSError) as error:
        raise _SourceFailedError(str(error)) from error


def _database_url(sessions: sessionmaker[Session]) -> str | None:
    """The URL of the database ``sessions`` open (for worker processes to read it), unless
    they are bound to one connection (a test's transaction: nobody else can see it)."""
    bind = sessions.kw.get("bind")
    if isinstance(bind, DatabaseEngine):
        return bind.url.render_as_string(hide_password=False)
    return None


@dataclass
class Importer:
    """Imports sources into the store reached by ``sessions``, under one policy version.

    Each batch is prepared without holding any lock (``import_prepare``), by ``workers``
    processes (1: this process), then written in one short transaction that locks its cases in
    CRN order and is tried again when it meets another writer (``concurrency.write``). A store
    failure marks the import ``FAILED`` and raises ``ImportStoppedError``; the batches committed
    before it are kept.
    """

    sessions: sessionmaker[Session]
    parameters: PolicyParameters
    codes: NDeliusCodes
    batch_size: int = DEFAULT_BATCH_SIZE
    clock: Clock = utc_now
    workers: int = 1

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError("the batch size must be at least 1")
        self.engine = Engine(self.parameters)
        bind = self.sessions.kw.get("bind")
        self.dialect: str = bind.dialect.name if bind is not None else "sqlite"
        self.preparer = Preparer(
            self.engine, self.codes, self.dialect, states_reader(self.sessions)
        )
        self.writer = BatchWriter(self.preparer)

    def run(
        self, source: ImportSource, imported_by: str, progress: Progress = no_progress
    ) -> ImportReport:
        """Import ``source``. A source that cannot be read from its start raises
        ``UnreadableSourceError`` before anything is recorded."""
        chunks = source.chunks(self.batch_size)
        try:
            first = next(chunks, None)
        except (ValueError, OSError) as error:
            raise UnreadableSourceError(error) from error
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
        report = ImportReport(import_id, 0)
        read = _read(chain([first] if first is not None else [], chunks))
        try:
            self._store(source, import_id, read, report, progress)
        except BaseException as error:
            marked = "marked FAILED" if self._fail(import_id) else "left RUNNING"
            kept = (
                f"the {report.batches} batch(es) before it are stored"
                if report.batches
                else "no batch was stored"
            )
            stopped = (
                f"import {import_id} stopped at batch {report.batches} "
                f"(records from {report.batches * self.batch_size})"
            )
            if isinstance(error, _SourceFailedError | UnreadableCasesError):
                raise ImportStoppedError(
                    f"{stopped}: {source.name}: {error}; {kept} and the import is {marked}; "
                    "correct the source and import it again to finish the work"
                ) from None
            if not isinstance(error, SQLAlchemyError | StoreBusyError):
                raise
            raise ImportStoppedError(
                f"{stopped}: {store_failure(error)}; {kept} and the import is {marked}; "
                "importing the file again finishes the work"
            ) from None
        return report

    def _prepared(self, chunks: Iterable[Chunk]) -> Iterator[list[CheckedRecord]]:
        """Each chunk prepared, in order: by worker processes when there are several and they
        can reach the database (to read what is stored), else here."""
        url = _database_url(self.sessions)
        return results_in_order(
            chunks,
            self.workers if url is not None else 1,
            local=lambda: self.preparer,
            remote=prepare_in_worker,
            initializer=start_worker,
            initargs=(self.parameters, self.codes, self.dialect, url),
        )

    def _store(
        self,
        source: ImportSource,
        import_id: int,
        chunks: Iterable[Chunk],
        report: ImportReport,
        progress: Progress,
    ) -> None:
        repeats = Repeats(source)
        unplaced = repeats.unplaced()
        report.rejections.extend(unplaced)
        total = source.known_total()
        first = 0
        for number, checked in enumerate(self._prepared(chunks)):
            last = first + len(checked) - 1
            cases: list[PreparedCase] = []
            rejections: list[Rejection] = []
            for record in checked:
                storable, problems = repeats.settle(
                    record.index, record.crn, record.case is not None, record.rejections
                )
                rejections += problems
                if storable and record.case is not None:
                    cases.append(record.case)
            batch = BatchRange(import_id, number, first, last)
            outcome = self._write_with_refusals(batch, cases, rejections, report)
            report.records = last + 1
            report.rejections.extend(rejections)
            report.rejected += len({r.record for r in rejections})
            report.created += outcome.created
            report.changed += outcome.changed
            report.unchanged += outcome.unchanged
            report.changes += outcome.changes
            report.transitions_added += outcome.written.added
            report.transitions_superseded += outcome.written.superseded
            report.batches += 1
            progress("store", last + 1, total)
            first = last + 1
            statistics.analyse_after_batch(self.sessions, number)

        def finish(session: Session) -> None:
            repository.record_rejections(session, import_id, unplaced)
            repository.finish_import(session, import_id, self.clock())

        concurrency.write(self.sessions, finish, "finishing the import")
        statistics.analyse(self.sessions)

    def _write_with_refusals(
        self,
        batch: BatchRange,
        cases: list[PreparedCase],
        rejections: list[Rejection],
        report: ImportReport,
    ) -> BatchOutcome:
        """Write the batch; should the database refuse a record, find the records at fault,
        reject them (added to ``rejections``) and write the rest."""
        write = partial(self._write_batch, batch)
        try:
            return write(cases, rejections)
        except Exception as error:
            if not is_record_problem(error):
                raise
        refused = self._unstorable(write, cases)
        kept = {r.record for r in refused}
        rejections[:] = sorted([*rejections, *refused], key=rejection_order)
        return write([c for c in cases if c.index not in kept], rejections)

    def _write_batch(
        self,
        batch: BatchRange,
        cases: list[PreparedCase],
        rejections: list[Rejection],
        trial: bool = False,
    ) -> BatchOutcome:
        """Store the batch in one transaction (tried again when it meets another writer); a
        ``trial`` is rolled back, to see whether the database would take it."""

        def store(session: Session) -> BatchOutcome:
            outcome = self.writer.store(session, batch, cases, rejections, self.clock())
            if trial:
                raise _Trial
            return outcome

        return concurrency.write(self.sessions, store, f"storing batch {batch.number}")

    def _unstorable(
        self, write: Callable[..., BatchOutcome], cases: list[PreparedCase]
    ) -> list[Rejection]:
        """The batch's records the database refuses, as rejections (``find_unstorable``)."""

        def tried(some: Sequence[PreparedCase]) -> None:
            with contextlib.suppress(_Trial):
                write(list(some), [], trial=True)

        return [
            Rejection(case.index, case.crn, "", f"the database cannot keep this record: {why}")
            for case, why in find_unstorable(cases, tried)
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
