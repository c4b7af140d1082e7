"""Loading the dated policy parameters, validated strictly.

Each parameter file holds a ``description``, a ``unit`` and ``values``: a list of entries, each
with ``from`` (the first day of the facts it applies to), ``value``, ``published`` (the day its
source was published) and a ``reference`` citing the policy paragraph. A value is a date, a
whole number, a fraction written ``"2/3"`` (unit ``fraction``) or a list of rule ids (unit
``rule_ids``). A policy version takes the
entries published on or before the version's date, so a later policy changes data, not code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from probation_reset.policy.strict_yaml import load_strict_yaml

T = TypeVar("T")


class UnknownPolicyVersionError(LookupError):
    """The named policy version is not among the bundled ones."""


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str
    title: str


class ValueEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    effective_from: date = Field(alias="from")
    value: date | int | str | list[str]
    published: date
    reference: Reference


class ParameterFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str
    unit: Literal["date", "days", "working_days", "fraction", "rule_ids"]
    values: list[ValueEntry] = Field(min_length=1)


class VersionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    published: date
    title: str


class VersionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str
    versions: list[VersionEntry] = Field(min_length=1)


class BankHolidaysFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str
    source: str
    additions: list[date]
    removals: list[date]


@dataclass(frozen=True, slots=True)
class DatedValue(Generic[T]):
    effective_from: date
    value: T
    source: str
    title: str


@dataclass(frozen=True, slots=True)
class DatedParameter(Generic[T]):
    """A parameter whose value depends on the day of the fact it is applied to."""

    name: str
    description: str
    values: tuple[DatedValue[T], ...]

    def at(self, day: date) -> T:
        """The value in force on ``day``: the entry with the latest ``from`` on or before it."""
        found = self.entry_at(day)
        return found.value

    def at_or_first(self, day: date) -> T:
        """The value in force on ``day``; before the first entry, the first value."""
        first = self.values[0]
        return first.value if day < first.effective_from else self.at(day)

    def entry_at(self, day: date) -> DatedValue[T]:
        current: DatedValue[T] | None = None
        for entry in self.values:
            if entry.effective_from <= day:
                current = entry
        if current is None:
            raise LookupError(f"parameter {self.name} has no value on {day.isoformat()}")
        return current

    @property
    def source(self) -> str:
        return self.values[-1].source


@dataclass(frozen=True, slots=True)
class BankHolidays:
    source: str
    additions: tuple[date, ...]
    removals: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class PolicyParameters:
    """Every parameter of one policy version."""

    version: str
    title: str
    reset_effective_from: DatedParameter[date]
    pre_suspension_window_days: DatedParameter[int]
    nfa_check_in_period_days: DatedParameter[int]
    induction_working_days_licence: DatedParameter[int]
    induction_working_days_order: DatedParameter[int]
    recording_working_days: DatedParameter[int]
    mappa_home_visit_working_days: DatedParameter[int]
    next_actions_horizon_days: DatedParameter[int]
    bank_holidays: BankHolidays
    #: Where the final third starts, as a fraction of the sentence (RESET: 2/3).
    final_third_fraction: DatedParameter[Fraction]
    #: The exemption rule ids that keep contact going (RESET, FAQ: all six).
    exemptions: DatedParameter[tuple[str, ...]]

    @property
    def reset_starts(self) -> date:
        """The first day the Reset is in force (``reset_effective_from``)."""
        return self.reset_effective_from.values[0].value

    def all_parameters(self) -> tuple[DatedParameter[Any], ...]:
        return (
            self.reset_effective_from,
            self.final_third_fraction,
            self.exemptions,
            self.pre_suspension_window_days,
            self.nfa_check_in_period_days,
            self.induction_working_days_licence,
            self.induction_working_days_order,
            self.recording_working_days,
            self.mappa_home_visit_working_days,
            self.next_actions_horizon_days,
        )


_DATA = resources.files("probation_reset.policy") / "data"


def _read(relative: str) -> object:
    node = _DATA
    for part in relative.split("/"):
        node = node / part
    return load_strict_yaml(node.read_text(encoding="utf-8"))


def _versions() -> list[VersionEntry]:
    return sorted(
        VersionsFile.model_validate(_read("versions.yaml")).versions, key=lambda v: v.published
    )


def available_versions() -> list[str]:
    """The bundled policy versions, oldest first."""
    return [v.id for v in _versions()]


def fraction_value(value: object) -> Fraction:
    """``"2/3"`` as a fraction strictly between 0 and 1, or ``TypeError``."""
    if not isinstance(value, str) or value.count("/") != 1:
        raise TypeError(f'value {value!r} is not a fraction written as "N/D"')
    numerator, denominator = (part.strip() for part in value.split("/"))
    if not (numerator.isdigit() and denominator.isdigit()) or int(denominator) == 0:
        raise TypeError(f'value {value!r} is not a fraction written as "N/D"')
    fraction = Fraction(int(numerator), int(denominator))
    if not 0 < fraction < 1:
        raise TypeError(f"value {value!r} is not between 0 and 1")
    return fraction


def rule_ids_value(value: object) -> tuple[str, ...]:
    """A list of rule ids as a tuple, or ``TypeError``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"value {value!r} is not a list of rule ids")
    return tuple(value)


