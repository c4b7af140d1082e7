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
            pl.Struct({"rule": _TEXT, "text": _TEXT, "source": _TEXT, "event_id": _TEXT})
        ),
        "events": pl.List(
            pl.Struct(
                {
                    "event_id": _TEXT,
                    "phase": _TEXT,
                    "final_third_start": _TEXT,
                    "continuing": _TEXTS,
                }
            )
        ),
        "timeline": pl.List(
            pl.Struct({"from": _TEXT, "to": _TEXT, "status": _TEXT, "exemptions": _TEXTS})
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
                }
            )
        ),
        "errors": pl.List(pl.Struct({"field": _TEXT, "message": _TEXT})),
        "extra": _TEXT,
    }
)
_CONTRACT_FIELDS: Final = frozenset(RESULT_SCHEMA) - {"index", "errors", "extra"}


def _row(outcome: Outcome) -> dict[str, Any]:
    if outcome.result is None:
        errors = [{"field": e.field, "message": e.message} for e in outcome.errors]
        return {"index": outcome.index, "crn": outcome.crn, "errors": errors}
    result: dict[str, Any] = json.loads(outcome.result)
    row = {name: value for name, value in result.items() if name in _CONTRACT_FIELDS}
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
    result["reasons"] = [
        {k: v for k, v in reason.items() if k != "event_id" or v is not None}
        for reason in result["reasons"]
    ]
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
