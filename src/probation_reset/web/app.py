"""The application factory: ``create_app(settings)`` builds the FastAPI app on the store.

Pages (GOV.UK Frontend) at ``/``, the JSON API at ``/api/v1`` (OpenAPI at
``/api/v1/openapi.json``, browsable at ``/api/docs``), assets at ``/assets``. Every response
carries a Content-Security-Policy with a per-request nonce and the usual hardening headers.
"""

from __future__ import annotations

import gc
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from probation_reset.evaluation.engine import Engine
from probation_reset.policy.parameters import load_parameters
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.digest import DigestWatch
from probation_reset.web import accounts
from probation_reset.web.choices import ChoicesCache
from probation_reset.web.deps import SESSION_COOKIE, SignedIn
from probation_reset.web.errors import ApiError, DayNotCoveredError, NotSignedInError, PageError
from probation_reset.web.pages import render
from probation_reset.web.policy_passages import load_passages
from probation_reset.web.routes import (
    api,
    api_figures,
    api_hub,
    api_ndelius,
    api_what_if,
    audit,
    case,
    caseload,
    dashboard,
    hub,
    policy,
    reconciliation,
    sign_in,
    static,
    upcoming,
    what_if,
)
from probation_reset.web.scope import Scope
from probation_reset.web.settings import Settings
from probation_reset.web.state import WebState
from probation_reset.web.templating import environment

API_PREFIX = "/api/v1"


def _csp(nonce: str) -> str:
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _has_nul(request: Request) -> bool:
    """A NUL anywhere in the path or a query value (no database text can hold one)."""
    return "\x00" in request.url.path or any(
        "\x00" in key or "\x00" in value for key, value in request.query_params.multi_items()
    )


def _api_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def _viewer(request: Request, state: WebState) -> SignedIn | None:
    """Who is signed in, for the header of an error page (``None`` when nobody is)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with state.sessions() as session:
        found = accounts.session_user(session, token, state.settings.clock())
    if found is None:
        return None
    return SignedIn(found[0], Scope.of(found[0]), found[1], token)


def _install_handlers(app: FastAPI, state: WebState) -> None:
    @app.exception_handler(NotSignedInError)
    async def not_signed_in(request: Request, _error: NotSignedInError) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={target}" if target != "/" else "/sign-in", 303)

    @app.exception_handler(PageError)
    async def page_error(request: Request, error: PageError) -> Response:
        if _is_api(request):
            return _api_error(error.status, error.message)
        context = {"title": error.title, "message": error.message}
        return render(
            request,
            state,
            "error.html",
            context,
            signed_in=_viewer(request, state),
            status=error.status,
        )

    @app.exception_handler(DayNotCoveredError)
    async def day_not_covered(request: Request, error: DayNotCoveredError) -> Response:
        if _is_api(request):
            return _api_error(400, str(error))
        context = {"title": "That day cannot be used", "message": str(error)}
        viewer = _viewer(request, state)
        return render(request, state, "error.html", context, signed_in=viewer, status=400)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> Response:
        return _api_error(error.status, error.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in ('query', 'path', 'body'))}"
            f": {e.get('msg', 'not valid')}"
            for e in error.errors()
        )
        if _is_api(request):
            return _api_error(422, problems or "The request is not valid")
        context = {"title": "That request cannot be used", "message": problems}
        return render(request, state, "error.html", context, status=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = {404: "Page not found", 405: "That method is not allowed here"}.get(
            error.status_code, str(error.detail)
        )
        if _is_api(request):
            return _api_error(error.status_code, message)
        context = {"title": message, "message": "Check the address, or go back to the caseload."}
        return render(
            request,
            state,
            "error.html",
            context,
            signed_in=_viewer(request, state),
            status=error.status_code,
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    database = open_database(settings.database_url)
    engine = Engine(load_parameters(settings.policy))
    writer = session_factory(database)
    state = WebState(
        settings,
        database,
        session_factory(database, reading=True),
        writer,
        engine,
        DigestWatch(writer, engine),
        environment(),
        load_passages(),
        ChoicesCache(),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.digests.sync()
        # What start-up made (modules, templates, policy, the engine: some 200,000 objects)
        # lives as long as the service: kept out of the collector's full passes, which walked
        # them all whenever a request made many objects (a region's hub queue: a third of its
        # CPU). What requests make is collected as before.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            database.dispose()

    app = FastAPI(
        title="probation-reset",
        summary="Probation Reset status, obligations and caseloads for people on probation.",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        lifespan=lifespan,
    )
    app.state.web = state
    _install_handlers(app, state)

    @app.middleware("http")
    async def hardening(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        nonce = secrets.token_urlsafe(16)
        request.state.csp_nonce = nonce
        if _has_nul(request):
            message = "The address holds a NUL character, which no value here can contain"
            if _is_api(request):
                response: Response = _api_error(400, message)
            else:
                response = PlainTextResponse(message, status_code=400)
        else:
            response = await call_next(request)
        if not request.url.path.startswith("/api/docs"):
            response.headers["Content-Security-Policy"] = _csp(nonce)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.url.path.startswith("/assets/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    for router in (
        static.router,
        sign_in.router,
        caseload.router,
        case.router,
        what_if.router,
        hub.router,
        reconciliation.router,
        upcoming.router,
        dashboard.router,
        policy.router,
    ):
        app.include_router(router)
    app.include_router(audit.router)
    app.include_router(api.router, prefix=API_PREFIX)
    app.include_router(api_hub.router, prefix=f"{API_PREFIX}/hub")
    app.include_router(api_ndelius.router, prefix=API_PREFIX)
    app.include_router(api_what_if.router, prefix=API_PREFIX)
    app.include_router(api_figures.router, prefix=API_PREFIX)
    return app
