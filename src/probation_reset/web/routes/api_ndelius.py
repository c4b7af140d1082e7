"""Reconciliation with NDelius and who enters the final third soon, as JSON: the same answers
as the pages, for the cases in the caller's scope."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from probation_reset.web import auditing
from probation_reset.web import hub_api_models as out
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.api_models import ErrorDocument
from probation_reset.web.deps import ApiDayDep, ApiUserDep, DbDep, StateDep
from probation_reset.web.ndelius_view import DEFAULT_WEEKS
from probation_reset.web.reconciliation_query import findings_page
from probation_reset.web.routes.api import PageQuery, PageSizeQuery
from probation_reset.web.routes.reconciliation import KindsDep
from probation_reset.web.routes.upcoming import WeeksQuery
from probation_reset.web.upcoming_query import upcoming_page

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorDocument, "description": text}
    for code, text in (
        (400, "A parameter cannot be used"),
        (401, "No API token, or an unknown one"),
        (422, "A parameter is not valid"),
    )
}
router = APIRouter(tags=["NDelius"], responses=ERRORS)


@router.get(
    "/reconciliation",
    response_model=out.ReconciliationOut,
    summary="Where NDelius (PRC, PR1) and the rules disagree on a day, with counts per team",
)
def reconciliation_api(
    state: StateDep,
    db: DbDep,
    signed_in: ApiUserDep,
    day: ApiDayDep,
    kinds: KindsDep,
    page: PageQuery = 1,
    page_size: PageSizeQuery = 100,
) -> out.ReconciliationOut:
    found = findings_page(db, signed_in.scope, day, kinds, page, page_size)
    auditing.record(state, signed_in.user.username, Action.READ_RECONCILIATION, Channel.API)
    return out.ReconciliationOut(
        on=day,
        people=found.people,
        page=page,
        page_size=page_size,
        total=found.total,
        pages=found.pages,
        findings=[
            out.FindingOut(
                crn=f.crn,
                kind=f.kind.value,
                status=f.status.value,
                event_id=f.event_id,
                days_apart=f.days_apart,
                detail=f.detail,
                action=f.action,
                team=f.team,
            )
            for f in found.findings
        ],
        counts_by_team={
            team: {k.value: n for k, n in sorted(c.items())} for team, c in found.counts.items()
        },
    )


@router.get(
    "/upcoming",
    response_model=out.UpcomingList,
    summary="Who enters the final third or PSS in the next weeks, with open checklist items",
)
def upcoming_api(
    state: StateDep,
    db: DbDep,
    signed_in: ApiUserDep,
    day: ApiDayDep,
    weeks: WeeksQuery = DEFAULT_WEEKS,
    page: PageQuery = 1,
    page_size: PageSizeQuery = 100,
) -> out.UpcomingList:
    state.digests.sync()
    found = upcoming_page(db, state.engine, signed_in.scope, day, weeks, page, page_size)
    auditing.record(state, signed_in.user.username, Action.READ_UPCOMING, Channel.API)
    return out.UpcomingList(
        on=day,
        weeks=weeks,
        page=page,
        page_size=page_size,
        total=found.total,
        pages=found.pages,
        upcoming=[
            out.UpcomingOut(
                crn=e.crn,
                practitioner=e.practitioner,
                event_id=e.event_id,
                entering=e.entering.value,
                starts=e.starts,
                status_then=e.status_then.value,
                exemptions_then=list(e.exemptions_then),
                open_items=[
                    out.OpenItemOut(rule=o.rule, due_by=o.due_by, status=o.status.value)
                    for o in e.open_items
                ],
            )
            for e in found.entries
        ],
    )
