"""Ahead of time: everyone in the user's scope entering the final third (or PSS) in the next N
weeks, grouped by practitioner, with the pre-suspension checklist items still open."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from probation_reset.web import auditing
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.deps import DbDep, PageDayDep, PageUserDep, StateDep
from probation_reset.web.ndelius_view import DEFAULT_WEEKS, MAX_WEEKS, ahead, upcoming_table
from probation_reset.web.pages import csv_response, render

router = APIRouter(include_in_schema=False)
WeeksQuery = Annotated[
    int, Query(ge=1, le=MAX_WEEKS, description=f"How many weeks ahead (1 to {MAX_WEEKS}).")
]


@router.get("/upcoming")
def upcoming_page(
    request: Request,
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    weeks: WeeksQuery = DEFAULT_WEEKS,
) -> Response:
    found = ahead(db, state.engine, signed_in.scope, day, weeks)
    auditing.record(
        state, signed_in.user.username, Action.READ_UPCOMING, Channel.PAGE, detail=f"weeks={weeks}"
    )
    context = {
        "found": found,
        "table": upcoming_table(found),
        "scope_title": signed_in.scope.description,
    }
    return render(request, state, "upcoming.html", context, signed_in=signed_in, day=day)


@router.get("/upcoming.csv")
def upcoming_csv(
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    weeks: WeeksQuery = DEFAULT_WEEKS,
) -> Response:
    found = ahead(db, state.engine, signed_in.scope, day, weeks)
    auditing.record(
        state,
        signed_in.user.username,
        Action.DOWNLOAD_CSV,
        Channel.CSV,
        detail=f"upcoming weeks={weeks}",
    )
    return csv_response(upcoming_table(found), f"upcoming-{day.isoformat()}-{weeks}w.csv")
