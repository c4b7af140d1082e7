"""The what-if API's documents (published in the OpenAPI document): the change asked for, and
the case on the day as it is and with the change (``caseload.what_if.what_if_json``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt

from probation_reset.domain.vocabulary import RegistrationType
from probation_reset.intake.dates import EARLIEST, LATEST
from probation_reset.web.api_models import CaseResultOut


def _contract_day(day: date) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{day.isoformat()} is outside the years 1800 to 2399")
    return day


#: A date the contract can hold (years 1800 to 2399).
ContractDay = Annotated[date, AfterValidator(_contract_day)]
Level = StrictInt | Annotated[str, Field(max_length=20)]


class AddRegistrationIn(BaseModel):
    """Add a registration in force from ``start_date``, with no end (after the case's own)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["add"]
    type: RegistrationType
    start_date: ContractDay
    level: Level | None = Field(
        default=None,
        description="MAPPA: 1, 2 or 3 (optional). ROSH: LOW, MEDIUM, HIGH or VERY_HIGH "
        "(required). Other types: none.",
    )
    category: Annotated[StrictInt, Field(ge=1, le=4)] | None = Field(
        default=None, description="MAPPA only: the category, 1 to 4 (optional)."
    )


class EndRegistrationIn(BaseModel):
    """End every registration of ``type`` in force on ``on``: in force up to, not including,
    that day."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["end"]
    type: RegistrationType
    on: ContractDay


WhatIfIn = Annotated[AddRegistrationIn | EndRegistrationIn, Field(discriminator="action")]


class ChangeOut(BaseModel):
    """The change made: ``start_date``, ``level`` and ``category`` of an added registration, or
    the day ``on`` which registrations are ended."""

    action: Literal["add", "end"]
    type: str
    start_date: str | None = None
    level: int | str | None = None
    category: int | None = None
    on: str | None = None


class ObligationChangeOut(BaseModel):
    """An obligation owed on one side only, or judged differently."""

    rule: str
    event_id: str | None
    window_start: str
    due_by: str
    before: str | None = Field(description="Its status as the case is; null: not owed.")
    after: str | None = Field(description="Its status with the change; null: not owed.")


class WhatIfOut(BaseModel):
    on: str
    policy_version: str
    crn: str
    change: ChangeOut
    status_changed: bool = Field(description="The status or exemptions on the day differ.")
    reinstates: bool = Field(description="SUSPENDED as it is, EXEMPT with the change.")
    timeline_changed: bool
    obligations_changed: list[ObligationChangeOut]
    before: CaseResultOut = Field(description="The case as it is (the contract's CaseResult).")
    after: CaseResultOut = Field(description="The engine's evaluation of the case with the change.")
