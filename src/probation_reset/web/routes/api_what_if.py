"""What-if through the API: one case on a day as it is and with a registration added or ended,
as the case page's form and the ``what-if`` command answer it (``caseload.what_if``). Nothing is
stored but the audit of the read; the case's scope is the case page's."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from probation_reset.caseload.what_if import (
    AddRegistration,
    Change,
    EndRegistration,
    WhatIfError,
    what_if,
    what_if_json,
)
from probation_reset.store.refresh import stored_case
from probation_reset.web import auditing
from probation_reset.web import what_if_api_models as out
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.api_models import ErrorDocument
from probation_reset.web.deps import ApiDayDep, ApiUserDep, DbDep, StateDep
from probation_reset.web.errors import ApiError, judged_on
from probation_reset.web.routes.api import CrnPath, case_found

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorDocument, "description": text}
    for code, text in (
        (400, "The change cannot be made to this case, or the day cannot be used (why)"),
        (401, "No API token, or an unknown one"),
        (404, "No such case in the caller's scope"),
        (422, "The change or a parameter is not valid"),
    )
}
router = APIRouter(tags=["what-if"], responses=ERRORS)


def _change(body: out.AddRegistrationIn | out.EndRegistrationIn) -> Change:
    if isinstance(body, out.AddRegistrationIn):
        return AddRegistration(body.type, body.start_date, body.level, body.category)
    return EndRegistration(body.type, body.on)


@router.post(
    "/cases/{crn}/what-if",
    response_model=out.WhatIfOut,
    summary="A case on a day as it is and with a registration added or ended (stores nothing)",
)
def what_if_api(
    crn: CrnPath,
    body: out.WhatIfIn,
    state: StateDep,
    db: DbDep,
    signed_in: ApiUserDep,
    day: ApiDayDep,
) -> JSONResponse:
    record = case_found(db, signed_in, crn)
    change = _change(body)
    try:
        with judged_on(day):
            answer = what_if(state.engine, stored_case(record.crn, record.document), change, day)
    except WhatIfError as error:
        raise ApiError(400, str(error)) from None
    auditing.record(
        state, signed_in.user.username, Action.WHAT_IF, Channel.API, crn, change.describe()
    )
    # As the engine writes the case results (optional fields absent): the model documents it.
    return JSONResponse(what_if_json(answer, state.engine.parameters.version))
