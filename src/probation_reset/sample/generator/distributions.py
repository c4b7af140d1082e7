"""The distributions of the synthetic caseload, read from `distributions.yaml`.

Each entry of the YAML file has a `description` and a `value`; the file must name exactly the
fields of `Distributions` (no more, no fewer, no key twice), so the data and the code that
draws from it cannot drift apart. `DISTRIBUTIONS` is the one loaded instance.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Mapping
from importlib import resources
from itertools import accumulate
from typing import Final, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from probation_reset.policy.strict_yaml import load_strict_yaml

DISTRIBUTIONS_FILE: Final = "distributions.yaml"

Share = float
Range = tuple[int, int]


class Distributions(BaseModel):
    """Every number the generator draws with; see `distributions.yaml` for what each means."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)

    # Sentences
    sentence_type_weights: dict[str, int]
    order_length_months_weights: dict[int, int]
    life_licence_share: Share
    pss_licence_share: Share
    pss_licence_months: Range
    pss_end_months_after_release: int
    licence_length_months_weights: dict[int, int]
    life_licence_max_years_released: int
    youth_sentence_share: Share
    terminated_share: Share
    pr1_key_date_share: Share
    pr1_key_date_drift_days: int
    second_event_share: Share
    not_started_share: Share
    not_started_within_days: int
    ended_recently_days: int
    adult_age_years: tuple[float, float, float]
    date_of_birth_share: Share
    # Requirements and licence conditions
    rar_share: Share
    rar_days: Range
    upw_only_share: Share
    upw_hours: Range
    order_requirement_shares: dict[str, Share]
    sole_requirement_weights: dict[str, int]
    em_with_curfew_share: Share
    curfew_months: Range
    licence_condition_shares: dict[str, Share]
    # Registrations
    rosh_recorded_share: Share
    rosh_level_weights: dict[str, int]
    rosh_change_share: Share
    mappa_share: Share
    mappa_category_weights: dict[int, int]
    mappa_level_weights: dict[int, int]
    mappa_level_rise_share: Share
    flag_shares: dict[str, Share]
    deregistered_share: Share
    late_registration_share: Share
    registered_before_start_days: int
    registration_min_days: int
    # Contacts
    weekly_start_weeks: int
    appointment_interval_days: dict[str, int]
    life_licence_settled_after_days: int
    life_licence_settled_interval_days: int
    appointment_jitter_days: int
    check_in_share: Share
    mode_weights: dict[str, int]
    home_visit_interval_days: int
    home_visit_after_mappa_rise_days: Range
    home_visit_no_mode_share: Share
    initial_rmp_review_share: Share
    initial_rmp_review_days: Range
    pre_final_third_review_shares: dict[str, Share]
    pre_final_third_review_days: int
    reset_not_applied_share: Share
    final_third_appointment_share: Share
    nfa_check_in_days: Range
    pss_interval_days: int
    booked_ahead_days: int
    outcome_weights: dict[str, int]
    recorded_same_day_share: Share
    recorded_next_weekday_share: Share
    recorded_late_share: Share
    recorded_late_days: Range
    contact_without_event_share: Share
    contact_time_share: Share
    office_hours: Range
    # Managers
    caseload_people: int = Field(gt=0)
    caseload_spread: Share = Field(ge=0, lt=1)
    practitioners_per_team: int = Field(gt=0)
    least_regions: int = Field(gt=0)
    least_teams: int = Field(gt=0)


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str = Field(min_length=10)
    value: object


def parse_distributions(text: str) -> Distributions:
    """The distributions in YAML `text`; ValueError (pydantic's) when one is missing or odd."""
    raw = load_strict_yaml(text)
    if not isinstance(raw, dict):
        raise ValueError("the distributions file must be a mapping of named entries")
    values = {name: _Entry.model_validate(entry).value for name, entry in raw.items()}
    return Distributions.model_validate(values)


def load_distributions() -> Distributions:
    """The distributions bundled with the package."""
    text = resources.files(__package__).joinpath(DISTRIBUTIONS_FILE).read_text(encoding="utf-8")
    return parse_distributions(text)


DISTRIBUTIONS: Final = load_distributions()

_Key = TypeVar("_Key")


class WeightTable(Generic[_Key]):
    """A weight table to draw from with one `random()` (faster than `Random.choices`)."""

    __slots__ = ("shares", "values")

    def __init__(self, weights: Mapping[_Key, int]) -> None:
        total = sum(weights.values())
        self.values = list(weights)
        # Cumulative shares: `values[bisect_right(shares, u)]` for a uniform u in [0, 1).
        self.shares = [running / total for running in accumulate(weights.values())]

    def draw(self, rng: random.Random) -> _Key:
        return self.values[bisect_right(self.shares, rng.random())]


def between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from `low` to `high` inclusive (one `random()`, unlike `randint`)."""
    return low + int(rng.random() * (high - low + 1))
