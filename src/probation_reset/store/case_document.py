"""A case as the store keeps it: its canonical contract JSON, that JSON's hash, and its changes.

The canonical document is the validated case written back in the contract's input format with
every field present, in the contract's order, and nothing else (fields the contract does not
know are dropped), so the same facts always give the same document and the same hash, however
the file spelled them (key order, absent or null, NDelius codes or contract words). A contact's
``date`` is kept as written. Changes between two documents are listed field by field, with paths
written as in the contract's errors (``events[0].end_date``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson

from probation_reset.domain.case import Case, Manager
from probation_reset.intake.reader import validate_case
from probation_reset.intake.schema import CaseIn
from probation_reset.store.canonical_reader import NotCanonicalError, case_of_canonical


class ChangeKind(StrEnum):
    CASE_CREATED = "CASE_CREATED"
    VALUE_CHANGED = "VALUE_CHANGED"
    ITEM_ADDED = "ITEM_ADDED"
    ITEM_REMOVED = "ITEM_REMOVED"


@dataclass(frozen=True, slots=True)
class FieldChange:
    kind: ChangeKind
    field: str
    old_value: Any
    new_value: Any


def canonical_document(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical contract JSON of a case that the core has already found valid."""
    return CaseIn.model_validate(raw).model_dump(mode="json")


MANAGER_FIELDS = ("region", "pdu", "team", "staff_code", "staff_name")


class StoredCaseError(ValueError):
    """A stored document is no longer a valid case (the contract changed under it)."""


def stored_case(crn: str, document: object) -> Case:
    """The domain case of a stored document; ``StoredCaseError`` when it is not valid.

    A canonical document, as the store writes them, is read as written (`canonical_reader`);
    any other is validated in full."""
    try:
        return case_of_canonical(document)
    except NotCanonicalError:
        pass
    result = validate_case(document, 0)
    if isinstance(result, list):
        problems = "; ".join(f"{e.field}: {e.message}" for e in result)
        raise StoredCaseError(f"stored case {crn} is not a valid case: {problems}")
    return result


def manager_columns(document: Mapping[str, Any]) -> dict[str, str | None]:
    """The case's manager as the ``cases`` table's scope columns (all null when none is given)."""
    manager = document.get("manager") or {}
    return {name: manager.get(name) for name in MANAGER_FIELDS}


def manager_of_columns(row: Any) -> Manager | None:
    """The manager held in a row's scope columns (``None`` when all are null), as the case's
    document gives it: for pages that read the columns, not the document."""
    return manager_of_values(tuple(getattr(row, name) for name in MANAGER_FIELDS))


def manager_of_values(values: tuple[str | None, ...]) -> Manager | None:
    """The manager of the scope columns' values, in ``MANAGER_FIELDS`` order."""
    return None if all(v is None for v in values) else Manager(*values)


def content_hash(document: Mapping[str, Any]) -> str:
    """SHA-256 of the document's compact, key-sorted JSON in UTF-8. Written by orjson, which
    gives the same bytes as ``json.dumps(document, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`` for a document (text, whole numbers, booleans, null: no floats;
    tested) in a fraction of the time."""
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def document_changes(old: Any, new: Any, path: str = "") -> Iterator[FieldChange]:
    """Every leaf that differs between two documents; list items are compared by position."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in list(old) + [k for k in new if k not in old]:
            field = _join(path, str(key))
            if key not in new:
                yield FieldChange(ChangeKind.ITEM_REMOVED, field, old[key], None)
            elif key not in old:
                yield FieldChange(ChangeKind.ITEM_ADDED, field, None, new[key])
            else:
                yield from document_changes(old[key], new[key], field)
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            field = f"{path}[{i}]"
            if i >= len(new):
                yield FieldChange(ChangeKind.ITEM_REMOVED, field, old[i], None)
            elif i >= len(old):
                yield FieldChange(ChangeKind.ITEM_ADDED, field, None, new[i])
            else:
                yield from document_changes(old[i], new[i], field)
    elif old != new or type(old) is not type(new):
        yield FieldChange(ChangeKind.VALUE_CHANGED, path, old, new)
