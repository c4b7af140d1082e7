"""The JSON API, ``/api/v1``: cases, a case's evaluation on a day (the contract's CaseResult
with ``next_actions``), its obligations, the caseload with the page's filters, transitions
between days, and the rules. Every call needs a bearer token; every read of a case is audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Path, Query
from sqlalchemy import func, select

from probation_reset.domain.vocabulary import ObligationStatus
from probation_reset.evaluation.document import case_result_for_json_line, case_result_json
from probation_reset.rules.registry import all_rules
from probation_reset.store.history import TransitionKind
from probation_reset.store.models import CaseRecord, StatusTransitionRow
from probation_reset.web import api_models as out
from probation_reset.web import auditing
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.case_view import case_view
from probation_reset.web.deps import ApiDayDep, ApiUserDep, DbDep, StateDep, parse_day
from probation_reset.web.errors import ApiError
from probation_reset.web.json_response import JsonLineResponse
from probation_reset.web.routes.caseload import FiltersDep, answer
from probation_reset.web.scope import case_in_scope
from probation_reset.web.state import WebState

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": out.ErrorDocument, "description": text}
    for code, text in (
        (400, "A parameter cannot be used"),
        (401, "No API token, or an unknown one"),
        (404, "No such case in the caller's scope"),
        (422, "A parameter is not valid"),
    )
}
router = APIRouter(tags=["caseload"], responses=ERRORS)
CrnPath = Annotated[str, Path(max_length=64, description="The case reference number.")]
PageQuery = Annotated[int, Query(ge=1, le=1_000_000)]
PageSizeQuery = Annotated[int, Query(ge=1, le=500)]


class _Managed(Protocol):
    """A stored case or a caseload row: both carry the case's manager columns."""

    @property
    def region(self) -> str | None: ...
    @property
    def pdu(self) -> str | None: ...
    @property
    def team(self) -> str | None: ...
    @property
    def staff_code(self) -> str | None: ...
    @property
    def staff_name(self) -> str | None: ...


def _manager(record: _Managed) -> out.Manager:
    return out.Manager(
        region=record.region,
        pdu=record.pdu,
        team=record.team,
        staff_code=record.staff_code,
        staff_name=record.staff_name,
    )


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def case_found(db: Any, signed_in: Any, crn: str) -> CaseRecord:
    record = case_in_scope(db, signed_in.scope, crn)
    if record is None:
        raise ApiError(404, f"There is no case {crn!r} in your caseload")
    return record


def _audit(state: WebState, username: str, crn: str, detail: str) -> None:
    auditing.record(state, username, Action.READ_CASE, Channel.API, crn, detail)


@router.get("/me", response_model=out.Me, summary="Who the token belongs to")
def me(signed_in: ApiUserDep) -> out.Me:
    user = signed_in.user
    return out.Me(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        staff_code=user.staff_code,
        team=user.team,
        region=user.region,
    )


