"""People: one synthetic case at a time (events, registrations, contacts, date of birth and
manager), and the caseload generator that yields them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Final

from probation_reset.sample.generator.contacts import ContactPlanner
from probation_reset.sample.generator.days import add_months, iso
from probation_reset.sample.generator.distributions import DISTRIBUTIONS as D
from probation_reset.sample.generator.distributions import between
from probation_reset.sample.generator.managers import Allocation
from probation_reset.sample.generator.registrations import draw_registrations
from probation_reset.sample.generator.sentences import Sentence, draw_sentence

# CRNs are "X" and six digits, so at most this many people.
MAX_PEOPLE: Final = 1_000_000


def _date_of_birth(rng: random.Random, first: Sentence) -> int | None:
    if rng.random() >= D.date_of_birth_share:
        return None
    if first.youth:
        return add_months(first.start, -12 * 18) - between(rng, 0, 364)
    age = rng.triangular(*D.adult_age_years)
    return first.start - int(age * 365.25)


def synthetic_case(
    rng: random.Random, crn: str, as_of: int, manager: dict[str, object] | None = None
) -> dict[str, object]:
    """One person on probation in the contract's input format, drawn from `rng`."""
    first = draw_sentence(rng, as_of, "1", None)
    sentences = [first]
    if rng.random() < D.second_event_share:
        latest = min(first.last_active_day, as_of + D.not_started_within_days)
        if latest >= first.start + 30:
            start = between(rng, first.start + 30, latest)
            sentences.append(draw_sentence(rng, as_of, "2", start))
    flags = draw_registrations(rng, as_of, first)
    planner = ContactPlanner(rng, as_of, flags)
    for sentence in sentences:
        planner.plan_event(sentence)
    birth = _date_of_birth(rng, first)
    contacts = planner.records(crn)
    case: dict[str, object] = {"crn": crn}
    if manager is not None:
        case["manager"] = manager
    if birth is not None:
        case["date_of_birth"] = iso(birth)
    case["events"] = [sentence.as_record() for sentence in sentences]
    case["registrations"] = [flag.as_record() for flag in flags]
    case["contacts"] = contacts
    return case


def generate_caseload(people: int, seed: int, as_of: date) -> Iterator[dict[str, object]]:
    """Yield `people` synthetic cases in the contract's input format, built around `as_of`.

    Deterministic: only `random.Random(seed)` (and the managers' own generator seeded from
    `seed`) are drawn from, so the same arguments give the same cases. CRNs are "X" and six
    digits, unique within the caseload.
    """
    if not 0 <= people <= MAX_PEOPLE:
        raise ValueError(f"people must be between 0 and {MAX_PEOPLE}, not {people}")
    rng = random.Random(seed)
    allocation = Allocation(people, seed)
    # Unique CRNs without storing them: a stride coprime to 10**6 walks every number once.
    base = rng.randrange(MAX_PEOPLE)
    stride = rng.randrange(100_001, MAX_PEOPLE, 2)
    if stride % 5 == 0:
        stride += 2
    day = as_of.toordinal()
    for index in range(people):
        crn = f"X{(base + index * stride) % MAX_PEOPLE:06d}"
        yield synthetic_case(rng, crn, day, allocation.manager(index))
