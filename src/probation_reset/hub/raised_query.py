"""The hub's queue for a region answered from the store: the items the engine raises, and each
person's status and risk on the day, without evaluating anyone.

``hub.raised.items_raised`` judges and words the items from a person's ``RaisedFacts``; here they
are read from the rows the store keeps instead of from an evaluation:

- the status, exemptions and timeline: the stored status spans (``store.status_reads``);
- the suspension letters: the person's ``SUSPENSION_LETTER`` contacts up to the day (a partial
  index holds them alone: Alembic 0006);
- the Reset duties that go on during a suspension (``RESET_LICENCE_FINAL_THIRD_CONTACT``,
  ``RESET_NFA_CHECK_IN``): the digests' obligations (``case_obligations``) of those rules begun
  by the day and not met by it, judged on the day (``store.status_reads.obligation_on``; a
  partial index holds them alone). Only a suspended person's are read: nobody else's raise an
  item;
- the ``PRC`` registrations active on the day: ``registrations``;

and the queue's risk from ``registrations`` (the RoSH and MAPPA level in force,
``rules.registrations``) and the digests' exemption spans (``EXEMPT_MAPPA`` on the day, read for
people with a MAPPA registration in force only: the exemption needs one).

Only people whose digest and status history were derived from their current document under the
engine's policy version are answered here; the service evaluates any other (a case imported or
reinstated since the digests were last brought up to date) case by case.
``tests/store/test_hub_queue_from_store.py`` holds the answer equal to the engine's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select, text
from sqlalchemy.orm import Session

from probation_reset.domain.case import Manager, Registration
from probation_reset.domain.span import DateSpan
from probation_reset.domain.vocabulary import RegistrationType, Status
from probation_reset.hub.queue import CaseOnDay, Risk
from probation_reset.hub.raised import RaisedFacts
from probation_reset.rules.history import TimelineSpan
from probation_reset.rules.registrations import mappa_level_in_force, rosh_in_force
from probation_reset.store import hub_repository
from probation_reset.store.case_document import manager_of_values
from probation_reset.store.digest_tables import RESET_DUTIES, ExemptionSpanRow, ObligationRow
from probation_reset.store.event_reads import crn_in, rows_for
from probation_reset.store.models import SUSPENSION_LETTERS, ContactRow, RegistrationRow
from probation_reset.store.status_reads import (
    status_on,
    timelines_of,
    unmet_obligations,
)

MAPPA_EXEMPTION = "EXEMPT_MAPPA"
#: The registrations the queue reads: the risk (RoSH, MAPPA) and NDelius's PRC.
READ_REGISTRATIONS = (
    RegistrationType.ROSH,
    RegistrationType.MAPPA,
    RegistrationType.CONTACT_SUSPENDED,
)
REGISTRATION_TYPES = {t.value: t for t in READ_REGISTRATIONS}


@dataclass(frozen=True, slots=True)
class StoredPerson:
    """What the store holds of a person for the queue on a day."""

    crn: str
    manager: Manager | None
    timeline: Sequence[TimelineSpan]
    #: The person's ``READ_REGISTRATIONS``, in the case's order.
    registrations: Sequence[Registration]
    #: Whether the MAPPA exemption applies on the day (whatever the status).
    mappa_exempt: bool

    def on_day(self, on: date) -> CaseOnDay:
        status, _ = status_on(self.timeline, on)
        risk = Risk(
            rosh_in_force(self.registrations, on),
            self.mappa_exempt,
            mappa_level_in_force(self.registrations, on),
        )
        return CaseOnDay(status, risk, self.manager)


@dataclass(frozen=True, slots=True)
class StoredQueue:
    """Who may raise an item, and what the store answers of them and of the other people of the
    queue: only those whose digests are current (the rest are evaluated)."""

    #: Everyone for whom the engine may raise an item on the day, by CRN.
    candidates: list[str]
    people: dict[str, StoredPerson]
    #: The raised facts of the candidates among ``people``.
    facts: dict[str, RaisedFacts]


def _covers(start: Any, end: Any, day: date) -> Any:
    return and_(start <= day, or_(end.is_(None), end > day))


def _registrations(
    session: Session, crns: Sequence[str], on: date
) -> dict[str, list[Registration]]:
    """Each person's ``READ_REGISTRATIONS`` in force on ``on``, in the case's order."""
    found: dict[str, list[Registration]] = defaultdict(list)
    for crn, kind, start, end, level, category, position in rows_for(
        session,
        crns,
        lambda operand: (
            select(
                RegistrationRow.crn,
                RegistrationRow.type,
                RegistrationRow.start_date,
                RegistrationRow.deregistered_on,
                RegistrationRow.level,
                RegistrationRow.category,
                RegistrationRow.position,
            )
            .where(
                crn_in(RegistrationRow.crn, operand),
                RegistrationRow.type.in_(list(REGISTRATION_TYPES)),
                _covers(RegistrationRow.start_date, RegistrationRow.deregistered_on, on),
            )
            .order_by(RegistrationRow.crn, RegistrationRow.position)
        ),
    ):
        found[crn].append(
            Registration(REGISTRATION_TYPES[kind], start, end, level, category, position)
        )
    return found


def _mappa_exempt(session: Session, crns: Sequence[str], on: date) -> set[str]:
    """Of ``crns``, those the MAPPA exemption applies to on ``on`` (the digests' exemption
    spans, as the policy in force lists the exemptions)."""
    rows = rows_for(
        session,
        crns,
        lambda operand: select(ExemptionSpanRow.crn).where(
            crn_in(ExemptionSpanRow.crn, operand),
            ExemptionSpanRow.exemption == MAPPA_EXEMPTION,
            _covers(ExemptionSpanRow.start_date, ExemptionSpanRow.end_date, on),
        ),
    )
    return {crn for (crn,) in rows}


def _letters(session: Session, crns: Sequence[str], on: date) -> dict[str, list[date]]:
    """The days of each person's suspension letters up to ``on``."""
    found: dict[str, list[date]] = defaultdict(list)
    for crn, day in rows_for(
        session,
        crns,
        lambda operand: select(ContactRow.crn, ContactRow.day).where(
            crn_in(ContactRow.crn, operand),
            # Written as the partial index's condition, so the index is used.
            text(SUSPENSION_LETTERS),
            ContactRow.day <= on,
        ),
    ):
        found[crn].append(day)
    return found


