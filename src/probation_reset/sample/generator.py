"""Deterministic synthetic caseload for the Probation Service of England and Wales.

`generate_caseload(people, seed, as_of)` yields case dicts in the input format of the
evaluation contract (CONTRACT.md section 2), JSON-ready: every date is a ``YYYY-MM-DD``
string, some contact dates are ``YYYY-MM-DDTHH:MM`` date-times. Everything random comes
from one ``random.Random(seed)``; nothing reads the clock: ``as_of`` is the day the
caseload is a snapshot of (contacts after it are booked, with no outcome). The same
arguments always give the same cases, in the same order.

The distributions (named constants below, each with its reason) are:

* Sentences: 45% licence, 40% community order, 15% suspended sentence order. Orders
  run 6 to 36 months (12, 18 and 24 months most often). Licences run 3 months to 4 years:
  15% are short licences (3 to 11 months, custodial sentences under two years) followed by
  post-sentence supervision ending 12 months after release (the conditional release
  date, SMF 30.3), 2% are life or IPP licences with no end date, the rest run 12 months to
  4 years. 2% are youth sentences, 5% end early (``terminated_on``: revoked, recalled,
  died), 10% of licences and RAR orders carry an NDelius ``PR1`` key date
  (``key_dates.probation_reset_date``) close to the computed final-third start, and 4% of
  people have a second, overlapping event.
* Requirements (orders): RAR in 70% (10 to 60 days), unpaid work in 45% (40 to 300 hours),
  12% of orders are unpaid work only; DRR, ATR, MHTR, curfew (often with electronic
  monitoring), accredited programme, exclusion, prohibited activity, residence, alcohol
  abstinence and other at the rates in `ORDER_REQUIREMENT_SHARES`. Licence conditions:
  reporting in 97% of licences, then residence, non-contact, drug testing, curfew, EM,
  exclusion zone, accredited programme and other (`LICENCE_CONDITION_SHARES`).
* Registrations: a RoSH level for 97% of people (LOW 30%, MEDIUM 45%, HIGH 20%,
  VERY_HIGH 5%; 12% change level once, one step up or down), MAPPA 8% (categories 1 to 4,
  levels 1 to 3; 15% of level 1 registrations later rise to level 2), child protection
  4%, child concerns 6%, child in need 3%, NSD 0.5%, ISC 1%, no fixed abode 5%, risk to self
  6%, domestic abuse 15%, IOM 6%. 20% of the flags other than RoSH are deregistered later,
  and 12% of them start during the final third of the sentence (so contact is reinstated).
* Event start dates: 3% of people start within the next four weeks (not started yet);
  the others start uniformly between (span + 90 days) and 0 days before ``as_of``, where
  span is the sentence's supervised length, so that on ``as_of`` there are people before
  their final third, in it, in PSS, and ended within the last three months. Life licences
  started up to 15 years before ``as_of``.
* Contacts (about 40 a person up to ``as_of``): an induction on the first working day,
  weekly appointments for 16 weeks, then every 7 days (high or very high RoSH), 10 days
  (medium) or 14 days (low or unknown), two days either way and never at a weekend; life
  licences settle to four-weekly after two years; 75% face to face, 15% telephone, 8% video;
  home visits every three months for MAPPA, child protection and high RoSH cases and
  within 15 working days of a MAPPA level rise; an RMP review after induction and before
  the final third, a licence conditions review after the halfway point, an EM/curfew
  review and a safety plan where they apply. In a final third or PSS period under Reset
  (from 2024-04-01) contact stops unless an exempting flag is in force (MAPPA, NSD,
  VERY_HIGH RoSH, child protection, ISC, youth), except for one appointment on a licence
  and check-ins for people of no fixed abode; 20% of practitioners carry on as before.
  Contacts are booked up to four weeks ahead of ``as_of``. Outcomes: 85% attended, 9%
  failed to attend, 6% acceptable absence; recorded the same day (60%), the next weekday
  (25%), 2 to 10 days late (10%) or not at all (5%); 25% of dates carry a time of day.

`write_jsonl(cases, path)` writes one case a line. The bundled sample
(``caseload.jsonl`` beside this module) is `bundled_caseload()`: the hand-crafted
showcase people of `showcase_cases(SAMPLE_AS_OF)` first, then
``generate_caseload(SAMPLE_PEOPLE, SAMPLE_SEED, SAMPLE_AS_OF)``.
"""

from __future__ import annotations

import calendar
import json
import os
import random
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from itertools import accumulate
from operator import itemgetter
from typing import Final, Generic, TypeVar

# --- The bundled sample -------------------------------------------------------------------

# Seed, size and reference date of the bundled sample caseload (caseload.jsonl).
SAMPLE_SEED: Final = 2024
SAMPLE_PEOPLE: Final = 240
SAMPLE_AS_OF: Final = date(2025, 11, 3)
# File name of the bundled sample, package data of probation_reset.sample.
SAMPLE_FILE_NAME: Final = "caseload.jsonl"

# --- Sentences ----------------------------------------------------------------------------

# Share of each sentence type among events (licence 45%, community order 40%, SSO 15%).
SENTENCE_TYPE_WEIGHTS: Final[Mapping[str, int]] = {
    "LICENCE": 45,
    "COMMUNITY_ORDER": 40,
    "SUSPENDED_SENTENCE_ORDER": 15,
}
# Length in months of community and suspended sentence orders: 6 to 36, mostly 12 to 24.
ORDER_LENGTH_MONTHS_WEIGHTS: Final[Mapping[int, int]] = {
    6: 10,
    9: 6,
    12: 30,
    18: 22,
    24: 20,
    30: 4,
    36: 8,
}
# Share of licences that are life or IPP licences: no end date, never a final third.
LIFE_LICENCE_SHARE: Final = 0.02
# Share of licences followed by post-sentence supervision (custodial sentences under 2 years).
PSS_LICENCE_SHARE: Final = 0.15
# Licence length in months before PSS (licence + PSS together make 12 months, SMF 30.2).
PSS_LICENCE_MONTHS: Final = (3, 11)
# Months from release to the end of PSS: the conditional release date + 12 months (SMF 30.3).
PSS_END_MONTHS_AFTER_RELEASE: Final = 12
# Length in months of the other licences (release to licence expiry), 12 months to 4 years.
LICENCE_LENGTH_MONTHS_WEIGHTS: Final[Mapping[int, int]] = {
    12: 20,
    15: 10,
    18: 18,
    24: 20,
    30: 10,
    36: 12,
    42: 5,
    48: 5,
}
# Years back a life or IPP licensee may have been released.
LIFE_LICENCE_MAX_YEARS_RELEASED: Final = 15
# Share of events that are youth sentences (transferred to probation at 18).
YOUTH_SENTENCE_SHARE: Final = 0.02
# Share of events ended early (revoked, recalled, died): `terminated_on` is set.
TERMINATED_SHARE: Final = 0.05
# Share of licences and RAR orders with an NDelius PR1 key date near the computed start.
PR1_KEY_DATE_SHARE: Final = 0.10
# Days a PR1 key date may differ from the computed final-third start, either way.
PR1_KEY_DATE_DRIFT_DAYS: Final = 14
# Share of people with a second, overlapping event (a new order while on licence, say).
SECOND_EVENT_SHARE: Final = 0.04
# Share of people whose (first) event starts after `as_of`, within NOT_STARTED_WITHIN_DAYS.
NOT_STARTED_SHARE: Final = 0.03
# Days ahead of `as_of` within which a not-yet-started event starts.
NOT_STARTED_WITHIN_DAYS: Final = 28
# Days after the end of supervision during which an ended case is still in the caseload.
ENDED_RECENTLY_DAYS: Final = 90
# Age at sentence of adults: triangular between these, most often the mode (years).
ADULT_AGE_YEARS: Final = (18.0, 70.0, 28.0)
# Share of people whose date of birth is recorded.
DATE_OF_BIRTH_SHARE: Final = 0.98

# --- Requirements and licence conditions ---------------------------------------------------

