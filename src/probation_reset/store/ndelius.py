"""NDelius codes to the contract's vocabulary, by the cited table ``ndelius_codes.yaml``.

An imported case may name its registration types, RoSH levels, MAPPA levels and categories,
requirement and licence condition categories, contact types, modes and outcomes, key dates
(``PR1`` and the licence dates) and event flags by the codes of the national case-management
system, and its offender manager as NDelius APIs describe it (``offender_manager.py``);
``NDeliusCodes.to_contract`` rewrites such a raw case in the contract's words before the core
validates it. A value that is already a contract word is kept. A value that is neither a
contract word nor a code of the table is a problem of that field: a code is never guessed (an
unknown code read as ``OTHER`` would hide, say, a mistyped MAPPA registration and its
exemption). The table is documented in ``docs/ndelius-codes.md``; how the importer reads it is
in ``docs/import.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict

from probation_reset.domain.vocabulary import (
    ContactMode,
    ContactOutcome,
    ContactType,
    LicenceConditionType,
    RegistrationType,
    RequirementType,
    RoshLevel,
)
from probation_reset.policy.strict_yaml import load_strict_yaml
from probation_reset.store.offender_manager import read_offender_manager

TABLE_FILE = "ndelius_codes.yaml"
TABLE_NAME = "store/ndelius_codes.yaml"

#: A problem found while mapping: the field, written as in the contract's errors, and why.
Problem = tuple[str, str]

#: The contract field each key date code fills, as the table writes it.
_KEY_DATE_FIELDS = {
    "events[].key_dates.probation_reset_date": "probation_reset_date",
    "events[].end_date": "end_date",
    "events[].pss_end_date": "pss_end_date",
}


class CodeEntry(BaseModel):
    """One row of the table; ``description`` and ``source`` are its citation."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str
    description: str
    source: str
    type: str | None = None
    level: str | None = None
    mode: str | None = None
    outcome: str | None = None
    field: str | None = None
    value: int | bool | None = None
    code_set: str | None = None


class CodeTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    registration_types: list[CodeEntry]
    rosh_levels: list[CodeEntry]
    mappa: list[CodeEntry]
    requirement_types: list[CodeEntry]
    licence_condition_types: list[CodeEntry]
    contact_types: list[CodeEntry]
    contact_modes: list[CodeEntry]
    contact_outcomes: list[CodeEntry]
    key_dates: list[CodeEntry]
    event_flags: list[CodeEntry]


def _words(vocabulary: type[Any]) -> frozenset[str]:
    return frozenset(member.value for member in vocabulary)


REGISTRATION_TYPES = _words(RegistrationType)
ROSH_LEVELS = _words(RoshLevel)
REQUIREMENT_TYPES = _words(RequirementType)
LICENCE_CONDITION_TYPES = _words(LicenceConditionType)
CONTACT_TYPES = _words(ContactType)
CONTACT_MODES = _words(ContactMode)
CONTACT_OUTCOMES = _words(ContactOutcome)


@dataclass(frozen=True, slots=True)
class ContactTypeCode:
    type: str
    #: The mode the NDelius contact type implies (``None``: not known).
    mode: str | None


def _unknown(what: str, value: str) -> str:
    return f"unknown {what} {value!r}: neither a contract value nor an NDelius code in {TABLE_NAME}"


