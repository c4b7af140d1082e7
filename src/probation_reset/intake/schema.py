"""The shape of one input case (CONTRACT.md section 2) as pydantic models, validated strictly.

Field-by-field checks live here; checks across fields and records (an end before its start, a
misplaced date, a duplicate id, a contact naming no event) are in ``checks``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)

from probation_reset.domain.vocabulary import (
    ContactMode,
    ContactOutcome,
    ContactType,
    EventType,
    LicenceConditionType,
    RegistrationType,
    RequirementType,
)
from probation_reset.intake.dates import parse_contact_moment, parse_date

ContractDate = Annotated[date, BeforeValidator(parse_date)]
Identifier = Annotated[StrictStr, Field(min_length=1)]


def _check_contact_moment(value: str) -> str:
    parse_contact_moment(value)
    return value


ContactMoment = Annotated[StrictStr, AfterValidator(_check_contact_moment)]


def _none_as_empty(value: Any) -> Any:
    return [] if value is None else value


def _none_as_false(value: Any) -> Any:
    return False if value is None else value


class _Record(BaseModel):
    # Unknown fields are accepted and ignored: exports often carry more than the contract needs.
    model_config = ConfigDict(extra="ignore", frozen=True)


class RequirementIn(_Record):
    type: RequirementType
    start_date: ContractDate | None = None
    end_date: ContractDate | None = None
    days: Annotated[StrictInt, Field(ge=0)] | None = None
    hours: Annotated[StrictInt, Field(ge=0)] | None = None


class LicenceConditionIn(_Record):
    type: LicenceConditionType
    start_date: ContractDate | None = None
    end_date: ContractDate | None = None


class KeyDatesIn(_Record):
    probation_reset_date: ContractDate | None = None


class EventIn(_Record):
    event_id: Identifier
    type: EventType
    start_date: ContractDate
    end_date: ContractDate | None = None
    pss_end_date: ContractDate | None = None
    youth: Annotated[StrictBool, BeforeValidator(_none_as_false)] = False
    terminated_on: ContractDate | None = None
    requirements: Annotated[list[RequirementIn], BeforeValidator(_none_as_empty)] = []
    licence_conditions: Annotated[list[LicenceConditionIn], BeforeValidator(_none_as_empty)] = []
    key_dates: KeyDatesIn | None = None


class RegistrationIn(_Record):
    type: RegistrationType
    start_date: ContractDate
    deregistered_on: ContractDate | None = None
    level: Any = None
    category: Any = None


class ContactIn(_Record):
    contact_id: Identifier
    event_id: Identifier | None = None
    date: ContactMoment
    type: ContactType
    mode: ContactMode | None = None
    outcome: ContactOutcome | None = None
    recorded_on: ContractDate | None = None


#: A manager's names and codes: NDelius descriptions are short; the store holds up to 200.
ManagerName = Annotated[StrictStr, Field(max_length=200)]


class ManagerIn(_Record):
    region: ManagerName | None = None
    pdu: ManagerName | None = None
    team: ManagerName | None = None
    staff_code: ManagerName | None = None
    staff_name: ManagerName | None = None


class CaseIn(_Record):
    crn: Identifier
    manager: ManagerIn | None = None
    date_of_birth: ContractDate | None = None
    events: list[EventIn]
    registrations: Annotated[list[RegistrationIn], BeforeValidator(_none_as_empty)] = []
    contacts: Annotated[list[ContactIn], BeforeValidator(_none_as_empty)] = []
