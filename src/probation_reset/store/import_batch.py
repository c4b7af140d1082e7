"""Writing one batch of an import in its transaction, in bulk.

The batch's cases are locked in CRN order and judged against what is stored: a new CRN is
created, a stored one with another content hash is changed (every changed field recorded), an
unchanged one is left alone (its history derived again only if it was derived under another
policy version). New cases, their records, their status history and their caseload digests are
written a table at a time (``bulk.GatheredRows``: ``COPY`` on PostgreSQL, one ``executemany``
on SQLite); a changed case goes the careful way (its old document compared field by field, its
stored transitions compared with the new ones, ``repository.write_histories``). Whatever the
preparation did not build (another writer changed the store in between) is built here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from probation_reset.domain.case import Case
from probation_reset.store import concurrency, repository
from probation_reset.store.bulk import GatheredRows, insert_rows, update_by_key
from probation_reset.store.bulk_rows import DIGEST_TABLES, POSTGRESQL, RECORD_TABLES, moment
from probation_reset.store.case_document import (
    MANAGER_FIELDS,
    ChangeKind,
    document_changes,
    stored_case,
)
from probation_reset.store.digest_tables import (
    CaseDigestRow,
    EventPhaseSpanRow,
    ExemptionSpanRow,
    ObligationRow,
)
from probation_reset.store.history import StatusHistory, status_history
from probation_reset.store.hub_registrations import keep_hub_registrations
from probation_reset.store.import_prepare import DigestRows, PreparedCase, Preparer
from probation_reset.store.models import (
    CaseChange,
    CaseRecord,
    ContactRow,
    EventRow,
    ImportBatch,
    LicenceConditionRow,
    RegistrationRow,
    RequirementRow,
)
from probation_reset.store.rejection import Rejection
from probation_reset.store.repository import HistoryWrite

#: A changed case's rows are deleted children first.
_RECORD_MODELS = (RequirementRow, LicenceConditionRow, ContactRow, RegistrationRow, EventRow)
_DIGEST_MODELS = (EventPhaseSpanRow, ExemptionSpanRow, ObligationRow, CaseDigestRow)


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    """What one committed batch did."""

    created: int
    changed: int
    unchanged: int
    changes: int
    written: HistoryWrite


@dataclass(frozen=True, slots=True)
class BatchRange:
    """Which batch: its number in the import and the records it covers."""

    import_id: int
    number: int
    first: int
    last: int


def _created_meanwhile(error: IntegrityError) -> bool:
    """Whether the error is a new case's CRN found stored: another writer created it since
    this transaction locked the batch's cases (PostgreSQL; SQLite's writers take turns)."""
    diagnostic = getattr(error.orig, "diag", None)
    return getattr(diagnostic, "constraint_name", None) == "pk_cases"


#: The change that created each new case, its document copied from the case just written: the
#: server reads each document once (as ``cases``' JSON), not twice. In the cases' given order.
_CREATIONS = text(
    "INSERT INTO case_changes (import_id, changed_at, crn, kind, field, old_value, new_value) "
    "SELECT :import_id, CAST(:at AS timestamp), cases.crn, :kind, '', CAST('null' AS jsonb), "
    "cases.document "
    "FROM unnest(CAST(:crns AS text[])) WITH ORDINALITY AS created (crn, n) "
    "JOIN cases ON cases.crn = created.crn ORDER BY created.n"
)


def _creations(session: Session, import_id: int, created: list[PreparedCase], at: datetime) -> None:
    """The ``CASE_CREATED`` change of each new case, on PostgreSQL (a row as the other
    engine's writer makes it: no field, no old value, the document as the new value)."""
    if created:
        session.execute(
            _CREATIONS,
            {
                "import_id": import_id,
                "at": moment(at, POSTGRESQL),  # as ``COPY`` writes the moment
                "kind": ChangeKind.CASE_CREATED.value,
                "crns": [p.crn for p in created],
            },
        )


class BatchWriter:
    """Writes batches prepared by a ``Preparer`` (whose engine also builds what is missing)."""

    def __init__(self, preparer: Preparer) -> None:
        self.preparer = preparer
        self.version = preparer.version

    def _case(self, prepared: PreparedCase) -> Case:
        return stored_case(prepared.crn, json.loads(prepared.document))

    def _history(self, prepared: PreparedCase) -> StatusHistory:
        if prepared.history is None:
            prepared.history = status_history(self.preparer.engine, self._case(prepared))
        return prepared.history

    def _digest(self, prepared: PreparedCase) -> DigestRows:
        if prepared.digest is None:
            prepared.digest = self.preparer.digest(self._case(prepared))
        return prepared.digest

    def store(
        self,
        session: Session,
        batch: BatchRange,
        cases: list[PreparedCase],
        rejections: list[Rejection],
        at: datetime,
    ) -> BatchOutcome:
        stored = concurrency.lock_case_states(session, [c.crn for c in cases])
        cases = keep_hub_registrations(session, batch.import_id, at, cases)
        created: list[PreparedCase] = []
        changed: list[PreparedCase] = []
        historied: list[PreparedCase] = []
        unchanged = 0
        for prepared in cases:
            state = stored.get(prepared.crn)
            if state is None:
                created.append(prepared)
                continue
            if state[0] != prepared.content_hash:
                changed.append(prepared)
            else:
                unchanged += 1
                if state[1] == self.version:
                    continue
            historied.append(prepared)
        gathered = GatheredRows(session.get_bind().dialect.name)
        self._create(gathered, batch.import_id, created, at)
        try:
            gathered.write(session)
        except IntegrityError as error:
            if _created_meanwhile(error):
                raise concurrency.ConcurrentCreationError(
                    "a case was created by another writer meanwhile"
                ) from error
            raise
        if gathered.copying:
            _creations(session, batch.import_id, created, at)
        changes = self._change(session, batch.import_id, changed, at)
        histories = [self._history(prepared) for prepared in historied]
        written = repository.write_histories(session, histories, batch.import_id, at)
        self._digests(session, cases, at)
        repository.record_rejections(session, batch.import_id, rejections)
        repository.record_batch(
            session,
            ImportBatch(
                import_id=batch.import_id,
                number=batch.number,
                first_record=batch.first,
                last_record=batch.last,
                created=len(created),
                changed=len(changed),
                unchanged=unchanged,
                rejected=len({r.record for r in rejections}),
                committed_at=at,
            ),
        )
        added = sum(len(p.transitions or ()) for p in created)
        written = HistoryWrite(
            written.cases + len(created), written.added + added, written.superseded
        )
        return BatchOutcome(len(created), len(changed), unchanged, changes, written)

    def _create(
        self, gathered: GatheredRows, import_id: int, created: list[PreparedCase], at: datetime
    ) -> None:
        """New cases with the change that created each, their records and their history."""
        if not created:
            return
        when = moment(at, gathered.dialect)
        version = self.version
        gathered.add_stamped(
            "cases",
            (import_id, import_id, when, when),
            [
                (p.crn, p.document, p.content_hash, version, *p.manager)
                for p in sorted(created, key=lambda p: p.crn)
            ],
        )
        if not gathered.copying:  # on PostgreSQL: copied from the cases (``_creations``)
            gathered.add_stamped(
                "case_changes",
                (import_id, when),
                [(p.crn, ChangeKind.CASE_CREATED.value, "", "null", p.document) for p in created],
            )
        for prepared in created:
            if prepared.records is None:
                prepared.records = self.preparer.records(
                    prepared.crn, json.loads(prepared.document)
                )
            if prepared.spans is None or prepared.transitions is None:
                self.preparer.new_history(prepared, self._history(prepared))
        for table in RECORD_TABLES:
            for prepared in created:
                assert prepared.records is not None
                gathered.add(table, prepared.records[table])
        for prepared in created:
            assert prepared.spans is not None
            gathered.add("status_spans", prepared.spans)
        gathered.add_stamped(
            "status_transitions",
            (import_id, when, None),
            [row for p in created for row in p.transitions or ()],
        )

    def _change(
        self, session: Session, import_id: int, changed: list[PreparedCase], at: datetime
    ) -> int:
        """Changed cases: every changed field recorded, the document and its records replaced;
        the number of field changes."""
        if not changed:
            return 0
        crns = [p.crn for p in changed]
        query = select(CaseRecord.crn, CaseRecord.document).where(CaseRecord.crn.in_(crns))
        old: dict[str, Any] = {crn: document for crn, document in session.execute(query)}
        documents = {p.crn: json.loads(p.document) for p in changed}
        rows: list[dict[str, Any]] = [
            {
                "import_id": import_id,
                "crn": crn,
                "kind": change.kind.value,
                "field": change.field,
                "old_value": change.old_value,
                "new_value": change.new_value,
                "changed_at": at,
            }
            for crn, document in documents.items()
            for change in document_changes(old[crn], document)
        ]
        insert_rows(session, CaseChange, rows)
        update_by_key(
            session,
            CaseRecord,
            "crn",
            [
                {
                    "crn": p.crn,
                    "document": documents[p.crn],
                    "content_hash": p.content_hash,
                    **dict(zip(MANAGER_FIELDS, p.manager, strict=True)),
                    "updated_by_import": import_id,
                    "updated_at": at,
                }
                for p in changed
            ],
        )
        for model in _RECORD_MODELS:
            session.execute(delete(model).where(model.crn.in_(crns)))
        gathered = GatheredRows(session.get_bind().dialect.name)
        for table in RECORD_TABLES:
            for prepared in changed:
                if prepared.records is None:
                    prepared.records = self.preparer.records(prepared.crn, documents[prepared.crn])
                gathered.add(table, prepared.records[table])
        gathered.write(session)
        return len(rows)

    def _digests(self, session: Session, cases: list[PreparedCase], at: datetime) -> None:
        """The caseload digest of every case whose stored one is missing or stale."""
        crns = [p.crn for p in cases]
        if not crns:
            return
        found = {
            crn: (digest, version)
            for crn, digest, version in session.execute(
                select(
                    CaseDigestRow.crn, CaseDigestRow.content_hash, CaseDigestRow.policy_version
                ).where(CaseDigestRow.crn.in_(crns))
            )
        }
        stale = [p for p in cases if found.get(p.crn) != (p.content_hash, self.version)]
        if not stale:
            return
        replaced = [p.crn for p in stale if p.crn in found]
        if replaced:
            for model in _DIGEST_MODELS:
                session.execute(delete(model).where(model.crn.in_(replaced)))
        gathered = GatheredRows(session.get_bind().dialect.name)
        when = moment(at, gathered.dialect)
        digests = [(p, self._digest(p)) for p in stale]
        gathered.add_stamped(
            "case_digests",
            (when,),
            [(p.crn, p.content_hash, self.version, d.horizon) for p, d in digests],
        )
        for table in DIGEST_TABLES:
            for _, digest in digests:
                gathered.add(table, digest.tables[table])
        gathered.write(session)
