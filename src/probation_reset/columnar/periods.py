"""The periodic standards' spans (`national_standards.PeriodicSpan`) cut into their duties in
polars, as `national_standards` cuts them one case at a time (`columnar.obligations`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

SPAN_COLUMNS = {
    "person": pl.Int64, "rule": pl.String, "rule_order": pl.Int32, "event_id": pl.String,
    "position": pl.Int32, "start": pl.Date, "end": pl.Date, "last_active": pl.Date,
    "monthly": pl.Boolean,
}  # fmt: skip


def periodic_duties(
    spans: list[tuple[Any, ...]], on: date, kind: int, columns: list[str]
) -> pl.DataFrame:
    """The duties of the periodic rules' spans, as `national_standards` cuts them: each whole
    calendar month (monthly) or ISO week, Monday to Sunday (weekly), inside the span (which
    ends before ``end``) that has begun by the day judged, a held face-to-face contact due in
    it; none starts after the event's last active day, and none is due after it. ``spans`` are
    rows of `SPAN_COLUMNS`; the duties come as rows of ``columns`` (`kind` the number of the
    kind of contact they ask for)."""
    frame = pl.DataFrame(
        dict(zip(SPAN_COLUMNS, zip(*spans, strict=True), strict=True)), schema=SPAN_COLUMNS
    )
    start = pl.col("start")
    month = (
        pl.when(start.dt.day() == 1)
        .then(start)
        .otherwise(start.dt.month_start().dt.offset_by("1mo"))
    )
    monday = start + pl.duration(days=(8 - start.dt.weekday().cast(pl.Int32)) % 7)
    cut = []
    for monthly, first, step, last in (
        (True, month, "1mo", pl.col("window_start").dt.month_end()),
        (False, monday, "1w", pl.col("window_start") + pl.duration(days=6)),
    ):
        cut.append(
            frame.filter(pl.col("monthly") == monthly)
            .with_columns(window_start=pl.date_ranges(first, pl.lit(on), step))
            .explode("window_start")
            .filter(pl.col("window_start").is_not_null())
            .with_columns(due_by=last)
        )
    return (
        pl.concat(cut)
        .filter(
            (pl.col("end").is_null() | (pl.col("due_by") < pl.col("end")))
            & (pl.col("last_active").is_null() | (pl.col("window_start") <= pl.col("last_active")))
        )
        .select(
            *(name for name in columns if name not in ("due_by", "kind")),
            due_by=pl.min_horizontal("due_by", "last_active"),
            kind=pl.lit(kind, pl.Int32),
        )
        .select(columns)
    )
