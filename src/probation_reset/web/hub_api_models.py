"""The hub's and the NDelius checks' API documents (published in the OpenAPI document)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from probation_reset.hub.vocabulary import Enforcement, ItemKind, Outcome, Source

ReinstatingType = Literal["MAPPA", "ROSH", "CHILD_PROTECTION", "NSD", "ISC"]


class InformationIn(BaseModel):
    """Information received on a case."""

    crn: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00]+$")
    source: Source
    received_on: date
    summary: str = Field(max_length=20_000)


class RegistrationIn(BaseModel):
    """The registration that now exempts the person (REINSTATE only)."""

    type: ReinstatingType
    start_date: date
    level: int | str | None = Field(
        default=None, description="MAPPA level 1 to 3; for ROSH, VERY_HIGH."
    )
    category: int | None = Field(default=None, ge=1, le=4, description="MAPPA category.")


class DecisionIn(BaseModel):
    """A triage: the outcome, the named practitioner, and what the outcome needs."""

    outcome: Outcome
    practitioner: str = Field(max_length=200)
    registration: RegistrationIn | None = None
    enforcement: Enforcement | None = None
    shared_with: str | None = Field(default=None, max_length=500)
    note: str | None = Field(default=None, max_length=20_000)


class TriageOut(BaseModel):
    triage_id: int
    outcome: Outcome
    practitioner: str
    triaged_by: str
    triaged_on: date
    triaged_at: str
    enforcement: Enforcement | None
    shared_with: str | None
    registration: dict[str, object] | None
    case_import_id: int | None
    note: str | None


class ItemOut(BaseModel):
    """An item in the queue on a day."""

    ref: str = Field(description="The item's number, or the reference of an item the rules raise.")
    item_id: int | None
    crn: str
    kind: ItemKind
    source: Source | None
    since: date
    waiting_days: int
    summary: str
    action: str | None
    due_by: date | None
    overdue: bool
    status: str
    risk_band: int
    risk: str
    team: str | None
    recorded_by: str | None
    triages: list[TriageOut]


class Queue(BaseModel):
    on: date
    region: str | None = Field(description="The caller's region (null: every region).")
    items: list[ItemOut]


class Recorded(BaseModel):
    item_id: int
    crn: str
    kind: ItemKind


class Triaged(BaseModel):
    item_id: int
    triage_id: int
    outcome: Outcome
    status: str = Field(description="The person's status on the day, after the triage.")
    exemptions: list[str]
    case_import_id: int | None


class FindingOut(BaseModel):
    crn: str
    kind: str
    status: str
    event_id: str | None
    days_apart: int | None
    detail: str
    action: str
    team: str


class ReconciliationOut(BaseModel):
    on: date
    people: int
    #: Paging of ``findings``; ``counts_by_team`` counts every finding.
    page: int
    page_size: int
    total: int
    pages: int
    findings: list[FindingOut]
    counts_by_team: dict[str, dict[str, int]]


class OpenItemOut(BaseModel):
    rule: str
    due_by: date
    status: str


class UpcomingOut(BaseModel):
    crn: str
    practitioner: str
    event_id: str
    entering: str
    starts: date
    status_then: str
    exemptions_then: list[str]
    open_items: list[OpenItemOut]


class UpcomingList(BaseModel):
    on: date
    weeks: int
    page: int
    page_size: int
    total: int
    pages: int
    upcoming: list[UpcomingOut]
