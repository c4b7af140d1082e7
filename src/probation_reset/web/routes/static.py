"""``/assets/<file>``: GOV.UK Frontend, MoJ Frontend and the service's own CSS and JS."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, PlainTextResponse, Response

from probation_reset.web.assets import BUILT, MISSING_MESSAGE, find_asset
from probation_reset.web.deps import StateDep

router = APIRouter(include_in_schema=False)


@router.get("/assets/{name:path}")
def asset(name: str, state: StateDep) -> Response:
    found = find_asset(state.settings.node_modules, name)
    if found is None or not found.is_file():
        if name in BUILT:
            return PlainTextResponse(MISSING_MESSAGE, status_code=503)
        return PlainTextResponse("Not found", status_code=404)
    return FileResponse(found, headers={"Cache-Control": "public, max-age=3600"})