def _prc_since(registrations: Sequence[Registration], on: date) -> date | None:
    return min(
        (
            r.start_date
            for r in registrations
            if r.type is RegistrationType.CONTACT_SUSPENDED and r.is_active(on)
        ),
        default=None,
    )


def stored_queue(
    session: Session,
    on: date,
    version: str,
    recent_days: int,
    scope: tuple[str | None, str | None],
    others: Collection[str] = (),
    raising: bool = True,
) -> StoredQueue:
    """Who in the ``scope`` (region, team; ``None``: any) may raise an item on ``on`` (nobody
    unless ``raising``), and what the store answers of them and of ``others`` (people with stored
    items) under ``version``: each one's status, risk and manager, and the candidates' raised
    facts."""
    region, team = scope
    suspended = (
        hub_repository.suspended_people(session, on, version, region, team) if raising else []
    )
    apart = (
        hub_repository.reinstated_or_prc(session, on, recent_days, region, team)
        if raising
        else set()
    )
    held_on = {crn for crn, *_ in suspended}
    candidates = sorted(held_on | apart)
    timelines: dict[str, list[TimelineSpan]] = {}
    managers: dict[str, Manager | None] = {}
    made: dict[tuple[Any, ...], Manager | None] = {}
    for crn, start, end, current, *manager in suspended:
        if not current:
            continue
        # A suspension is one span of the timeline, with no exemption (``RaisedFacts.timeline``):
        # the span holding the day is all the items of a suspended person read.
        timelines[crn] = [TimelineSpan(DateSpan(start, end), Status.SUSPENDED, ())]
        key = tuple(manager)
        if key not in made:
            made[key] = manager_of_values(key)
        managers[crn] = made[key]
    rest = sorted((apart | set(others)) - held_on)
    managers |= hub_repository.current_managers(session, rest, version)
    timelines |= timelines_of(session, [crn for crn in rest if crn in managers])
    wanted = sorted(managers)
    registrations = _registrations(session, wanted, on)
    # The MAPPA exemption applies only with a MAPPA registration in force
    # (``rules.exemptions.is_mappa``): the exemption spans of those people alone are read.
    under_mappa = [
        crn for crn in wanted if any(r.type is RegistrationType.MAPPA for r in registrations[crn])
    ]
    mappa = _mappa_exempt(session, under_mappa, on)
    people = {
        crn: StoredPerson(crn, manager, timelines.get(crn, []), registrations[crn], crn in mappa)
        for crn, manager in managers.items()
    }
    statuses = {crn: status_on(people[crn].timeline, on) for crn in candidates if crn in people}
    held = sorted(crn for crn, (status, _) in statuses.items() if status is Status.SUSPENDED)
    letters = _letters(session, held, on)
    # The Reset duties of a suspension begun by the day and not met by it (written as the
    # partial index's condition, so the index is used).
    duties = unmet_obligations(
        session, held, on, text(RESET_DUTIES), ObligationRow.window_start <= on
    )
    facts = {
        crn: RaisedFacts(
            crn,
            managers[crn],
            on,
            status,
            exemptions,
            people[crn].timeline,
            letters[crn],
            duties[crn],
            _prc_since(registrations[crn], on),
        )
        for crn, (status, exemptions) in statuses.items()
    }
    return StoredQueue(candidates, people, facts)
