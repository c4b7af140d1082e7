"""The Parquet form of a batch's results: one row per input case (see `outputs`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import polars as pl
import pyarrow.parquet as pq

from probation_reset.batch.work import Outcome

_TEXT = pl.String()
_TEXTS = pl.List(pl.String())

#: The columns of a results file.
RESULT_SCHEMA: Final = pl.Schema(
    {
        "index": pl.Int64(),
        "crn": _TEXT,
        "status": _TEXT,
        "exemptions": _TEXTS,
        "reasons": pl.List(
            pl.Struct(
                {
                    "rule": _TEXT,
                    "text": _TEXT,
                    "source": _TEXT,
                    "event_id": _TEXT,
                    "details": _TEXT,
                }
            )
        ),
        "events": pl.List(
            pl.Struct(
                {
                    "event_id": _TEXT,
                    "phase": _TEXT,
                    "final_third_start": _TEXT,
                    "continuing": _TEXTS,
                    "details": _TEXT,
                }
            )
        ),
        "timeline": pl.List(
            pl.Struct(
                {
                    "from": _TEXT,
                    "to": _TEXT,
                    "status": _TEXT,
                    "exemptions": _TEXTS,
                    "details": _TEXT,
                }
            )
        ),
        "obligations": pl.List(
            pl.Struct(
                {
                    "rule": _TEXT,
                    "event_id": _TEXT,
                    "window_start": _TEXT,
                    "due_by": _TEXT,
                    "status": _TEXT,
                    "met_by": _TEXT,
                    "details": _TEXT,
                }
            )
        ),
        "errors": pl.List(pl.Struct({"field": _TEXT, "message": _TEXT})),
        "extra": _TEXT,
    }
)
_CONTRACT_FIELDS: Final = frozenset(RESULT_SCHEMA) - {"index", "errors", "extra"}
#: The list columns whose items are structs: their fields, ``details`` holding any others.
_ITEM_FIELDS: Final = {
    name: tuple(field.name for field in dtype.inner.fields if field.name != "details")
    for name, dtype in RESULT_SCHEMA.items()
    if isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct) and name != "errors"
}


def _item_row(item: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    row = {name: item.get(name) for name in fields}
    details = {name: value for name, value in item.items() if name not in fields}
    row["details"] = json.dumps(details, ensure_ascii=False) if details else None
    return row


def _item_of_row(row: dict[str, Any], fields: tuple[str, ...], column: str) -> dict[str, Any]:
    # A reason's event_id is written only when it has one (evaluation.document.reason_json).
    item = {name: row[name] for name in fields if not (column == "reasons" and row[name] is None)}
    if row["details"] is not None:
        item.update(json.loads(row["details"]))
    return item


def _row(outcome: Outcome) -> dict[str, Any]:
    if outcome.result is None:
        errors = [{"field": e.field, "message": e.message} for e in outcome.errors]
        return {"index": outcome.index, "crn": outcome.crn, "errors": errors}
    result: dict[str, Any] = json.loads(outcome.result)
    row = {name: value for name, value in result.items() if name in _CONTRACT_FIELDS}
    for column, fields in _ITEM_FIELDS.items():
        if column in row:
            row[column] = [_item_row(item, fields) for item in row[column]]
    extra = {name: value for name, value in result.items() if name not in _CONTRACT_FIELDS}
    row["index"] = outcome.index
    row["errors"] = []
    row["extra"] = json.dumps(extra, ensure_ascii=False) if extra else None
    return row


def result_of_row(row: dict[str, Any]) -> dict[str, Any] | None:
    """The CaseResult of a results row as ``evaluate`` writes it (None for a refused case)."""
    if row["status"] is None:
        return None
    result = {name: row[name] for name in RESULT_SCHEMA if name in _CONTRACT_FIELDS}
    for column, fields in _ITEM_FIELDS.items():
        if column in result:
            result[column] = [_item_of_row(item, fields, column) for item in result[column]]
    if row["extra"] is not None:
        result.update(json.loads(row["extra"]))
    return result


class ResultTableWriter:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._writer: pq.ParquetWriter | None = None

    def write(self, outcomes: list[Outcome]) -> None:
        frame = pl.DataFrame([_row(outcome) for outcome in outcomes], schema=RESULT_SCHEMA)
        table = frame.to_arrow()
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._path, table.schema, compression="zstd")
        self._writer.write_table(table)

    def close(self) -> None:
        if self._writer is None:
            self.write([])
        assert self._writer is not None
        self._writer.close()
