"""What if: the case as it is and with a registration added or ended, side by side. A GET
form on the case page (it changes nothing); each answer is audited as a read of the case."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from probation_reset.caseload.what_if import WhatIf, WhatIfError, what_if
from probation_reset.store.refresh import stored_case
from probation_reset.web import auditing
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.deps import DbDep, PageDayDep, PageUserDep, StateDep
from probation_reset.web.errors import PageError, judged_on
from probation_reset.web.pages import csv_response, render
from probation_reset.web.scope import Scope, case_in_scope
from probation_reset.web.state import WebState
from probation_reset.web.tables import pick
from probation_reset.web.what_if_view import TYPES, WhatIfForm, read_change, tables

router = APIRouter(include_in_schema=False)
CrnPath = Annotated[str, Path(max_length=64)]


def _answer(
    request: Request, state: WebState, db: Session, scope: Scope, crn: str, day: date
) -> tuple[WhatIf | None, WhatIfForm]:
    """The answer to the change the query asks for, or the form with its errors."""
    record = case_in_scope(db, scope, crn)
    if record is None:
        raise PageError(
            404,
            "Case not found",
            f"There is no case {crn} in your caseload. Check the CRN, or search the caseload.",
        )
    change, form = read_change(dict(request.query_params), day)
    if change is None:
        return None, form
    try:
        with judged_on(day):
            return what_if(
                state.engine, stored_case(record.crn, record.document), change, day
            ), form
    except WhatIfError as error:
        field, _, message = str(error).partition(": ")
        target = next(
            (f"what-if-{name}" for name in ("type", "category") if field.endswith(name)),
            "what-if-level",
        )
        form.errors[target] = (message or str(error))[:1].upper() + (message or str(error))[1:]
        return None, form


@router.get("/cases/{crn}/what-if")
def what_if_page(
    request: Request,
    crn: CrnPath,
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
) -> Response:
    answer, form = _answer(request, state, db, signed_in.scope, crn, day)
    if answer is not None:
        auditing.record(
            state,
            signed_in.user.username,
            Action.WHAT_IF,
            Channel.PAGE,
            crn,
            answer.change.describe(),
        )
    context = {
        "crn": crn,
        "answer": answer,
        "tables": tables(answer) if answer else (),
        "form": form.values,
        "errors": form.errors,
        "types": TYPES,
    }
    status = 400 if form.errors else 200
    return render(
        request, state, "what_if.html", context, signed_in=signed_in, day=day, status=status
    )


@router.get("/cases/{crn}/what-if/{table}.csv")
def what_if_csv(
    request: Request,
    crn: CrnPath,
    table: Annotated[str, Path(max_length=40)],
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
) -> Response:
    answer, form = _answer(request, state, db, signed_in.scope, crn, day)
    if answer is None:
        message = "; ".join(form.errors.values()) or "Choose a change to make."
        raise PageError(400, "That change cannot be made", message)
    chosen = pick(tables(answer), table)
    if chosen is None:
        raise PageError(404, "Table not found", f"The what-if page has no table {table!r}.")
    auditing.record(
        state,
        signed_in.user.username,
        Action.WHAT_IF,
        Channel.CSV,
        crn,
        f"{table}: {answer.change.describe()}",
    )
    return csv_response(chosen, f"{crn}-what-if-{table}-{day.isoformat()}.csv")
