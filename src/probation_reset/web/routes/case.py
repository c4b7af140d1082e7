"""The case page and the CSV of each of its tables. Every read is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from probation_reset.domain.vocabulary import ObligationStatus
from probation_reset.web import auditing
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.case_view import case_view
from probation_reset.web.deps import DbDep, PageDayDep, PageUserDep, StateDep
from probation_reset.web.errors import PageError
from probation_reset.web.pages import csv_response, render
from probation_reset.web.scope import case_in_scope
from probation_reset.web.tables import pick
from probation_reset.web.what_if_view import TYPES

router = APIRouter(include_in_schema=False)
CrnPath = Annotated[str, Path(max_length=64)]


def _not_found(crn: str) -> PageError:
    return PageError(
        404,
        "Case not found",
        f"There is no case {crn} in your caseload. Check the CRN, or search the caseload.",
    )


@router.get("/cases/{crn}")
def case_page(
    request: Request,
    crn: CrnPath,
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    obligation_status: Annotated[list[ObligationStatus] | None, Query()] = None,
) -> Response:
    record = case_in_scope(db, signed_in.scope, crn)
    if record is None:
        raise _not_found(crn)
    view = case_view(db, state.engine, record, day)
    auditing.record(state, signed_in.user.username, Action.READ_CASE, Channel.PAGE, crn)
    shown = {s.value for s in obligation_status or ()}
    obligations = [o for o in view.result.obligations if not shown or o.status.value in shown]
    context = {
        "view": view,
        "obligations": obligations,
        "shown": shown,
        "passages": state.passages,
        "policy_version": state.engine.parameters.version,
        "what_if_types": TYPES,
    }
    return render(request, state, "case.html", context, signed_in=signed_in, day=day)


@router.get("/cases/{crn}/{table}.csv")
def case_csv(
    crn: CrnPath,
    table: Annotated[str, Path(max_length=40)],
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
) -> Response:
    record = case_in_scope(db, signed_in.scope, crn)
    if record is None:
        raise _not_found(crn)
    view = case_view(db, state.engine, record, day)
    chosen = pick(view.tables, table)
    if chosen is None:
        raise PageError(404, "Table not found", f"The case page has no table {table!r}.")
    auditing.record(
        state, signed_in.user.username, Action.READ_CASE, Channel.CSV, crn, detail=table
    )
    return csv_response(chosen, f"{crn}-{table}-{day.isoformat()}.csv")
