"""The regional dashboard: for a region, PDU or team the user may see whole, on a day and week
by week before it, people by status, "in Reset measures", reinstatements and re-suspensions,
the workload the Reset removed and (on request) obligations missed by team; each chart an SVG
with its data table beside it, each table as CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from probation_reset.figures.dashboard import dashboard
from probation_reset.figures.model import Figures, ScopeLevel
from probation_reset.figures.model import Scope as FigureScope
from probation_reset.store.digest import store_mark
from probation_reset.web import auditing
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.dashboard_view import shown_charts, summary_table, tables, team_table
from probation_reset.web.deps import DbDep, PageDayDep, PageUserDep, SignedIn, StateDep
from probation_reset.web.errors import PageError, judged_on
from probation_reset.web.pages import csv_response, render
from probation_reset.web.scope import figure_choices, figures_allowed
from probation_reset.web.state import WebState
from probation_reset.web.tables import pick

router = APIRouter(include_in_schema=False)
MAX_WEEKS = 260
ScopeQuery = Annotated[
    str | None, Query(max_length=300, description="all, or region:NAME, pdu:NAME, team:NAME")
]
WeeksQuery = Annotated[int, Query(ge=1, le=MAX_WEEKS)]
ObligationsQuery = Annotated[str | None, Query(pattern="^(include)?$")]


def scope_text(level: str, name: str | None) -> str:
    return level if name is None else f"{level}:{name}"


def picked_from(given: str | None) -> tuple[str, str | None] | None:
    """The page's ``scope`` (``all``, ``region:NAME``...) as (level, name); ``None``: not given."""
    if not given:
        return None
    level, _, name = given.partition(":")
    return level, name or None


def scope_choices(
    state: WebState, db: Session, signed_in: SignedIn
) -> list[tuple[str, str | None]]:
    """The figures the user may see, kept until the cases change (``web/choices.py``)."""
    scope = signed_in.scope
    mark = store_mark(db)
    return state.choices.get(("dashboard", scope), mark, lambda: figure_choices(db, scope))


def allowed_scope(
    state: WebState, db: Session, signed_in: SignedIn, picked: tuple[str, str | None] | None
) -> tuple[str, str | None]:
    """The figures' scope asked for, when the user may see it whole (else 404; a user who may
    see none, 403); when none is asked for, the first the user may see."""
    choices = scope_choices(state, db, signed_in)
    if not choices:
        raise PageError(
            403,
            "Not allowed",
            "The dashboard shows a whole region, PDU or team; your caseload is not one.",
        )
    if picked is None:
        return choices[0]
    if picked not in choices and not figures_allowed(db, signed_in.scope, *picked):
        raise PageError(
            404, "Figures not found", "There are no figures you may see for that scope."
        )
    return picked


def scope_figures(
    state: WebState,
    db: Session,
    picked: tuple[str, str | None],
    day: date,
    weeks: int,
    obligations: bool,
) -> Figures:
    level, name = picked
    scope = FigureScope(ScopeLevel(level), name)
    with judged_on(day):
        return dashboard(db, scope, day, weeks, state.engine if obligations else None)


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    scope: ScopeQuery = None,
    weeks: WeeksQuery = 52,
    obligations: ObligationsQuery = None,
) -> Response:
    picked = allowed_scope(state, db, signed_in, picked_from(scope))
    figures = scope_figures(state, db, picked, day, weeks, obligations == "include")
    auditing.record(
        state,
        signed_in.user.username,
        Action.READ_DASHBOARD,
        Channel.PAGE,
        detail=f"{scope_text(*picked)} weeks={weeks}",
    )
    current = {
        "on": day.isoformat(),
        "scope": scope_text(*picked),
        "weeks": weeks,
        "obligations": obligations or None,
    }
    context = {
        "figures": figures,
        "charts": shown_charts(figures),
        "summary": summary_table(figures),
        "teams": team_table(figures),
        "choices": [(scope_text(*c), c) for c in scope_choices(state, db, signed_in)],
        "picked": scope_text(*picked),
        "weeks": weeks,
        "obligations": obligations == "include",
        "current": current,
    }
    return render(request, state, "dashboard.html", context, signed_in=signed_in, day=day)


@router.get("/dashboard/{table}.csv")
def dashboard_csv(
    table: Annotated[str, Path(max_length=40)],
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    scope: ScopeQuery = None,
    weeks: WeeksQuery = 52,
    obligations: ObligationsQuery = None,
) -> Response:
    picked = allowed_scope(state, db, signed_in, picked_from(scope))
    figures = scope_figures(state, db, picked, day, weeks, obligations == "include")
    chosen = pick(tables(figures), table)
    if chosen is None:
        raise PageError(404, "Table not found", f"The dashboard has no table {table!r}.")
    auditing.record(
        state,
        signed_in.user.username,
        Action.DOWNLOAD_CSV,
        Channel.CSV,
        detail=f"dashboard {table} {scope_text(*picked)} weeks={weeks}",
    )
    name = "".join(c if c.isalnum() else "-" for c in scope_text(*picked))
    return csv_response(chosen, f"dashboard-{table}-{name}-{day.isoformat()}.csv")