# Share of CO/SSO with a rehabilitation activity requirement (RAR).
RAR_SHARE: Final = 0.70
# RAR maximum days, inclusive range.
RAR_DAYS: Final = (10, 60)
# Share of orders that are a single unpaid work requirement (never a RAR).
UPW_ONLY_SHARE: Final = 0.12
# Unpaid work hours, inclusive range, in steps of ten.
UPW_HOURS: Final = (40, 300)
# Share of the other orders with each further requirement (independent draws).
ORDER_REQUIREMENT_SHARES: Final[Mapping[str, float]] = {
    "UPW": 0.40,
    "DRR": 0.08,
    "ATR": 0.07,
    "MHTR": 0.04,
    "ACCREDITED_PROGRAMME": 0.10,
    "CURFEW": 0.12,
    "EXCLUSION": 0.04,
    "PROHIBITED_ACTIVITY": 0.03,
    "RESIDENCE": 0.02,
    "ALCOHOL_ABSTINENCE": 0.04,
    "OTHER": 0.02,
}
# The one requirement of an order that drew no RAR and none of the above.
SOLE_REQUIREMENT_WEIGHTS: Final[Mapping[str, int]] = {
    "UPW": 50,
    "ACCREDITED_PROGRAMME": 15,
    "DRR": 10,
    "ATR": 10,
    "ALCOHOL_ABSTINENCE": 10,
    "MHTR": 5,
}
# Share of curfews (requirements and conditions) monitored electronically: an `EM` entry too.
EM_WITH_CURFEW_SHARE: Final = 0.70
# Months a curfew (and its EM) runs from the start of the event, inclusive range.
CURFEW_MONTHS: Final = (2, 12)
# Share of licences with each condition (independent draws; EM also follows CURFEW).
LICENCE_CONDITION_SHARES: Final[Mapping[str, float]] = {
    "REPORTING": 0.97,
    "RESIDENCE": 0.35,
    "NON_CONTACT": 0.25,
    "DRUG_TESTING": 0.20,
    "CURFEW": 0.15,
    "EM": 0.06,
    "EXCLUSION_ZONE": 0.15,
    "ACCREDITED_PROGRAMME": 0.05,
    "OTHER": 0.10,
}

# --- Registrations ------------------------------------------------------------------------

# Share of people with a RoSH level recorded (the rest: unknown).
ROSH_RECORDED_SHARE: Final = 0.97
# RoSH level weights: LOW 30%, MEDIUM 45%, HIGH 20%, VERY_HIGH 5%.
ROSH_LEVEL_WEIGHTS: Final[Mapping[str, int]] = {
    "LOW": 30,
    "MEDIUM": 45,
    "HIGH": 20,
    "VERY_HIGH": 5,
}
# Share of RoSH registrations replaced once by the next level up or down.
ROSH_CHANGE_SHARE: Final = 0.12
# Share of people managed under MAPPA.
MAPPA_SHARE: Final = 0.08
# MAPPA category weights (1 sexual, 2 violent, 3 other dangerous, 4 terrorist).
MAPPA_CATEGORY_WEIGHTS: Final[Mapping[int, int]] = {1: 50, 2: 40, 3: 8, 4: 2}
# MAPPA level weights (1 ordinary agency management, 2 and 3 multi-agency).
MAPPA_LEVEL_WEIGHTS: Final[Mapping[int, int]] = {1: 85, 2: 12, 3: 3}
# Share of MAPPA level 1 registrations later replaced by a level 2 one.
MAPPA_LEVEL_RISE_SHARE: Final = 0.15
# Share of people with each other flag (independent draws).
FLAG_SHARES: Final[Mapping[str, float]] = {
    "CHILD_PROTECTION": 0.04,
    "CHILD_CONCERNS": 0.06,
    "CHILD_IN_NEED": 0.03,
    "NSD": 0.005,
    "ISC": 0.01,
    "NO_FIXED_ABODE": 0.05,
    "RISK_TO_SELF": 0.06,
    "DOMESTIC_ABUSE": 0.15,
    "IOM": 0.06,
}
# Share of flags (not RoSH) deregistered before `as_of`.
DEREGISTERED_SHARE: Final = 0.20
# Share of flags (not RoSH, not ISC) first registered during the sentence's final third.
LATE_REGISTRATION_SHARE: Final = 0.12
# Days before the event start a registration may date from (pre-sentence or pre-release).
REGISTERED_BEFORE_START_DAYS: Final = 60
# Fewest days a registration stays before it is deregistered or replaced.
REGISTRATION_MIN_DAYS: Final = 28
# Registrations whose presence keeps contact going in a final third (the exemptions).
EXEMPTING_FLAGS: Final = frozenset({"MAPPA", "NSD", "CHILD_PROTECTION", "ISC"})

# --- Contacts -----------------------------------------------------------------------------

# Reset is in force from this day (policy/002): suspension begins only on or after it.
RESET_IN_FORCE_FROM: Final = date(2024, 4, 1)
# Weeks of weekly appointments after the induction, whatever the RoSH.
WEEKLY_START_WEEKS: Final = 16
# Days between appointments after the first weeks, by RoSH in force (None: unknown).
APPOINTMENT_INTERVAL_DAYS: Final[Mapping[str | None, int]] = {
    "VERY_HIGH": 7,
    "HIGH": 7,
    "MEDIUM": 10,
    "LOW": 14,
    None: 14,
}
# Life and IPP licences: after this many days, appointments every four weeks at least
# (unless weekly for high RoSH): long-settled licensees are seen less often.
LIFE_LICENCE_SETTLED_AFTER_DAYS: Final = 730
LIFE_LICENCE_SETTLED_INTERVAL_DAYS: Final = 28
# Days an appointment may move either way from its slot.
APPOINTMENT_JITTER_DAYS: Final = 2
# Share of appointments that are a check-in (online or kiosk) instead.
CHECK_IN_SHARE: Final = 0.05
# Mode weights of appointments and check-ins.
MODE_WEIGHTS: Final[Mapping[str, int]] = {
    "FACE_TO_FACE": 75,
    "TELEPHONE": 15,
    "VIDEO": 8,
    "OTHER": 2,
}
# Days between home visits for MAPPA, child protection and high or very high RoSH cases.
HOME_VISIT_INTERVAL_DAYS: Final = 91
# Days after a MAPPA level rise within which a home visit takes place.
HOME_VISIT_AFTER_MAPPA_RISE_DAYS: Final = (2, 18)
# Share of home visits recorded without a mode.
HOME_VISIT_NO_MODE_SHARE: Final = 0.30
# Share of events with an RMP review within the first weeks (days after start).
INITIAL_RMP_REVIEW_SHARE: Final = 0.70
INITIAL_RMP_REVIEW_DAYS: Final = (5, 20)
# Share of final-third events with each pre-final-third review in the 28 days before it.
PRE_FINAL_THIRD_REVIEW_SHARES: Final[Mapping[str, float]] = {
    "RMP_REVIEW": 0.80,
    "LICENCE_CONDITIONS_REVIEW": 0.75,
    "EM_CURFEW_REVIEW": 0.70,
    "SAFETY_PLAN": 0.70,
}
# Days before the final-third start within which those reviews happen.
PRE_FINAL_THIRD_REVIEW_DAYS: Final = 28
# Share of practitioners who keep the usual contact in a final third under Reset.
RESET_NOT_APPLIED_SHARE: Final = 0.20
# Share of suspended licences with their one final-third contact appointment.
FINAL_THIRD_APPOINTMENT_SHARE: Final = 0.85
# Days between check-ins of people of no fixed abode while suspended, inclusive range.
NFA_CHECK_IN_DAYS: Final = (14, 21)
# Days between appointments in PSS when contact goes on (practitioner's judgement, SMF 30).
PSS_INTERVAL_DAYS: Final = 35
# Days after `as_of` up to which appointments are already booked (no outcome yet).
BOOKED_AHEAD_DAYS: Final = 28
# Outcome weights of contacts on or before `as_of`.
OUTCOME_WEIGHTS: Final[Mapping[str, int]] = {
    "ATTENDED": 85,
    "FAILED_TO_ATTEND": 9,
    "ACCEPTABLE_ABSENCE": 6,
}
# Recording: same day 60%, next weekday 25%, 2-10 days late 10%, never recorded 5%.
RECORDED_SAME_DAY_SHARE: Final = 0.60
RECORDED_NEXT_WEEKDAY_SHARE: Final = 0.25
RECORDED_LATE_SHARE: Final = 0.10
RECORDED_LATE_DAYS: Final = (2, 10)
# Share of contacts without an event (recorded against the person).
CONTACT_WITHOUT_EVENT_SHARE: Final = 0.05
# Share of contact dates written as date-times, in office hours, on the quarter hour.
CONTACT_TIME_SHARE: Final = 0.25
OFFICE_HOURS: Final = (9, 16)

