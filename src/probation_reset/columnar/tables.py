"""The Parquet tables of a caseload: one row per person, event, requirement, licence condition,
registration and contact, as an analyst would query them.

Every table carries ``case_index``, the case's position in the caseload (0-based, as the
``index`` of CONTRACT.md section 4), and ``crn``; rows are written in case order, and within a
case in the order of the case's lists, so a caseload read back from its tables is the same list
of cases. Dates are Parquet dates. A contact's ``date`` is its day and ``time`` its time of day
(``HH:MM``) when the input gave one. A registration's level is ``level`` (text, e.g. RoSH
``HIGH``) or ``level_number`` (a MAPPA level). A case's manager is the ``region`` to ``staff_name``
columns of ``people`` (a manager with none of them set reads back as no manager).

`CaseTableWriter` writes them in row groups of a few thousand people (memory stays flat);
`table_reader.read_case_tables` yields the cases back in chunks, merging the six files in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Final

import polars as pl
import pyarrow.parquet as pq

Columns = dict[str, list[Any]]

_DATE = pl.Date()
_TEXT = pl.String()
_INDEX = pl.Int64()

#: Every table, its columns and their types, in file order.
SCHEMAS: Final[dict[str, dict[str, pl.DataType]]] = {
    "people": {
        "case_index": _INDEX,
        "crn": _TEXT,
        "region": _TEXT,
        "pdu": _TEXT,
        "team": _TEXT,
        "staff_code": _TEXT,
        "staff_name": _TEXT,
        "date_of_birth": _DATE,
    },
    "events": {
        "case_index": _INDEX,
        "crn": _TEXT,
        "event_id": _TEXT,
        "type": _TEXT,
        "start_date": _DATE,
        "end_date": _DATE,
        "pss_end_date": _DATE,
        "youth": pl.Boolean(),
        "terminated_on": _DATE,
        "probation_reset_date": _DATE,
    },
    "requirements": {
        "case_index": _INDEX,
        "crn": _TEXT,
        "event_id": _TEXT,
        "type": _TEXT,
        "start_date": _DATE,
        "end_date": _DATE,
        "days": pl.Int32(),
        "hours": pl.Int32(),
    },
    "licence_conditions": {
        "case_index": _INDEX,
        "crn": _TEXT,
        "event_id": _TEXT,
        "type": _TEXT,
        "start_date": _DATE,
        "end_date": _DATE,
    },
    "registrations": {
        "case_index": _INDEX,
        "crn": _TEXT,
        "type": _TEXT,
        "start_date": _DATE,
        "deregistered_on": _DATE,
        "level": _TEXT,
        "level_number": pl.Int32(),
        "category": pl.Int32(),
    },
    "contacts": {
        "case_index": _INDEX,
        "crn": _TEXT,
        "contact_id": _TEXT,
        "event_id": _TEXT,
        "date": _DATE,
        "time": _TEXT,
        "type": _TEXT,
        "mode": _TEXT,
        "outcome": _TEXT,
        "recorded_on": _DATE,
    },
}
TABLE_NAMES: Final = tuple(SCHEMAS)
#: People per row group when writing.
ROW_GROUP_PEOPLE: Final = 5_000
MANAGER_FIELDS: Final = ("region", "pdu", "team", "staff_code", "staff_name")


class CaseTablesError(ValueError):
    """The Parquet tables cannot be read as a caseload (missing file or column, out of order)."""


def table_path(directory: Path, table: str) -> Path:
    return directory / f"{table}.parquet"


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


class CaseTableWriter:
    """Writes JSON-ready cases (CONTRACT.md section 2) into the six tables under `directory`."""

    def __init__(self, directory: Path, row_group_people: int = ROW_GROUP_PEOPLE) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._directory = directory
        self._row_group_people = row_group_people
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._columns = self._empty()
        self._pending = 0
        self.people = 0

    @staticmethod
    def _empty() -> dict[str, Columns]:
        return {table: {column: [] for column in schema} for table, schema in SCHEMAS.items()}

    def add(self, case: Mapping[str, Any]) -> None:
        """Append one case (its lists must be lists, its dates ISO text)."""
        index, crn = self.people, case["crn"]
        self.people += 1
        tables = self._columns
        manager = case.get("manager") or {}
        _append(
            tables["people"],
            (index, crn, *(manager.get(name) for name in MANAGER_FIELDS)),
            (_day(case.get("date_of_birth")),),
        )
        for event in case["events"]:
            event_id = event["event_id"]
            key_dates = event.get("key_dates") or {}
            _append(
                tables["events"],
                (index, crn, event_id, event["type"]),
                (
                    _day(event["start_date"]),
                    _day(event.get("end_date")),
                    _day(event.get("pss_end_date")),
                    bool(event.get("youth")),
                    _day(event.get("terminated_on")),
                    _day(key_dates.get("probation_reset_date")),
                ),
            )
            for entry in event.get("requirements") or ():
                _append(
                    tables["requirements"],
                    (index, crn, event_id, entry["type"]),
                    (
                        _day(entry.get("start_date")),
                        _day(entry.get("end_date")),
                        entry.get("days"),
                        entry.get("hours"),
                    ),
                )
            for entry in event.get("licence_conditions") or ():
                _append(
                    tables["licence_conditions"],
                    (index, crn, event_id, entry["type"]),
                    (_day(entry.get("start_date")), _day(entry.get("end_date"))),
                )
        for flag in case.get("registrations") or ():
            level = flag.get("level")
            numeric = isinstance(level, int)
            _append(
                tables["registrations"],
                (index, crn, flag["type"], _day(flag["start_date"])),
                (
                    _day(flag.get("deregistered_on")),
                    None if numeric else level,
                    level if numeric else None,
                    flag.get("category"),
                ),
            )
        contacts = tables["contacts"]
        columns = list(contacts.values())
        for contact in case.get("contacts") or ():
            moment = contact["date"]
            values = (
                index,
                crn,
                contact["contact_id"],
                contact.get("event_id"),
                date.fromisoformat(moment[:10]),
                moment[11:] or None,
                contact["type"],
                contact.get("mode"),
                contact.get("outcome"),
                _day(contact.get("recorded_on")),
            )
            for column, value in zip(columns, values, strict=True):
                column.append(value)
        self._pending += 1
        if self._pending >= self._row_group_people:
            self.flush()

    def flush(self) -> None:
        """Write the cases added since the last flush as one row group of each table."""
        for table, columns in self._columns.items():
            frame = pl.DataFrame(columns, schema=SCHEMAS[table], orient="col")
            arrow = frame.to_arrow()
            writer = self._writers.get(table)
            if writer is None:
                path = table_path(self._directory, table)
                writer = pq.ParquetWriter(path, arrow.schema, compression="zstd")
                self._writers[table] = writer
            writer.write_table(arrow)
        self._columns = self._empty()
        self._pending = 0

    def close(self) -> None:
        if self._pending or not self._writers:
            self.flush()
        for writer in self._writers.values():
            writer.close()
        self._writers = {}


def _append(columns: Columns, head: tuple[Any, ...], tail: tuple[Any, ...]) -> None:
    for column, value in zip(columns.values(), (*head, *tail), strict=True):
        column.append(value)
