"""The contract's vocabulary (CONTRACT.md section 2): the words a case is written in."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

_Word = TypeVar("_Word", bound=StrEnum)


def by_word(vocabulary: type[_Word]) -> dict[str, _Word]:
    """Each member of a vocabulary by its word: a dictionary lookup is far quicker than calling
    the enum (``Status(word)``), for code that turns many stored or read words into members."""
    return {member.value: member for member in vocabulary}


class EventType(StrEnum):
    COMMUNITY_ORDER = "COMMUNITY_ORDER"
    SUSPENDED_SENTENCE_ORDER = "SUSPENDED_SENTENCE_ORDER"
    LICENCE = "LICENCE"


class RequirementType(StrEnum):
    RAR = "RAR"
    UPW = "UPW"
    DRR = "DRR"
    ATR = "ATR"
    MHTR = "MHTR"
    ACCREDITED_PROGRAMME = "ACCREDITED_PROGRAMME"
    CURFEW = "CURFEW"
    EM = "EM"
    EXCLUSION = "EXCLUSION"
    PROHIBITED_ACTIVITY = "PROHIBITED_ACTIVITY"
    RESIDENCE = "RESIDENCE"
    ALCOHOL_ABSTINENCE = "ALCOHOL_ABSTINENCE"
    OTHER = "OTHER"


class LicenceConditionType(StrEnum):
    REPORTING = "REPORTING"
    DRUG_TESTING = "DRUG_TESTING"
    CURFEW = "CURFEW"
    EM = "EM"
    EXCLUSION_ZONE = "EXCLUSION_ZONE"
    NON_CONTACT = "NON_CONTACT"
    RESIDENCE = "RESIDENCE"
    ACCREDITED_PROGRAMME = "ACCREDITED_PROGRAMME"
    OTHER = "OTHER"


class RegistrationType(StrEnum):
    MAPPA = "MAPPA"
    ROSH = "ROSH"
    NSD = "NSD"
    CHILD_PROTECTION = "CHILD_PROTECTION"
    CHILD_CONCERNS = "CHILD_CONCERNS"
    CHILD_IN_NEED = "CHILD_IN_NEED"
    ISC = "ISC"
    NO_FIXED_ABODE = "NO_FIXED_ABODE"
    RISK_TO_SELF = "RISK_TO_SELF"
    CONTACT_SUSPENDED = "CONTACT_SUSPENDED"
    DOMESTIC_ABUSE = "DOMESTIC_ABUSE"
    IOM = "IOM"
    SEXUAL_OFFENCE_NOTIFICATION = "SEXUAL_OFFENCE_NOTIFICATION"
    ROSH_TO_CHILDREN_HIGH = "ROSH_TO_CHILDREN_HIGH"
    OTHER = "OTHER"


class RoshLevel(StrEnum):
    """Risk of serious harm, in rising order."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"


class ContactType(StrEnum):
    APPOINTMENT = "APPOINTMENT"
    INDUCTION = "INDUCTION"
    HOME_VISIT = "HOME_VISIT"
    CHECK_IN = "CHECK_IN"
    RMP_REVIEW = "RMP_REVIEW"
    LICENCE_CONDITIONS_REVIEW = "LICENCE_CONDITIONS_REVIEW"
    EM_CURFEW_REVIEW = "EM_CURFEW_REVIEW"
    SAFETY_PLAN = "SAFETY_PLAN"
    SUSPENSION_LETTER = "SUSPENSION_LETTER"
    OTHER = "OTHER"


class ContactMode(StrEnum):
    FACE_TO_FACE = "FACE_TO_FACE"
    VIDEO = "VIDEO"
    TELEPHONE = "TELEPHONE"
    OTHER = "OTHER"


class ContactOutcome(StrEnum):
    ATTENDED = "ATTENDED"
    FAILED_TO_ATTEND = "FAILED_TO_ATTEND"
    ACCEPTABLE_ABSENCE = "ACCEPTABLE_ABSENCE"


class Phase(StrEnum):
    """Where an event stands on a day (CONTRACT.md section 3, "Event phase on D")."""

    NOT_STARTED = "NOT_STARTED"
    ENDED = "ENDED"
    NO_RESET = "NO_RESET"
    NO_FINAL_THIRD = "NO_FINAL_THIRD"
    BEFORE_FINAL_THIRD = "BEFORE_FINAL_THIRD"
    FINAL_THIRD = "FINAL_THIRD"
    PSS = "PSS"


class Status(StrEnum):
    """A person's Reset status on a day (CONTRACT.md section 3, "Person status on D")."""

    ENDED = "ENDED"
    ACTIVE = "ACTIVE"
    EXEMPT = "EXEMPT"
    SUSPENDED = "SUSPENDED"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class ObligationStatus(StrEnum):
    NOT_YET_DUE = "NOT_YET_DUE"
    DUE = "DUE"
    MET = "MET"
    MISSED = "MISSED"


#: Phases in which Reset suspends contact (unless an exemption applies).
RESET_PHASES = frozenset({Phase.FINAL_THIRD, Phase.PSS})

#: Contact types that are held when attended or accepted as absent (the checklist reviews).
REVIEW_CONTACT_TYPES = frozenset(
    {
        ContactType.RMP_REVIEW,
        ContactType.LICENCE_CONDITIONS_REVIEW,
        ContactType.EM_CURFEW_REVIEW,
        ContactType.SAFETY_PLAN,
    }
)

#: Contact types that can be a face-to-face contact.
FACE_TO_FACE_CONTACT_TYPES = frozenset(
    {ContactType.APPOINTMENT, ContactType.INDUCTION, ContactType.HOME_VISIT, ContactType.CHECK_IN}
)

#: Each vocabulary's members by word (`by_word`), made once for the code that turns many
#: stored or read words into members: the canonical reader, the columnar case builder, the
#: store's reads of events and statuses, the RoSH in force.
EVENT_TYPE_BY_WORD = by_word(EventType)
REQUIREMENT_TYPE_BY_WORD = by_word(RequirementType)
LICENCE_CONDITION_TYPE_BY_WORD = by_word(LicenceConditionType)
REGISTRATION_TYPE_BY_WORD = by_word(RegistrationType)
ROSH_LEVEL_BY_WORD = by_word(RoshLevel)
CONTACT_TYPE_BY_WORD = by_word(ContactType)
CONTACT_MODE_BY_WORD = by_word(ContactMode)
CONTACT_OUTCOME_BY_WORD = by_word(ContactOutcome)
STATUS_BY_WORD = by_word(Status)
