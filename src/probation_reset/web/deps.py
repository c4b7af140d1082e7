"""Dependencies of the routes, as ``Annotated`` aliases. The database session is opened per
request and never committed here: a route that writes (the audit log) commits itself."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from sqlalchemy.orm import Session

from probation_reset.hub.service import HubService
from probation_reset.intake.dates import EARLIEST, LATEST
from probation_reset.store.access_tables import UserRow
from probation_reset.web import accounts
from probation_reset.web.errors import ApiError, NotSignedInError, PageError
from probation_reset.web.scope import Scope
from probation_reset.web.state import WebState

SESSION_COOKIE = "pr_session"


def get_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


StateDep = Annotated[WebState, Depends(get_state)]


def get_db(state: StateDep) -> Iterator[Session]:
    with state.sessions() as session:
        yield session


DbDep = Annotated[Session, Depends(get_db)]


def get_writer(state: StateDep) -> Iterator[Session]:
    """A writing session: its transaction starts at the first write and the route commits."""
    with state.writer() as session:
        yield session


WriterDep = Annotated[Session, Depends(get_writer)]


def parse_day(text: str | None, state: WebState) -> date:
    if not text:
        return state.settings.today()
    try:
        if len(text) != 10:
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"The day {text[:40]!r} is not a real date written YYYY-MM-DD, for example 2025-11-03"
        ) from None
    if not EARLIEST <= day <= LATEST:
        # As for every date of a case: the rules' date arithmetic stays inside the calendar.
        raise ValueError(f"The day {text} is outside the years 1800 to 2399")
    return day


OnQuery = Annotated[
    str | None,
    Query(
        description="The day, YYYY-MM-DD (default: today).",
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        max_length=10,
    ),
]


def page_day(state: StateDep, on: Annotated[str | None, Query(max_length=40)] = None) -> date:
    try:
        return parse_day(on, state)
    except ValueError as error:
        raise PageError(400, "That day cannot be used", str(error)) from None


def api_day(state: StateDep, on: OnQuery = None) -> date:
    try:
        return parse_day(on, state)
    except ValueError as error:
        raise ApiError(400, str(error)) from None


PageDayDep = Annotated[date, Depends(page_day)]
ApiDayDep = Annotated[date, Depends(api_day)]


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: UserRow
    scope: Scope
    csrf_token: str
    token: str


def page_user(request: Request, state: StateDep, db: DbDep) -> SignedIn:
    token = request.cookies.get(SESSION_COOKIE)
    found = accounts.session_user(db, token, state.settings.clock()) if token else None
    if found is None or token is None:
        raise NotSignedInError
    user, csrf = found
    return SignedIn(user, Scope.of(user), csrf, token)


PageUserDep = Annotated[SignedIn, Depends(page_user)]


def api_user(
    db: DbDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> SignedIn:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Send an API token as 'Authorization: Bearer <token>'")
    user = accounts.token_user(db, token.strip())
    if user is None:
        raise ApiError(401, "The API token is not known, or was revoked")
    return SignedIn(user, Scope.of(user), "", "")


ApiUserDep = Annotated[SignedIn, Depends(api_user)]


def _hub_scope(signed_in: SignedIn) -> bool:
    return signed_in.scope.works_the_hub


def page_hub_user(signed_in: PageUserDep) -> SignedIn:
    """A signed-in user who works the hub's queue (hub staff, a head of service, an admin)."""
    if not _hub_scope(signed_in):
        raise PageError(
            403,
            "Not allowed",
            "Only the regional hub, a head of service or an administrator can use the hub's queue.",
        )
    return signed_in


def api_hub_user(signed_in: ApiUserDep) -> SignedIn:
    if not _hub_scope(signed_in):
        raise ApiError(403, "Only the regional hub, a head of service or an admin use the hub")
    return signed_in


PageHubUserDep = Annotated[SignedIn, Depends(page_hub_user)]
ApiHubUserDep = Annotated[SignedIn, Depends(api_hub_user)]


def hub_service(state: StateDep) -> HubService:
    """The hub's service for one request, on the app's engine and clock."""
    return HubService(state.engine, state.settings.clock)


HubDep = Annotated[HubService, Depends(hub_service)]