def _parameter(name: str, published_by: date, kind: type[T]) -> DatedParameter[T]:
    def convert(value: object) -> T:
        if not isinstance(value, kind) or (kind is int and isinstance(value, date)):
            raise TypeError(f"value {value!r} is not a {kind.__name__}")
        return value

    return _converted_parameter(name, published_by, convert)


def _converted_parameter(
    name: str, published_by: date, convert: Callable[[object], T]
) -> DatedParameter[T]:
    parsed = ParameterFile.model_validate(_read(f"{name}.yaml"))
    entries = sorted(
        (e for e in parsed.values if e.published <= published_by), key=lambda e: e.effective_from
    )
    if not entries:
        raise LookupError(f"parameter {name} has no value published by {published_by}")
    values: list[DatedValue[T]] = []
    for entry in entries:
        try:
            value = convert(entry.value)
        except TypeError as error:
            raise TypeError(f"parameter {name}: {error}") from None
        values.append(
            DatedValue(entry.effective_from, value, entry.reference.source, entry.reference.title)
        )
    return DatedParameter(name, parsed.description, tuple(values))


@cache
def load_parameters(version: str | None = None) -> PolicyParameters:
    """The parameters of ``version`` (default: the newest bundled version)."""
    versions = _versions()
    chosen = (
        versions[-1] if version is None else next((v for v in versions if v.id == version), None)
    )
    if chosen is None:
        known = ", ".join(v.id for v in versions)
        raise UnknownPolicyVersionError(f"unknown policy version {version!r} (known: {known})")
    by = chosen.published
    holidays_file = BankHolidaysFile.model_validate(_read("calendar/bank_holidays.yaml"))
    return PolicyParameters(
        version=chosen.id,
        title=chosen.title,
        reset_effective_from=_parameter("reset/effective_from", by, date),
        pre_suspension_window_days=_parameter("reset/pre_suspension_window_days", by, int),
        nfa_check_in_period_days=_parameter("reset/nfa_check_in_period_days", by, int),
        induction_working_days_licence=_parameter(
            "national_standards/induction_working_days_licence", by, int
        ),
        induction_working_days_order=_parameter(
            "national_standards/induction_working_days_order", by, int
        ),
        recording_working_days=_parameter("national_standards/recording_working_days", by, int),
        mappa_home_visit_working_days=_parameter(
            "national_standards/mappa_home_visit_working_days", by, int
        ),
        next_actions_horizon_days=_parameter("practice/next_actions_horizon_days", by, int),
        bank_holidays=BankHolidays(
            source=holidays_file.source,
            additions=tuple(holidays_file.additions),
            removals=tuple(holidays_file.removals),
        ),
        final_third_fraction=_converted_parameter("reset/final_third_fraction", by, fraction_value),
        exemptions=_converted_parameter("reset/exemptions", by, rule_ids_value),
    )
