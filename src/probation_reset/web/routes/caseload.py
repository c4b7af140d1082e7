"""The caseload page and its CSV: the cases in the user's scope on a day, filtered, sorted and
paged; a CRN search goes straight to the case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from probation_reset.domain.vocabulary import Phase, Status
from probation_reset.rules.exemptions import RULES as EXEMPTION_RULES
from probation_reset.store.digest import store_mark
from probation_reset.web import auditing
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.caseload import (
    CaseloadPage,
    CaseloadQuery,
    FilterChoices,
    ObligationFilter,
    SortKey,
    caseload,
    filter_choices,
)
from probation_reset.web.deps import DbDep, PageDayDep, PageUserDep, SignedIn, StateDep
from probation_reset.web.errors import PageError
from probation_reset.web.pages import csv_response, render
from probation_reset.web.scope import Scope, case_in_scope
from probation_reset.web.state import WebState
from probation_reset.web.tables import Table
from probation_reset.web.templating import words

router = APIRouter(include_in_schema=False)
EXEMPTIONS = tuple(rule.id for rule in EXEMPTION_RULES)
PHASES = tuple(p.value for p in Phase if p not in (Phase.NOT_STARTED, Phase.ENDED))
MAX_PAGE_SIZE = 500
#: More practitioners than this in scope: list only those of the teams chosen.
PRACTITIONERS_LISTED = 60
MAX_WEEKS = 520


def caseload_filters(
    status: Annotated[list[Status] | None, Query(description="Status on the day.")] = None,
    exemption: Annotated[
        list[str] | None, Query(description="An exemption applying on the day (rule id).")
    ] = None,
    phase: Annotated[list[str] | None, Query(description="An event in this phase.")] = None,
    team: Annotated[list[str] | None, Query(max_length=200)] = None,
    practitioner: Annotated[
        list[str] | None, Query(max_length=200, description="The manager's staff code.")
    ] = None,
    obligations: Annotated[
        list[ObligationFilter] | None, Query(description="Has obligations due, or missed.")
    ] = None,
    within_weeks: Annotated[
        str | None,
        Query(
            pattern=r"^\s*\d{0,3}\s*$",
            description="Entering the final third within N weeks (0 to 520; empty: any).",
        ),
    ] = None,
    crn: Annotated[str | None, Query(max_length=64)] = None,
    sort: SortKey = SortKey.CRN,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> CaseloadQuery:
    """The caseload filters, as both the page and the API take them."""
    weeks = int(within_weeks) if within_weeks and within_weeks.strip() else None
    if weeks is not None and weeks > MAX_WEEKS:
        raise PageError(400, "That filter cannot be used", f"Choose at most {MAX_WEEKS} weeks")
    unknown = [e for e in exemption or () if e not in EXEMPTIONS]
    unknown += [p for p in phase or () if p not in PHASES]
    if unknown:
        raise PageError(400, "That filter cannot be used", f"Unknown filter value {unknown[0]!r}")
    return CaseloadQuery(
        day=date.min,
        statuses=tuple(s.value for s in status or ()),
        exemptions=tuple(exemption or ()),
        phases=tuple(phase or ()),
        teams=tuple(team or ()),
        practitioners=tuple(practitioner or ()),
        obligations=tuple(obligations or ()),
        final_third_within_weeks=weeks,
        crn=crn.strip().upper() if crn and crn.strip() else None,
        sort=sort,
        descending=order == "desc",
        page=page,
    )


FiltersDep = Annotated[CaseloadQuery, Depends(caseload_filters)]


def answer(
    state: WebState, db: Session, signed_in: SignedIn, query: CaseloadQuery, everything: bool
) -> CaseloadPage:
    state.digests.sync()
    return caseload(db, signed_in.scope, query, everything=everything)


def choices_in_scope(state: WebState, db: Session, scope: Scope) -> FilterChoices:
    """The scope's teams and practitioners, kept until the cases change (``web/choices.py``)."""
    return state.choices.get(("caseload", scope), store_mark(db), lambda: filter_choices(db, scope))


def _words(code: str) -> str:
    return words(code)


