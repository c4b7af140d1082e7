"""Preparing a chunk of an import for storing, without any lock: each record checked, the valid
ones' canonical documents, hashes and rows built, and the status histories and digests the store
will need derived.

This is the import's engine work (CPU, no order, no lock): it runs in worker processes
(``worker_pool``), a chunk (one batch) at a time, or in the importing process for a small
import. What the store will need is judged from the stored state of the chunk's cases, read
once per chunk: a case not stored, or stored with another content hash, needs its rows and its
history; one whose history was derived under another policy version needs its history; one
whose caseload digest is missing or stale needs its digest. The writer judges again under its
locks and builds anything that turns out missing (another writer got in between), so the guess
only saves work, it never decides what is stored.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.batch.sources import Chunk
from probation_reset.domain.case import Case
from probation_reset.evaluation.engine import Engine
from probation_reset.evaluation.json_text import json_line
from probation_reset.intake.reader import to_domain
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.rules.history import CaseHistory
from probation_reset.store import concurrency
from probation_reset.store.bulk_rows import (
    POSTGRESQL,
    Row,
    case_records,
    copy_lines,
    history_rows,
)
from probation_reset.store.case_document import MANAGER_FIELDS, content_hash
from probation_reset.store.digest import derive_digest
from probation_reset.store.digest_tables import CaseDigestRow
from probation_reset.store.history import StatusHistory, status_history
from probation_reset.store.import_check import check_chunk
from probation_reset.store.models import CaseRecord
from probation_reset.store.ndelius import NDeliusCodes
from probation_reset.store.rejection import Rejection

#: Rows as a bulk writer takes them: tuples (SQLite's ``executemany``) or ``COPY`` text.
Payload = list[Row] | str


class StoredState(NamedTuple):
    """What the store holds of a case: its content hash, the policy version of its history,
    and the content hash and policy version its digest was derived from."""

    content_hash: str
    history_version: str | None
    digest_hash: str | None
    digest_version: str | None


def stored_states(session: Session, crns: Collection[str]) -> dict[str, StoredState]:
    if not crns:
        return {}
    rows = session.execute(
        select(
            CaseRecord.crn,
            CaseRecord.content_hash,
            CaseRecord.history_policy_version,
            CaseDigestRow.content_hash,
            CaseDigestRow.policy_version,
        )
        .outerjoin(CaseDigestRow, CaseDigestRow.crn == CaseRecord.crn)
        .where(CaseRecord.crn.in_(list(crns)))
    )
    return {
        crn: StoredState(digest, version, digest_hash, digest_version)
        for crn, digest, version, digest_hash, digest_version in rows
    }


StatesReader = Callable[[Collection[str]], dict[str, StoredState]]


@dataclass(slots=True)
class DigestRows:
    """A case's caseload digest as rows: its horizon, and its phase spans, exemption spans and
    obligations by table."""

    horizon: str
    tables: dict[str, Payload]


@dataclass(slots=True)
class PreparedCase:
    """A valid record ready to store, with what the store was judged to need of it."""

    index: int
    crn: str
    content_hash: str
    #: The canonical document as JSON text (as the ``cases`` table keeps it).
    document: str
    manager: tuple[str | None, ...]
    #: Its events, requirements, ... contacts, by table (a case to create or change).
    records: dict[str, Payload] | None = None
    #: The status spans and transitions of a case not stored yet.
    spans: Payload | None = None
    transitions: list[Row] | None = None
    #: The status history of a stored case (written by comparing with what is stored).
    history: StatusHistory | None = None
    digest: DigestRows | None = None


@dataclass(frozen=True, slots=True)
class CheckedRecord:
    """One record of a chunk: its index, the CRN that counts for repeats, its problems, and the
    case ready to store when it is valid."""

    index: int
    crn: str | None
    rejections: tuple[Rejection, ...]
    case: PreparedCase | None


class Preparer:
    """Prepares chunks with one engine (one policy version) for one kind of database."""

    def __init__(
        self,
        engine: Engine,
        codes: NDeliusCodes,
        dialect: str,
        states: StatesReader | None = None,
    ) -> None:
        self.engine = engine
        self.codes = codes
        self.dialect = dialect
        self.states = states
        self.version = engine.parameters.version

    def payload(self, rows: list[Row]) -> Payload:
        return copy_lines(rows) if self.dialect == POSTGRESQL else rows

    def records(self, crn: str, document: dict[str, Any]) -> dict[str, Payload]:
        return {table: self.payload(rows) for table, rows in case_records(crn, document).items()}

    def new_history(self, prepared: PreparedCase, history: StatusHistory) -> None:
        spans, transitions = history_rows(history)
        prepared.spans = self.payload(spans)
        prepared.transitions = transitions

    def digest(self, case: Case, history: CaseHistory | None = None) -> DigestRows:
        derived = derive_digest(self.engine, case, history)
        return DigestRows(
            derived.horizon.isoformat(),
            {
                "event_phase_spans": self.payload(list(derived.phase_spans)),
                "exemption_spans": self.payload(list(derived.exemption_spans)),
                "case_obligations": self.payload(list(derived.obligations)),
            },
        )

    def __call__(self, chunk: Chunk) -> list[CheckedRecord]:
        checks = list(check_chunk(chunk, self.codes))
        valid: dict[int, tuple[Case, PreparedCase, dict[str, Any]]] = {}
        for check in checks:
            if check.model is None:
                continue
            document = check.model.model_dump(mode="json")
            case = to_domain(check.model)
            prepared = PreparedCase(
                check.index,
                case.crn,
                content_hash(document),
                json_line(document),
                tuple((document.get("manager") or {}).get(name) for name in MANAGER_FIELDS),
            )
            valid[check.index] = (case, prepared, document)
        states = self.states([case.crn for case, _, _ in valid.values()]) if self.states else {}
        for case, prepared, document in valid.values():
            self._complete(case, prepared, document, states.get(case.crn))
        return [
            CheckedRecord(
                check.index,
                check.crn,
                check.rejections,
                valid[check.index][1] if check.index in valid else None,
            )
            for check in checks
        ]

    def _complete(
        self,
        case: Case,
        prepared: PreparedCase,
        document: dict[str, Any],
        state: StoredState | None,
    ) -> None:
        """Build what the store was judged to need of this case."""
        rewritten = state is None or state.content_hash != prepared.content_hash
        if rewritten:
            prepared.records = self.records(case.crn, document)
        wants_history = rewritten or (state is not None and state.history_version != self.version)
        wants_digest = state is None or (state.digest_hash, state.digest_version) != (
            prepared.content_hash,
            self.version,
        )
        if not (wants_history or wants_digest):
            return
        core = self.engine.history(case)
        if wants_history:
            history = status_history(self.engine, case, core)
            if state is None:
                self.new_history(prepared, history)
            else:
                prepared.history = history
        if wants_digest:
            prepared.digest = self.digest(case, core)


# --- in worker processes --------------------------------------------------------------------

_preparer: Preparer | None = None


def start_worker(parameters: PolicyParameters, codes: NDeliusCodes, dialect: str, url: str) -> None:
    """A worker process's set-up: its engine, its own read-only connection to the store (to
    read the chunks' stored state), and its collector paused (it keeps nothing between chunks
    and makes no reference cycles)."""
    global _preparer
    from probation_reset.store.database import create_database_engine, session_factory

    sessions = session_factory(create_database_engine(url), reading=True)
    _preparer = Preparer(Engine(parameters), codes, dialect, _states_from(sessions))
    gc.freeze()
    gc.disable()


def _states_from(sessions: sessionmaker[Session]) -> StatesReader:
    def read(crns: Collection[str]) -> dict[str, StoredState]:
        return concurrency.read(sessions, lambda session: stored_states(session, crns))

    return read


def states_reader(sessions: sessionmaker[Session]) -> StatesReader:
    """Reads the stored state of cases through ``sessions`` (for preparing in this process)."""
    return _states_from(sessions)


def prepare_in_worker(chunk: Chunk) -> list[CheckedRecord]:
    if _preparer is None:
        raise RuntimeError("start_worker was not called in this process")
    return _preparer(chunk)
