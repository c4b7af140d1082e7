"""Reading and writing the hub's tables, and the store queries the hub's queue starts from.

Every function takes a ``Session`` and never commits: the caller owns the transaction. Rows are
only ever added (the tables are append-only).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, or_, select
from sqlalchemy.orm import Session

from probation_reset.domain.case import Manager
from probation_reset.store.case_document import MANAGER_FIELDS, manager_of_columns
from probation_reset.store.digest_tables import CaseDigestRow
from probation_reset.store.event_reads import crn_in, rows_for
from probation_reset.store.hub_tables import HubItemRow, HubTriageRow
from probation_reset.store.models import (
    CaseRecord,
    RegistrationRow,
    StatusSpanRow,
    StatusTransitionRow,
)

CONTACT_SUSPENDED = "CONTACT_SUSPENDED"
SUSPENDED = "SUSPENDED"
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


def case_scope(session: Session, crn: str) -> CaseRecord | None:
    return session.get(CaseRecord, crn)


def _current(version: str) -> ColumnElement[bool]:
    """Whether the case's digest and status history follow from its current document under
    ``version`` (the query joins ``cases`` and ``case_digests``)."""
    return and_(
        CaseDigestRow.content_hash == CaseRecord.content_hash,
        CaseDigestRow.policy_version == version,
        CaseRecord.history_policy_version == version,
    )


def _covers(start: Any, end: Any, day: date) -> ColumnElement[bool]:
    return and_(start <= day, or_(end.is_(None), end > day))


def suspended_people(
    session: Session,
    on: date,
    version: str,
    region: str | None = None,
    team: str | None = None,
) -> list[tuple[Any, ...]]:
    """Everyone of the region and team suspended on ``on``, as plain tuples: the CRN, the
    ``start_date`` and ``end_date`` of the stored status span holding the day, whether the
    case's digests are current under ``version``, and the manager's columns
    (``MANAGER_FIELDS``)."""
    query = (
        select(
            CaseRecord.crn,
            StatusSpanRow.start_date,
            StatusSpanRow.end_date,
            case((_current(version), True), else_=False),
            *(getattr(CaseRecord, name) for name in MANAGER_FIELDS),
        )
        .select_from(StatusSpanRow)
        .join(CaseRecord, CaseRecord.crn == StatusSpanRow.crn)
        .outerjoin(CaseDigestRow, CaseDigestRow.crn == CaseRecord.crn)
        .where(
            StatusSpanRow.status == SUSPENDED,
            _covers(StatusSpanRow.start_date, StatusSpanRow.end_date, on),
        )
    )
    return [tuple(row) for row in session.connection().execute(_in_scope(query, region, team))]


def reinstated_or_prc(
    session: Session,
    on: date,
    recent_days: int,
    region: str | None = None,
    team: str | None = None,
) -> set[str]:
    """The CRNs of the region and team reinstated within ``recent_days`` before ``on`` (stored
    transitions) or with a ``PRC`` registration active on the day: with those suspended on the
    day, everyone for whom the engine may raise an item."""
    # A month's reinstatements are few: found by their day (the index), their scope checked
    # here; a scope in the query would have the database read every case of the region first.
    reinstated = (
        select(StatusTransitionRow.crn, CaseRecord.region, CaseRecord.team)
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
            _covers(RegistrationRow.start_date, RegistrationRow.deregistered_on, on),
        )
    )
    crns = {
        crn
        for crn, in_region, in_team in session.execute(reinstated)
        if region in (None, in_region) and team in (None, in_team)
    }
    crns.update(session.scalars(_in_scope(prc, region, team)))
    return crns


def current_managers(
    session: Session, crns: Sequence[str], version: str
) -> dict[str, Manager | None]:
    """Of ``crns``, those whose digests are current under ``version``, with their managers."""
    rows = rows_for(
        session,
        crns,
        lambda operand: (
            select(CaseRecord.crn, *(getattr(CaseRecord, name) for name in MANAGER_FIELDS))
            .join(CaseDigestRow, CaseDigestRow.crn == CaseRecord.crn)
            .where(crn_in(CaseRecord.crn, operand), _current(version))
        ),
    )
    return {row.crn: manager_of_columns(row) for row in rows}
