"""Registrations: RoSH (with a change of level), MAPPA (with a rise) and the other flags."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from probation_reset.sample.generator.days import iso
from probation_reset.sample.generator.distributions import DISTRIBUTIONS as D
from probation_reset.sample.generator.distributions import WeightTable, between
from probation_reset.sample.generator.sentences import Sentence

ROSH_LEVELS: Final = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")
# Registrations whose presence keeps contact going in a final third (the exemptions).
EXEMPTING_FLAGS: Final = frozenset({"MAPPA", "NSD", "CHILD_PROTECTION", "ISC"})

_ROSH_TABLE: Final = WeightTable(D.rosh_level_weights)
_MAPPA_CATEGORY_TABLE: Final = WeightTable(D.mappa_category_weights)
_MAPPA_LEVEL_TABLE: Final = WeightTable(D.mappa_level_weights)


@dataclass(slots=True)
class Flag:
    """A registration as planned."""

    kind: str
    start: int
    deregistered: int | None = None
    level: str | int | None = None
    category: int | None = None

    def as_record(self) -> dict[str, object]:
        """The contract's Registration object."""
        record: dict[str, object] = {"type": self.kind, "start_date": iso(self.start)}
        if self.deregistered is not None:
            record["deregistered_on"] = iso(self.deregistered)
        if self.level is not None:
            record["level"] = self.level
        if self.category is not None:
            record["category"] = self.category
        return record


def draw_registrations(rng: random.Random, as_of: int, first: Sentence) -> list[Flag]:
    """RoSH, MAPPA and the other flags, dated around the `first` event."""
    flags: list[Flag] = []
    if rng.random() < D.rosh_recorded_share:
        level = _ROSH_TABLE.draw(rng)
        start = _registered_at(rng, as_of, first, late=False)
        rosh = Flag("ROSH", start, level=level)
        flags.append(rosh)
        change = _later_day(rng, as_of, start) if rng.random() < D.rosh_change_share else None
        if change is not None:
            index = ROSH_LEVELS.index(level)
            step = 1 if index == 0 or (index < 3 and rng.random() < 0.5) else -1
            rosh.deregistered = change
            flags.append(Flag("ROSH", change, level=ROSH_LEVELS[index + step]))
    if rng.random() < D.mappa_share:
        category = _MAPPA_CATEGORY_TABLE.draw(rng)
        level_number = _MAPPA_LEVEL_TABLE.draw(rng)
        late = rng.random() < D.late_registration_share
        start = _registered_at(rng, as_of, first, late=late)
        mappa = Flag("MAPPA", start, level=level_number, category=category)
        flags.append(mappa)
        rise = None
        if level_number == 1 and rng.random() < D.mappa_level_rise_share:
            rise = _later_day(rng, as_of, start)
        if rise is not None:
            mappa.deregistered = rise
            flags.append(Flag("MAPPA", rise, level=2, category=category))
        elif rng.random() < D.deregistered_share:
            mappa.deregistered = _later_day(rng, as_of, start)
    for kind, share in D.flag_shares.items():
        if rng.random() >= share:
            continue
        late = kind != "ISC" and rng.random() < D.late_registration_share
        flag = Flag(kind, _registered_at(rng, as_of, first, late=late))
        if rng.random() < D.deregistered_share:
            flag.deregistered = _later_day(rng, as_of, flag.start)
        flags.append(flag)
    return flags


def _registered_at(rng: random.Random, as_of: int, sentence: Sentence, *, late: bool) -> int:
    """Around the start of the event, or within its final third when `late`."""
    final_third = sentence.final_third
    if late and final_third is not None:
        last = min(sentence.end or final_third, as_of)
        if last >= final_third:
            return between(rng, final_third, last)
    start = sentence.start - between(rng, 0, D.registered_before_start_days)
    return min(start, as_of)


def _later_day(rng: random.Random, as_of: int, start: int) -> int | None:
    """A day after `start`, by `as_of`, when a registration may end or be replaced."""
    earliest = start + D.registration_min_days
    return between(rng, earliest, as_of) if earliest <= as_of else None
