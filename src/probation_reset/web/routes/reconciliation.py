"""Reconciliation with NDelius: every person in the user's scope whose PRC registration or PR1
key date disagrees with the rules on the day, counts per team, a page of findings at a time, and
CSV of both tables (the findings streamed, every one)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from probation_reset.caseload.reconciliation import Mismatch
from probation_reset.web import auditing
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.deps import DbDep, PageDayDep, PageUserDep, StateDep
from probation_reset.web.errors import PageError
from probation_reset.web.ndelius_view import (
    FINDINGS_PER_PAGE,
    findings_caption,
    findings_csv,
    team_counts_table,
)
from probation_reset.web.pages import csv_response, csv_stream, render
from probation_reset.web.reconciliation_query import every_finding, finding_counts, findings_page
from probation_reset.web.scope import Scope
from probation_reset.web.state import WebState

router = APIRouter(include_in_schema=False)
PageQuery = Annotated[int, Query(ge=1, le=1_000_000, description="Which page (from 1).")]


def mismatch_kinds(
    kind: Annotated[list[Mismatch] | None, Query(description="Only these kinds.")] = None,
) -> frozenset[Mismatch]:
    return frozenset(kind or ())


KindsDep = Annotated[frozenset[Mismatch], Depends(mismatch_kinds)]


@router.get("/reconciliation")
def reconciliation_page(
    request: Request,
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    kinds: KindsDep,
    page: PageQuery = 1,
) -> Response:
    found = findings_page(db, signed_in.scope, day, kinds, page, FINDINGS_PER_PAGE)
    auditing.record(
        state,
        signed_in.user.username,
        Action.READ_RECONCILIATION,
        Channel.PAGE,
        detail=str(request.url.query),
    )
    context = {
        "found": found,
        "caption": findings_caption(found),
        "teams": team_counts_table(found.counts),
        "kinds": list(Mismatch),
        "chosen": kinds,
        "scope_title": signed_in.scope.description,
    }
    return render(request, state, "reconciliation.html", context, signed_in=signed_in, day=day)


def _every_finding_csv(
    state: WebState, scope: Scope, day: date, kinds: frozenset[Mismatch]
) -> Iterator[str]:
    """The findings' CSV, read in one reading session (a consistent view) as it is sent."""
    with state.sessions() as session:
        yield from findings_csv(every_finding(session, scope, day, kinds))


@router.get("/reconciliation/{table}.csv")
def reconciliation_csv(
    request: Request,
    table: Annotated[str, Path(max_length=40)],
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    kinds: KindsDep,
) -> Response:
    if table not in ("findings", "teams"):
        raise PageError(404, "Table not found", f"The reconciliation has no table {table!r}.")
    auditing.record(
        state,
        signed_in.user.username,
        Action.DOWNLOAD_CSV,
        Channel.CSV,
        detail=f"reconciliation {table} {request.url.query}",
    )
    filename = f"reconciliation-{table}-{day.isoformat()}.csv"
    if table == "teams":
        counts = finding_counts(db, signed_in.scope, day, kinds)
        return csv_response(team_counts_table(counts), filename)
    return csv_stream(_every_finding_csv(state, signed_in.scope, day, kinds), filename)
