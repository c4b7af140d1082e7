"""Hypothetical policy variants: a bundled version with some parameters given other values.

"What if the Reset began at the halfway point?" is a question about data: a variant file
(``data/variants/<id>.yaml``, or any file given by path) names the version it is based on and,
for each parameter it changes, the parameter's values in the same shape as the parameter files::

    id: halfway
    title: What if the Reset began at the halfway point
    based_on: "2024-11"
    parameters:
      reset/final_third_fraction:
        - {from: 2024-04-01, value: "1/2", published: 2024-11-30, reference: {...}}

A variant is never a policy version: it is not listed by ``available_versions``, never the
default, and ``load_parameters`` never sees it, so the versions' outputs do not move. It is
for comparing (``probation-reset compare-policy``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from probation_reset.policy.parameters import (
    DatedParameter,
    DatedValue,
    PolicyParameters,
    UnknownPolicyVersionError,
    ValueEntry,
    fraction_value,
    load_parameters,
    rule_ids_value,
)
from probation_reset.policy.strict_yaml import load_strict_yaml
from probation_reset.rules.exemptions import RULES as EXEMPTION_RULES


class PolicyVariantError(ValueError):
    """A variant file cannot be read or names what does not exist (the message says which)."""


class VariantFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    based_on: str
    parameters: dict[str, list[ValueEntry]] = Field(min_length=1)


def _date(value: object) -> date:
    if not isinstance(value, date):
        raise TypeError(f"value {value!r} is not a date")
    return value


def _days(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"value {value!r} is not a whole number")
    return value


def _exemption_ids(value: object) -> tuple[str, ...]:
    ids = rule_ids_value(value)
    known = {r.id for r in EXEMPTION_RULES}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise TypeError(f"{', '.join(unknown)} is not an exemption (known: {', '.join(known)})")
    return ids


#: Parameter file name -> (field of ``PolicyParameters``, how a value is read).
VARIABLE: dict[str, tuple[str, Callable[[object], Any]]] = {
    "reset/effective_from": ("reset_effective_from", _date),
    "reset/final_third_fraction": ("final_third_fraction", fraction_value),
    "reset/exemptions": ("exemptions", _exemption_ids),
    "reset/pre_suspension_window_days": ("pre_suspension_window_days", _days),
    "reset/nfa_check_in_period_days": ("nfa_check_in_period_days", _days),
    "national_standards/induction_working_days_licence": ("induction_working_days_licence", _days),
    "national_standards/induction_working_days_order": ("induction_working_days_order", _days),
    "national_standards/recording_working_days": ("recording_working_days", _days),
    "national_standards/mappa_home_visit_working_days": ("mappa_home_visit_working_days", _days),
}

_VARIANTS = resources.files("probation_reset.policy") / "data" / "variants"


def bundled_variants() -> list[str]:
    """The ids of the variants shipped with the package."""
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in _VARIANTS.iterdir()
        if entry.name.endswith(".yaml")
    )


def _variant_text(name: str) -> tuple[str, str]:
    if name in bundled_variants():
        return f"variant {name}", (_VARIANTS / f"{name}.yaml").read_text(encoding="utf-8")
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        try:
            return str(path), path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PolicyVariantError(f"cannot read {name}: {error}") from None
    raise PolicyVariantError(
        f"{name!r} is neither a policy version, a bundled variant "
        f"({', '.join(bundled_variants())}) nor a .yaml file"
    )


def load_variant(name: str) -> PolicyParameters:
    """The parameters of variant ``name`` (a bundled variant's id, or a YAML file's path)."""
    where, text = _variant_text(name)
    try:
        parsed = VariantFile.model_validate(load_strict_yaml(text))
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(p) for p in problem["loc"])
        raise PolicyVariantError(f"{where}: {field}: {problem['msg']}") from None
    except Exception as error:  # YAML syntax or a duplicate key
        raise PolicyVariantError(f"{where}: {error}".splitlines()[0]) from None
    try:
        base = load_parameters(parsed.based_on)
    except UnknownPolicyVersionError as error:
        raise PolicyVariantError(f"{where}: based_on: {error}") from None
    changed: dict[str, Any] = {}
    for name_, entries in parsed.parameters.items():
        if name_ not in VARIABLE:
            raise PolicyVariantError(
                f"{where}: parameters.{name_}: no such parameter (known: {', '.join(VARIABLE)})"
            )
        field, convert = VARIABLE[name_]
        current: DatedParameter[Any] = getattr(base, field)
        values = []
        for entry in sorted(entries, key=lambda e: e.effective_from):
            try:
                value = convert(entry.value)
            except TypeError as error:
                raise PolicyVariantError(f"{where}: parameters.{name_}: {error}") from None
            values.append(
                DatedValue(
                    entry.effective_from, value, entry.reference.source, entry.reference.title
                )
            )
        if not values:
            raise PolicyVariantError(f"{where}: parameters.{name_}: no values")
        changed[field] = DatedParameter(current.name, current.description, tuple(values))
    return replace(base, version=parsed.id, title=parsed.title, **changed)


def load_policy(name: str | None) -> PolicyParameters:
    """A policy version by id (default: the newest), else a variant (id or file)."""
    try:
        return load_parameters(name)
    except UnknownPolicyVersionError:
        if name is None:
            raise
        return load_variant(name)
