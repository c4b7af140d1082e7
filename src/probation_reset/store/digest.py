"""Deriving the caseload digests: per-case facts the caseload filters are answered from.

For each stored case: the phase spans of each event, the exemption spans, and every obligation
judged on a horizon a year past the case's latest dated fact (so each window is closed or met,
and the status of an obligation on any earlier day follows from its dates: see
``ObligationRow``). ``sync_digests`` derives them again for the cases whose content hash or
policy version changed since, one transaction per batch; the web service calls it when it starts
and before answering a caseload, so an import or refresh is picked up without a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import Phase
from probation_reset.evaluation.engine import Engine
from probation_reset.rules.history import CaseHistory, Interval
from probation_reset.rules.national_standards import RECORD_1WD
from probation_reset.store.bulk import DEFAULT_BATCH_SIZE, GatheredRows
from probation_reset.store.bulk_rows import Row, day_text, moment, optional_day_text
from probation_reset.store.case_document import stored_case
from probation_reset.store.concurrency import lock_cases
from probation_reset.store.digest_tables import (
    CaseDigestRow,
    EventPhaseSpanRow,
    ExemptionSpanRow,
    ObligationRow,
)
from probation_reset.store.models import CaseRecord, ImportBatch
from probation_reset.store.moments import Clock, utc_now

#: Phases kept as spans (before its start an event is NOT_STARTED, after its end ENDED).
KEPT_PHASES = (
    Phase.NO_RESET,
    Phase.NO_FINAL_THIRD,
    Phase.BEFORE_FINAL_THIRD,
    Phase.FINAL_THIRD,
    Phase.PSS,
)
HORIZON_MARGIN = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class CaseDigest:
    """A case's digest as rows (``bulk_rows.COLUMNS``: the CRN first, days as ``YYYY-MM-DD``)."""

    crn: str
    horizon: date
    phase_spans: tuple[Row, ...]
    exemption_spans: tuple[Row, ...]
    obligations: tuple[Row, ...]


def horizon_of(case: Case) -> date:
    """A year past the latest date the case states."""
    days: list[date] = []
    for event in case.events:
        days += [event.start_date]
        days += [d for d in (event.end_date, event.pss_end_date, event.terminated_on) if d]
    for registration in case.registrations:
        days += [registration.start_date]
        days += [registration.deregistered_on] if registration.deregistered_on else []
    days += [contact.day for contact in case.contacts]
    return (max(days) if days else date(2000, 1, 1)) + HORIZON_MARGIN


def _in_phase(k: int, phase: Phase) -> Callable[[Interval], bool]:
    return lambda interval: interval.phases[k] is phase


def _with_exemption(name: str) -> Callable[[Interval], bool]:
    return lambda interval: name in interval.exemptions


def derive_digest(engine: Engine, case: Case, history: CaseHistory | None = None) -> CaseDigest:
    """The case's digest (from ``history``, the core's history of it, when at hand)."""
    history = engine.history(case) if history is None else history
    crn = case.crn
    phases = [
        (crn, dates.event.event_id, phase.value, day_text(span.start), optional_day_text(span.end))
        for k, dates in enumerate(history.events)
        for phase in KEPT_PHASES
        for span in history.spans_where(_in_phase(k, phase))
    ]
    exemption_names = sorted({e for i in history.intervals for e in i.exemptions})
    exemptions = [
        (crn, name, day_text(span.start), optional_day_text(span.end))
        for name in exemption_names
        for span in history.spans_where(_with_exemption(name))
    ]
    horizon = horizon_of(case)
    # A recording duty is met on the day the contact was recorded, any other on the contact's
    # day (each written once per contact: most obligations are a contact's recording).
    contact_days = {c.contact_id: day_text(c.day) for c in case.contacts}
    recorded_days = {c.contact_id: optional_day_text(c.recorded_on) for c in case.contacts}
    recording = RECORD_1WD.id
    judged = (
        (
            crn,
            n,
            o.rule,
            o.event_id,
            day_text(o.window_start),
            day_text(o.due_by),
            o.met_by,
            None
            if o.met_by is None
            else (recorded_days if o.rule == recording else contact_days).get(o.met_by),
        )
        for n, o in enumerate(engine.obligations(history, horizon))
    )
    # A recording met by the contact's own day (recorded on it, or before) is never DUE or
    # MISSED: the engine lists it from the contact's day on, met. No caseload query can find it
    # open, so it is not kept: over half of all recordings (``ObligationRow``).
    obligations = [
        row for row in judged if not (row[2] == recording and row[7] and row[7] <= row[4])
    ]
    return CaseDigest(crn, horizon, tuple(phases), tuple(exemptions), tuple(obligations))


