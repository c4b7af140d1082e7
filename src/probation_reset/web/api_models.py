"""The API's documents (published in the OpenAPI document). Field names follow the contract's
output (CONTRACT.md section 4) wherever the contract has them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    status: int
    message: str


class ErrorDocument(BaseModel):
    error: ErrorBody


class Manager(BaseModel):
    region: str | None
    pdu: str | None
    team: str | None
    staff_code: str | None
    staff_name: str | None


class CaseSummary(BaseModel):
    crn: str
    manager: Manager
    updated_at: str


class CaseList(BaseModel):
    page: int
    page_size: int
    total: int
    cases: list[CaseSummary]


class CaseDocument(BaseModel):
    crn: str
    manager: Manager
    document: dict[str, Any] = Field(description="The case as stored (the contract's input).")


class Reason(BaseModel):
    """The contract's reason, then the facts behind its text (``registration``, ``since``...)."""

    rule: str
    text: str
    source: str
    event_id: str | None = None

    model_config = {"extra": "allow"}


class EventOut(BaseModel):
    event_id: str
    phase: str
    final_third_start: str | None
    continuing: list[str]


class TimelineSpan(BaseModel):
    from_: str = Field(alias="from")
    to: str | None
    status: str
    exemptions: list[str]

    model_config = {"populate_by_name": True}


class ObligationOut(BaseModel):
    rule: str
    event_id: str | None
    window_start: str
    due_by: str
    status: str
    met_by: str | None
    contact_id: str | None = Field(None, description="NS_RECORD_1WD: the contact to record.")


class NextActionOut(BaseModel):
    """What to do next (the engine's ``next_actions``): in plain words, by when, which rule."""

    action: str
    rule: str
    source: str
    due_by: str | None
    window_start: str | None
    status: str | None
    event_id: str | None
    contact_id: str | None = None


class CaseResultOut(BaseModel):
    """The contract's CaseResult of one case on a day, with ``next_actions``."""

    crn: str
    status: str
    exemptions: list[str]
    reasons: list[Reason]
    events: list[EventOut]
    timeline: list[TimelineSpan]
    obligations: list[ObligationOut]
    next_actions: list[NextActionOut]


class Evaluation(CaseResultOut):
    on: str
    policy_version: str


class ObligationList(BaseModel):
    crn: str
    on: str
    obligations: list[ObligationOut]


class CaseloadRowOut(BaseModel):
    crn: str
    status: str
    exemptions: list[str]
    phases: list[str]
    final_third_start: str | None
    manager: Manager
    obligations_due: int
    obligations_missed: int


class Caseload(BaseModel):
    on: str
    page: int
    page_size: int
    total: int
    pages: int
    status_counts: dict[str, int]
    cases: list[CaseloadRowOut]


class Transition(BaseModel):
    crn: str
    day: str
    kind: str
    from_status: str | None
    to_status: str
    exemptions: list[str]
    reasons: list[Reason]
    policy_version: str


class TransitionList(BaseModel):
    from_: str = Field(alias="from")
    to: str
    transitions: list[Transition]

    model_config = {"populate_by_name": True}


class RuleOut(BaseModel):
    id: str
    family: str
    meaning: str
    source: str
    passage: str | None


class RuleList(BaseModel):
    policy_version: str
    rules: list[RuleOut]


class Me(BaseModel):
    username: str
    display_name: str
    role: str
    staff_code: str | None
    team: str | None
    region: str | None
