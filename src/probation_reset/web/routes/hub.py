"""The regional hub's queue: the items waiting on a day (risk, then age), filtered; a form to
record information received on a case; an item's page with its triages and the triage form.

Only hub staff (their region), a head of service and an admin use it. Each read and each change
is audited; a change and its audit entry are one transaction (``concurrency.write``), so a
refused reinstatement writes nothing but the audit of the refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from probation_reset.hub.queue import QueueEntry, QueueFilter
from probation_reset.hub.reinstatement import ReinstatementRefusedError
from probation_reset.hub.requests import HubError, ItemNotFoundError
from probation_reset.hub.service import HubService
from probation_reset.hub.vocabulary import Enforcement, ItemKind, Outcome, Source
from probation_reset.store import concurrency
from probation_reset.web import accounts, auditing
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.deps import DbDep, HubDep, PageDayDep, PageHubUserDep, SignedIn, StateDep
from probation_reset.web.errors import PageError, judged_on
from probation_reset.web.hub_view import (
    REGISTRATION_CHOICES,
    FormReading,
    field_id,
    item_href,
    queue_rows,
    queue_table,
    read_decision,
    read_information,
    triage_table,
)
from probation_reset.web.pages import csv_response, render
from probation_reset.web.routes.caseload import choices_in_scope
from probation_reset.web.routes.sign_in import check_csrf
from probation_reset.web.state import WebState

router = APIRouter(include_in_schema=False)
RefPath = Annotated[str, Path(max_length=200, pattern=r"^[^\x00]+$")]
T = TypeVar("T")


def queue_filter(
    kind: Annotated[list[ItemKind] | None, Query()] = None,
    source: Annotated[list[Source] | None, Query()] = None,
    team: Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")] = None,
    waiting: Annotated[str | None, Query(pattern=r"^\s*\d{0,4}\s*$")] = None,
    triaged: Annotated[str | None, Query(pattern="^(include)?$")] = None,
) -> QueueFilter:
    """The queue's filters, as the page, its CSV and the API take them."""
    return QueueFilter(
        kinds=tuple(kind or ()),
        sources=tuple(source or ()),
        team=team or None,
        include_triaged=triaged == "include",
        min_waiting_days=int(waiting) if waiting and waiting.strip() else 0,
    )


FilterDep = Annotated[QueueFilter, Depends(queue_filter)]


def in_write(state: WebState, what: str, work: Callable[[Session], T]) -> T:
    """``work`` in one committed write transaction; a busy store is a page error."""
    try:
        return concurrency.write(state.writer, work, what)
    except concurrency.StoreBusyError as error:
        raise PageError(503, "The service is busy", str(error)) from None


def read_queue(
    state: WebState, db: Session, hub: HubService, signed_in: SignedIn, day: date, keep: QueueFilter
) -> list[QueueEntry]:
    """The queue in the user's region, answered from the store: the digests are first brought
    up to date with the cases (``docs/hub.md``)."""
    state.digests.sync()
    with judged_on(day):
        return hub.queue(db, day, keep, signed_in.scope.hub_region)


def _queue_context(
    state: WebState,
    db: Session,
    hub: HubService,
    signed_in: SignedIn,
    day: date,
    keep: QueueFilter,
) -> dict[str, Any]:
    entries = read_queue(state, db, hub, signed_in, day, keep)
    return {
        "entries": entries,
        "rows": queue_rows(entries, day),
        "keep": keep,
        "kinds": list(ItemKind),
        "sources": list(Source),
        "teams": choices_in_scope(state, db, signed_in.scope).teams,
        "scope_title": signed_in.scope.description,
        "item_href": item_href,
    }


@router.get("/hub")
def hub_page(
    request: Request,
    state: StateDep,
    db: DbDep,
    hub: HubDep,
    signed_in: PageHubUserDep,
    day: PageDayDep,
    keep: FilterDep,
    crn: Annotated[str | None, Query(max_length=64, description="Fills the form's CRN.")] = None,
) -> Response:
    context = _queue_context(state, db, hub, signed_in, day, keep)
    auditing.record(
        state,
        signed_in.user.username,
        Action.READ_HUB_QUEUE,
        Channel.PAGE,
        detail=request.url.query,
    )
    context["form"] = {"received_on": day.isoformat(), "crn": (crn or "").strip().upper()}
    return render(request, state, "hub.html", context, signed_in=signed_in, day=day)


@router.get("/hub.csv")
def hub_csv(
    request: Request,
    state: StateDep,
    db: DbDep,
    hub: HubDep,
    signed_in: PageHubUserDep,
    day: PageDayDep,
    keep: FilterDep,
) -> Response:
    entries = read_queue(state, db, hub, signed_in, day, keep)
    auditing.record(
        state,
        signed_in.user.username,
        Action.DOWNLOAD_CSV,
        Channel.CSV,
        detail=f"hub queue {request.url.query}",
    )
    return csv_response(queue_table(entries), f"hub-queue-{day.isoformat()}.csv")


