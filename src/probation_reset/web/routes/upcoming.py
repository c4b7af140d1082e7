"""Ahead of time: everyone in the user's scope entering the final third (or PSS) in the next N
weeks, grouped by practitioner, with the pre-suspension checklist items still open; a page at a
time, and every one in the CSV (streamed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from probation_reset.web import auditing
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.deps import DbDep, PageDayDep, PageUserDep, StateDep
from probation_reset.web.ndelius_view import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    UPCOMING_PER_PAGE,
    by_practitioner,
    upcoming_caption,
    upcoming_csv,
)
from probation_reset.web.pages import csv_stream, render
from probation_reset.web.routes.reconciliation import PageQuery
from probation_reset.web.scope import Scope
from probation_reset.web.state import WebState
from probation_reset.web.upcoming_query import every_entry, upcoming_page

router = APIRouter(include_in_schema=False)
WeeksQuery = Annotated[
    int, Query(ge=1, le=MAX_WEEKS, description=f"How many weeks ahead (1 to {MAX_WEEKS}).")
]


@router.get("/upcoming")
def upcoming_view(
    request: Request,
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    weeks: WeeksQuery = DEFAULT_WEEKS,
    page: PageQuery = 1,
) -> Response:
    state.digests.sync()
    found = upcoming_page(db, state.engine, signed_in.scope, day, weeks, page, UPCOMING_PER_PAGE)
    auditing.record(
        state, signed_in.user.username, Action.READ_UPCOMING, Channel.PAGE, detail=f"weeks={weeks}"
    )
    context = {
        "found": found,
        "caption": upcoming_caption(found),
        "groups": by_practitioner(found.entries),
        "scope_title": signed_in.scope.description,
    }
    return render(request, state, "upcoming.html", context, signed_in=signed_in, day=day)


def _every_entry_csv(state: WebState, scope: Scope, day: date, weeks: int) -> Iterator[str]:
    """The entries' CSV, read in one reading session (a consistent view) as it is sent."""
    with state.sessions() as session:
        yield from upcoming_csv(every_entry(session, state.engine, scope, day, weeks))


@router.get("/upcoming.csv")
def upcoming_download(
    state: StateDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    weeks: WeeksQuery = DEFAULT_WEEKS,
) -> Response:
    state.digests.sync()
    auditing.record(
        state,
        signed_in.user.username,
        Action.DOWNLOAD_CSV,
        Channel.CSV,
        detail=f"upcoming weeks={weeks}",
    )
    return csv_stream(
        _every_entry_csv(state, signed_in.scope, day, weeks),
        f"upcoming-{day.isoformat()}-{weeks}w.csv",
    )
