"""Signing in and out. The sign-in form is protected by a double-submit CSRF cookie (there is
no session yet); signing out by the session's CSRF token. Failed attempts are limited per user
name and per client."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from probation_reset.web import accounts
from probation_reset.web.accounts import Action, Channel, Refusal
from probation_reset.web.deps import SESSION_COOKIE, PageUserDep, StateDep, WriterDep
from probation_reset.web.errors import PageError
from probation_reset.web.pages import render
from probation_reset.web.state import WebState

router = APIRouter(include_in_schema=False)
FORM_COOKIE = "pr_sign_in"


def _secure(request: Request, state: WebState) -> bool:
    given = state.settings.secure_cookies
    return request.url.scheme == "https" if given is None else given


def safe_next(target: str | None) -> str:
    """Only a path on this service (never ``//host`` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/caseload"
    return target


def check_csrf(given: str, expected: str) -> None:
    if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        raise PageError(
            400,
            "The form has expired",
            "The form was out of date or not sent from this service. Go back and try again.",
        )


def _form(request: Request, state: WebState, context: dict[str, object], status: int) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request, state, "sign_in.html", {"form_token": token, **context}, status=status
    )
    response.set_cookie(
        FORM_COOKIE,
        token,
        httponly=True,
        secure=_secure(request, state),
        samesite="strict",
        path="/sign-in",
    )
    return response


@router.get("/")
def home() -> Response:
    return RedirectResponse("/caseload", 303)


@router.get("/sign-in")
def sign_in_form(request: Request, state: StateDep, next: str | None = None) -> Response:
    signed_out = request.query_params.get("signed_out") == "1"
    return _form(request, state, {"next": safe_next(next), "signed_out": signed_out}, 200)


@router.post("/sign-in")
def sign_in(
    request: Request,
    state: StateDep,
    db: WriterDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/caseload",
) -> Response:
    check_csrf(csrf_token, request.cookies.get(FORM_COOKIE, ""))
    target = safe_next(next)
    errors: dict[str, str] = {}
    username, password = username.replace("\x00", ""), password.replace("\x00", "\ufffd")
    if not username.strip():
        errors["username"] = "Enter your user name"
    if not password:
        errors["password"] = "Enter your password"
    if errors:
        return _form(request, state, {"next": target, "errors": errors, "username": username}, 400)
    now = state.settings.clock()
    client = (request.client.host if request.client else "unknown")[:100]
    window = timedelta(minutes=state.settings.sign_in_window_minutes)
    result = accounts.sign_in(
        db, username.strip(), password, client, now, state.settings.sign_in_limit, window
    )
    if result.user is None:
        accounts.audit(
            db, username.strip(), Action.SIGN_IN_REFUSED, Channel.PAGE, now, detail=client
        )
        db.commit()
        status = 429 if result.refusal is Refusal.LIMITED else 401
        message = (result.refusal or Refusal.WRONG).value
        return _form(
            request,
            state,
            {"next": target, "errors": {"password": message}, "username": username},
            status,
        )
    opened = accounts.open_session(db, result.user, now, state.settings.session_hours)
    accounts.audit(db, result.user.username, Action.SIGN_IN, Channel.PAGE, now, detail=client)
    db.commit()
    response = RedirectResponse(target, 303)
    response.set_cookie(
        SESSION_COOKIE,
        opened.token,
        max_age=state.settings.session_hours * 3600,
        httponly=True,
        secure=_secure(request, state),
        samesite="lax",
    )
    response.delete_cookie(FORM_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out")
def sign_out(
    state: StateDep,
    db: WriterDep,
    signed_in: PageUserDep,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(csrf_token, signed_in.csrf_token)
    accounts.close_session(db, signed_in.token)
    now = state.settings.clock()
    accounts.audit(db, signed_in.user.username, Action.SIGN_OUT, Channel.PAGE, now)
    db.commit()
    response = RedirectResponse("/sign-in?signed_out=1", 303)
    response.delete_cookie(SESSION_COOKIE)
    return response
