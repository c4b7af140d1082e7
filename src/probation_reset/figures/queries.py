"""The dashboard's figures answered from the store's status history, not by evaluating cases.

Statuses on a day come from ``status_spans`` (the core's timeline, stored at import or refresh):
a person holds a span's status on each day from ``start_date`` up to, not including,
``end_date``; nobody covered holds ``ENDED``. For many days at once, the database returns, per
status, how many spans start and end on each day (grouped in SQL), and the count on a day is a
running sum. Status changes per week are the ``status_transitions`` in force, grouped by day and
kind in SQL; the hub's items and triages per week come from its tables (``hub_queries``). The
workload removed reads the suspended spans meeting the month, and for those people only, their
events and RoSH registrations. Each function takes a session and never writes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from probation_reset.domain.case import Event, Registration
from probation_reset.domain.span import DateSpan
from probation_reset.domain.vocabulary import RegistrationType, Status
from probation_reset.figures.hub_queries import hub_figures, hub_per_day
from probation_reset.figures.model import (
    NO_TEAM,
    Figures,
    Scope,
    ScopeLevel,
    WeekFigures,
    Workload,
)
from probation_reset.figures.relief import Relief, month_of, relief_in_month
from probation_reset.store.event_reads import crn_in, crn_lists, events_of
from probation_reset.store.history import TransitionKind
from probation_reset.store.models import (
    CaseRecord,
    RegistrationRow,
    StatusSpanRow,
    StatusTransitionRow,
)

Columns = TypeVarTuple("Columns")


def _in_scope(scope: Scope) -> ColumnElement[bool] | None:
    column = {
        ScopeLevel.REGION: CaseRecord.region,
        ScopeLevel.PDU: CaseRecord.pdu,
        ScopeLevel.TEAM: CaseRecord.team,
    }.get(scope.level)
    return None if column is None else column == scope.name


def _scoped(query: Select[*Columns], scope: Scope, joined: bool = False) -> Select[*Columns]:
    condition = _in_scope(scope)
    if condition is None:
        return query
    if joined:
        query = query.join(CaseRecord, CaseRecord.crn == StatusSpanRow.crn)
    return query.where(condition)


def people_in_scope(session: Session, scope: Scope) -> int:
    query = _scoped(select(func.count()).select_from(CaseRecord), scope)
    return session.scalar(query) or 0


def policy_versions(session: Session, scope: Scope) -> tuple[str, ...]:
    """The policy versions the stored status spans in scope were derived under."""
    query = _scoped(select(StatusSpanRow.policy_version).distinct(), scope, joined=True)
    return tuple(sorted(session.scalars(query)))


def filtering(session: Session, scope: Scope) -> Scope:
    """The filter ``scope`` needs: none when it holds every stored case (a region's own
    database), which spares joining every span to its case."""
    if scope.level is ScopeLevel.ALL:
        return scope
    everyone = session.scalar(select(func.count()).select_from(CaseRecord)) or 0
    return Scope() if people_in_scope(session, scope) == everyone else scope


def _covering(first: date, last: date) -> ColumnElement[bool]:
    return and_(
        StatusSpanRow.start_date <= last,
        or_(StatusSpanRow.end_date.is_(None), StatusSpanRow.end_date > first),
    )


def status_counts_on_days(
    session: Session, scope: Scope, days: Sequence[date]
) -> list[dict[str, int]]:
    """People by status on each of ``days`` (sorted), ``ENDED`` for everyone not covered."""
    if not days:
        return []
    first, last = days[0], days[-1]
    starts = session.execute(
        _scoped(
            select(StatusSpanRow.status, StatusSpanRow.start_date, func.count())
            .where(_covering(first, last))
            .group_by(StatusSpanRow.status, StatusSpanRow.start_date),
            scope,
            joined=True,
        )
    ).all()
    ends = session.execute(
        _scoped(
            select(StatusSpanRow.status, StatusSpanRow.end_date, func.count())
            .where(
                _covering(first, last),
                StatusSpanRow.end_date.is_not(None),
                StatusSpanRow.end_date <= last,
            )
            .group_by(StatusSpanRow.status, StatusSpanRow.end_date),
            scope,
            joined=True,
        )
    ).all()
    changes: list[tuple[date, str, int]] = [(d, s, n) for s, d, n in starts]
    changes.extend((d, s, -n) for s, d, n in ends if d is not None)
    changes.sort(key=lambda change: change[0])
    people = people_in_scope(session, scope)
    running: Counter[str] = Counter()
    counts: list[dict[str, int]] = []
    position = 0
    for day in days:
        while position < len(changes) and changes[position][0] <= day:
            _, status, delta = changes[position]
            running[status] += delta
            position += 1
        on_day = {s.value: running[s.value] for s in Status if s is not Status.ENDED}
        on_day[Status.ENDED.value] = people - sum(on_day.values())
        counts.append(on_day)
    return counts


def status_counts_by_team(session: Session, scope: Scope, day: date) -> dict[str, dict[str, int]]:
    """People by team and status on ``day`` (covered people only: no ``ENDED``)."""
    rows = session.execute(
        _scoped(
            select(CaseRecord.team, StatusSpanRow.status, func.count())
            .join(CaseRecord, CaseRecord.crn == StatusSpanRow.crn)
            .where(_covering(day, day))
            .group_by(CaseRecord.team, StatusSpanRow.status),
            scope,
        )
    ).all()
    by_team: dict[str, dict[str, int]] = defaultdict(dict)
    for team, status, count in rows:
        by_team[team or NO_TEAM][status] = count
    return {team: by_team[team] for team in sorted(by_team)}


COUNTED_KINDS = (TransitionKind.SUSPENDED, TransitionKind.REINSTATED, TransitionKind.RE_SUSPENDED)


def transitions_per_day(
    session: Session, scope: Scope, first: date, last: date
) -> dict[tuple[date, str], int]:
    """How many transitions in force of each counted kind are dated on each day."""
    query = (
        select(StatusTransitionRow.day, StatusTransitionRow.kind, func.count())
        .where(
            StatusTransitionRow.superseded_at.is_(None),
            StatusTransitionRow.day >= first,
            StatusTransitionRow.day <= last,
            StatusTransitionRow.kind.in_([k.value for k in COUNTED_KINDS]),
        )
        .group_by(StatusTransitionRow.day, StatusTransitionRow.kind)
    )
    condition = _in_scope(scope)
    if condition is not None:
        query = query.join(CaseRecord, CaseRecord.crn == StatusTransitionRow.crn).where(condition)
    return {(day, kind): count for day, kind, count in session.execute(query)}


def week_starts(on: date, weeks: int) -> list[date]:
    """The Mondays of the ``weeks`` Monday-to-Sunday weeks ending with the one containing
    ``on``."""
    monday = on - timedelta(days=on.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def weekly_figures(session: Session, scope: Scope, on: date, weeks: int) -> list[WeekFigures]:
    mondays = week_starts(on, weeks)
    lasts = [min(monday + timedelta(days=6), on) for monday in mondays]
    counts = status_counts_on_days(session, scope, lasts)
    per_day = transitions_per_day(session, scope, mondays[0], on)
    received, triaged = hub_per_day(session, scope, mondays[0], on)
    figures = []
    for monday, last, by_status in zip(mondays, lasts, counts, strict=True):
        kinds: Counter[str] = Counter()
        for (day, kind), count in per_day.items():
            if monday <= day <= last:
                kinds[kind] += count
        outcomes: Counter[str] = Counter()
        for (day, outcome), count in triaged.items():
            if monday <= day <= last:
                outcomes[outcome] += count
        figures.append(
            WeekFigures(
                start=monday,
                last=last,
                by_status=by_status,
                suspended=kinds[TransitionKind.SUSPENDED.value],
                reinstated=kinds[TransitionKind.REINSTATED.value],
                re_suspended=kinds[TransitionKind.RE_SUSPENDED.value],
                hub_received=sum(n for day, n in received.items() if monday <= day <= last),
                hub_triaged=dict(sorted(outcomes.items())),
            )
        )
    return figures


def suspended_spans_meeting(
    session: Session, scope: Scope, span: DateSpan
) -> dict[str, tuple[str, list[DateSpan]]]:
    """Per person with a ``SUSPENDED`` span meeting ``span``: their team and those spans."""
    assert span.end is not None
    query = (
        select(CaseRecord.crn, CaseRecord.team, StatusSpanRow.start_date, StatusSpanRow.end_date)
        .join(CaseRecord, CaseRecord.crn == StatusSpanRow.crn)
        .where(
            StatusSpanRow.status == Status.SUSPENDED.value,
            _covering(span.start, span.end - timedelta(days=1)),
        )
    )
    condition = _in_scope(scope)
    if condition is not None:
        query = query.where(condition)
    found: dict[str, tuple[str, list[DateSpan]]] = {}
    for crn, team, start, end in session.connection().execute(query):
        found.setdefault(crn, (team or NO_TEAM, []))[1].append(DateSpan(start, end))
    return found


def events_and_rosh(
    session: Session, crns: Sequence[str]
) -> tuple[dict[str, list[Event]], dict[str, list[Registration]]]:
    """The events (with requirement types) and RoSH registrations of ``crns``, in input order."""
    registrations: dict[str, list[Registration]] = defaultdict(list)
    for chunk in crn_lists(session, crns):
        for crn, start, ended, level, position in session.connection().execute(
            select(
                RegistrationRow.crn,
                RegistrationRow.start_date,
                RegistrationRow.deregistered_on,
                RegistrationRow.level,
                RegistrationRow.position,
            ).where(
                crn_in(RegistrationRow.crn, chunk),
                RegistrationRow.type == RegistrationType.ROSH.value,
            )
        ):
            registrations[crn].append(
                Registration(RegistrationType.ROSH, start, ended, level, None, position)
            )
    return events_of(session, crns), registrations


def workload_removed(session: Session, scope: Scope, on: date) -> Workload:
    """Appointments not owed in the month of ``on`` because contact is suspended."""
    month = month_of(on)
    assert month.end is not None
    # Weeks whose Monday is in the month may end up to six days after it.
    reach = DateSpan(month.start, month.end + timedelta(days=6))
    people = suspended_spans_meeting(session, scope, reach)
    events, registrations = events_and_rosh(session, sorted(people))
    monthly: Counter[str] = Counter()
    weekly: Counter[str] = Counter()
    for crn, (team, spans) in people.items():
        relief = relief_in_month(spans, events[crn], registrations[crn], month)
        monthly[team] += relief.monthly
        weekly[team] += relief.weekly
    teams = sorted(t for t in monthly.keys() | weekly.keys() if monthly[t] or weekly[t])
    return Workload(
        month=month,
        total=Relief(sum(monthly.values()), sum(weekly.values())),
        by_team={team: Relief(monthly[team], weekly[team]) for team in teams},
    )


def figures(session: Session, scope: Scope, on: date, weeks: int = 52) -> Figures:
    """Every store-answered figure of the dashboard for ``scope`` on ``on``."""
    narrowed = filtering(session, scope)
    week_figures = tuple(weekly_figures(session, narrowed, on, weeks))
    return Figures(
        on=on,
        scope=scope,
        people=people_in_scope(session, narrowed),
        policy_versions=policy_versions(session, narrowed),
        by_status=week_figures[-1].by_status,  # the last week ends on the day
        by_team=status_counts_by_team(session, narrowed, on),
        weeks=week_figures,
        workload=workload_removed(session, narrowed, on),
        hub=hub_figures(session, narrowed, week_figures[0].start, on),
    )


def documents_in_scope(session: Session, scope: Scope) -> list[tuple[str, str, Mapping[str, Any]]]:
    """``(crn, team, document)`` of every stored case in scope, by CRN."""
    query = _scoped(
        select(CaseRecord.crn, CaseRecord.team, CaseRecord.document).order_by(CaseRecord.crn),
        scope,
    )
    return [(crn, team or NO_TEAM, document) for crn, team, document in session.execute(query)]
