"""Who manages each case: regions, probation delivery units (PDUs), teams and practitioners.

A caseload of N people is held by about N / `caseload_people` practitioners, each with a
caseload within `caseload_spread` of that average (32 to 48 people by default). Practitioners
are put in teams of up to `practitioners_per_team`, teams in the PDUs of a region, round robin,
so that even a small caseload spans a few regions, several PDUs and teams
(`least_regions`, `least_teams`), and a large one every region of `organisation.yaml`.

The allocation draws from its own `random.Random` (seeded from the caseload's seed), so the
rest of a generated case does not depend on it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from importlib import resources
from math import ceil
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from probation_reset.policy.strict_yaml import load_strict_yaml
from probation_reset.sample.generator.distributions import DISTRIBUTIONS as D

ORGANISATION_FILE: Final = "organisation.yaml"


class _Region(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=r"^[A-Z0-9]{3}$")
    name: str
    pdus: list[str] = Field(min_length=1)


class _Organisation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    regions: list[_Region] = Field(min_length=1)
    team_names: list[str] = Field(min_length=1)
    forenames: list[str] = Field(min_length=1)
    surnames: list[str] = Field(min_length=1)


def _load_organisation() -> _Organisation:
    text = resources.files(__package__).joinpath(ORGANISATION_FILE).read_text(encoding="utf-8")
    raw = load_strict_yaml(text)
    return _Organisation.model_validate({name: entry["value"] for name, entry in raw.items()})


_ORGANISATION: Final = _load_organisation()


@dataclass(frozen=True, slots=True)
class Practitioner:
    """A probation practitioner and where they work: the `manager` of their cases."""

    region: str
    pdu: str
    team: str
    staff_code: str
    staff_name: str

    def as_record(self) -> dict[str, object]:
        """The contract's `manager` object (CONTRACT 2)."""
        return {
            "region": self.region,
            "pdu": self.pdu,
            "team": self.team,
            "staff_code": self.staff_code,
            "staff_name": self.staff_name,
        }


def _team_label(index: int) -> str:
    names = _ORGANISATION.team_names
    label = names[index % len(names)]
    return label if index < len(names) else f"{label} {index // len(names) + 1}"


def practitioners(count: int, rng: random.Random) -> list[Practitioner]:
    """`count` practitioners spread over teams, PDUs and regions (see the module's text)."""
    regions = _ORGANISATION.regions
    teams = max(ceil(count / D.practitioners_per_team), min(count, D.least_teams))
    used = min(len(regions), max(min(teams, D.least_regions), teams // 2))
    places: list[tuple[_Region, str, str]] = []
    for team in range(teams):
        region = regions[team % used]
        within = team // used
        pdu = region.pdus[within % len(region.pdus)]
        places.append((region, pdu, f"{pdu} {_team_label(within // len(region.pdus))}"))
    numbers: dict[str, int] = {}
    staff: list[Practitioner] = []
    for index in range(count):
        region, pdu, team_name = places[index % teams]
        number = numbers.get(region.code, 0) + 1
        numbers[region.code] = number
        letter = chr(ord("A") + (number // 1000) % 26)
        name = f"{rng.choice(_ORGANISATION.forenames)} {rng.choice(_ORGANISATION.surnames)}"
        staff.append(
            Practitioner(
                region=region.name,
                pdu=pdu,
                team=team_name,
                staff_code=f"{region.code}{letter}{number % 1000:03d}",
                staff_name=name,
            )
        )
    return staff


class Allocation:
    """The practitioner of each of `people` cases, by the case's position in the caseload."""

    def __init__(self, people: int, seed: int) -> None:
        rng = random.Random(f"probation-reset managers {seed}")
        count = max(1, round(people / D.caseload_people))
        self.practitioners = practitioners(count, rng)
        spread = D.caseload_spread
        weights = [1 + spread * (2 * rng.random() - 1) for _ in range(count)]
        total = sum(weights)
        sizes = [int(people * weight / total) for weight in weights]
        for index in range(people - sum(sizes)):
            sizes[index % count] += 1
        slots = [index for index, size in enumerate(sizes) for _ in range(size)]
        rng.shuffle(slots)
        self._slots = slots

    def manager(self, position: int) -> dict[str, object]:
        """The `manager` record of the case at `position` (0-based) in the caseload."""
        return self.practitioners[self._slots[position]].as_record()
