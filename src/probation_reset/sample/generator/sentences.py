"""Events: the sentence type and length, requirements or licence conditions, PR1, termination."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Final

from probation_reset.sample.generator.days import OPEN_END, add_months, final_third_start, iso
from probation_reset.sample.generator.distributions import DISTRIBUTIONS as D
from probation_reset.sample.generator.distributions import WeightTable, between

_SENTENCE_TYPE_TABLE: Final = WeightTable(D.sentence_type_weights)
_ORDER_MONTHS_TABLE: Final = WeightTable(D.order_length_months_weights)
_LICENCE_MONTHS_TABLE: Final = WeightTable(D.licence_length_months_weights)
_SOLE_REQUIREMENT_TABLE: Final = WeightTable(D.sole_requirement_weights)


@dataclass(slots=True)
class Sentence:
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
        """Last day the event is active (CONTRACT 3); `OPEN_END` for life licences."""
        last = self.pss_end or self.end or OPEN_END
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
        return final_third_start(self.start, self.end)

    @property
    def reset_applies(self) -> bool:
        """Reset acts on licences and RAR orders with an end date (CONTRACT 3, FAQ)."""
        return self.end is not None and (self.kind == "LICENCE" or self.rar)

    def as_record(self) -> dict[str, object]:
        """The contract's Event object."""
        record: dict[str, object] = {
            "event_id": self.event_id,
            "type": self.kind,
            "start_date": iso(self.start),
            "end_date": None if self.end is None else iso(self.end),
        }
        if self.kind == "LICENCE":
            record["pss_end_date"] = None if self.pss_end is None else iso(self.pss_end)
        record["youth"] = self.youth
        if self.terminated is not None:
            record["terminated_on"] = iso(self.terminated)
        if self.kind == "LICENCE":
            record["licence_conditions"] = self.conditions
        else:
            record["requirements"] = self.requirements
        if self.probation_reset_date is not None:
            record["key_dates"] = {"probation_reset_date": iso(self.probation_reset_date)}
        return record


def draw_sentence(rng: random.Random, as_of: int, event_id: str, start: int | None) -> Sentence:
    """One event; placed around `as_of` unless `start` is given."""
    kind = _SENTENCE_TYPE_TABLE.draw(rng)
    months: int | None
    pss = False
    if kind == "LICENCE":
        draw = rng.random()
        if draw < D.life_licence_share:
            months = None
        elif draw < D.life_licence_share + D.pss_licence_share:
            months = between(rng, *D.pss_licence_months)
            pss = True
        else:
            months = _LICENCE_MONTHS_TABLE.draw(rng)
    else:
        months = _ORDER_MONTHS_TABLE.draw(rng)
    if start is None:
        start = _place_start(rng, as_of, months, pss)
    end = None if months is None else add_months(start, months) - 1
    sentence = Sentence(event_id=event_id, kind=kind, start=start, end=end)
    if pss:
        sentence.pss_end = add_months(start, D.pss_end_months_after_release)
    sentence.youth = rng.random() < D.youth_sentence_share
    if kind == "LICENCE":
        _draw_licence_conditions(rng, sentence)
    else:
        _draw_requirements(rng, sentence)
    _draw_key_date(rng, sentence)
    _draw_termination(rng, as_of, sentence)
    return sentence


def _place_start(rng: random.Random, as_of: int, months: int | None, pss: bool) -> int:
    """Start so that on `as_of` the event may be in any phase, or recently ended."""
    if rng.random() < D.not_started_share:
        return as_of + between(rng, 1, D.not_started_within_days)
    if months is None:
        return as_of - between(rng, 0, 365 * D.life_licence_max_years_released)
    span_months = D.pss_end_months_after_release if pss else months
    span = (span_months * 3653) // 120
    return as_of - between(rng, 0, span + D.ended_recently_days)


def _upw(rng: random.Random, low: int, high: int) -> dict[str, object]:
    return {"type": "UPW", "hours": 10 * between(rng, low // 10, high // 10)}


def _draw_requirements(rng: random.Random, sentence: Sentence) -> None:
    requirements = sentence.requirements
    if rng.random() < D.upw_only_share:
        requirements.append(_upw(rng, 40, 300))
        return
    if rng.random() < D.rar_share / (1 - D.upw_only_share):
        sentence.rar = True
        requirements.append({"type": "RAR", "days": between(rng, *D.rar_days)})
    for kind, share in D.order_requirement_shares.items():
        if rng.random() >= share:
            continue
        if kind == "UPW":
            requirements.append(_upw(rng, *D.upw_hours))
        elif kind == "CURFEW":
            requirements.extend(_curfew(rng, sentence))
        else:
            requirements.append({"type": kind})
    if not requirements:
        # An order has at least one requirement: punitive or treatment, not a RAR.
        kind = _SOLE_REQUIREMENT_TABLE.draw(rng)
        if kind == "UPW":
            requirements.append(_upw(rng, 40, 300))
        else:
            requirements.append({"type": kind})


def _draw_licence_conditions(rng: random.Random, sentence: Sentence) -> None:
    conditions = sentence.conditions
    for kind, share in D.licence_condition_shares.items():
        if rng.random() >= share:
            continue
        if kind == "CURFEW":
            conditions.extend(_curfew(rng, sentence))
        elif kind == "EM":
            # Monitoring without a curfew (an exclusion zone or alcohol tag), undated.
            if not any(condition["type"] == "EM" for condition in conditions):
                conditions.append({"type": "EM"})
                sentence.curfew_until = OPEN_END if sentence.end is None else sentence.end
        else:
            conditions.append({"type": kind})


def _curfew(rng: random.Random, sentence: Sentence) -> list[dict[str, object]]:
    """A dated curfew from the start, with an EM entry for the same days when tagged."""
    until = add_months(sentence.start, between(rng, *D.curfew_months)) - 1
    if sentence.end is not None:
        until = min(until, sentence.end)
    sentence.curfew_until = max(sentence.curfew_until or until, until)
    dates = {"start_date": iso(sentence.start), "end_date": iso(until)}
    entries: list[dict[str, object]] = [{"type": "CURFEW", **dates}]
    if rng.random() < D.em_with_curfew_share:
        entries.append({"type": "EM", **dates})
    return entries


def _draw_key_date(rng: random.Random, sentence: Sentence) -> None:
    if not sentence.reset_applies or sentence.end is None:
        return
    if rng.random() >= D.pr1_key_date_share:
        return
    computed = final_third_start(sentence.start, sentence.end)
    drift = between(rng, -D.pr1_key_date_drift_days, D.pr1_key_date_drift_days)
    sentence.probation_reset_date = min(max(computed + drift, sentence.start), sentence.end)


def _draw_termination(rng: random.Random, as_of: int, sentence: Sentence) -> None:
    if rng.random() >= D.terminated_share:
        return
    latest = min(sentence.last_active_day, as_of)
    if latest - sentence.start < 14:
        return
    sentence.terminated = between(rng, sentence.start + 14, latest)
