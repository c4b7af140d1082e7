"""Reconciliation with NDelius answered from the store: a region's findings without evaluating
every case on each request.

The findings are those ``caseload.reconciliation.reconcile`` gives from each case's evaluation,
found by SQL from what the store already keeps:

- **status**: the person's status on the day is the stored status span holding it (none:
  ``ENDED``), as on the caseload page; the PRC registrations active on the day come from
  ``registrations``. The kind is ``STATUS_MISMATCHES`` written as a ``CASE``.
- **key dates**: an event still to be managed on the day has an end date and has not ended (its
  phase follows from its own dates: ``rules.phase.event_phase``); its PR1 key date
  (``events.probation_reset_date``) is compared in SQL with the two-thirds point
  (``store.day_sql``), and whether it is an order without a RAR from ``requirements``.

One query returns the key of every finding (CRN, event position, kind, team) in the per-case
order: by CRN, the status finding first, then each event in the case's order. The counts per team
and kind are taken from the keys; only the cases of the page shown are then read to word their
findings, with the same functions the per-case path uses (``status_finding``,
``key_date_finding``). Every finding (the CSV) is worded ``BLOCK`` keys at a time as it is sent.
``tests/web/test_web_reconciliation.py`` checks the answer equals the engine's on a seeded
caseload with known mismatches and on generated people.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from probation_reset.caseload.reconciliation import (
    STATUS_MISMATCHES,
    Finding,
    Mismatch,
    StatusFacts,
    key_date_finding,
    status_finding,
)
from probation_reset.domain.vocabulary import EventType, RegistrationType, Status
from probation_reset.store.case_document import manager_of_columns
from probation_reset.store.day_sql import two_thirds_point
from probation_reset.store.event_reads import events_of, has_rar
from probation_reset.store.models import (
    CaseRecord,
    EventRow,
    RegistrationRow,
    StatusSpanRow,
)
from probation_reset.web.scope import Scope

#: The key's position of a person's status finding: before their events' (0, 1, ...).
STATUS_POSITION = -1
#: Findings worded at a time when every one is wanted (the CSV).
BLOCK = 1000
NO_TEAM = "(no team)"


@dataclass(frozen=True, slots=True)
class FindingsPage:
    """One page of the findings in a scope on a day, with the counts of them all."""

    day: date
    people: int
    counts: dict[str, Counter[Mismatch]]
    findings: tuple[Finding, ...]
    page: int
    page_size: int

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.counts.values())

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _covers(start: Any, end: Any, day: date) -> ColumnElement[bool]:
    return and_(start <= day, or_(end.is_(None), end > day))


def _prc_on(day: date) -> Any:
    """Per person, the earliest start of their PRC registrations active on the day."""
    return (
        select(RegistrationRow.crn, func.min(RegistrationRow.start_date).label("since"))
        .where(
            RegistrationRow.type == RegistrationType.CONTACT_SUSPENDED.value,
            _covers(RegistrationRow.start_date, RegistrationRow.deregistered_on, day),
        )
        .group_by(RegistrationRow.crn)
        .subquery()
    )


def _status_kind(has_prc: bool, status: Any) -> Any:
    """``STATUS_MISMATCHES`` for people with (or without) an active PRC, as a ``CASE``."""
    return case(
        *(
            (status == found.value, literal(kind.value))
            for (prc, found), kind in STATUS_MISMATCHES.items()
            if prc is has_prc
        ),
        else_=null(),
    )


#: Without a PRC only these statuses disagree; none of them is ``ENDED`` (a person no stored span
#: covers), so the people without a PRC are found from their spans alone.
_WITHOUT_PRC = tuple(s.value for (prc, s) in STATUS_MISMATCHES if not prc)
if Status.ENDED.value in _WITHOUT_PRC:  # pragma: no cover (a guard on the table above)
    raise RuntimeError("a finding on ENDED without a PRC needs the people with no span")


def _keys(scope: Scope, day: date) -> Any:
    """(crn, kind, position, team) of every finding in scope, as a subquery."""
    where = [scope.clause]
    prc = _prc_on(day)
    span = (
        select(StatusSpanRow.crn, StatusSpanRow.status)
        .where(_covers(StatusSpanRow.start_date, StatusSpanRow.end_date, day))
        .subquery()
    )
    status = func.coalesce(span.c.status, Status.ENDED.value)
    with_prc = (
        select(
            CaseRecord.crn,
            _status_kind(True, status).label("kind"),
            literal(STATUS_POSITION).label("position"),
            CaseRecord.team,
        )
        .select_from(prc)
        .join(CaseRecord, CaseRecord.crn == prc.c.crn)
        .outerjoin(span, span.c.crn == CaseRecord.crn)
        .where(*where, _status_kind(True, status).is_not(None))
    )
    active_prc = exists().where(
        RegistrationRow.crn == StatusSpanRow.crn,
        RegistrationRow.type == RegistrationType.CONTACT_SUSPENDED.value,
        _covers(RegistrationRow.start_date, RegistrationRow.deregistered_on, day),
    )
    without_prc = (
        select(
            CaseRecord.crn,
            _status_kind(False, StatusSpanRow.status).label("kind"),
            literal(STATUS_POSITION).label("position"),
            CaseRecord.team,
        )
        .select_from(StatusSpanRow)
        .join(CaseRecord, CaseRecord.crn == StatusSpanRow.crn)
        .where(
            *where,
            StatusSpanRow.status.in_(_WITHOUT_PRC),
            _covers(StatusSpanRow.start_date, StatusSpanRow.end_date, day),
            ~active_prc,
        )
    )
    return union_all(with_prc, without_prc, _key_date_keys(where, day)).subquery()


def _key_date_keys(where: list[ColumnElement[bool]], day: date) -> Select[Any]:
    pr1 = EventRow.probation_reset_date
    without_rar = and_(EventRow.type != EventType.LICENCE.value, ~has_rar())
    kind = case(
        (without_rar, case((pr1.is_not(None), Mismatch.PR1_ON_ORDER_WITHOUT_RAR.value))),
        (pr1.is_(None), Mismatch.PR1_MISSING.value),
        (
            pr1 != two_thirds_point(EventRow.start_date, EventRow.end_date),
            Mismatch.PR1_DIFFERS.value,
        ),
        else_=null(),
    )
    # Still to be managed (``CURRENT_PHASES``): not started yet, or active on the day.
    current = or_(
        EventRow.start_date > day,
        and_(
            func.coalesce(EventRow.pss_end_date, EventRow.end_date) >= day,
            or_(EventRow.terminated_on.is_(None), EventRow.terminated_on > day),
        ),
    )
    return (
        select(EventRow.crn, kind.label("kind"), EventRow.position, CaseRecord.team)
        .join(CaseRecord, CaseRecord.crn == EventRow.crn)
        .where(*where, EventRow.end_date.is_not(None), current, kind.is_not(None))
    )


def _chosen(keys: Any, kinds: frozenset[Mismatch]) -> list[ColumnElement[bool]]:
    return [keys.c.kind.in_([k.value for k in kinds])] if kinds else []


def _all_keys(session: Session, scope: Scope, day: date, kinds: frozenset[Mismatch]) -> list[Any]:
    """(crn, position, kind, team) of every finding in scope, in order: one query."""
    keys = _keys(scope, day)
    return list(
        session.connection().execute(
            select(keys.c.crn, keys.c.position, keys.c.kind, keys.c.team)
            .where(*_chosen(keys, kinds))
            .order_by(keys.c.crn, keys.c.position)
        )
    )


def _counted(keys: Sequence[Any]) -> dict[str, Counter[Mismatch]]:
    counts: dict[str, Counter[Mismatch]] = defaultdict(Counter)
    for key in keys:
        counts[key.team or NO_TEAM][Mismatch(key.kind)] += 1
    return dict(sorted(counts.items()))


def finding_counts(
    session: Session, scope: Scope, day: date, kinds: frozenset[Mismatch]
) -> dict[str, Counter[Mismatch]]:
    """Per team (sorted), how many findings of each kind (``counts_by_team``)."""
    return _counted(_all_keys(session, scope, day, kinds))


def _worded(session: Session, day: date, keys: Sequence[tuple[str, int]]) -> list[Finding]:
    """The findings of these keys, in their order, worded from the cases' stored facts."""
    crns = sorted({crn for crn, _ in keys})
    if not crns:
        return []
    managers = {
        r.crn: manager_of_columns(r)
        for r in session.execute(
            select(
                CaseRecord.crn,
                CaseRecord.region,
                CaseRecord.pdu,
                CaseRecord.team,
                CaseRecord.staff_code,
                CaseRecord.staff_name,
            ).where(CaseRecord.crn.in_(crns))
        )
    }
    spans = {
        r.crn: r
        for r in session.execute(
            select(
                StatusSpanRow.crn,
                StatusSpanRow.status,
                StatusSpanRow.exemptions,
                StatusSpanRow.start_date,
            ).where(
                StatusSpanRow.crn.in_(crns),
                _covers(StatusSpanRow.start_date, StatusSpanRow.end_date, day),
            )
        )
    }
    prc = _prc_on(day)
    since: dict[str, date] = {
        crn: first
        for crn, first in session.execute(select(prc.c.crn, prc.c.since).where(prc.c.crn.in_(crns)))
    }
    events = events_of(session, crns)
    found: list[Finding] = []
    for crn, position in keys:
        span = spans.get(crn)
        status = Status(span.status) if span else Status.ENDED
        if position == STATUS_POSITION:
            finding = status_finding(
                StatusFacts(
                    crn,
                    managers[crn],
                    status,
                    tuple(span.exemptions) if span else (),
                    since.get(crn),
                    span.start_date if span else None,
                )
            )
        else:
            finding = key_date_finding(crn, managers[crn], status, events[crn][position])
        if finding is None:
            raise RuntimeError(f"{crn}: the store's reconciliation and the rules disagree")
        found.append(finding)
    return found


def findings_page(
    session: Session,
    scope: Scope,
    day: date,
    kinds: frozenset[Mismatch],
    page: int = 1,
    page_size: int = 50,
) -> FindingsPage:
    """The counts per team of every finding in scope, and the findings of one page."""
    people = session.scalar(select(func.count()).select_from(CaseRecord).where(scope.clause))
    keys = _all_keys(session, scope, day, kinds)
    window = keys[(page - 1) * page_size : page * page_size]
    return FindingsPage(
        day,
        people or 0,
        _counted(keys),
        tuple(_worded(session, day, [(k.crn, k.position) for k in window])),
        page,
        page_size,
    )


def every_finding(
    session: Session, scope: Scope, day: date, kinds: frozenset[Mismatch]
) -> Iterator[Finding]:
    """Every finding in scope in order: their keys in one query, then worded ``BLOCK`` at a
    time."""
    keys = [(k.crn, k.position) for k in _all_keys(session, scope, day, kinds)]
    for first in range(0, len(keys), BLOCK):
        yield from _worded(session, day, keys[first : first + BLOCK])
