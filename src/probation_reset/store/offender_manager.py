"""An NDelius offender manager, as exports carry it, read into the contract's ``manager``.

NDelius APIs describe the person's community offender manager as a provider (probation area: the
region), a team within a borough (the probation delivery unit, PDU) and a member of staff (see
``docs/import.md``). A raw case may carry it as ``offender_manager`` (or ``offenderManager``),
nested as the community API writes it::

    {"probationArea": {"code": "N07", "description": "London"},
     "team": {"code": "N07T01", "description": "Camden Team 1",
              "borough": {"code": "N07CAM", "description": "Camden and Islington"}},
     "staff": {"code": "N07A123", "forenames": "Sam", "surname": "Jones"}}

or flat (``providerDescription``, ``boroughDescription``, ``teamDescription``, ``staffCode``,
``forename``, ``surname``, and the ``...Code`` forms). Descriptions are preferred to codes, since
people read them. A ``manager`` given in the contract's words wins field by field; the offender
manager fills only what it leaves out. A value that is not text is a problem of that field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Problem = tuple[str, str]

#: Where each contract manager field may be found, most preferred first (paths of keys).
_SOURCES: dict[str, tuple[tuple[str, ...], ...]] = {
    "region": (
        ("probationArea", "description"),
        ("provider", "description"),
        ("providerDescription",),
        ("probationArea", "code"),
        ("provider", "code"),
        ("providerCode",),
    ),
    "pdu": (
        ("team", "borough", "description"),
        ("boroughDescription",),
        ("team", "borough", "code"),
        ("boroughCode",),
    ),
    "team": (
        ("team", "description"),
        ("teamDescription",),
        ("team", "code"),
        ("teamCode",),
    ),
    "staff_code": (("staff", "code"), ("staffCode",), ("code",)),
}
_FORENAMES = (("staff", "forenames"), ("staff", "forename"), ("name", "forename"), ("forename",))
_SURNAMES = (("staff", "surname"), ("name", "surname"), ("surname",))
KEYS = ("offender_manager", "offenderManager")


def _at(record: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = record
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _first_text(
    record: Mapping[str, Any], paths: Sequence[Sequence[str]], where: str, problems: list[Problem]
) -> str | None:
    for path in paths:
        value = _at(record, path)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            problems.append((f"{where}.{'.'.join(path)}", "must be text"))
            return None
        return value.strip()
    return None


def read_offender_manager(case: dict[str, Any]) -> list[Problem]:
    """Move the case's NDelius offender manager into ``manager``; the problems found."""
    key = next((k for k in KEYS if k in case), None)
    if key is None:
        return []
    record = case.pop(key)
    if record is None:
        return []
    if not isinstance(record, Mapping):
        return [(key, "an offender manager must be an object")]
    problems: list[Problem] = []
    found = {field: _first_text(record, paths, key, problems) for field, paths in _SOURCES.items()}
    names = [
        _first_text(record, _FORENAMES, key, problems),
        _first_text(record, _SURNAMES, key, problems),
    ]
    found["staff_name"] = " ".join(name for name in names if name) or None
    given = case.get("manager")
    if given is not None and not isinstance(given, Mapping):
        return problems  # the core reports a manager that is not an object
    merged = {field: value for field, value in found.items() if value is not None}
    merged.update({k: v for k, v in (given or {}).items() if v is not None})
    if merged:
        case["manager"] = merged
    return problems
