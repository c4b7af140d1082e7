"""The caseload on a day, filtered, sorted and paged, answered by SQL over the store.

Status comes from ``status_spans`` (no span covering the day: ``ENDED``), exemptions and phases
from the digests' spans, obligations due or missed from ``case_obligations``: no case is
evaluated to answer. The scope clause (``scope.py``) is always applied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from probation_reset.domain.vocabulary import Status
from probation_reset.rules.exemptions import RULES as EXEMPTION_RULES
from probation_reset.store.digest_tables import EventPhaseSpanRow, ExemptionSpanRow, ObligationRow
from probation_reset.store.models import CaseRecord, StatusSpanRow
from probation_reset.web.scope import Scope

#: Exemptions in the contract's listing order.
EXEMPTION_ORDER = tuple(rule.id for rule in EXEMPTION_RULES)


class SortKey(StrEnum):
    CRN = "crn"
    STATUS = "status"
    PRACTITIONER = "practitioner"
    TEAM = "team"
    FINAL_THIRD = "final_third"
    DUE = "due"
    MISSED = "missed"


class ObligationFilter(StrEnum):
    DUE = "due"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class CaseloadQuery:
    day: date
    statuses: tuple[str, ...] = ()
    exemptions: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    practitioners: tuple[str, ...] = ()
    obligations: tuple[ObligationFilter, ...] = ()
    final_third_within_weeks: int | None = None
    crn: str | None = None
    sort: SortKey = SortKey.CRN
    descending: bool = False
    page: int = 1
    page_size: int = 25


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    crn: str
    staff_code: str | None
    staff_name: str | None
    team: str | None
    pdu: str | None
    region: str | None
    status: str
    exemptions: tuple[str, ...]
    phases: tuple[str, ...]
    final_third_start: date | None
    due: int
    missed: int


@dataclass(frozen=True, slots=True)
class CaseloadPage:
    query: CaseloadQuery
    rows: tuple[CaseloadRow, ...]
    total: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.page_size))


def _covers(start: Any, end: Any, day: date) -> ColumnElement[bool]:
    return and_(start <= day, or_(end.is_(None), end > day))


def _due_on(day: date) -> ColumnElement[bool]:
    return and_(
        ObligationRow.window_start <= day,
        ObligationRow.due_by >= day,
        or_(ObligationRow.met_on.is_(None), ObligationRow.met_on > day),
    )


def _missed_on(day: date) -> ColumnElement[bool]:
    return and_(
        ObligationRow.window_start <= day,
        ObligationRow.due_by < day,
        ObligationRow.met_on.is_(None),
    )


def _count(condition: ColumnElement[bool]) -> Any:
    return (
        select(func.count())
        .where(ObligationRow.crn == CaseRecord.crn, condition)
        .correlate(CaseRecord)
        .scalar_subquery()
    )


def _status_span(day: date) -> Any:
    return (
        select(StatusSpanRow.crn, StatusSpanRow.status)
        .where(_covers(StatusSpanRow.start_date, StatusSpanRow.end_date, day))
        .subquery()
    )


def _final_third(day: date) -> Any:
    """The start of the final third the case is in, or the next one (``None``: none)."""
    return (
        select(func.min(EventPhaseSpanRow.start_date))
        .where(
            EventPhaseSpanRow.crn == CaseRecord.crn,
            EventPhaseSpanRow.phase == "FINAL_THIRD",
            or_(EventPhaseSpanRow.end_date.is_(None), EventPhaseSpanRow.end_date > day),
        )
        .correlate(CaseRecord)
        .scalar_subquery()
    )


def _conditions(scope: Scope, query: CaseloadQuery, status: Any) -> list[ColumnElement[bool]]:
    """The scope and every filter of the query, as conditions on ``cases`` (and the status)."""
    day = query.day
    where: list[ColumnElement[bool]] = [scope.clause]
    if query.crn:
        where.append(CaseRecord.crn == query.crn.strip().upper())
    if query.statuses:
        where.append(status.in_(query.statuses))
    if query.teams:
        where.append(CaseRecord.team.in_(query.teams))
    if query.practitioners:
        where.append(CaseRecord.staff_code.in_(query.practitioners))
    if query.exemptions:
        where.append(
            select(ExemptionSpanRow.id)
            .where(
                ExemptionSpanRow.crn == CaseRecord.crn,
                ExemptionSpanRow.exemption.in_(query.exemptions),
                _covers(ExemptionSpanRow.start_date, ExemptionSpanRow.end_date, day),
            )
            .exists()
        )
    if query.phases:
        where.append(
            select(EventPhaseSpanRow.id)
            .where(
                EventPhaseSpanRow.crn == CaseRecord.crn,
                EventPhaseSpanRow.phase.in_(query.phases),
                _covers(EventPhaseSpanRow.start_date, EventPhaseSpanRow.end_date, day),
            )
            .exists()
        )
    wanted = [
        {ObligationFilter.DUE: _due_on(day), ObligationFilter.MISSED: _missed_on(day)}[o]
        for o in query.obligations
    ]
    if wanted:
        where.append(
            select(ObligationRow.crn)
            .where(ObligationRow.crn == CaseRecord.crn, or_(*wanted))
            .exists()
        )
    if query.final_third_within_weeks is not None:
        last = day + timedelta(weeks=query.final_third_within_weeks)
        where.append(
            select(EventPhaseSpanRow.id)
            .where(
                EventPhaseSpanRow.crn == CaseRecord.crn,
                EventPhaseSpanRow.phase == "FINAL_THIRD",
                EventPhaseSpanRow.start_date > day,
                EventPhaseSpanRow.start_date <= last,
            )
            .exists()
        )
    return where


def _spans_on(
    session: Session,
    table: type[EventPhaseSpanRow] | type[ExemptionSpanRow],
    crns: list[str],
    day: date,
) -> dict[str, list[str]]:
    """The phases (or exemptions) of these cases on ``day``, each once, in stored order."""
    found: dict[str, list[str]] = defaultdict(list)
    value = table.phase if table is EventPhaseSpanRow else table.exemption  # type: ignore[union-attr]
    if crns:
        rows = session.execute(
            select(table.crn, value)
            .where(table.crn.in_(crns), _covers(table.start_date, table.end_date, day))
            .order_by(table.crn, table.id)
        )
        for crn, name in rows:
            if name not in found[crn]:
                found[crn].append(name)
    return found


def caseload(
    session: Session, scope: Scope, query: CaseloadQuery, *, everything: bool = False
) -> CaseloadPage:
    """One page of the caseload (``everything``: every matching row, for a CSV download).

    Three queries: the status counts of every matching case (no per-case computation), the CRNs
    of the page in the chosen order (computing a sort column only when it is the sort key), and
    the page's rows with their computed columns."""
    day = query.day
    span = _status_span(day)
    status = func.coalesce(span.c.status, literal(Status.ENDED.value))
    columns = {
        "status": status,
        "final_third": _final_third(day),
        "due": _count(_due_on(day)),
        "missed": _count(_missed_on(day)),
    }
    where = _conditions(scope, query, status)

    def over(*selected: Any) -> Select[Any]:
        return (
            select(*selected)
            .select_from(CaseRecord)
            .outerjoin(span, span.c.crn == CaseRecord.crn)
            .where(*where)
        )

    matching = over(status.label("status")).subquery()
    counts = {
        status_name: n
        for status_name, n in session.execute(
            select(matching.c.status, func.count()).group_by(matching.c.status)
        )
    }
    key = {
        SortKey.CRN: CaseRecord.crn,
        SortKey.STATUS: columns["status"],
        SortKey.PRACTITIONER: CaseRecord.staff_name,
        SortKey.TEAM: CaseRecord.team,
        SortKey.FINAL_THIRD: columns["final_third"],
        SortKey.DUE: columns["due"],
        SortKey.MISSED: columns["missed"],
    }[query.sort]
    ordered = key.desc() if query.descending else key.asc()
    details = over(
        CaseRecord.crn,
        CaseRecord.staff_code,
        CaseRecord.staff_name,
        CaseRecord.team,
        CaseRecord.pdu,
        CaseRecord.region,
        *(column.label(name) for name, column in columns.items()),
    )
    if everything:
        found = list(session.execute(details.order_by(ordered.nulls_last(), CaseRecord.crn)))
    else:
        crns = list(
            session.scalars(
                over(CaseRecord.crn)
                .order_by(ordered.nulls_last(), CaseRecord.crn)
                .offset((query.page - 1) * query.page_size)
                .limit(query.page_size)
            )
        )
        by_crn = {r.crn: r for r in session.execute(details.where(CaseRecord.crn.in_(crns)))}
        found = [by_crn[crn] for crn in crns]
    crns = [r.crn for r in found]
    phases = _spans_on(session, EventPhaseSpanRow, crns, day)
    exemptions = _spans_on(session, ExemptionSpanRow, crns, day)
    rows = tuple(
        CaseloadRow(
            crn=r.crn,
            staff_code=r.staff_code,
            staff_name=r.staff_name,
            team=r.team,
            pdu=r.pdu,
            region=r.region,
            status=r.status,
            exemptions=tuple(sorted(exemptions.get(r.crn, ()), key=EXEMPTION_ORDER.index)),
            phases=tuple(phases.get(r.crn, ())),
            final_third_start=r.final_third,
            due=r.due,
            missed=r.missed,
        )
        for r in found
    )
    return CaseloadPage(query, rows, sum(counts.values()), counts)


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """The teams and practitioners within a scope, to choose from."""

    teams: tuple[str, ...]
    #: (staff code, name), by name.
    practitioners: tuple[tuple[str, str], ...]
    #: (staff code, team) of each team a practitioner holds cases in.
    practitioner_teams: frozenset[tuple[str, str]] = frozenset()

    def practitioners_of(self, teams: Sequence[str]) -> tuple[tuple[str, str], ...]:
        """The practitioners holding cases in any of ``teams``."""
        wanted = set(teams)
        codes = {code for code, team in self.practitioner_teams if team in wanted}
        return tuple(p for p in self.practitioners if p[0] in codes)


def _by_name(practitioner: tuple[str, str]) -> tuple[str, str]:
    code, name = practitioner
    return name, code


def filter_choices(session: Session, scope: Scope) -> FilterChoices:
    """One pass over the cases in scope: each (team, practitioner) pair."""
    names: dict[str, str | None] = {}
    teams: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for team, code, name in session.execute(
        select(CaseRecord.team, CaseRecord.staff_code, func.max(CaseRecord.staff_name))
        .where(scope.clause)
        .group_by(CaseRecord.team, CaseRecord.staff_code)
    ):
        if team:
            teams.add(team)
        if code is not None:
            names[code] = max((n for n in (names.get(code), name) if n), default=None)
            if team:
                pairs.add((code, team))
    return FilterChoices(
        tuple(sorted(teams)),
        tuple(sorted(((code, name or code) for code, name in names.items()), key=_by_name)),
        frozenset(pairs),
    )