# CRNs are "X" and six digits, so at most this many people.
MAX_PEOPLE: Final = 1_000_000

_EXEMPT_ROSH: Final = "VERY_HIGH"
_HIGH_ROSH: Final = frozenset({"HIGH", "VERY_HIGH"})
_ROSH_LEVELS: Final = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")
_REVIEW_TYPES: Final = frozenset(
    {"RMP_REVIEW", "LICENCE_CONDITIONS_REVIEW", "EM_CURFEW_REVIEW", "SAFETY_PLAN"}
)
_RESET_FROM: Final = RESET_IN_FORCE_FROM.toordinal()
_OPEN_END: Final = date.max.toordinal()


_Key = TypeVar("_Key")


class _Table(Generic[_Key]):
    """A weight table to draw from with one `random()` (faster than `Random.choices`)."""

    __slots__ = ("shares", "values")

    def __init__(self, weights: Mapping[_Key, int]) -> None:
        total = sum(weights.values())
        self.values = list(weights)
        # Cumulative shares: `values[bisect_right(shares, u)]` for a uniform u in [0, 1).
        self.shares = [running / total for running in accumulate(weights.values())]

    def draw(self, rng: random.Random) -> _Key:
        return self.values[bisect_right(self.shares, rng.random())]


def _between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from `low` to `high` inclusive (one `random()`, unlike `randint`)."""
    return low + int(rng.random() * (high - low + 1))


_SENTENCE_TYPE_TABLE: Final = _Table(SENTENCE_TYPE_WEIGHTS)
_ORDER_MONTHS_TABLE: Final = _Table(ORDER_LENGTH_MONTHS_WEIGHTS)
_LICENCE_MONTHS_TABLE: Final = _Table(LICENCE_LENGTH_MONTHS_WEIGHTS)
_SOLE_REQUIREMENT_TABLE: Final = _Table(SOLE_REQUIREMENT_WEIGHTS)
_ROSH_TABLE: Final = _Table(ROSH_LEVEL_WEIGHTS)
_MAPPA_CATEGORY_TABLE: Final = _Table(MAPPA_CATEGORY_WEIGHTS)
_MAPPA_LEVEL_TABLE: Final = _Table(MAPPA_LEVEL_WEIGHTS)
_MODE_TABLE: Final = _Table(MODE_WEIGHTS)
_OUTCOME_TABLE: Final = _Table(OUTCOME_WEIGHTS)


# --- Dates as ordinals ----------------------------------------------------------------------


@cache
def _iso(ordinal: int) -> str:
    """The `YYYY-MM-DD` text of a proleptic Gregorian ordinal."""
    return date.fromordinal(ordinal).isoformat()


def _is_weekend(ordinal: int) -> bool:
    """Saturday or Sunday (ordinal 1, 0001-01-01, was a Monday)."""
    return (ordinal - 1) % 7 >= 5


def _weekday_on_or_after(ordinal: int) -> int:
    """The day itself, or the Monday after it when it falls on a weekend."""
    weekday = (ordinal - 1) % 7
    return ordinal + (7 - weekday) if weekday >= 5 else ordinal


def _next_weekday(ordinal: int) -> int:
    """The first Monday-to-Friday day after `ordinal` (bank holidays are not skipped)."""
    return _weekday_on_or_after(ordinal + 1)


def _add_months(ordinal: int, months: int) -> int:
    """The same day of the month `months` later (or earlier), cut to the month's last day."""
    day = date.fromordinal(ordinal)
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1])).toordinal()


def _final_third_start(start: int, end: int) -> int:
    """NDelius PR1 "suspension date if reset": start + floor(2 * D / 3) days (CONTRACT 3)."""
    return start + (2 * (end - start)) // 3


# Times of day a contact may carry: office hours on the quarter hour ("T09:00" to "T16:45").
_TIMES_OF_DAY: Final = tuple(
    f"T{hour:02d}:{minute:02d}"
    for hour in range(OFFICE_HOURS[0], OFFICE_HOURS[1] + 1)
    for minute in (0, 15, 30, 45)
)


@cache
def _contact_number(number: int) -> str:
    """The suffix of the `number`-th contact id of a case: "-0001"."""
    return f"-{number:04d}"


# --- Building one person --------------------------------------------------------------------


@dataclass(slots=True)
class _Sentence:
    """One event as planned: ordinals, and what its contacts depend on."""

    event_id: str
    kind: str
    start: int
    end: int | None
    pss_end: int | None = None
    terminated: int | None = None
    youth: bool = False
    rar: bool = False
    probation_reset_date: int | None = None
    curfew_until: int | None = None
    requirements: list[dict[str, object]] = field(default_factory=list)
    conditions: list[dict[str, object]] = field(default_factory=list)

    @property
    def last_active_day(self) -> int:
        """Last day the event is active (CONTRACT 3); `_OPEN_END` for life licences."""
        last = self.pss_end or self.end or _OPEN_END
        if self.terminated is not None:
            last = min(last, self.terminated - 1)
        return last

    @property
    def final_third(self) -> int | None:
        """Final-third start (PR1 key date if any), None with no end date."""
        if self.end is None:
            return None
        if self.probation_reset_date is not None:
            return self.probation_reset_date
        return _final_third_start(self.start, self.end)

    @property
    def reset_applies(self) -> bool:
        """Reset acts on licences and RAR orders with an end date (CONTRACT 3, FAQ)."""
        return self.end is not None and (self.kind == "LICENCE" or self.rar)

    def as_record(self) -> dict[str, object]:
        """The contract's Event object."""
        record: dict[str, object] = {
            "event_id": self.event_id,
            "type": self.kind,
            "start_date": _iso(self.start),
            "end_date": None if self.end is None else _iso(self.end),
        }
        if self.kind == "LICENCE":
            record["pss_end_date"] = None if self.pss_end is None else _iso(self.pss_end)
        record["youth"] = self.youth
        if self.terminated is not None:
            record["terminated_on"] = _iso(self.terminated)
        if self.kind == "LICENCE":
            record["licence_conditions"] = self.conditions
        else:
            record["requirements"] = self.requirements
        if self.probation_reset_date is not None:
            record["key_dates"] = {"probation_reset_date": _iso(self.probation_reset_date)}
        return record


@dataclass(slots=True)
class _Flag:
    """A registration as planned."""

    kind: str
    start: int
    deregistered: int | None = None
    level: str | int | None = None
    category: int | None = None

    def as_record(self) -> dict[str, object]:
        """The contract's Registration object."""
        record: dict[str, object] = {"type": self.kind, "start_date": _iso(self.start)}
        if self.deregistered is not None:
            record["deregistered_on"] = _iso(self.deregistered)
        if self.level is not None:
            record["level"] = self.level
        if self.category is not None:
            record["category"] = self.category
        return record


# A contact as planned (day, type, event_id, mode), before its id and outcome are drawn.
_PlannedContact = tuple[int, str, str | None, str | None]


