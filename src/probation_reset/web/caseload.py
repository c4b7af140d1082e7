"""The caseload on a day, filtered, sorted and paged, answered by SQL over the store.

Status comes from ``status_spans`` (no span covering the day: ``ENDED``), exemptions and phases
from the digests' spans, obligations due or missed from ``case_obligations``: no case is
evaluated to answer. The scope clause (``scope.py``) is always applied.
"""

from __future__ import annotations

from collections import defaultdict
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


def _base(scope: Scope, query: CaseloadQuery) -> tuple[Select[Any], dict[str, Any]]:
    day = query.day
    span = (
        select(StatusSpanRow.crn, StatusSpanRow.status)
        .where(_covers(StatusSpanRow.start_date, StatusSpanRow.end_date, day))
        .subquery()
    )
    status = func.coalesce(span.c.status, literal(Status.ENDED.value))
    final_third = (
        select(func.min(EventPhaseSpanRow.start_date))
        .where(
            EventPhaseSpanRow.crn == CaseRecord.crn,
            EventPhaseSpanRow.phase == "FINAL_THIRD",
            or_(EventPhaseSpanRow.end_date.is_(None), EventPhaseSpanRow.end_date > day),
        )
        .correlate(CaseRecord)
        .scalar_subquery()
    )
    columns = {
        "status": status,
        "final_third": final_third,
        "due": _count(_due_on(day)),
        "missed": _count(_missed_on(day)),
    }
    statement = (
        select(
            CaseRecord.crn,
            CaseRecord.staff_code,
            CaseRecord.staff_name,
            CaseRecord.team,
            CaseRecord.pdu,
            CaseRecord.region,
            *(column.label(name) for name, column in columns.items()),
        )
        .outerjoin(span, span.c.crn == CaseRecord.crn)
        .where(scope.clause)
    )
    if query.crn:
        statement = statement.where(CaseRecord.crn == query.crn.strip().upper())
    if query.statuses:
        statement = statement.where(status.in_(query.statuses))
    if query.teams:
        statement = statement.where(CaseRecord.team.in_(query.teams))
    if query.practitioners:
        statement = statement.where(CaseRecord.staff_code.in_(query.practitioners))
    if query.exemptions:
        statement = statement.where(
            select(ExemptionSpanRow.id)
            .where(
                ExemptionSpanRow.crn == CaseRecord.crn,
                ExemptionSpanRow.exemption.in_(query.exemptions),
                _covers(ExemptionSpanRow.start_date, ExemptionSpanRow.end_date, day),
            )
            .exists()
        )
    if query.phases:
        statement = statement.where(
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
        statement = statement.where(
            select(ObligationRow.id)
            .where(ObligationRow.crn == CaseRecord.crn, or_(*wanted))
            .exists()
        )
    if query.final_third_within_weeks is not None:
        last = day + timedelta(weeks=query.final_third_within_weeks)
        statement = statement.where(
            select(EventPhaseSpanRow.id)
            .where(
                EventPhaseSpanRow.crn == CaseRecord.crn,
                EventPhaseSpanRow.phase == "FINAL_THIRD",
                EventPhaseSpanRow.start_date > day,
                EventPhaseSpanRow.start_date <= last,
            )
            .exists()
        )
    return statement, columns


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
    """One page of the caseload (``everything``: every matching row, for a CSV download)."""
    statement, columns = _base(scope, query)
    matching = statement.subquery()
    total = session.scalar(select(func.count()).select_from(matching)) or 0
    counts = {
        status: n
        for status, n in session.execute(
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
    statement = statement.order_by(ordered.nulls_last(), CaseRecord.crn)
    if not everything:
        statement = statement.offset((query.page - 1) * query.page_size).limit(query.page_size)
    found = session.execute(statement).all()
    crns = [r.crn for r in found]
    phases = _spans_on(session, EventPhaseSpanRow, crns, query.day)
    exemptions = _spans_on(session, ExemptionSpanRow, crns, query.day)
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
    return CaseloadPage(query, rows, total, counts)


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """The teams and practitioners within a scope, to choose from."""

    teams: tuple[str, ...]
    practitioners: tuple[tuple[str, str], ...]


def filter_choices(session: Session, scope: Scope) -> FilterChoices:
    teams = session.scalars(
        select(CaseRecord.team).where(scope.clause, CaseRecord.team.is_not(None)).distinct()
    )
    staff = session.execute(
        select(CaseRecord.staff_code, func.max(CaseRecord.staff_name))
        .where(scope.clause, CaseRecord.staff_code.is_not(None))
        .group_by(CaseRecord.staff_code)
    )
    return FilterChoices(
        tuple(sorted(t for t in teams if t)),
        tuple(sorted(((str(code), str(name or code)) for code, name in staff), key=lambda p: p[1])),
    )
