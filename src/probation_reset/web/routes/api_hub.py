"""The hub's API, ``/api/v1/hub``: the queue on a day, recording information received, an
item with its triages, and triaging it. For hub staff (their region), a head of service and an
admin; each read and change is audited, a change with its audit entry in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session

from probation_reset.domain.vocabulary import RegistrationType
from probation_reset.hub.queue import QueueEntry
from probation_reset.hub.reinstatement import RegistrationFact, ReinstatementRefusedError
from probation_reset.hub.requests import Decision, HubError, InformationReceived, ItemNotFoundError
from probation_reset.store import concurrency
from probation_reset.web import accounts, auditing
from probation_reset.web import hub_api_models as out
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.api_models import ErrorDocument
from probation_reset.web.deps import ApiDayDep, ApiHubUserDep, DbDep, HubDep, StateDep
from probation_reset.web.errors import ApiError, judged_on
from probation_reset.web.routes.hub import FilterDep, read_queue
from probation_reset.web.state import WebState

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorDocument, "description": text}
    for code, text in (
        (400, "A value cannot be used (the message names the field)"),
        (401, "No API token, or an unknown one"),
        (403, "The caller does not use the hub's queue"),
        (404, "No such item or case in the caller's region"),
        (422, "A parameter is not valid"),
        (503, "The store is busy; try again"),
    )
}
REFUSED: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorDocument, "description": "The rules refuse the reinstatement (why)"}
}
router = APIRouter(tags=["hub"], responses=ERRORS)
RefPath = Annotated[
    str,
    Path(max_length=200, pattern=r"^[^\x00]+$", description="An item's number or reference."),
]
T = TypeVar("T")


def _api_error(error: HubError) -> ApiError:
    if isinstance(error, ItemNotFoundError):
        return ApiError(404, f"{error.field}: {error.message}")
    return ApiError(400, f"{error.field}: {error.message}")


def _write(state: WebState, what: str, work: Callable[[Session], T]) -> T:
    try:
        return concurrency.write(state.writer, work, what)
    except concurrency.StoreBusyError as error:
        raise ApiError(503, str(error)) from None
    except ReinstatementRefusedError as error:
        raise ApiError(409, str(error)) from None
    except HubError as error:
        raise _api_error(error) from None


def item_json(entry: QueueEntry) -> out.ItemOut:
    return out.ItemOut(
        ref=entry.ref,
        item_id=entry.item_id,
        crn=entry.crn,
        kind=entry.kind,
        source=entry.source,
        since=entry.since,
        waiting_days=entry.waiting_days,
        summary=entry.summary,
        action=entry.action,
        due_by=entry.due_by,
        overdue=entry.overdue,
        status=entry.status.value,
        risk_band=entry.risk.band,
        risk=entry.risk.describe(),
        team=entry.team,
        recorded_by=entry.recorded_by,
        triages=[
            out.TriageOut(
                triage_id=t.triage_id,
                outcome=t.outcome,
                practitioner=t.practitioner,
                triaged_by=t.triaged_by,
                triaged_on=t.triaged_on,
                triaged_at=t.triaged_at.isoformat(timespec="seconds"),
                enforcement=t.enforcement,
                shared_with=t.shared_with,
                registration=t.registration,
                case_import_id=t.case_import_id,
                note=t.note,
            )
            for t in entry.triages
        ],
    )


@router.get("/queue", response_model=out.Queue, summary="The hub's queue on a day")
def queue(
    state: StateDep,
    db: DbDep,
    hub: HubDep,
    signed_in: ApiHubUserDep,
    day: ApiDayDep,
    keep: FilterDep,
) -> out.Queue:
    entries = read_queue(state, db, hub, signed_in, day, keep)
    auditing.record(state, signed_in.user.username, Action.READ_HUB_QUEUE, Channel.API)
    region = signed_in.scope.hub_region
    return out.Queue(on=day, region=region, items=[item_json(e) for e in entries])


@router.post(
    "/items",
    response_model=out.Recorded,
    status_code=201,
    summary="Record information received on a case",
)
def record(
    body: out.InformationIn, state: StateDep, hub: HubDep, signed_in: ApiHubUserDep
) -> out.Recorded:
    username = signed_in.user.username
    info = InformationReceived(body.crn, body.source, body.received_on, body.summary, username)
    region = signed_in.scope.hub_region

    def work(session: Session) -> int:
        row = hub.record(session, info, region)
        accounts.audit(
            session,
            username,
            Action.HUB_RECORD,
            Channel.API,
            state.settings.clock(),
            info.crn,
            f"item {row.id}: information from {info.source.value}",
        )
        return row.id

    item_id = _write(state, "recording information", work)
    return out.Recorded(item_id=item_id, crn=body.crn, kind="INFORMATION_RECEIVED")


@router.get("/items/{ref}", response_model=out.ItemOut, summary="An item and its triages")
def item(
    ref: RefPath,
    state: StateDep,
    db: DbDep,
    hub: HubDep,
    signed_in: ApiHubUserDep,
    day: ApiDayDep,
) -> out.ItemOut:
    try:
        with judged_on(day):
            entry = hub.show(db, ref, day, signed_in.scope.hub_region).entry
    except HubError as error:
        raise _api_error(error) from None
    auditing.record(
        state, signed_in.user.username, Action.READ_HUB_ITEM, Channel.API, entry.crn, ref
    )
    return item_json(entry)


def _decision(body: out.DecisionIn, username: str) -> Decision:
    registration = None
    if body.registration is not None:
        given = body.registration
        registration = RegistrationFact(
            RegistrationType(given.type), given.start_date, given.level, given.category
        )
    return Decision(
        body.outcome,
        body.practitioner,
        username,
        registration,
        body.enforcement,
        body.shared_with,
        body.note,
    )


@router.post(
    "/items/{ref}/triage",
    response_model=out.Triaged,
    responses=REFUSED,
    summary="Triage an item on a day (a reinstatement records its registration on the case)",
)
def triage(
    ref: RefPath,
    body: out.DecisionIn,
    state: StateDep,
    hub: HubDep,
    signed_in: ApiHubUserDep,
    day: ApiDayDep,
) -> out.Triaged:
    username = signed_in.user.username
    decision = _decision(body, username)
    region = signed_in.scope.hub_region

    def work(session: Session) -> out.Triaged:
        with judged_on(day):
            result = hub.triage(session, ref, decision, day, region)
        accounts.audit(
            session,
            username,
            Action.HUB_TRIAGE,
            Channel.API,
            state.settings.clock(),
            result.item.crn,
            f"item {result.item.id}: {decision.outcome.value} by {decision.practitioner}; "
            f"status {result.status.value}",
        )
        return out.Triaged(
            item_id=result.item.id,
            triage_id=result.triage.id,
            outcome=decision.outcome,
            status=result.status.value,
            exemptions=list(result.exemptions),
            case_import_id=result.edit.import_id if result.edit else None,
        )

    try:
        return _write(state, "triaging the item", work)
    except ApiError as error:
        if error.status == 409:
            auditing.record(
                state, username, Action.HUB_REFUSED, Channel.API, None, f"{ref}: {error.message}"
            )
        raise