class _PersonBuilder:
    """Draws one person on probation: events, registrations, then contacts."""

    def __init__(self, rng: random.Random, crn: str, as_of: int) -> None:
        self.rng = rng
        self.crn = crn
        self.as_of = as_of
        self.sentences: list[_Sentence] = []
        self.flags: list[_Flag] = []
        self.contacts: list[_PlannedContact] = []

    # Events

    def draw_sentence(self, event_id: str, start: int | None) -> _Sentence:
        """One event; placed around `as_of` unless `start` is given."""
        rng = self.rng
        kind = _SENTENCE_TYPE_TABLE.draw(rng)
        months: int | None
        pss = False
        if kind == "LICENCE":
            draw = rng.random()
            if draw < LIFE_LICENCE_SHARE:
                months = None
            elif draw < LIFE_LICENCE_SHARE + PSS_LICENCE_SHARE:
                months = _between(rng, *PSS_LICENCE_MONTHS)
                pss = True
            else:
                months = _LICENCE_MONTHS_TABLE.draw(rng)
        else:
            months = _ORDER_MONTHS_TABLE.draw(rng)
        if start is None:
            start = self._place_start(months, pss)
        end = None if months is None else _add_months(start, months) - 1
        sentence = _Sentence(event_id=event_id, kind=kind, start=start, end=end)
        if pss:
            sentence.pss_end = _add_months(start, PSS_END_MONTHS_AFTER_RELEASE)
        sentence.youth = rng.random() < YOUTH_SENTENCE_SHARE
        if kind == "LICENCE":
            self._draw_licence_conditions(sentence)
        else:
            self._draw_requirements(sentence)
        self._draw_key_date(sentence)
        self._draw_termination(sentence)
        return sentence

    def _place_start(self, months: int | None, pss: bool) -> int:
        """Start so that on `as_of` the event may be in any phase, or recently ended."""
        rng = self.rng
        if rng.random() < NOT_STARTED_SHARE:
            return self.as_of + _between(rng, 1, NOT_STARTED_WITHIN_DAYS)
        if months is None:
            return self.as_of - _between(rng, 0, 365 * LIFE_LICENCE_MAX_YEARS_RELEASED)
        span_months = PSS_END_MONTHS_AFTER_RELEASE if pss else months
        span = (span_months * 3653) // 120
        return self.as_of - _between(rng, 0, span + ENDED_RECENTLY_DAYS)

    def _draw_requirements(self, sentence: _Sentence) -> None:
        rng = self.rng
        requirements = sentence.requirements
        if rng.random() < UPW_ONLY_SHARE:
            requirements.append({"type": "UPW", "hours": 10 * _between(rng, 4, 30)})
            return
        if rng.random() < RAR_SHARE / (1 - UPW_ONLY_SHARE):
            sentence.rar = True
            requirements.append({"type": "RAR", "days": _between(rng, *RAR_DAYS)})
        for kind, share in ORDER_REQUIREMENT_SHARES.items():
            if rng.random() >= share:
                continue
            if kind == "UPW":
                low, high = UPW_HOURS
                requirements.append(
                    {"type": "UPW", "hours": 10 * _between(rng, low // 10, high // 10)}
                )
            elif kind == "CURFEW":
                requirements.extend(self._curfew(sentence))
            else:
                requirements.append({"type": kind})
        if not requirements:
            # An order has at least one requirement: punitive or treatment, not a RAR.
            kind = _SOLE_REQUIREMENT_TABLE.draw(rng)
            if kind == "UPW":
                requirements.append({"type": "UPW", "hours": 10 * _between(rng, 4, 30)})
            else:
                requirements.append({"type": kind})

    def _draw_licence_conditions(self, sentence: _Sentence) -> None:
        rng = self.rng
        conditions = sentence.conditions
        for kind, share in LICENCE_CONDITION_SHARES.items():
            if rng.random() >= share:
                continue
            if kind == "CURFEW":
                conditions.extend(self._curfew(sentence))
            elif kind == "EM":
                # Monitoring without a curfew (an exclusion zone or alcohol tag), undated.
                if not any(condition["type"] == "EM" for condition in conditions):
                    conditions.append({"type": "EM"})
                    sentence.curfew_until = _OPEN_END if sentence.end is None else sentence.end
            else:
                conditions.append({"type": kind})

    def _curfew(self, sentence: _Sentence) -> list[dict[str, object]]:
        """A dated curfew from the start, with an EM entry for the same days when tagged."""
        until = _add_months(sentence.start, _between(self.rng, *CURFEW_MONTHS)) - 1
        if sentence.end is not None:
            until = min(until, sentence.end)
        sentence.curfew_until = max(sentence.curfew_until or until, until)
        dates = {"start_date": _iso(sentence.start), "end_date": _iso(until)}
        entries: list[dict[str, object]] = [{"type": "CURFEW", **dates}]
        if self.rng.random() < EM_WITH_CURFEW_SHARE:
            entries.append({"type": "EM", **dates})
        return entries

    def _draw_key_date(self, sentence: _Sentence) -> None:
        if not sentence.reset_applies or sentence.end is None:
            return
        if self.rng.random() >= PR1_KEY_DATE_SHARE:
            return
        computed = _final_third_start(sentence.start, sentence.end)
        drift = _between(self.rng, -PR1_KEY_DATE_DRIFT_DAYS, PR1_KEY_DATE_DRIFT_DAYS)
        sentence.probation_reset_date = min(max(computed + drift, sentence.start), sentence.end)

    def _draw_termination(self, sentence: _Sentence) -> None:
        if self.rng.random() >= TERMINATED_SHARE:
            return
        latest = min(sentence.last_active_day, self.as_of)
        if latest - sentence.start < 14:
            return
        sentence.terminated = _between(self.rng, sentence.start + 14, latest)

    # Registrations

    def draw_registrations(self) -> None:
        """RoSH, MAPPA and the other flags, dated around the first event."""
        rng = self.rng
        first = self.sentences[0]
        if rng.random() < ROSH_RECORDED_SHARE:
            level = _ROSH_TABLE.draw(rng)
            start = self._registered_at(first, late=False)
            rosh = _Flag("ROSH", start, level=level)
            self.flags.append(rosh)
            change = self._later_day(start) if rng.random() < ROSH_CHANGE_SHARE else None
            if change is not None:
                index = _ROSH_LEVELS.index(level)
                step = 1 if index == 0 or (index < 3 and rng.random() < 0.5) else -1
                rosh.deregistered = change
                self.flags.append(_Flag("ROSH", change, level=_ROSH_LEVELS[index + step]))
        if rng.random() < MAPPA_SHARE:
            category = _MAPPA_CATEGORY_TABLE.draw(rng)
            level_number = _MAPPA_LEVEL_TABLE.draw(rng)
            start = self._registered_at(first, late=rng.random() < LATE_REGISTRATION_SHARE)
            mappa = _Flag("MAPPA", start, level=level_number, category=category)
            self.flags.append(mappa)
            rise = None
            if level_number == 1 and rng.random() < MAPPA_LEVEL_RISE_SHARE:
                rise = self._later_day(start)
            if rise is not None:
                mappa.deregistered = rise
                self.flags.append(_Flag("MAPPA", rise, level=2, category=category))
            elif rng.random() < DEREGISTERED_SHARE:
                mappa.deregistered = self._later_day(start)
        for kind, share in FLAG_SHARES.items():
            if rng.random() >= share:
                continue
            late = kind != "ISC" and rng.random() < LATE_REGISTRATION_SHARE
            flag = _Flag(kind, self._registered_at(first, late=late))
            if rng.random() < DEREGISTERED_SHARE:
                flag.deregistered = self._later_day(flag.start)
            self.flags.append(flag)

    def _registered_at(self, sentence: _Sentence, *, late: bool) -> int:
        """Around the start of the event, or within its final third when `late`."""
        rng = self.rng
        final_third = sentence.final_third
        if late and final_third is not None:
            last = min(sentence.end or final_third, self.as_of)
            if last >= final_third:
                return _between(rng, final_third, last)
        start = sentence.start - _between(rng, 0, REGISTERED_BEFORE_START_DAYS)
        return min(start, self.as_of)

    def _later_day(self, start: int) -> int | None:
        """A day after `start`, by `as_of`, when a registration may end or be replaced."""
        earliest = start + REGISTRATION_MIN_DAYS
        return _between(self.rng, earliest, self.as_of) if earliest <= self.as_of else None

    # Contacts

    def draw_contacts(self) -> None:
        """Contacts of every event, up to BOOKED_AHEAD_DAYS after `as_of`."""
        for sentence in self.sentences:
            self._draw_event_contacts(sentence)

    def _first_flag_day(self, kinds: frozenset[str]) -> int:
        days = [flag.start for flag in self.flags if flag.kind in kinds]
        return min(days, default=_OPEN_END)

    def _rosh_change_after(self, day: int) -> int:
        """The first day after `day` on which a RoSH registration starts or ends."""
        changes = [
            change
            for flag in self.flags
            if flag.kind == "ROSH"
            for change in (flag.start, flag.deregistered)
            if change is not None and change > day
        ]
        return min(changes, default=_OPEN_END)

    def _rosh_on(self, day: int) -> str | None:
        """RoSH in force on `day` (latest start among active ROSH registrations)."""
        level: str | None = None
        latest = -1
        for flag in self.flags:
            if flag.kind != "ROSH" or flag.start > day or flag.start < latest:
                continue
            if flag.deregistered is not None and day >= flag.deregistered:
                continue
            level, latest = str(flag.level), flag.start
        return level

    def _draw_event_contacts(self, sentence: _Sentence) -> None:
        rng = self.rng
        stop = min(sentence.last_active_day, self.as_of + BOOKED_AHEAD_DAYS)
        induction = _weekday_on_or_after(sentence.start)
        if induction > stop:
            return
        event_id = sentence.event_id
        self._add(induction, "INDUCTION", event_id, "FACE_TO_FACE")
        if rng.random() < INITIAL_RMP_REVIEW_SHARE:
            self._add_review(
                sentence.start + _between(rng, *INITIAL_RMP_REVIEW_DAYS),
                "RMP_REVIEW",
                sentence,
                stop,
            )

        # Where contact under Reset stops: the final third and PSS, unless exempt.
        final_third = sentence.final_third
        suspend_from = _OPEN_END
        if (
            sentence.reset_applies
            and final_third is not None
            and rng.random() >= RESET_NOT_APPLIED_SHARE
        ):
            suspend_from = max(final_third, _RESET_FROM)
        resume_from = max(suspend_from, self._exempt_from(sentence))
        supervision_end = stop if sentence.end is None else min(stop, sentence.end)
        self._supervise(sentence, induction, supervision_end, suspend_from, resume_from)
        if sentence.pss_end is not None and sentence.end is not None and sentence.end < stop:
            self._supervise(sentence, sentence.end + 1, stop, suspend_from, resume_from)
        if final_third is not None:
            self._pre_final_third_reviews(sentence, final_third, stop)
        self._home_visits(sentence, induction, stop)

    def _supervise(
        self, sentence: _Sentence, first: int, last: int, suspend_from: int, resume_from: int
    ) -> None:
        """Contacts from `first` to `last`: usual, then suspended, then reinstated."""
        in_pss = sentence.end is not None and first > sentence.end
        event_id = sentence.event_id
        usual_last = min(last, suspend_from - 1)
        if in_pss:
            self._pss_appointments(first, usual_last, event_id)
        else:
            self._appointments(sentence, first, usual_last, weekly_start=True)
        self._suspended_contacts(sentence, max(first, suspend_from), min(last, resume_from - 1))
        reinstated = _weekday_on_or_after(max(first, resume_from))
        if reinstated <= last and resume_from != _OPEN_END:
            self._add(reinstated, "APPOINTMENT", event_id, "FACE_TO_FACE")
            if in_pss:
                self._pss_appointments(reinstated, last, event_id)
            else:
                self._appointments(sentence, reinstated, last, weekly_start=False)

    def _exempt_from(self, sentence: _Sentence) -> int:
        """First day an exempting flag starts (a simplification: deregistration ignored)."""
        if sentence.youth:
            return sentence.start
        first = self._first_flag_day(EXEMPTING_FLAGS)
        for flag in self.flags:
            if flag.kind == "ROSH" and flag.level == _EXEMPT_ROSH:
                first = min(first, flag.start)
        return first

    def _appointments(
        self, sentence: _Sentence, first: int, last: int, *, weekly_start: bool
    ) -> None:
        """Appointments stepping after `first` to `last`: weekly at first, then by RoSH."""
        rng = self.rng
        event_id = sentence.event_id
        settled_from = _OPEN_END
        if sentence.end is None:
            settled_from = sentence.start + LIFE_LICENCE_SETTLED_AFTER_DAYS
        weekly_until = first + 7 * WEEKLY_START_WEEKS if weekly_start else first
        jitter_span = 2 * APPOINTMENT_JITTER_DAYS + 1
        draw = rng.random
        modes, mode_shares = _MODE_TABLE.values, _MODE_TABLE.shares
        planned = self.contacts
        day = first
        usual = APPOINTMENT_INTERVAL_DAYS[self._rosh_on(day)]
        rosh_changes = self._rosh_change_after(day)
        while True:
            if day >= rosh_changes:
                usual = APPOINTMENT_INTERVAL_DAYS[self._rosh_on(day)]
                rosh_changes = self._rosh_change_after(day)
            interval = 7 if day < weekly_until else usual
            if day >= settled_from and interval > 7:
                interval = max(interval, LIFE_LICENCE_SETTLED_INTERVAL_DAYS)
            day += interval + int(draw() * jitter_span) - APPOINTMENT_JITTER_DAYS
            weekday = (day - 1) % 7
            if weekday >= 5:
                day += 7 - weekday
            if day > last:
                return
            kind = "CHECK_IN" if draw() < CHECK_IN_SHARE else "APPOINTMENT"
            planned.append((day, kind, event_id, modes[bisect_right(mode_shares, draw())]))

    def _pss_appointments(self, first: int, last: int, event_id: str) -> None:
        rng = self.rng
        day = first
        while True:
            day = _weekday_on_or_after(day + PSS_INTERVAL_DAYS + _between(rng, -7, 7))
            if day > last:
                return
            self._add(day, "APPOINTMENT", event_id, self._mode())

    def _suspended_contacts(self, sentence: _Sentence, first: int, last: int) -> None:
        """While suspended: the licence's one appointment, and NFA check-ins."""
        rng = self.rng
        if last < first:
            return
        if (
            sentence.kind == "LICENCE"
            and sentence.end is not None
            and first <= sentence.end
            and rng.random() < FINAL_THIRD_APPOINTMENT_SHARE
        ):
            day = _weekday_on_or_after(_between(rng, first, min(last, sentence.end)))
            if day <= last:
                self._add(day, "APPOINTMENT", sentence.event_id, self._mode())
        nfa = [flag for flag in self.flags if flag.kind == "NO_FIXED_ABODE"]
        if not nfa:
            return
        day = max(first, min(flag.start for flag in nfa))
        while True:
            day = _weekday_on_or_after(day + _between(rng, *NFA_CHECK_IN_DAYS))
            if day > last:
                return
            self._add(day, "CHECK_IN", sentence.event_id, self._mode())

    def _pre_final_third_reviews(self, sentence: _Sentence, final_third: int, stop: int) -> None:
        rng = self.rng
        shares = PRE_FINAL_THIRD_REVIEW_SHARES
        before = final_third - 1

        def in_window() -> int:
            return final_third - _between(rng, 1, PRE_FINAL_THIRD_REVIEW_DAYS)

        if rng.random() < shares["RMP_REVIEW"]:
            self._add_review(in_window(), "RMP_REVIEW", sentence, stop)
        if sentence.kind == "LICENCE" and sentence.end is not None:
            halfway = sentence.start + (sentence.end - sentence.start) // 2
            if halfway <= before and rng.random() < shares["LICENCE_CONDITIONS_REVIEW"]:
                self._add_review(
                    _between(rng, halfway, before), "LICENCE_CONDITIONS_REVIEW", sentence, stop
                )
        monitored = sentence.curfew_until is not None and sentence.curfew_until >= before
        if monitored and rng.random() < shares["EM_CURFEW_REVIEW"]:
            self._add_review(in_window(), "EM_CURFEW_REVIEW", sentence, stop)
        at_risk = any(flag.kind == "RISK_TO_SELF" and flag.start <= before for flag in self.flags)
        if at_risk and rng.random() < shares["SAFETY_PLAN"]:
            self._add_review(in_window(), "SAFETY_PLAN", sentence, stop)

    def _home_visits(self, sentence: _Sentence, first: int, stop: int) -> None:
        rng = self.rng
        last = min(stop, sentence.end or stop)
        watched = any(
            flag.kind in {"MAPPA", "CHILD_PROTECTION"}
            or (flag.kind == "ROSH" and flag.level in _HIGH_ROSH)
            for flag in self.flags
        )
        if watched:
            day = first
            while True:
                day = _weekday_on_or_after(day + HOME_VISIT_INTERVAL_DAYS + _between(rng, -14, 14))
                if day > last:
                    break
                self._add(day, "HOME_VISIT", sentence.event_id, self._home_visit_mode())
        for flag in self.flags:
            if flag.kind == "MAPPA" and flag.level == 2 and flag.start > sentence.start:
                day = _weekday_on_or_after(
                    flag.start + _between(rng, *HOME_VISIT_AFTER_MAPPA_RISE_DAYS)
                )
                if day <= last:
                    self._add(day, "HOME_VISIT", sentence.event_id, self._home_visit_mode())

    def _add_review(self, day: int, kind: str, sentence: _Sentence, stop: int) -> None:
        day = _weekday_on_or_after(max(day, sentence.start))
        if day <= stop:
            self._add(day, kind, sentence.event_id, None)

    def _mode(self) -> str:
        return _MODE_TABLE.draw(self.rng)

    def _home_visit_mode(self) -> str | None:
        return None if self.rng.random() < HOME_VISIT_NO_MODE_SHARE else "FACE_TO_FACE"

    def _add(self, day: int, kind: str, event_id: str, mode: str | None) -> None:
        self.contacts.append((day, kind, event_id, mode))

    # The case

    def contact_records(self) -> list[dict[str, object]]:
        """Contacts in date order, with ids, times, outcomes and recording drawn.

        The hot loop of the generator: the draws are inlined (one `random()` each).
        """
        draw = self.rng.random
        as_of = self.as_of
        crn = self.crn
        outcomes, outcome_shares = _OUTCOME_TABLE.values, _OUTCOME_TABLE.shares
        late_low, late_high = RECORDED_LATE_DAYS
        late_span = late_high - late_low + 1
        next_weekday_before = RECORDED_SAME_DAY_SHARE + RECORDED_NEXT_WEEKDAY_SHARE
        late_before = next_weekday_before + RECORDED_LATE_SHARE
        records: list[dict[str, object]] = []
        self.contacts.sort(key=itemgetter(0))
        for number, (day, kind, event_id, mode) in enumerate(self.contacts, start=1):
            text = _iso(day)
            if draw() < CONTACT_TIME_SHARE:
                text += _TIMES_OF_DAY[int(draw() * len(_TIMES_OF_DAY))]
            contact_id = crn + _contact_number(number)
            record: dict[str, object]
            if draw() < CONTACT_WITHOUT_EVENT_SHARE:
                record = {"contact_id": contact_id, "date": text, "type": kind}
            else:
                record = {
                    "contact_id": contact_id,
                    "event_id": event_id,
                    "date": text,
                    "type": kind,
                }
            if mode is not None:
                record["mode"] = mode
            records.append(record)
            if day > as_of:
                record["outcome"] = None
                continue
            outcome = outcomes[bisect_right(outcome_shares, draw())]
            if outcome == "FAILED_TO_ATTEND" and kind in _REVIEW_TYPES:
                outcome = "ATTENDED"
            record["outcome"] = outcome
            when = draw()
            if when < RECORDED_SAME_DAY_SHARE:
                recorded = day
            elif when < next_weekday_before:
                recorded = _next_weekday(day)
            elif when < late_before:
                recorded = day + late_low + int(draw() * late_span)
            else:
                continue
            if recorded <= as_of:
                record["recorded_on"] = _iso(recorded)
        return records

    def date_of_birth(self) -> int | None:
        rng = self.rng
        if rng.random() >= DATE_OF_BIRTH_SHARE:
            return None
        start = self.sentences[0].start
        if self.sentences[0].youth:
            return _add_months(start, -12 * 18) - _between(rng, 0, 364)
        age = rng.triangular(*ADULT_AGE_YEARS)
        return start - int(age * 365.25)

    def case(self) -> dict[str, object]:
        """The contract's case object."""
        birth = self.date_of_birth()
        contacts = self.contact_records()
        case: dict[str, object] = {"crn": self.crn}
        if birth is not None:
            case["date_of_birth"] = _iso(birth)
        case["events"] = [sentence.as_record() for sentence in self.sentences]
        case["registrations"] = [flag.as_record() for flag in self.flags]
        case["contacts"] = contacts
        return case


def _synthetic_case(rng: random.Random, crn: str, as_of: int) -> dict[str, object]:
    person = _PersonBuilder(rng, crn, as_of)
    first = person.draw_sentence("1", None)
    person.sentences.append(first)
    if rng.random() < SECOND_EVENT_SHARE:
        latest = min(first.last_active_day, as_of + NOT_STARTED_WITHIN_DAYS)
        if latest >= first.start + 30:
            person.sentences.append(
                person.draw_sentence("2", _between(rng, first.start + 30, latest))
            )
    person.draw_registrations()
    person.draw_contacts()
    return person.case()


def generate_caseload(people: int, seed: int, as_of: date) -> Iterator[dict[str, object]]:
    """Yield `people` synthetic cases in the contract's input format, built around `as_of`.

    Deterministic: only `random.Random(seed)` is drawn from, so the same arguments give
    the same cases. CRNs are "X" and six digits, unique within the caseload.
    """
    if not 0 <= people <= MAX_PEOPLE:
        raise ValueError(f"people must be between 0 and {MAX_PEOPLE}, not {people}")
    rng = random.Random(seed)
    # Unique CRNs without storing them: a stride coprime to 10**6 walks every number once.
    base = rng.randrange(MAX_PEOPLE)
    stride = rng.randrange(100_001, MAX_PEOPLE, 2)
    if stride % 5 == 0:
        stride += 2
    day = as_of.toordinal()
    for index in range(people):
        crn = f"X{(base + index * stride) % MAX_PEOPLE:06d}"
        yield _synthetic_case(rng, crn, day)


def write_jsonl(cases: Iterable[Mapping[str, object]], path: str | os.PathLike[str]) -> int:
    """Write one case a line (UTF-8, "\\n" endings) to `path`; return how many were written."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        for case in cases:
            stream.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")))
            stream.write("\n")
            count += 1
    return count


# --- Hand-crafted showcase people ------------------------------------------------------------


def _text(day: date) -> str:
    return day.isoformat()


def _months_after(day: date, months: int) -> date:
    return date.fromordinal(_add_months(day.toordinal(), months))


def _on_weekday(day: date) -> date:
    return date.fromordinal(_weekday_on_or_after(day.toordinal()))


def _event(
    event_id: str,
    kind: str,
    start: date,
    end: date | None,
    *,
    entries: list[dict[str, object]],
    pss_end: date | None = None,
    youth: bool = False,
    terminated_on: date | None = None,
    probation_reset_date: date | None = None,
) -> dict[str, object]:
    """An Event of the contract; `entries` are requirements, or conditions of a licence."""
    record: dict[str, object] = {
        "event_id": event_id,
        "type": kind,
        "start_date": _text(start),
        "end_date": None if end is None else _text(end),
    }
    if kind == "LICENCE":
        record["pss_end_date"] = None if pss_end is None else _text(pss_end)
    record["youth"] = youth
    if terminated_on is not None:
        record["terminated_on"] = _text(terminated_on)
    record["licence_conditions" if kind == "LICENCE" else "requirements"] = entries
    if probation_reset_date is not None:
        record["key_dates"] = {"probation_reset_date": _text(probation_reset_date)}
    return record


def _registration(
    kind: str,
    start: date,
    *,
    deregistered_on: date | None = None,
    level: str | int | None = None,
    category: int | None = None,
) -> dict[str, object]:
    flag = _Flag(kind, start.toordinal(), level=level, category=category)
    if deregistered_on is not None:
        flag.deregistered = deregistered_on.toordinal()
    return flag.as_record()


class _ShowcaseDiary:
    """The contacts of one hand-crafted person: all held and recorded on the day."""

    def __init__(self, crn: str, as_of: date) -> None:
        self.crn = crn
        self.as_of = as_of
        self.planned: list[tuple[date, str, str | None, str]] = []

    def contact(
        self,
        day: date,
        kind: str = "APPOINTMENT",
        *,
        mode: str | None = "FACE_TO_FACE",
        event_id: str = "1",
    ) -> None:
        """One contact on `day` (the Monday after when it falls at a weekend)."""
        self.planned.append((_on_weekday(day), kind, mode, event_id))

    def every(
        self,
        first: date,
        last: date,
        days: int,
        kind: str = "APPOINTMENT",
        *,
        mode: str | None = "FACE_TO_FACE",
        event_id: str = "1",
    ) -> None:
        """Contacts every `days` days from `first` to `last` inclusive."""
        day = first
        while day <= last:
            self.contact(day, kind, mode=mode, event_id=event_id)
            day += timedelta(days=days)

    def records(self) -> list[dict[str, object]]:
        records: list[dict[str, object]] = []
        for number, (day, kind, mode, event_id) in enumerate(sorted(self.planned), start=1):
            record: dict[str, object] = {
                "contact_id": f"{self.crn}-{number:04d}",
                "event_id": event_id,
                "date": _text(day),
                "type": kind,
            }
            if mode is not None:
                record["mode"] = mode
            if day > self.as_of:
                record["outcome"] = None
            else:
                record["outcome"] = "ATTENDED"
                record["recorded_on"] = _text(day)
            records.append(record)
        return records


def _showcase_case(
    diary: _ShowcaseDiary,
    events: list[dict[str, object]],
    registrations: list[dict[str, object]],
    date_of_birth: date | None = None,
) -> dict[str, object]:
    case: dict[str, object] = {"crn": diary.crn}
    if date_of_birth is not None:
        case["date_of_birth"] = _text(date_of_birth)
    case["events"] = events
    case["registrations"] = registrations
    case["contacts"] = diary.records()
    return case


def _rosh(level: str, start: date) -> dict[str, object]:
    return _registration("ROSH", start, level=level)


def showcase_cases(as_of: date) -> list[dict[str, object]]:
    """Hand-crafted people covering every status, exemption and Reset situation on `as_of`.

    All dates are relative to `as_of` (which should be on or after 2025-04-01, a year into
    Reset, for the statuses named in the comments to hold). CRNs are S000001 upwards.
    """
    a = as_of
    days = timedelta
    cases: list[dict[str, object]] = []
    rar: list[dict[str, object]] = [{"type": "RAR", "days": 20}]
    reporting: list[dict[str, object]] = [{"type": "REPORTING"}, {"type": "RESIDENCE"}]

    # S000001 ACTIVE: RAR community order before its final third, medium RoSH.
    diary = _ShowcaseDiary("S000001", a)
    start = a - days(120)
    diary.contact(start, "INDUCTION")
    diary.contact(start + days(10), "RMP_REVIEW", mode=None)
    diary.every(start + days(7), start + days(112), 7)
    diary.every(start + days(126), a + days(21), 14)
    events = [
        _event(
            "1",
            "COMMUNITY_ORDER",
            start,
            _months_after(start, 18) - days(1),
            entries=[*rar, {"type": "UPW", "hours": 100}],
        )
    ]
    cases.append(_showcase_case(diary, events, [_rosh("MEDIUM", start)], date(1990, 5, 17)))

    # S000002 SUSPENDED: licence in its final third (from as_of - 28) with its one contact
    # appointment there, after the conditions review and the RMP review before it.
    diary = _ShowcaseDiary("S000002", a)
    start = a - days(270)
    final_third = start + days(242)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), start + days(112), 7)
    diary.every(start + days(126), final_third - days(1), 14)
    diary.contact(start + days(190), "LICENCE_CONDITIONS_REVIEW", mode=None)
    diary.contact(final_third - days(14), "RMP_REVIEW", mode=None)
    diary.contact(a - days(14), "APPOINTMENT")
    events = [
        _event(
            "1",
            "LICENCE",
            start,
            start + days(364),
            entries=[*reporting, {"type": "NON_CONTACT"}],
        )
    ]
    cases.append(_showcase_case(diary, events, [_rosh("MEDIUM", start)], date(1985, 2, 3)))

    # S000003 NOT_APPLICABLE: an unpaid-work-only community order (no RAR, no Reset).
    diary = _ShowcaseDiary("S000003", a)
    start = a - days(200)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(28), a, 28)
    events = [
        _event(
            "1",
            "COMMUNITY_ORDER",
            start,
            _months_after(start, 12) - days(1),
            entries=[{"type": "UPW", "hours": 150}],
        )
    ]
    cases.append(_showcase_case(diary, events, [_rosh("LOW", start)], date(1999, 11, 30)))

    # S000004 ENDED: a RAR order that ended 31 days before as_of.
    diary = _ShowcaseDiary("S000004", a)
    end = a - days(31)
    start = end - days(364)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), start + days(242), 14)
    events = [_event("1", "COMMUNITY_ORDER", start, end, entries=rar)]
    cases.append(_showcase_case(diary, events, [_rosh("LOW", start)], date(1978, 8, 8)))

    # S000005 EXEMPT, reinstated: RAR order suspended from its final third (as_of - 28),
    # then a MAPPA registration from as_of - 10 exempts it and contact starts again.
    diary = _ShowcaseDiary("S000005", a)
    start = a - days(270)
    final_third = start + days(242)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), final_third - days(1), 14)
    diary.contact(final_third - days(20), "RMP_REVIEW", mode=None)
    diary.every(a - days(10), a + days(21), 14)
    events = [_event("1", "COMMUNITY_ORDER", start, start + days(364), entries=rar)]
    registrations = [
        _rosh("MEDIUM", start),
        _registration("MAPPA", a - days(10), category=2, level=1),
    ]
    cases.append(_showcase_case(diary, events, registrations, date(1982, 4, 21)))

    # S000006 ACTIVE with EXEMPT_MAPPA: licence before its final third; MAPPA category 1
    # rose from level 1 to level 2 at as_of - 120, home visit ten days later.
    diary = _ShowcaseDiary("S000006", a)
    start = a - days(400)
    rise = a - days(120)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a + days(14), 14)
    diary.contact(rise + days(10), "HOME_VISIT")
    events = [_event("1", "LICENCE", start, start + days(729), entries=reporting)]
    registrations = [
        _rosh("MEDIUM", start - days(14)),
        _registration("MAPPA", start - days(14), deregistered_on=rise, category=1, level=1),
        _registration("MAPPA", rise, category=1, level=2),
    ]
    cases.append(_showcase_case(diary, events, registrations, date(1970, 1, 12)))

    # S000007 EXEMPT_NSD: licence in its final third (from as_of - 14), managed by NSD.
    diary = _ShowcaseDiary("S000007", a)
    start = a - days(500)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a + days(14), 14)
    events = [_event("1", "LICENCE", start, start + days(729), entries=reporting)]
    registrations = [_rosh("MEDIUM", start), _registration("NSD", start - days(30))]
    cases.append(_showcase_case(diary, events, registrations, date(1988, 6, 1)))

    # S000008 EXEMPT_VERY_HIGH_ROSH: licence in its final third (from as_of - 1); RoSH went
    # from HIGH to VERY_HIGH at as_of - 60, seen weekly since.
    diary = _ShowcaseDiary("S000008", a)
    start = a - days(600)
    raised = a - days(60)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), raised - days(1), 7)
    diary.every(raised, a + days(14), 7)
    diary.every(start + days(30), a, 91, "HOME_VISIT")
    events = [_event("1", "LICENCE", start, start + days(899), entries=reporting)]
    registrations = [
        _registration("ROSH", start - days(20), deregistered_on=raised, level="HIGH"),
        _rosh("VERY_HIGH", raised),
    ]
    cases.append(_showcase_case(diary, events, registrations, date(1975, 3, 9)))

    # S000009 ACTIVE, high RoSH: suspended sentence order with RAR, seen face to face weekly.
    diary = _ShowcaseDiary("S000009", a)
    start = a - days(150)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), a + days(14), 7)
    diary.every(start + days(30), a, 91, "HOME_VISIT")
    events = [
        _event(
            "1",
            "SUSPENDED_SENTENCE_ORDER",
            start,
            start + days(729),
            entries=[*rar, {"type": "ACCREDITED_PROGRAMME"}],
        )
    ]
    registrations = [_rosh("HIGH", start - days(10)), _registration("DOMESTIC_ABUSE", start)]
    cases.append(_showcase_case(diary, events, registrations, date(1993, 9, 25)))

    # S000010 EXEMPT_CHILD_PROTECTION_PLAN: SSO with RAR in its final third (from as_of - 58);
    # child concerns are recorded too (never an exemption).
    diary = _ShowcaseDiary("S000010", a)
    start = a - days(300)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a + days(14), 14)
    diary.every(start + days(45), a, 91, "HOME_VISIT")
    events = [_event("1", "SUSPENDED_SENTENCE_ORDER", start, start + days(364), entries=rar)]
    registrations = [
        _rosh("MEDIUM", start),
        _registration("CHILD_PROTECTION", start - days(30)),
        _registration("CHILD_CONCERNS", start - days(30)),
    ]
    cases.append(_showcase_case(diary, events, registrations, date(1991, 12, 2)))

    # S000011 EXEMPT_ISC: RAR and DRR order in its final third (from as_of - 88), ISC pilot.
    diary = _ShowcaseDiary("S000011", a)
    start = a - days(330)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a + days(14), 14)
    events = [
        _event(
            "1",
            "COMMUNITY_ORDER",
            start,
            start + days(364),
            entries=[*rar, {"type": "DRR"}],
        )
    ]
    registrations = [_rosh("LOW", start), _registration("ISC", start)]
    cases.append(_showcase_case(diary, events, registrations, date(1996, 7, 14)))

    # S000012 EXEMPT_YOUTH_SENTENCE: a youth RAR order in its final third (from as_of - 8).
    diary = _ShowcaseDiary("S000012", a)
    start = a - days(250)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a + days(14), 14)
    events = [_event("1", "COMMUNITY_ORDER", start, start + days(364), entries=rar, youth=True)]
    birth = _months_after(start, -12 * 18) - days(100)
    cases.append(_showcase_case(diary, events, [_rosh("LOW", start)], birth))

    # S000013 SUSPENDED in PSS: a six-month licence, then PSS to release + 12 months.
    diary = _ShowcaseDiary("S000013", a)
    start = a - days(270)
    end = _months_after(start, 6) - days(1)
    final_third = start + days((2 * (end - start).days) // 3)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), final_third - days(1), 7)
    diary.contact(start + days((end - start).days // 2 + 3), "LICENCE_CONDITIONS_REVIEW", mode=None)
    diary.contact(final_third - days(10), "RMP_REVIEW", mode=None)
    diary.contact(final_third + days(20), "APPOINTMENT")
    events = [
        _event(
            "1",
            "LICENCE",
            start,
            end,
            entries=reporting,
            pss_end=_months_after(start, PSS_END_MONTHS_AFTER_RELEASE),
        )
    ]
    cases.append(_showcase_case(diary, events, [_rosh("LOW", start)], date(2001, 10, 10)))

    # S000014 SUSPENDED, no fixed abode: RAR order in its final third (from as_of - 58);
    # NFA since as_of - 40, checking in every three weeks.
    diary = _ShowcaseDiary("S000014", a)
    start = a - days(300)
    final_third = start + days(242)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), final_third - days(1), 14)
    diary.contact(final_third - days(7), "RMP_REVIEW", mode=None)
    diary.every(a - days(38), a + days(14), 21, "CHECK_IN", mode="TELEPHONE")
    events = [_event("1", "COMMUNITY_ORDER", start, start + days(364), entries=rar)]
    registrations = [_rosh("MEDIUM", start), _registration("NO_FIXED_ABODE", a - days(40))]
    cases.append(_showcase_case(diary, events, registrations, date(1980, 2, 29)))

    # S000015 ACTIVE with EXEMPT_MAPPA: life licence (no end date, no final third) released
    # nine years ago; contacts of the last two years only.
    diary = _ShowcaseDiary("S000015", a)
    start = _months_after(a, -108)
    diary.every(a - days(730), a + days(14), 28)
    events = [_event("1", "LICENCE", start, None, entries=reporting)]
    registrations = [
        _rosh("MEDIUM", start),
        _registration("MAPPA", start, category=2, level=1),
    ]
    cases.append(_showcase_case(diary, events, registrations, date(1965, 4, 4)))

    # S000016 ENDED, not started: released in ten days, induction booked on the day.
    diary = _ShowcaseDiary("S000016", a)
    start = a + days(10)
    diary.contact(start, "INDUCTION")
    events = [
        _event(
            "1",
            "LICENCE",
            start,
            _months_after(start, 24) - days(1),
            entries=reporting,
        )
    ]
    cases.append(_showcase_case(diary, events, [_rosh("LOW", a - days(20))], date(1994, 1, 1)))

    # S000017 SUSPENDED by PR1 key date: the computed final third starts at as_of + 164, but
    # NDelius holds a probation reset date of as_of - 3; one appointment is booked.
    diary = _ShowcaseDiary("S000017", a)
    start = a - days(200)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a - days(4), 14)
    diary.contact(a + days(10), "APPOINTMENT")
    events = [
        _event(
            "1",
            "LICENCE",
            start,
            start + days(547),
            entries=reporting,
            probation_reset_date=a - days(3),
        )
    ]
    cases.append(_showcase_case(diary, events, [_rosh("LOW", start)], date(1987, 7, 7)))

    # S000018 ENDED by recall: licence terminated at as_of - 40.
    diary = _ShowcaseDiary("S000018", a)
    start = a - days(150)
    recalled = a - days(40)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), recalled - days(1), 7)
    events = [
        _event(
            "1",
            "LICENCE",
            start,
            start + days(729),
            entries=[*reporting, {"type": "DRUG_TESTING"}],
            terminated_on=recalled,
        )
    ]
    cases.append(_showcase_case(diary, events, [_rosh("MEDIUM", start)], date(1992, 3, 3)))

    # S000019 ACTIVE with two events: a licence in its final third (from as_of - 58) and a
    # new RAR order before its final third, so contact goes on.
    diary = _ShowcaseDiary("S000019", a)
    start = a - days(300)
    order_start = a - days(60)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a - days(61), 14)
    diary.contact(order_start, "INDUCTION", event_id="2")
    diary.every(order_start + days(7), a + days(14), 7, event_id="2")
    events = [
        _event("1", "LICENCE", start, start + days(364), entries=reporting),
        _event(
            "2",
            "COMMUNITY_ORDER",
            order_start,
            _months_after(order_start, 12) - days(1),
            entries=rar,
        ),
    ]
    cases.append(_showcase_case(diary, events, [_rosh("MEDIUM", start)], date(1989, 10, 19)))

    # S000020 SUSPENDED: tagged curfew licence in its final third (from as_of - 21), risk to
    # self: EM/curfew review, safety plan, RMP and conditions reviews done beforehand.
    diary = _ShowcaseDiary("S000020", a)
    start = a - days(240)
    final_third = start + days(219)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), final_third - days(1), 7)
    diary.contact(start + days(170), "LICENCE_CONDITIONS_REVIEW", mode=None)
    diary.contact(final_third - days(14), "RMP_REVIEW", mode=None)
    diary.contact(final_third - days(10), "EM_CURFEW_REVIEW", mode=None)
    diary.contact(final_third - days(7), "SAFETY_PLAN", mode=None)
    diary.contact(final_third + days(7), "APPOINTMENT")
    events = [
        _event(
            "1",
            "LICENCE",
            start,
            start + days(329),
            entries=[*reporting, {"type": "CURFEW"}, {"type": "EM"}],
        )
    ]
    registrations = [_rosh("MEDIUM", start), _registration("RISK_TO_SELF", start - days(5))]
    cases.append(_showcase_case(diary, events, registrations, date(1997, 5, 5)))
    return cases


def bundled_caseload() -> Iterator[dict[str, object]]:
    """The bundled sample: the showcase people, then the generated ones (SAMPLE_* constants)."""
    yield from showcase_cases(SAMPLE_AS_OF)
    yield from generate_caseload(SAMPLE_PEOPLE, SAMPLE_SEED, SAMPLE_AS_OF)


def read_bundled_caseload() -> list[dict[str, object]]:
    """The cases of the bundled sample file, as installed with the package."""
    text = (
        resources.files("probation_reset.sample")
        .joinpath(SAMPLE_FILE_NAME)
        .read_text(encoding="utf-8")
    )
    return [json.loads(line) for line in text.splitlines() if line.strip()]
