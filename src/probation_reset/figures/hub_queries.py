"""The regional hub's figures from its tables: items received and their outcomes.

Items are counted by the day they were received (``received_on``); information received by its
source, an item the engine raised (and someone triaged) by its kind. An item's outcome is its
latest triage (the tables are append-only: earlier triages stay); an item never triaged is
``WAITING``. Triages per week are counted by the day they judged (``triaged_on``).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from probation_reset.figures.model import WAITING, HubFigures, Scope, ScopeLevel
from probation_reset.store.hub_tables import HubItemRow, HubTriageRow
from probation_reset.store.models import CaseRecord


def _scope_condition(scope: Scope) -> ColumnElement[bool] | None:
    column = {
        ScopeLevel.REGION: CaseRecord.region,
        ScopeLevel.PDU: CaseRecord.pdu,
        ScopeLevel.TEAM: CaseRecord.team,
    }.get(scope.level)
    return None if column is None else column == scope.name


def hub_per_day(
    session: Session, scope: Scope, first: date, last: date
) -> tuple[dict[date, int], dict[tuple[date, str], int]]:
    """Items received per day, and triages per day and outcome, from ``first`` to ``last``."""
    condition = _scope_condition(scope)
    received = (
        select(HubItemRow.received_on, func.count())
        .where(HubItemRow.received_on >= first, HubItemRow.received_on <= last)
        .group_by(HubItemRow.received_on)
    )
    triaged = (
        select(HubTriageRow.triaged_on, HubTriageRow.outcome, func.count())
        .join(HubItemRow, HubItemRow.id == HubTriageRow.item_id)
        .where(HubTriageRow.triaged_on >= first, HubTriageRow.triaged_on <= last)
        .group_by(HubTriageRow.triaged_on, HubTriageRow.outcome)
    )
    if condition is not None:
        received = received.join(CaseRecord, CaseRecord.crn == HubItemRow.crn).where(condition)
        triaged = triaged.join(CaseRecord, CaseRecord.crn == HubItemRow.crn).where(condition)
    return (
        {day: count for day, count in session.execute(received)},
        {(day, outcome): count for day, outcome, count in session.execute(triaged)},
    )


def hub_figures(session: Session, scope: Scope, first: date, last: date) -> HubFigures:
    """The items received from ``first`` to ``last``, by source or kind and by outcome."""
    latest = (
        select(HubTriageRow.item_id, func.max(HubTriageRow.id).label("triage_id"))
        .group_by(HubTriageRow.item_id)
        .subquery()
    )
    query = (
        select(HubItemRow.kind, HubItemRow.source, HubTriageRow.outcome)
        .outerjoin(latest, latest.c.item_id == HubItemRow.id)
        .outerjoin(HubTriageRow, HubTriageRow.id == latest.c.triage_id)
        .where(HubItemRow.received_on >= first, HubItemRow.received_on <= last)
    )
    condition = _scope_condition(scope)
    if condition is not None:
        query = query.join(CaseRecord, CaseRecord.crn == HubItemRow.crn).where(condition)
    by_source: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for kind, source, outcome in session.execute(query):
        by_source[source or kind] += 1
        by_outcome[outcome or WAITING] += 1
    return HubFigures(
        first,
        last,
        sum(by_source.values()),
        dict(sorted(by_source.items())),
        dict(sorted(by_outcome.items())),
    )
