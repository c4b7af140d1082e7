"""Reading a caseload back from its Parquet tables (`tables.py`), a chunk of people at a time.

The six files are read once each, in step: rows are taken up to the last ``case_index`` of the
chunk of people, so memory holds one chunk, whatever the size of the caseload.

Reading is in two steps, so that the cheap one can run in one process and the costly one in
many (`batch` does so): `read_table_chunks` cuts the files into `TableChunk` s, each the rows of
its people as compact Arrow IPC bytes, in Arrow's own code; `cases_of` makes a chunk's cases, as
the cases' JSON has them (dates as ``YYYY-MM-DD`` text, converted by Arrow).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
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

#: Rows decoded from a file at a time.
BATCH_ROWS = 65_536


@dataclass(frozen=True, slots=True)
class TableChunk:
    """The rows of each table for a run of people: Arrow IPC stream bytes per table name."""

    people: int
    tables: dict[str, bytes]

    def table(self, name: str) -> pa.Table:
        """One table's rows, read from their IPC bytes."""
        return pa.ipc.open_stream(self.tables[name]).read_all()


def _ipc_bytes(schema: pa.Schema, parts: list[pa.RecordBatch]) -> bytes:
    """The parts as one IPC stream: only the rows sliced, not the batches they came from."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        for part in parts:
            writer.write_batch(part)
    return bytes(sink.getvalue().to_pybytes())


class _TableCursor:
    """One table's rows in file order, cut a case range at a time (in Arrow, not row by row)."""

    def __init__(self, directory: Path, table: str) -> None:
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
        columns = list(SCHEMAS[table])
        self.schema = pa.schema([parquet.schema_arrow.field(name) for name in columns])
        self._batches = parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns)
        self._batch: pa.RecordBatch | None = None
        self._indexes: list[int] = []
        self._at = 0
        self._last = -1

    def _next_batch(self) -> bool:
        batch = next(self._batches, None)
        if batch is None:
            self._batch = None
            return False
        column = batch.column(0)
        indexes: list[int] = column.to_pylist()
        in_order = (
            column.null_count == 0
            and (not indexes or indexes[0] >= self._last)
            and (len(indexes) < 2 or pc.all(pc.greater_equal(column[1:], column[:-1])).as_py())
        )
        if not in_order:
            previous = self._last
            for index in indexes:
                if index is None or index < previous:
                    self._last = previous
                    self._order_error(index)
                previous = index
        self._batch, self._indexes, self._at = batch, indexes, 0
        return True

    def _order_error(self, index: int | None) -> None:
        raise CaseTablesError(
            f"{self.table}.parquet: rows must be in case_index order "
            f"(row with case_index {index} after {self._last})"
        )

    @property
    def last_index(self) -> int:
        """The ``case_index`` of the last row taken (-1 before any)."""
        return self._last

    def take(self, last_index: int, limit: int | None = None) -> tuple[int, bytes]:
        """The next rows with ``case_index`` up to `last_index` (at most `limit`): their number
        and their IPC bytes."""
        parts: list[pa.RecordBatch] = []
        taken = 0
        while limit is None or taken < limit:
            if (self._batch is None or self._at >= len(self._indexes)) and not self._next_batch():
                break
            end = bisect_right(self._indexes, last_index, self._at)
            if limit is not None:
                end = min(end, self._at + limit - taken)
            if end > self._at:
                assert self._batch is not None
                parts.append(self._batch.slice(self._at, end - self._at))
                taken += end - self._at
                self._last = self._indexes[end - 1]
                self._at = end
            if self._at < len(self._indexes):
                break
        return taken, _ipc_bytes(self.schema, parts)


def read_table_chunks(directory: Path, chunk_people: int = 2_000) -> Iterator[TableChunk]:
    """The tables under `directory` cut into chunks of `chunk_people` people, in order.

    Raises `CaseTablesError` for a missing file or column, or rows out of ``case_index`` order.
    """
    people = _TableCursor(directory, "people")
    others = {table: _TableCursor(directory, table) for table in TABLE_NAMES[1:]}
    while True:
        count, people_rows = people.take(2**62, limit=chunk_people)
        if not count:
            break
        last = people.last_index
        tables = {"people": people_rows}
        for table, cursor in others.items():
            tables[table] = cursor.take(last)[1]
        yield TableChunk(count, tables)
    for table, cursor in others.items():
        if cursor.take(2**62, limit=1)[0]:
            raise CaseTablesError(f"{table}.parquet: rows for a case_index not in people.parquet")


def _rows(ipc: bytes) -> list[tuple[Any, ...]]:
    """A table's rows as tuples, dates as ``YYYY-MM-DD`` text."""
    table = pa.ipc.open_stream(ipc).read_all()
    columns = [
        pc.cast(column, pa.string()) if pa.types.is_date(column.type) else column
        for column in table.columns
    ]
    return list(zip(*(column.to_pylist() for column in columns), strict=True))


def cases_of(chunk: TableChunk) -> list[dict[str, Any]]:
    """The cases of a chunk, as the cases' JSON has them (CONTRACT.md section 2).

    Raises `CaseTablesError` for a row whose case or event is not in the chunk.
    """
    cases: dict[int, dict[str, Any]] = {}
    for index, crn, *manager, birth in _rows(chunk.tables["people"]):
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
    _fill(cases, {table: _rows(chunk.tables[table]) for table in TABLE_NAMES[1:]})
    return list(cases.values())


def read_case_tables(directory: Path, chunk_people: int = 2_000) -> Iterator[list[dict[str, Any]]]:
    """The cases of the tables under `directory`, in order, `chunk_people` at a time.

    Raises `CaseTablesError` for a missing file or column, or rows out of ``case_index`` order.
    """
    for chunk in read_table_chunks(directory, chunk_people):
        yield cases_of(chunk)


def _case(cases: dict[int, dict[str, Any]], table: str, index: int) -> dict[str, Any]:
    case = cases.get(index)
    if case is None:
        raise CaseTablesError(f"{table}.parquet: case_index {index} is not in people.parquet")
    return case


def _fill(cases: dict[int, dict[str, Any]], tables: dict[str, list[tuple[Any, ...]]]) -> None:
    events: dict[tuple[int, str], dict[str, Any]] = {}
    for index, _, event_id, kind, start, end, pss_end, youth, terminated, pr1 in tables["events"]:
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
        for row in tables[table]:
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
    for index, _, kind, start, ended, level, level_number, category in tables["registrations"]:
        flag: dict[str, Any] = {"type": kind, "start_date": start}
        if ended is not None:
            flag["deregistered_on"] = ended
        if level is not None or level_number is not None:
            flag["level"] = level if level is not None else level_number
        if category is not None:
            flag["category"] = category
        _case(cases, "registrations", index)["registrations"].append(flag)
    for index, _, contact_id, event_id, day, time, kind, mode, outcome, recorded in tables[
        "contacts"
    ]:
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
