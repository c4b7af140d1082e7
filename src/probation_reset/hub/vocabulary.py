"""The hub's words: where information comes from, what kind of item waits, how it is triaged."""

from __future__ import annotations

from enum import StrEnum

from probation_reset.domain.vocabulary import RegistrationType


class Source(StrEnum):
    """Who the information came from (RESET, "Reactive case management")."""

    POLICE = "POLICE"
    MARAC = "MARAC"
    CHILDRENS_SOCIAL_CARE = "CHILDRENS_SOCIAL_CARE"
    ADULTS_SOCIAL_CARE = "ADULTS_SOCIAL_CARE"
    OTHER_AGENCY = "OTHER_AGENCY"
    THE_PERSON = "THE_PERSON"
    CHANGE_OF_CIRCUMSTANCES = "CHANGE_OF_CIRCUMSTANCES"


class ItemKind(StrEnum):
    """What waits in the queue: information received, or an item the engine raises itself."""

    INFORMATION_RECEIVED = "INFORMATION_RECEIVED"
    #: Contact is suspended and no ``SUSPENSION_LETTER`` contact is recorded for it.
    SUSPENSION_LETTER_DUE = "SUSPENSION_LETTER_DUE"
    #: Contact was reinstated recently (``SUSPENDED`` to ``EXEMPT``): someone must resume it.
    NEWLY_REINSTATED = "NEWLY_REINSTATED"
    #: ``RESET_NFA_CHECK_IN`` due (or missed) in the current suspension.
    NFA_CHECK_IN_DUE = "NFA_CHECK_IN_DUE"
    #: ``RESET_LICENCE_FINAL_THIRD_CONTACT`` due (or missed) in the current suspension.
    FINAL_THIRD_CONTACT_DUE = "FINAL_THIRD_CONTACT_DUE"
    #: A recorded ``PRC`` (``CONTACT_SUSPENDED``) while the person is not ``SUSPENDED``.
    PRC_DISAGREES = "PRC_DISAGREES"

    @property
    def raised_by_engine(self) -> bool:
        return self is not ItemKind.INFORMATION_RECEIVED


class Outcome(StrEnum):
    """How an item was triaged."""

    REINSTATE = "REINSTATE"
    ENFORCEMENT_CONSIDERED = "ENFORCEMENT_CONSIDERED"
    INFORMATION_SHARED = "INFORMATION_SHARED"
    NO_ACTION = "NO_ACTION"


class Enforcement(StrEnum):
    """What enforcement was considered (RESET: "enforcement remains an option")."""

    BREACH = "BREACH"
    RECALL = "RECALL"


#: The registrations that can reinstate contact, with the exemption each makes (RESET,
#: "Exemption Criteria"; FAQ: "Supervision can be reinstated"). A youth sentence exempts too,
#: but it is a fact of the sentence, not something information received can add.
REINSTATING_REGISTRATIONS: dict[RegistrationType, str] = {
    RegistrationType.MAPPA: "EXEMPT_MAPPA",
    RegistrationType.NSD: "EXEMPT_NSD",
    RegistrationType.ROSH: "EXEMPT_VERY_HIGH_ROSH",
    RegistrationType.CHILD_PROTECTION: "EXEMPT_CHILD_PROTECTION_PLAN",
    RegistrationType.ISC: "EXEMPT_ISC",
}