@router.post("/hub/information")
async def record_information(
    request: Request,
    state: StateDep,
    db: DbDep,
    hub: HubDep,
    signed_in: PageHubUserDep,
    day: PageDayDep,
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    check_csrf(form.get("csrf_token", ""), signed_in.csrf_token)
    info, reading = read_information(form, signed_in.user.username)
    region = signed_in.scope.hub_region
    if info is not None:
        try:

            def work(session: Session) -> int:
                row = hub.record(session, info, region)
                detail = f"item {row.id}: information from {info.source.value}"
                accounts.audit(
                    session,
                    signed_in.user.username,
                    Action.HUB_RECORD,
                    Channel.PAGE,
                    state.settings.clock(),
                    info.crn,
                    detail,
                )
                return row.id

            item_id = in_write(state, "recording information", work)
            return RedirectResponse(item_href(str(item_id), day) + "&recorded=1", 303)
        except HubError as error:
            reading.fail(error.field, _sentence(error))
    context = _queue_context(state, db, hub, signed_in, day, QueueFilter())
    context.update(form=reading.values, errors=reading.errors)
    return render(request, state, "hub.html", context, signed_in=signed_in, day=day, status=400)


def _sentence(error: HubError) -> str:
    if isinstance(error, ItemNotFoundError) and error.field == "crn":
        return f"There is no case {error.message.removeprefix('no case ')} in your caseload"
    text = error.message
    return f"{error.field.replace('_', ' ').capitalize()} {text}" if error.field else text


def _item(hub: HubService, db: Session, ref: str, day: date, signed_in: SignedIn) -> QueueEntry:
    try:
        with judged_on(day):
            return hub.show(db, ref, day, signed_in.scope.hub_region).entry
    except ItemNotFoundError:
        raise PageError(
            404, "Item not found", f"There is no hub item {ref} in your region on this day."
        ) from None
    except HubError as error:
        raise PageError(400, "That item cannot be used", error.message) from None


def _item_page(
    request: Request,
    state: StateDep,
    signed_in: SignedIn,
    day: date,
    entry: QueueEntry,
    reading: FormReading | None = None,
    refusal: str | None = None,
    status: int = 200,
) -> Response:
    latest = entry.triages[-1] if entry.triages else None
    errors = dict(reading.errors if reading else {})
    if refusal:
        errors.setdefault(field_id("registration"), refusal)
    context = {
        "entry": entry,
        "table": triage_table(entry),
        "outcomes": list(Outcome),
        "enforcements": list(Enforcement),
        "registrations": REGISTRATION_CHOICES,
        "form": reading.values if reading else {"practitioner": _manager_name(entry)},
        "errors": errors,
        "refusal": refusal,
        "latest": latest,
        "recorded": request.query_params.get("recorded") == "1",
        "triaged": request.query_params.get("triaged") == "1",
        "item_href": item_href,
    }
    return render(
        request, state, "hub_item.html", context, signed_in=signed_in, day=day, status=status
    )


def _manager_name(entry: QueueEntry) -> str:
    manager = entry.manager
    return (manager.staff_name or "") if manager else ""


@router.get("/hub/items/{ref}")
def item_page(
    request: Request,
    ref: RefPath,
    state: StateDep,
    db: DbDep,
    hub: HubDep,
    signed_in: PageHubUserDep,
    day: PageDayDep,
) -> Response:
    entry = _item(hub, db, ref, day, signed_in)
    auditing.record(
        state, signed_in.user.username, Action.READ_HUB_ITEM, Channel.PAGE, entry.crn, ref
    )
    return _item_page(request, state, signed_in, day, entry)


@router.get("/hub/items/{ref}/triages.csv")
def item_csv(
    ref: RefPath,
    state: StateDep,
    db: DbDep,
    hub: HubDep,
    signed_in: PageHubUserDep,
    day: PageDayDep,
) -> Response:
    entry = _item(hub, db, ref, day, signed_in)
    auditing.record(
        state, signed_in.user.username, Action.READ_HUB_ITEM, Channel.CSV, entry.crn, ref
    )
    name = "".join(c if c.isalnum() else "-" for c in entry.ref)
    return csv_response(triage_table(entry), f"hub-item-{name}-triages.csv")


@router.post("/hub/items/{ref}/triage")
async def triage_item(
    request: Request,
    ref: RefPath,
    state: StateDep,
    db: DbDep,
    hub: HubDep,
    signed_in: PageHubUserDep,
    day: PageDayDep,
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    check_csrf(form.get("csrf_token", ""), signed_in.csrf_token)
    entry = _item(hub, db, ref, day, signed_in)
    decision, reading = read_decision(form, signed_in.user.username, day)
    region = signed_in.scope.hub_region
    username = signed_in.user.username
    refusal = None
    if decision is not None:
        chosen = decision

        def work(session: Session) -> int:
            with judged_on(day):
                result = hub.triage(session, ref, chosen, day, region)
            detail = (
                f"item {result.item.id}: {chosen.outcome.value} by {chosen.practitioner}; "
                f"status {result.status.value}"
            )
            if chosen.registration is not None:
                detail += f"; registration {chosen.registration.describe()}"
            accounts.audit(
                session,
                username,
                Action.HUB_TRIAGE,
                Channel.PAGE,
                state.settings.clock(),
                entry.crn,
                detail,
            )
            return result.item.id

        try:
            item_id = in_write(state, "triaging the item", work)
            return RedirectResponse(item_href(str(item_id), day) + "&triaged=1", 303)
        except ReinstatementRefusedError as error:
            refusal = f"The rules refuse this reinstatement: {error}"
            auditing.record(
                state, username, Action.HUB_REFUSED, Channel.PAGE, entry.crn, f"{ref}: {refusal}"
            )
        except ItemNotFoundError:
            raise PageError(404, "Item not found", f"There is no hub item {ref}.") from None
        except HubError as error:
            reading.fail(error.field, _sentence(error))
    return _item_page(request, state, signed_in, day, entry, reading, refusal, status=400)