def _code(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


class NDeliusCodes:
    """The code table, indexed for mapping raw cases."""

    def __init__(self, table: CodeTable) -> None:
        self.table = table
        # An address type (code_set) is not a register type: it is not read as one.
        self.registration_types = {
            e.code: e.type for e in table.registration_types if e.code_set is None and e.type
        }
        self.rosh_levels = {e.code: e.level for e in table.rosh_levels if e.level}
        self.mappa_levels = {e.code: e.value for e in table.mappa if e.field == "level"}
        self.mappa_categories = {e.code: e.value for e in table.mappa if e.field == "category"}
        self.requirement_types = {e.code: e.type for e in table.requirement_types if e.type}
        self.licence_condition_types = {
            e.code: e.type for e in table.licence_condition_types if e.type
        }
        self.contact_types = {
            e.code: ContactTypeCode(e.type, e.mode) for e in table.contact_types if e.type
        }
        self.contact_modes = {e.code: e.mode for e in table.contact_modes if e.mode}
        self.contact_outcomes = {e.code: e.outcome for e in table.contact_outcomes}
        self.key_dates = {e.code: e.field for e in table.key_dates}
        self.event_flags = {e.code: e for e in table.event_flags}

    @classmethod
    def from_yaml(cls, text: str) -> NDeliusCodes:
        return cls(CodeTable.model_validate(load_strict_yaml(text)))

    def to_contract(self, raw: Any, copy: bool = True) -> tuple[Any, list[Problem]]:
        """The raw case in the contract's vocabulary, and every code that could not be mapped.

        ``raw`` is not changed unless ``copy`` is false (a record parsed for this alone is
        mapped in place); a value that is not a string, or a record that is not an object, is
        left for the core's validation to report.
        """
        if not isinstance(raw, Mapping):
            return raw, []
        case = _copied(raw) if copy else raw
        if not isinstance(case, dict):
            case = dict(case)
        problems: list[Problem] = []
        for i, event in _records(case, "events"):
            problems.extend(self._event(event, f"events[{i}]"))
        for k, registration in _records(case, "registrations"):
            problems.extend(self._registration(registration, f"registrations[{k}]"))
        for m, contact in _records(case, "contacts"):
            problems.extend(self._contact(contact, m))
        problems.extend(read_offender_manager(case))
        return case, problems

    def _event(self, event: dict[str, Any], path: str) -> list[Problem]:
        problems: list[Problem] = []
        for j, requirement in _records(event, "requirements"):
            problems.extend(
                _map_type(
                    requirement,
                    f"{path}.requirements[{j}]",
                    REQUIREMENT_TYPES,
                    self.requirement_types,
                    "requirement type",
                )
            )
        for j, condition in _records(event, "licence_conditions"):
            problems.extend(
                _map_type(
                    condition,
                    f"{path}.licence_conditions[{j}]",
                    LICENCE_CONDITION_TYPES,
                    self.licence_condition_types,
                    "licence condition type",
                )
            )
        problems.extend(self._key_dates(event, path))
        problems.extend(self._flags(event, path))
        return problems

    def _key_dates(self, event: dict[str, Any], path: str) -> list[Problem]:
        key_dates = event.get("key_dates")
        if not isinstance(key_dates, dict):
            return []
        problems: list[Problem] = []
        kept: dict[str, Any] = {}
        by_field: dict[str, tuple[str, Any]] = {}
        for code, value in key_dates.items():
            if code == "probation_reset_date":
                kept[code] = value
                continue
            if code not in self.key_dates:
                problems.append((f"{path}.key_dates.{code}", _unknown("key date", code)))
                continue
            field = self.key_dates[code]
            if field is None:
                continue  # recognised, deliberately not used (see its note in the table)
            target = _KEY_DATE_FIELDS[field]
            # SED is the end date only where no LED is recorded.
            if target in by_field and code == "SED":
                continue
            by_field[target] = (code, value)
        for target, (code, value) in by_field.items():
            holder = kept if target == "probation_reset_date" else event
            given = holder.get(target)
            if given is not None and given != value:
                problems.append(
                    (
                        f"{path}.key_dates.{code}",
                        f"key date {code} {value!r} disagrees with {target} {given!r}",
                    )
                )
            else:
                holder[target] = value
        event["key_dates"] = kept or None
        return problems

    def _flags(self, event: dict[str, Any], path: str) -> list[Problem]:
        flags = event.pop("flags", None)
        if not isinstance(flags, list):
            return [] if flags is None else [(f"{path}.flags", "flags must be a list of codes")]
        problems: list[Problem] = []
        for n, flag in enumerate(flags):
            entry = self.event_flags.get(_code(flag) or "")
            if entry is None or entry.field is None:
                problems.append((f"{path}.flags[{n}]", _unknown("event flag", str(flag))))
                continue
            event[entry.field.removeprefix("events[].")] = entry.value
        return problems

    def _registration(self, registration: dict[str, Any], path: str) -> list[Problem]:
        code = _code(registration.get("type"))
        if code is None or code in REGISTRATION_TYPES:
            return _map_mappa(registration, path, self) if code == "MAPPA" else []
        if code in self.rosh_levels:
            level = self.rosh_levels[code]
            given = registration.get("level")
            registration["type"] = RegistrationType.ROSH.value
            if given is not None and given != level:
                return [
                    (f"{path}.level", f"level {given!r} disagrees with RoSH code {code} ({level})")
                ]
            registration["level"] = level
            return []
        if code in self.registration_types:
            registration["type"] = self.registration_types[code]
            if registration["type"] == RegistrationType.MAPPA.value:
                return _map_mappa(registration, path, self)
            return []
        return [(f"{path}.type", _unknown("registration type", code))]

    def _contact(self, contact: dict[str, Any], m: int) -> list[Problem]:
        """The contact ``contacts[m]`` mapped (its path written only for a problem: a caseload
        has millions of contacts, nearly all in the contract's words)."""
        problems: list[Problem] = []
        code = _code(contact.get("type"))
        if code is not None and code not in CONTACT_TYPES:
            known = self.contact_types.get(code)
            if known is None:
                problems.append((_contact_field(m, "type"), _unknown("contact type", code)))
            else:
                contact["type"] = known.type
                if contact.get("mode") is None and known.mode is not None:
                    contact["mode"] = known.mode
        mode = _code(contact.get("mode"))
        if mode is not None and mode not in CONTACT_MODES:
            if mode in self.contact_modes:
                contact["mode"] = self.contact_modes[mode]
            else:
                problems.append((_contact_field(m, "mode"), _unknown("contact mode", mode)))
        outcome = _code(contact.get("outcome"))
        if outcome is not None and outcome not in CONTACT_OUTCOMES:
            if outcome in self.contact_outcomes:
                contact["outcome"] = self.contact_outcomes[outcome]
            else:
                problems.append(
                    (_contact_field(m, "outcome"), _unknown("contact outcome", outcome))
                )
        return problems


def _contact_field(m: int, name: str) -> str:
    return f"contacts[{m}].{name}"


def _copied(value: Any) -> Any:
    """A copy of parsed JSON: its objects and lists copied, everything else shared."""
    if isinstance(value, Mapping):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def _records(holder: Mapping[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    items = holder.get(key)
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _map_type(
    record: dict[str, Any], path: str, words: frozenset[str], codes: Mapping[str, Any], what: str
) -> list[Problem]:
    code = _code(record.get("type"))
    if code is None or code in words:
        return []
    if code in codes:
        record["type"] = codes[code]
        return []
    return [(f"{path}.type", _unknown(what, code))]


def _map_mappa(registration: dict[str, Any], path: str, codes: NDeliusCodes) -> list[Problem]:
    problems: list[Problem] = []
    for key, table in (("level", codes.mappa_levels), ("category", codes.mappa_categories)):
        value = registration.get(key)
        if not isinstance(value, str):
            continue  # an integer (or nothing) is the contract's form, checked by the core
        code = value.strip()
        if code in table:
            registration[key] = table[code]
        else:
            problems.append((f"{path}.{key}", _unknown(f"MAPPA {key}", code)))
    return problems


@cache
def ndelius_codes() -> NDeliusCodes:
    """The bundled table (``store/ndelius_codes.yaml``), read once."""
    text = resources.files("probation_reset.store").joinpath(TABLE_FILE).read_text("utf-8")
    return NDeliusCodes.from_yaml(text)
