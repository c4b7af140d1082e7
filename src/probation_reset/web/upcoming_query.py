"""Who enters the final third or PSS soon, answered from the store for a region at a time.

The entries are those ``caseload.upcoming.upcoming`` gives from each case's history and
evaluation, found from the caseload digests instead of evaluating every case in scope:

- an event enters its final third (or PSS) on the first day of its stored ``FINAL_THIRD`` (or
  ``PSS``) phase span, so the spans starting in the weeks ahead are the entries (the index
  ``event_phase_spans (phase, start_date)`` finds them). The phases follow from the event's own
  dates (``rules.phase.event_phase``): a span's first day after the event's start is its
  final-third start, or the day after its end for PSS, which is where the per-case path looks
  (``entering_days``); a span starting on the event's own first day is kept only when the rules
  say the event enters the phase then (``entering_days``, ``event_phase``);
- the status then is the stored status span holding that day;
- the checklist items still open are the event's stored pre-suspension obligations
  (``case_obligations``) not met by the day, judged on the day from their dates, for an event
  started by the day (the engine states no duty for an event not yet started).

Entries are sorted as the per-case path sorts them (practitioner, day, CRN, event); only the page
shown, or a block of the CSV, reads status spans and obligations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation_reset.caseload.upcoming import CHECKLIST_RULES, Upcoming, entering_days
from probation_reset.domain.vocabulary import Phase, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.rules.final_third import final_third_start
from probation_reset.rules.obligation import Obligation
from probation_reset.rules.phase import event_phase
from probation_reset.store.case_document import manager_of_columns
from probation_reset.store.digest_tables import EventPhaseSpanRow, ObligationRow
from probation_reset.store.event_reads import events_of
from probation_reset.store.models import CaseRecord, EventRow
from probation_reset.store.status_reads import status_on, timelines_of, unmet_obligations
from probation_reset.web.scope import Scope

ENTERED = (Phase.FINAL_THIRD, Phase.PSS)
#: Entries completed (status then, open items) at a time for the CSV.
BLOCK = 500


@dataclass(frozen=True, slots=True)
class UpcomingPage:
    """One page of the entries in a scope, sorted by practitioner, and how many in all."""

    day: date
    weeks: int
    total: int
    entries: tuple[Upcoming, ...]
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _sort_key(entry: Upcoming) -> tuple[str, date, str, str]:
    return (entry.practitioner, entry.starts, entry.crn, entry.event_id)


def _entries(
    session: Session, engine: Engine, scope: Scope, day: date, weeks: int
) -> tuple[list[Upcoming], set[tuple[str, str]]]:
    """Every entry in scope, sorted, without its status then and open items (filled later);
    and which of their events (CRN, event id) have started by ``day``. One query: the phase
    spans starting in the weeks, with their events and managers."""
    until = day + timedelta(weeks=weeks)
    candidates = (
        session.connection()
        .execute(
            select(
                EventPhaseSpanRow.phase,
                EventPhaseSpanRow.start_date.label("entered"),
                EventRow,
                CaseRecord.region,
                CaseRecord.pdu,
                CaseRecord.team,
                CaseRecord.staff_code,
                CaseRecord.staff_name,
            )
            .join(
                EventRow,
                (EventRow.crn == EventPhaseSpanRow.crn)
                & (EventRow.event_id == EventPhaseSpanRow.event_id),
            )
            .join(CaseRecord, CaseRecord.crn == EventPhaseSpanRow.crn)
            .where(
                scope.clause,
                EventPhaseSpanRow.phase.in_([p.value for p in ENTERED]),
                EventPhaseSpanRow.start_date > day,
                EventPhaseSpanRow.start_date <= until,
            )
        )
        .all()
    )
    first_day = [r for r in candidates if r.entered == r.start_date]
    entered_then = _entering_on_first_day(session, engine, first_day)
    entries = []
    started = set()
    for row in candidates:
        phase = Phase(row.phase)
        # A span's first day is the day its event enters the phase, unless that is the event's
        # own first day (it may have been in its final third from its start): then the rules
        # say (``entered_then``).
        if row.entered == row.start_date and (row.crn, row.event_id) not in entered_then:
            continue
        manager = manager_of_columns(row)
        entries.append(
            Upcoming(row.crn, manager, row.event_id, phase, row.entered, Status.ENDED, (), ())
        )
        if row.start_date <= day:
            started.add((row.crn, row.event_id))
    entries.sort(key=_sort_key)
    return entries, started


def _entering_on_first_day(
    session: Session, engine: Engine, rows: Sequence[Any]
) -> set[tuple[str, str]]:
    """Of these candidates starting on their event's first day, those whose event enters the
    phase that day as the per-case path says (``entering_days``, ``event_phase``)."""
    events = events_of(session, sorted({r.crn for r in rows}))
    kept = set()
    for row in rows:
        event = next(e for e in events[row.crn] if e.event_id == row.event_id)
        phase = Phase(row.phase)
        fraction = engine.terms.fraction_for(event)
        entering = entering_days(event, final_third_start(event, fraction))
        if (phase, row.entered) in entering and event_phase(event, row.entered, fraction) is phase:
            kept.add((row.crn, row.event_id))
    return kept


def _completed(
    session: Session, day: date, entries: Sequence[Upcoming], started: set[tuple[str, str]]
) -> list[Upcoming]:
    """The entries with their status then and, entering a final third, the open items."""
    crns = sorted({e.crn for e in entries})
    spans = timelines_of(session, crns)
    items: dict[tuple[str, str | None], list[Obligation]] = defaultdict(list)
    checklist = ObligationRow.rule.in_(sorted(CHECKLIST_RULES))
    for crn, obligations in unmet_obligations(session, crns, day, checklist).items():
        for obligation in obligations:
            items[crn, obligation.event_id].append(obligation)
    completed = []
    for entry in entries:
        status, exemptions = status_on(spans[entry.crn], entry.starts)
        open_items = (
            tuple(items[entry.crn, entry.event_id])
            if entry.entering is Phase.FINAL_THIRD and (entry.crn, entry.event_id) in started
            else ()
        )
        completed.append(
            replace(entry, status_then=status, exemptions_then=exemptions, open_items=open_items)
        )
    return completed


def upcoming_page(
    session: Session,
    engine: Engine,
    scope: Scope,
    day: date,
    weeks: int,
    page: int = 1,
    page_size: int = 100,
) -> UpcomingPage:
    """One page of the entries in scope in the ``weeks`` after ``day``."""
    entries, started = _entries(session, engine, scope, day, weeks)
    shown = entries[(page - 1) * page_size : page * page_size]
    completed = _completed(session, day, shown, started)
    return UpcomingPage(day, weeks, len(entries), tuple(completed), page, page_size)


def every_entry(
    session: Session, engine: Engine, scope: Scope, day: date, weeks: int
) -> Iterator[Upcoming]:
    """Every entry in scope, in order, completed ``BLOCK`` at a time."""
    entries, started = _entries(session, engine, scope, day, weeks)
    for first in range(0, len(entries), BLOCK):
        yield from _completed(session, day, entries[first : first + BLOCK], started)
