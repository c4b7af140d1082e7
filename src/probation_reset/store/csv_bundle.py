"""A CSV bundle: a directory with one CSV file per record kind, read as contract cases.

``cases.csv`` is required (with the case's manager as optional columns ``region``, ``pdu``,
``team``, ``staff_code``, ``staff_name``); ``events.csv``, ``requirements.csv``,
``licence_conditions.csv``, ``registrations.csv`` and ``contacts.csv`` are optional (absent: no
such records). Rows are joined by ``crn`` (and ``event_id`` for requirements and licence
conditions); within a case, records keep the order of their rows. An empty cell is a missing
value; a file without a column of ``REQUIRED_COLUMNS`` is refused, naming the file and column.
Columns other than those listed in ``COLUMNS`` are ignored, except that ``events.csv`` may carry
NDelius key dates as columns named by their codes (``PR1``, ``LED``, ...). Rows are numbered as
a spreadsheet does: the header is row 1. Problems name the file, row and column (see
``docs/import.md``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from probation_reset.store.rejection import Rejection

CASES_FILE = "cases.csv"

#: A case's manager, one column each (CONTRACT.md section 2, ``manager``).
MANAGER_COLUMNS = ("region", "pdu", "team", "staff_code", "staff_name")

#: The columns of each file; the first one or two are its keys.
COLUMNS: dict[str, tuple[str, ...]] = {
    "cases.csv": ("crn", "date_of_birth", *MANAGER_COLUMNS),
    "events.csv": (
        "crn",
        "event_id",
        "type",
        "start_date",
        "end_date",
        "pss_end_date",
        "youth",
        "terminated_on",
        "probation_reset_date",
    ),
    "requirements.csv": ("crn", "event_id", "type", "start_date", "end_date", "days", "hours"),
    "licence_conditions.csv": ("crn", "event_id", "type", "start_date", "end_date"),
    "registrations.csv": ("crn", "type", "start_date", "deregistered_on", "level", "category"),
    "contacts.csv": (
        "crn",
        "contact_id",
        "event_id",
        "date",
        "type",
        "mode",
        "outcome",
        "recorded_on",
    ),
}
KEYS: dict[str, tuple[str, ...]] = {
    "cases.csv": ("crn",),
    "events.csv": ("crn", "event_id"),
    "requirements.csv": ("crn", "event_id"),
    "licence_conditions.csv": ("crn", "event_id"),
    "registrations.csv": ("crn",),
    "contacts.csv": ("crn",),
}
#: Columns a file must have (empty cells allowed): its keys, the contract's required fields, and
#: the columns whose absence would silently change the meaning of every row (no ``end_date``
#: would make every licence a life licence; no ``deregistered_on`` every registration current; no
#: ``outcome``, ``mode`` or ``recorded_on`` every contact unheld, not face to face, unrecorded).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "cases.csv": ("crn",),
    "events.csv": ("crn", "event_id", "type", "start_date", "end_date"),
    "requirements.csv": ("crn", "event_id", "type"),
    "licence_conditions.csv": ("crn", "event_id", "type"),
    "registrations.csv": ("crn", "type", "start_date", "deregistered_on", "level"),
    "contacts.csv": ("crn", "contact_id", "date", "type", "mode", "outcome", "recorded_on"),
}
INTEGER_COLUMNS = frozenset({"days", "hours", "category"})
#: A MAPPA level is a number; a RoSH level a word: digits become a number.
NUMBER_OR_WORD_COLUMNS = frozenset({"level"})
BOOLEAN_COLUMNS = {
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "1": True,
    "0": False,
}
_INTEGER = re.compile(r"-?\d+")


class CsvBundleError(ValueError):
    """The bundle cannot be read at all (no cases.csv, a file without its key columns)."""


@dataclass(frozen=True, slots=True)
class RowPlace:
    file: str
    row: int

    def describe(self, column: str | None = None) -> str:
        where = f"{self.file} row {self.row}"
        return f"{where} column {column}" if column else where


@dataclass
class CsvCases:
    """The bundle's cases (contract dicts, in ``cases.csv`` order), the problems found while
    joining rows, and where each record of each case came from."""

    records: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    places: list[dict[str, RowPlace]] = field(default_factory=list)

    def locate(self, record: int, field_path: str) -> str | None:
        """``events.csv row 4 column end_date`` for the field ``events[1].end_date`` of a case."""
        if not 0 <= record < len(self.places):
            return None
        places = self.places[record]
        for prefix in sorted(places, key=len, reverse=True):
            if prefix and field_path != prefix and not field_path.startswith(prefix + "."):
                continue
            rest = field_path[len(prefix) :].lstrip(".")
            column = re.split(r"[.\[]", rest, maxsplit=1)[0]
            if column == "key_dates":
                column = rest.split(".")[1] if "." in rest else column
            place = places[prefix]
            return place.describe(column if column in _columns_of(place.file, rest) else None)
        return None


def _columns_of(file: str, rest: str) -> Collection[str]:
    if file == "events.csv" and rest.startswith("key_dates."):
        return {rest.split(".")[1]}
    return COLUMNS[file]


def _cell(column: str, text: str | None) -> Any:
    value = (text or "").strip()
    if not value:
        return None
    if column in INTEGER_COLUMNS or column in NUMBER_OR_WORD_COLUMNS:
        return int(value) if _INTEGER.fullmatch(value) else value
    if column == "youth":
        return BOOLEAN_COLUMNS.get(value.lower(), value)
    return value


@dataclass(frozen=True, slots=True)
class _Row:
    place: RowPlace
    cells: dict[str, Any]
    extra_cells: int

    @property
    def crn(self) -> str | None:
        crn = self.cells.get("crn")
        return crn if isinstance(crn, str) else None


def _read_file(path: Path, name: str, key_date_codes: Collection[str]) -> list[_Row]:
    # A byte that is not UTF-8 becomes a lone surrogate, which rejects its record (see
    # ``intake.limits``) rather than the whole bundle.
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in _fieldnames(reader, name)]
        missing = [column for column in REQUIRED_COLUMNS[name] if column not in header]
        if missing:
            raise CsvBundleError(
                f"{name}: no {', '.join(missing)} column in its header (row 1); "
                f"{name} needs the columns {', '.join(REQUIRED_COLUMNS[name])}"
            )
        reader.fieldnames = header
        wanted = set(COLUMNS[name]) | (set(key_date_codes) if name == "events.csv" else set())
        rows = []
        for number, raw in enumerate(_unbroken(reader, name), start=2):
            extra = raw.pop(None, None)
            cells = {
                column: _cell(column, raw.get(column)) for column in header if column in wanted
            }
            rows.append(_Row(RowPlace(name, number), cells, len(extra or [])))
    return rows


def _fieldnames(reader: csv.DictReader[str], name: str) -> Sequence[str]:
    try:
        return reader.fieldnames or []
    except csv.Error as error:
        raise CsvBundleError(f"{name} row 1: {error}") from None


def _unbroken(reader: csv.DictReader[str], name: str) -> Iterator[dict[str | Any, Any]]:
    """The rows, or ``CsvBundleError`` naming the line the CSV reader could not read (such as
    a cell longer than ``csv.field_size_limit()``, 131,072 characters)."""
    try:
        yield from reader
    except csv.Error as error:
        raise CsvBundleError(f"{name} row {reader.line_num + 1}: {error}") from None


def read_csv_bundle(directory: Path, key_date_codes: Collection[str] = ()) -> CsvCases:
    """The cases of a CSV bundle; ``key_date_codes`` are the event columns read as NDelius key
    dates (``events[].key_dates``)."""
    if not (directory / CASES_FILE).is_file():
        raise CsvBundleError(f"{directory}: a CSV bundle needs {CASES_FILE}")
    files = {
        name: _read_file(directory / name, name, key_date_codes)
        for name in COLUMNS
        if (directory / name).is_file()
    }
    bundle = CsvCases()
    by_crn: dict[str, int] = {}
    for row in files[CASES_FILE]:
        case_index = len(bundle.records)
        case: dict[str, Any] = {"crn": row.cells.get("crn"), "events": []}
        if row.cells.get("date_of_birth") is not None:
            case["date_of_birth"] = row.cells["date_of_birth"]
        manager = {c: row.cells[c] for c in MANAGER_COLUMNS if row.cells.get(c) is not None}
        if manager:
            case["manager"] = manager
        bundle.records.append(case)
        bundle.places.append({"": row.place})
        _check_width(bundle, row, case_index)
        if row.crn is not None and row.crn not in by_crn:
            by_crn[row.crn] = case_index
    #: Each event by (crn, event_id): the event dict and its field path in its case.
    events: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for row in files.get("events.csv", []):
        index = _owner(bundle, by_crn, row)
        if index is None:
            continue
        case = bundle.records[index]
        event = {k: v for k, v in row.cells.items() if k in COLUMNS["events.csv"][1:]}
        key_dates = {k: v for k, v in row.cells.items() if k in key_date_codes and v is not None}
        reset_date = event.pop("probation_reset_date", None)
        if reset_date is not None:
            key_dates["probation_reset_date"] = reset_date
        if key_dates:
            event["key_dates"] = key_dates
        event["requirements"] = []
        event["licence_conditions"] = []
        path = f"events[{len(case['events'])}]"
        case["events"].append(event)
        bundle.places[index][path] = row.place
        if isinstance(event.get("event_id"), str):
            events.setdefault((case["crn"], event["event_id"]), (event, path))
    for name, key in (
        ("requirements.csv", "requirements"),
        ("licence_conditions.csv", "licence_conditions"),
    ):
        for row in files.get(name, []):
            index = _owner(bundle, by_crn, row)
            if index is None:
                continue
            event_id = row.cells.get("event_id")
            owner = events.get((bundle.records[index]["crn"], str(event_id)))
            if owner is None:
                bundle.rejections.append(
                    Rejection(
                        index,
                        row.crn,
                        "event_id",
                        f"event_id {event_id!r} names no event of case {row.crn!r} in events.csv",
                        row.place.describe("event_id"),
                    )
                )
                continue
            event, path = owner
            bundle.places[index][f"{path}.{key}[{len(event[key])}]"] = row.place
            event[key].append({k: v for k, v in row.cells.items() if k not in KEYS[name]})
    for name, key in (("registrations.csv", "registrations"), ("contacts.csv", "contacts")):
        for row in files.get(name, []):
            index = _owner(bundle, by_crn, row)
            if index is None:
                continue
            items = bundle.records[index].setdefault(key, [])
            bundle.places[index][f"{key}[{len(items)}]"] = row.place
            items.append({k: v for k, v in row.cells.items() if k != "crn"})
    return bundle


def _check_width(bundle: CsvCases, row: _Row, index: int | None) -> None:
    if row.extra_cells:
        bundle.rejections.append(
            Rejection(
                index,
                row.crn,
                "",
                f"the row has {row.extra_cells} more cell(s) than the header",
                row.place.describe(),
            )
        )


def _owner(bundle: CsvCases, by_crn: dict[str, int], row: _Row) -> int | None:
    """The index of the case a row belongs to, or ``None`` (and a rejection) when none."""
    index = by_crn.get(row.crn) if row.crn is not None else None
    if index is None:
        message = (
            "the row has no crn" if row.crn is None else f"crn {row.crn!r} is not in {CASES_FILE}"
        )
        bundle.rejections.append(
            Rejection(None, row.crn, "crn", message, row.place.describe("crn"))
        )
        return None
    _check_width(bundle, row, index)
    return index
