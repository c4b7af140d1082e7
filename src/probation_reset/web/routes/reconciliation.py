"""Reconciliation with NDelius: every person in the user's scope whose PRC registration or PR1
key date disagrees with the rules on the day, counts per team, and CSV of both tables."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from probation_reset.caseload.reconciliation import Mismatch
from probation_reset.web import auditing
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.deps import DbDep, PageDayDep, PageUserDep, StateDep
from probation_reset.web.errors import PageError
from probation_reset.web.ndelius_view import findings_table, reconciliation, team_counts_table
from probation_reset.web.pages import csv_response, render

router = APIRouter(include_in_schema=False)


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
) -> Response:
    found = reconciliation(db, state.engine, signed_in.scope, day, kinds)
    auditing.record(
        state,
        signed_in.user.username,
        Action.READ_RECONCILIATION,
        Channel.PAGE,
        detail=str(request.url.query),
    )
    context = {
        "found": found,
        "table": findings_table(found),
        "teams": team_counts_table(found),
        "kinds": list(Mismatch),
        "chosen": kinds,
        "scope_title": signed_in.scope.description,
    }
    return render(request, state, "reconciliation.html", context, signed_in=signed_in, day=day)


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
    makers = {"findings": findings_table, "teams": team_counts_table}
    if table not in makers:
        raise PageError(404, "Table not found", f"The reconciliation has no table {table!r}.")
    found = reconciliation(db, state.engine, signed_in.scope, day, kinds)
    auditing.record(
        state,
        signed_in.user.username,
        Action.DOWNLOAD_CSV,
        Channel.CSV,
        detail=f"reconciliation {table} {request.url.query}",
    )
    return csv_response(makers[table](found), f"reconciliation-{table}-{day.isoformat()}.csv")