@router.get("/cases", response_model=out.CaseList, summary="The cases in the caller's scope")
def cases(
    db: DbDep, signed_in: ApiUserDep, page: PageQuery = 1, page_size: PageSizeQuery = 100
) -> out.CaseList:
    clause = signed_in.scope.clause
    total = db.scalar(select(func.count()).select_from(CaseRecord).where(clause)) or 0
    records = db.scalars(
        select(CaseRecord)
        .where(clause)
        .order_by(CaseRecord.crn)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return out.CaseList(
        page=page,
        page_size=page_size,
        total=total,
        cases=[
            out.CaseSummary(crn=r.crn, manager=_manager(r), updated_at=r.updated_at.isoformat())
            for r in records
        ],
    )


@router.get("/cases/{crn}", response_model=out.CaseDocument, summary="A case as stored")
def case(crn: CrnPath, state: StateDep, db: DbDep, signed_in: ApiUserDep) -> out.CaseDocument:
    record = case_found(db, signed_in, crn)
    document = dict(record.document)
    _audit(state, signed_in.user.username, crn, "case")
    return out.CaseDocument(crn=record.crn, manager=_manager(record), document=document)


@router.get(
    "/cases/{crn}/evaluation",
    response_model=out.Evaluation,
    response_model_by_alias=True,
    summary="A case's status, reasons, events, timeline, obligations and next actions on a day",
)
def evaluation(
    crn: CrnPath, state: StateDep, db: DbDep, signed_in: ApiUserDep, day: ApiDayDep
) -> JsonLineResponse:
    record = case_found(db, signed_in, crn)
    view = case_view(db, state.engine, record, day)
    _audit(state, signed_in.user.username, crn, f"evaluation on {day.isoformat()}")
    # As the engine writes it (optional fields absent, not null): the model only documents it.
    return JsonLineResponse(
        {
            "on": day.isoformat(),
            "policy_version": state.engine.parameters.version,
            **case_result_for_json_line(view.result),
        }
    )


@router.get(
    "/cases/{crn}/obligations",
    response_model=out.ObligationList,
    summary="A case's obligations on a day, optionally of some statuses",
)
def obligations(
    crn: CrnPath,
    state: StateDep,
    db: DbDep,
    signed_in: ApiUserDep,
    day: ApiDayDep,
    status: Annotated[list[ObligationStatus] | None, Query()] = None,
) -> JsonLineResponse:
    record = case_found(db, signed_in, crn)
    view = case_view(db, state.engine, record, day)
    _audit(state, signed_in.user.username, crn, f"obligations on {day.isoformat()}")
    wanted = {s.value for s in status or ()}
    listed = case_result_json(view.result)["obligations"]
    return JsonLineResponse(
        {
            "crn": crn,
            "on": day.isoformat(),
            "obligations": [o for o in listed if not wanted or o["status"] in wanted],
        }
    )


@router.get(
    "/caseload",
    response_model=out.Caseload,
    summary="The caseload on a day, with the caseload page's filters",
)
def caseload(
    state: StateDep,
    db: DbDep,
    signed_in: ApiUserDep,
    day: ApiDayDep,
    filters: FiltersDep,
    page_size: PageSizeQuery = 100,
) -> out.Caseload:
    query = replace(filters, day=day, page_size=page_size)
    page = answer(state, db, signed_in, query, everything=False)
    auditing.record(state, signed_in.user.username, Action.READ_CASELOAD, Channel.API)
    return out.Caseload(
        on=day.isoformat(),
        page=query.page,
        page_size=page_size,
        total=page.total,
        pages=page.pages,
        status_counts=page.counts,
        cases=[
            out.CaseloadRowOut(
                crn=r.crn,
                status=r.status,
                exemptions=list(r.exemptions),
                phases=list(r.phases),
                final_third_start=_day(r.final_third_start),
                manager=_manager(r),
                obligations_due=r.due,
                obligations_missed=r.missed,
            )
            for r in page.rows
        ],
    )


@router.get(
    "/transitions",
    response_model=out.TransitionList,
    response_model_by_alias=True,
    summary="Status changes between two days (inclusive) in the caller's scope",
)
def transitions(
    state: StateDep,
    db: DbDep,
    signed_in: ApiUserDep,
    first: Annotated[str, Query(alias="from", max_length=10, pattern=r"^\d{4}-\d{2}-\d{2}$")],
    last: Annotated[str, Query(alias="to", max_length=10, pattern=r"^\d{4}-\d{2}-\d{2}$")],
    kind: Annotated[list[TransitionKind] | None, Query()] = None,
) -> dict[str, Any]:
    try:
        start, end = parse_day(first, state), parse_day(last, state)
    except ValueError as error:
        raise ApiError(400, str(error)) from None
    if end < start:
        raise ApiError(400, "'to' is before 'from'")
    query = (
        select(StatusTransitionRow)
        .join(CaseRecord, CaseRecord.crn == StatusTransitionRow.crn)
        .where(
            signed_in.scope.clause,
            StatusTransitionRow.superseded_at.is_(None),
            StatusTransitionRow.day >= start,
            StatusTransitionRow.day <= end,
        )
    )
    if kind:
        query = query.where(StatusTransitionRow.kind.in_([k.value for k in kind]))
    rows = db.scalars(
        query.order_by(StatusTransitionRow.day, StatusTransitionRow.crn, StatusTransitionRow.id)
    )
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "transitions": [
            {
                "crn": r.crn,
                "day": r.day.isoformat(),
                "kind": r.kind,
                "from_status": r.from_status,
                "to_status": r.to_status,
                "exemptions": r.exemptions,
                "reasons": r.reasons,
                "policy_version": r.policy_version,
            }
            for r in rows
        ],
    }


@router.get("/rules", response_model=out.RuleList, summary="Every rule and its policy passage")
def rules(state: StateDep, signed_in: ApiUserDep) -> out.RuleList:
    return out.RuleList(
        policy_version=state.engine.parameters.version,
        rules=[
            out.RuleOut(
                id=r.id,
                family=r.family.value,
                meaning=r.meaning,
                source=r.source,
                passage=state.passages[r.id].text if r.id in state.passages else None,
            )
            for r in all_rules()
        ],
    )