def filter_groups(query: CaseloadQuery, choices: FilterChoices) -> list[dict[str, Any]]:
    """The filter's checkbox groups, with what is chosen ticked. A scope with more than
    ``PRACTITIONERS_LISTED`` practitioners (a region's hundreds) lists those of the teams chosen
    (and any practitioner chosen), and says so under the teams."""

    def group(
        name: str,
        legend: str,
        options: Sequence[tuple[str, str]],
        chosen: Sequence[str],
        hint: str | None = None,
    ) -> dict[str, Any]:
        items = [{"value": v, "text": t, "checked": v in chosen} for v, t in options]
        return {"name": name, "legend": legend, "items": items, "hint": hint}

    groups = [
        group("status", "Status", [(s.value, _words(s.value)) for s in Status], query.statuses),
        group(
            "obligations",
            "Obligations",
            [("due", "Due now"), ("missed", "Missed")],
            [o.value for o in query.obligations],
        ),
        group("exemption", "Exemption", [(e, _words(e)) for e in EXEMPTIONS], query.exemptions),
        group("phase", "Phase of an event", [(p, _words(p)) for p in PHASES], query.phases),
    ]
    practitioners = choices.practitioners
    hint = None
    if len(practitioners) > PRACTITIONERS_LISTED:
        listed = set(p[0] for p in choices.practitioners_of(query.teams))
        practitioners = tuple(
            p for p in practitioners if p[0] in listed or p[0] in query.practitioners
        )
        hint = (
            f"{len(choices.practitioners)} practitioners: choose teams and apply the filters "
            "to list theirs."
        )
    if len(choices.teams) > 1:
        groups.append(group("team", "Team", [(t, t) for t in choices.teams], query.teams, hint))
    if len(choices.practitioners) > 1 and practitioners:
        groups.append(group("practitioner", "Practitioner", practitioners, query.practitioners))
    return groups


def selected_filters(request: Request, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chosen filter values, each with the link that removes it."""
    chosen = []
    for group in groups:
        items = []
        for item in group["items"]:
            if item["checked"]:
                kept = [
                    (k, v)
                    for k, v in request.query_params.multi_items()
                    if (k, v) != (group["name"], item["value"]) and k != "page"
                ]
                items.append({"text": item["text"], "href": "?" + urlencode(kept)})
        if items:
            chosen.append({"legend": group["legend"], "items": items})
    weeks = request.query_params.get("within_weeks", "").strip()
    if weeks:
        kept = [
            (k, v)
            for k, v in request.query_params.multi_items()
            if k not in ("within_weeks", "page")
        ]
        chosen.append(
            {
                "legend": "Final third",
                "items": [{"text": f"Within {weeks} weeks", "href": "?" + urlencode(kept)}],
            }
        )
    return chosen


def caseload_table(page: CaseloadPage) -> Table:
    return Table(
        "caseload",
        f"Caseload on {page.query.day.isoformat()}",
        (
            "CRN",
            "status",
            "exemptions",
            "phases",
            "final third from",
            "practitioner",
            "staff code",
            "team",
            "PDU",
            "region",
            "obligations due",
            "obligations missed",
        ),
        tuple(
            (
                r.crn,
                r.status,
                ", ".join(r.exemptions),
                ", ".join(r.phases),
                r.final_third_start,
                r.staff_name,
                r.staff_code,
                r.team,
                r.pdu,
                r.region,
                r.due,
                r.missed,
            )
            for r in page.rows
        ),
    )


@router.get("/caseload")
def caseload_page(
    request: Request,
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    filters: FiltersDep,
) -> Response:
    query = replace(filters, day=day, page_size=state.settings.page_size)
    if query.crn and case_in_scope(db, signed_in.scope, query.crn) is not None:
        return RedirectResponse(f"/cases/{query.crn}?on={day.isoformat()}", 303)
    page = answer(state, db, signed_in, query, everything=False)
    auditing.record(
        state,
        signed_in.user.username,
        Action.READ_CASELOAD,
        Channel.PAGE,
        detail=str(request.url.query),
    )
    groups = filter_groups(query, choices_in_scope(state, db, signed_in.scope))
    context = {
        "page": page,
        "filter_groups": groups,
        "selected": selected_filters(request, groups),
        "statuses": [s.value for s in Status],
        "scope_title": signed_in.scope.description,
    }
    return render(request, state, "caseload.html", context, signed_in=signed_in, day=day)


@router.get("/caseload.csv")
def caseload_csv(
    request: Request,
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    filters: FiltersDep,
) -> Response:
    query = replace(filters, day=day, page=1, page_size=MAX_PAGE_SIZE)
    page = answer(state, db, signed_in, query, everything=True)
    auditing.record(
        state,
        signed_in.user.username,
        Action.DOWNLOAD_CSV,
        Channel.CSV,
        detail=f"caseload {request.url.query}",
    )
    return csv_response(caseload_table(page), f"caseload-{day.isoformat()}.csv")
