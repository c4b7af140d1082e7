"""Reading a caseload back from its Parquet tables (`tables.py`), a chunk of people at a time.

The six files are read once each, in step: rows are taken up to the last ``case_index`` of the
chunk of people, so memory holds one chunk, whatever the size of the caseload. Dates are read as
the contract writes them (``YYYY-MM-DD`` text, converted by Arrow), as the cases' JSON has them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from probation_reset.columnar.tables import (
    MANAGER_FIELDS,
    SCHEMAS,
    TABLE_NAMES,
    CaseTablesError,
    table_path,
)


class _TableRows:
    """The rows of one table in file order, taken a case range at a time."""

    def __init__(self, directory: Path, table: str, batch_rows: int) -> None:
        path = table_path(directory, table)
        try:
            parquet = pq.ParquetFile(path)
        except (OSError, ValueError) as error:
            raise CaseTablesError(f"{path}: cannot be read as Parquet ({error})") from error
        present = set(parquet.schema_arrow.names)
        missing = [column for column in SCHEMAS[table] if column not in present]
        if missing:
            raise CaseTablesError(f"{path}: no column {', '.join(missing)}")
        self.table = table
        self.rows_total = parquet.metadata.num_rows
        self._batches = parquet.iter_batches(batch_size=batch_rows, columns=list(SCHEMAS[table]))
        self._rows: list[tuple[Any, ...]] = []
        self._at = 0
        self._last = -1

    def _refill(self) -> bool:
        batch = next(self._batches, None)
        if batch is None:
            return False
        columns = [
            pc.cast(column, pa.string()) if pa.types.is_date(column.type) else column
            for column in batch.columns
        ]
        self._rows = list(zip(*(column.to_pylist() for column in columns), strict=True))
        self._at = 0
        return True

    def take(self, last_index: int, limit: int | None = None) -> list[tuple[Any, ...]]:
        """The next rows with ``case_index`` up to `last_index` (at most `limit` of them)."""
        taken: list[tuple[Any, ...]] = []
        while limit is None or len(taken) < limit:
            if self._at >= len(self._rows) and not self._refill():
                break
            row = self._rows[self._at]
            index = row[0]
            if index is None or index < self._last:
                raise CaseTablesError(
                    f"{self.table}.parquet: rows must be in case_index order "
                    f"(row with case_index {index} after {self._last})"
                )
            if index > last_index:
                break
            self._last = index
            taken.append(row)
            self._at += 1
        return taken


def read_case_tables(directory: Path, chunk_people: int = 2_000) -> Iterator[list[dict[str, Any]]]:
    """The cases of the tables under `directory`, in order, `chunk_people` at a time.

    Raises `CaseTablesError` for a missing file or column, or rows out of ``case_index`` order.
    """
    batch_rows = 65_536
    people = _TableRows(directory, "people", batch_rows)
    others = {table: _TableRows(directory, table, batch_rows) for table in TABLE_NAMES[1:]}
    while True:
        rows = people.take(2**62, limit=chunk_people)
        if not rows:
            break
        cases: dict[int, dict[str, Any]] = {}
        for index, crn, *manager, birth in rows:
            case: dict[str, Any] = {"crn": crn}
            if any(value is not None for value in manager):
                case["manager"] = {
                    name: value
                    for name, value in zip(MANAGER_FIELDS, manager, strict=True)
                    if value is not None
                }
            if birth is not None:
                case["date_of_birth"] = birth
            case["events"] = []
            case["registrations"] = []
            case["contacts"] = []
            cases[index] = case
        last = rows[-1][0]
        _fill(cases, others, last)
        yield list(cases.values())
    for table, cursor in others.items():
        if cursor.take(2**62, limit=1):
            raise CaseTablesError(f"{table}.parquet: rows for a case_index not in people.parquet")


def _case(cases: dict[int, dict[str, Any]], table: str, index: int) -> dict[str, Any]:
    case = cases.get(index)
    if case is None:
        raise CaseTablesError(f"{table}.parquet: case_index {index} is not in people.parquet")
    return case


def _fill(cases: dict[int, dict[str, Any]], tables: dict[str, _TableRows], last: int) -> None:
    events: dict[tuple[int, str], dict[str, Any]] = {}
    event_rows = tables["events"].take(last)
    for index, _, event_id, kind, start, end, pss_end, youth, terminated, pr1 in event_rows:
        event: dict[str, Any] = {
            "event_id": event_id,
            "type": kind,
            "start_date": start,
            "end_date": end,
        }
        if pss_end is not None or kind == "LICENCE":
            event["pss_end_date"] = pss_end
        event["youth"] = bool(youth)
        if terminated is not None:
            event["terminated_on"] = terminated
        event["licence_conditions" if kind == "LICENCE" else "requirements"] = []
        if pr1 is not None:
            event["key_dates"] = {"probation_reset_date": pr1}
        _case(cases, "events", index)["events"].append(event)
        events.setdefault((index, event_id), event)
    for table in ("requirements", "licence_conditions"):
        for row in tables[table].take(last):
            index, _, event_id, kind, start, end, *amounts = row
            owner = events.get((index, event_id))
            if owner is None:
                raise CaseTablesError(
                    f"{table}.parquet: case_index {index} has no event {event_id}"
                )
            entry: dict[str, Any] = {"type": kind}
            if start is not None:
                entry["start_date"] = start
            if end is not None:
                entry["end_date"] = end
            for name, amount in zip(("days", "hours"), amounts, strict=False):
                if amount is not None:
                    entry[name] = amount
            owner.setdefault(table, []).append(entry)
    flag_rows = tables["registrations"].take(last)
    for index, _, kind, start, ended, level, level_number, category in flag_rows:
        flag: dict[str, Any] = {"type": kind, "start_date": start}
        if ended is not None:
            flag["deregistered_on"] = ended
        if level is not None or level_number is not None:
            flag["level"] = level if level is not None else level_number
        if category is not None:
            flag["category"] = category
        _case(cases, "registrations", index)["registrations"].append(flag)
    contact_rows = tables["contacts"].take(last)
    for index, _, contact_id, event_id, day, time, kind, mode, outcome, recorded in contact_rows:
        contact: dict[str, Any] = {"contact_id": contact_id}
        if event_id is not None:
            contact["event_id"] = event_id
        contact["date"] = day if time is None else f"{day}T{time}"
        contact["type"] = kind
        if mode is not None:
            contact["mode"] = mode
        contact["outcome"] = outcome
        if recorded is not None:
            contact["recorded_on"] = recorded
        _case(cases, "contacts", index)["contacts"].append(contact)