def stale_crns(session: Session, policy_version: str) -> list[str]:
    """Cases with no digest, or one derived from another document or policy version."""
    query = (
        select(CaseRecord.crn)
        .outerjoin(CaseDigestRow, CaseDigestRow.crn == CaseRecord.crn)
        .where(
            (CaseDigestRow.crn.is_(None))
            | (CaseDigestRow.content_hash != CaseRecord.content_hash)
            | (CaseDigestRow.policy_version != policy_version)
        )
        .order_by(CaseRecord.crn)
    )
    return list(session.scalars(query))


def write_digests(
    session: Session,
    digests: Sequence[CaseDigest],
    hashes: dict[str, str],
    version: str,
    at: datetime,
) -> None:
    crns = [d.crn for d in digests]
    if not crns:
        return
    for table in (EventPhaseSpanRow, ExemptionSpanRow, ObligationRow, CaseDigestRow):
        session.execute(delete(table).where(table.crn.in_(crns)))
    gathered = GatheredRows(session.get_bind().dialect.name)
    gathered.add_stamped(
        "case_digests",
        (moment(at, gathered.dialect),),
        [(d.crn, hashes[d.crn], version, d.horizon.isoformat()) for d in digests],
    )
    gathered.add("event_phase_spans", [row for d in digests for row in d.phase_spans])
    gathered.add("exemption_spans", [row for d in digests for row in d.exemption_spans])
    gathered.add("case_obligations", [row for d in digests for row in d.obligations])
    gathered.write(session)


def sync_digests(
    sessions: sessionmaker[Session],
    engine: Engine,
    batch_size: int = DEFAULT_BATCH_SIZE,
    clock: Clock = utc_now,
) -> int:
    """Derive the digests of every stale case again; how many were derived."""
    version = engine.parameters.version
    with sessions() as session:
        crns = stale_crns(session, version)
    for first in range(0, len(crns), batch_size):
        batch = crns[first : first + batch_size]
        with sessions.begin() as session:
            # The cases' rows locked in CRN order: two processes deriving the same digests
            # (an import and the web service, or two workers) take turns.
            records = lock_cases(session, batch).values()
            found = {r.crn: (r.document, r.content_hash) for r in records}
            digests = [derive_digest(engine, stored_case(c, found[c][0])) for c in found]
            write_digests(session, digests, {c: h for c, (_, h) in found.items()}, version, clock())
    return len(crns)


def store_mark(session: Session) -> int:
    """Changes when the stored cases do: every import, and every change made by hand, commits
    an ``import_batches`` row in the transaction that writes its cases, and none is deleted. One
    count of a small table (the latest ``cases.updated_at`` read every case's row: 0.2 s for
    50,000 on SQLite)."""
    return session.scalar(select(func.count()).select_from(ImportBatch)) or 0


class DigestWatch:
    """Derives the stale digests, looking for them only when the cases changed since the last
    look (``store_mark`` moved): one cheap query per caseload request. ``mark`` is the mark the
    digests were last brought up to date at, for what else is kept until the cases change."""

    def __init__(self, sessions: sessionmaker[Session], engine: Engine) -> None:
        self.sessions = sessions
        self.engine = engine
        self._seen: int | None = None
        self._lock = threading.Lock()

    @property
    def mark(self) -> int | None:
        return self._seen

    def sync(self) -> int:
        """How many digests were derived again."""
        with self.sessions() as session:
            mark = store_mark(session)
        if mark == self._seen:
            return 0
        with self._lock:
            derived = sync_digests(self.sessions, self.engine)
            self._seen = mark
        return derived
