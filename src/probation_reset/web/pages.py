"""Rendering a page: the template with what every page needs (the user, the day picker, the
CSRF token, the CSP nonce, the navigation)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from probation_reset.web.deps import SignedIn
from probation_reset.web.scope import ROLE_TITLES, Role
from probation_reset.web.state import WebState
from probation_reset.web.tables import Table, csv_text

SERVICE_NAME = "Probation Reset caseload"


def navigation(
    request: Request, signed_in: SignedIn | None, day: date | None
) -> list[dict[str, Any]]:
    if signed_in is None:
        return []
    on = f"?on={day.isoformat()}" if day else ""
    items = [("Caseload", "/caseload")]
    if signed_in.scope.works_the_hub:
        items.append(("Hub queue", "/hub"))
    items += [("Reconciliation", "/reconciliation"), ("Upcoming", "/upcoming")]
    if signed_in.scope.role is not Role.PRACTITIONER:
        items.append(("Dashboard", "/dashboard"))
    items.append(("Policy", "/policy"))
    if signed_in.scope.role is Role.ADMIN:
        items.append(("Audit log", "/audit"))
    path = request.url.path
    return [
        {"href": href + on, "text": text, "active": path.startswith(href)} for text, href in items
    ]


def render(
    request: Request,
    state: WebState,
    template: str,
    context: dict[str, Any],
    *,
    signed_in: SignedIn | None = None,
    day: date | None = None,
    status: int = 200,
) -> HTMLResponse:
    params = {k: request.query_params.getlist(k) for k in request.query_params if k != "on"}
    page = state.templates.get_template(template).render(
        request=request,
        service_name=SERVICE_NAME,
        signed_in=signed_in,
        role_title=ROLE_TITLES[signed_in.scope.role] if signed_in else "",
        csrf_token=signed_in.csrf_token if signed_in else "",
        day=day,
        today=state.settings.today(),
        params={k: v if len(v) > 1 else v[0] for k, v in params.items()},
        navigation=navigation(request, signed_in, day),
        cspNonce=getattr(request.state, "csp_nonce", ""),
        **context,
    )
    return HTMLResponse(page, status_code=status)


def csv_stream(chunks: Iterator[str], filename: str) -> StreamingResponse:
    """A CSV download written as its rows are read (``tables.csv_chunks``)."""
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def csv_response(table: Table, filename: str) -> Response:
    return Response(
        csv_text(table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
