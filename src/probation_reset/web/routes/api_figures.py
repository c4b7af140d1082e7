"""The regional figures through the API: what the dashboard page shows for a region, PDU or
team on a day and the weeks before it, limited as the page is to a scope whose every case the
caller may see (``web.scope.figures_allowed``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from probation_reset.figures.document import figures_json
from probation_reset.web import auditing
from probation_reset.web import figures_api_models as out
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.api_models import ErrorDocument
from probation_reset.web.dashboard_view import tables
from probation_reset.web.deps import ApiDayDep, ApiUserDep, DbDep, StateDep
from probation_reset.web.errors import ApiError
from probation_reset.web.routes.dashboard import (
    ObligationsQuery,
    WeeksQuery,
    allowed_scope,
    scope_choices,
    scope_figures,
    scope_text,
)
from probation_reset.web.tables import Cell

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorDocument, "description": text}
    for code, text in (
        (400, "A parameter cannot be used (more than one scope, a day the policy cannot judge)"),
        (401, "No API token, or an unknown one"),
        (403, "The caller may see no whole region, PDU or team (a practitioner)"),
        (404, "No figures the caller may see for that region, PDU or team"),
        (422, "A parameter is not valid"),
    )
}
router = APIRouter(tags=["figures"], responses=ERRORS)
NameQuery = Annotated[str | None, Query(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]


def _cell(value: Cell) -> str | int | None:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return value


@router.get(
    "/figures",
    response_model=out.FiguresOut,
    response_model_by_alias=True,
    summary="The dashboard's figures of a region, PDU or team (at most one; none: the first "
    "the caller may see) on a day and the weeks before it",
)
def figures_api(
    state: StateDep,
    db: DbDep,
    signed_in: ApiUserDep,
    day: ApiDayDep,
    region: NameQuery = None,
    pdu: NameQuery = None,
    team: NameQuery = None,
    weeks: WeeksQuery = 52,
    obligations: ObligationsQuery = None,
) -> out.FiguresOut:
    asked = [(level, name) for level, name in (("region", region), ("pdu", pdu), ("team", team))]
    given = [(level, name) for level, name in asked if name is not None]
    if len(given) > 1:
        raise ApiError(400, "Give at most one of region, pdu and team")
    picked = allowed_scope(state, db, signed_in, given[0] if given else None)
    figures = scope_figures(state, db, picked, day, weeks, obligations == "include")
    auditing.record(
        state,
        signed_in.user.username,
        Action.READ_DASHBOARD,
        Channel.API,
        detail=f"{scope_text(*picked)} weeks={weeks}",
    )
    document = figures_json(figures)
    document["tables"] = [
        {
            "id": t.name,
            "title": t.caption,
            "columns": list(t.headings),
            "rows": [[_cell(c) for c in row] for row in t.rows],
        }
        for t in tables(figures)
    ]
    document["choices"] = [
        {"level": level, "name": name} for level, name in scope_choices(state, db, signed_in)
    ]
    return out.FiguresOut.model_validate(document)
