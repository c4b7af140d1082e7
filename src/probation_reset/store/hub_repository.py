"""Reading and writing the hub's tables, and the store queries the hub's queue starts from.

Every function takes a ``Session`` and never commits: the caller owns the transaction. Rows are
only ever added (the tables are append-only).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from probation_reset.store.hub_tables import HubItemRow, HubTriageRow
from probation_reset.store.models import (
    CaseRecord,
    RegistrationRow,
    StatusSpanRow,
    StatusTransitionRow,
)

CONTACT_SUSPENDED = "CONTACT_SUSPENDED"
Rows = TypeVar("Rows", bound=Any)


def add_item(session: Session, item: HubItemRow) -> HubItemRow:
    session.add(item)
    session.flush()
    return item


def add_triage(session: Session, triage: HubTriageRow) -> HubTriageRow:
    session.add(triage)
    session.flush()
    return triage


def item(session: Session, item_id: int) -> HubItemRow | None:
    return session.get(HubItemRow, item_id)


def raised_item(session: Session, crn: str, raised_ref: str) -> HubItemRow | None:
    return session.scalars(
        select(HubItemRow).where(HubItemRow.crn == crn, HubItemRow.raised_ref == raised_ref)
    ).first()


def triages(session: Session, item_ids: Collection[int]) -> dict[int, list[HubTriageRow]]:
    """Every triage of these items, oldest first, by item."""
    found: dict[int, list[HubTriageRow]] = {i: [] for i in item_ids}
    if not item_ids:
        return found
    for row in session.scalars(
        select(HubTriageRow)
        .where(HubTriageRow.item_id.in_(list(item_ids)))
        .order_by(HubTriageRow.item_id, HubTriageRow.id)
    ):
        found[row.item_id].append(row)
    return found


def _in_scope(query: Select[Rows], region: str | None, team: str | None) -> Select[Rows]:
    """Only cases of the region and team (``None``: any); the query joins ``cases``."""
    if region is not None:
        query = query.where(CaseRecord.region == region)
    if team is not None:
        query = query.where(CaseRecord.team == team)
    return query


def stored_items(
    session: Session, region: str | None = None, team: str | None = None
) -> list[HubItemRow]:
    """Every stored item on a case of the region and team (``None``: any), oldest id first."""
    query = select(HubItemRow).join(CaseRecord, CaseRecord.crn == HubItemRow.crn)
    return list(session.scalars(_in_scope(query, region, team).order_by(HubItemRow.id)))


def raised_refs(session: Session, crns: Collection[str]) -> set[tuple[str, str]]:
    """``(crn, raised_ref)`` of every raised item of these cases that was materialised."""
    if not crns:
        return set()
    rows = session.execute(
        select(HubItemRow.crn, HubItemRow.raised_ref).where(
            HubItemRow.crn.in_(list(crns)), HubItemRow.raised_ref.is_not(None)
        )
    )
    return {(crn, ref) for crn, ref in rows if ref is not None}


def case_scope(session: Session, crn: str) -> CaseRecord | None:
    return session.get(CaseRecord, crn)


def raised_candidates(
    session: Session,
    on: date,
    recent_days: int,
    region: str | None = None,
    team: str | None = None,
) -> list[str]:
    """The CRNs for which the engine may raise an item on ``on``: suspended on the day (stored
    status spans), reinstated within ``recent_days`` before it (stored transitions), or with a
    ``PRC`` registration active on the day."""
    suspended = (
        select(StatusSpanRow.crn)
        .join(CaseRecord, CaseRecord.crn == StatusSpanRow.crn)
        .where(
            StatusSpanRow.status == "SUSPENDED",
            StatusSpanRow.start_date <= on,
            or_(StatusSpanRow.end_date.is_(None), StatusSpanRow.end_date > on),
        )
    )
    reinstated = (
        select(StatusTransitionRow.crn)
        .join(CaseRecord, CaseRecord.crn == StatusTransitionRow.crn)
        .where(
            StatusTransitionRow.kind == "REINSTATED",
            StatusTransitionRow.superseded_at.is_(None),
            StatusTransitionRow.day <= on,
            StatusTransitionRow.day > on - timedelta(days=recent_days),
        )
    )
    prc = (
        select(RegistrationRow.crn)
        .join(CaseRecord, CaseRecord.crn == RegistrationRow.crn)
        .where(
            RegistrationRow.type == CONTACT_SUSPENDED,
            RegistrationRow.start_date <= on,
            or_(RegistrationRow.deregistered_on.is_(None), RegistrationRow.deregistered_on > on),
        )
    )
    crns: set[str] = set()
    for query in (suspended, reinstated, prc):
        crns.update(session.scalars(_in_scope(query, region, team)))
    return sorted(crns)
