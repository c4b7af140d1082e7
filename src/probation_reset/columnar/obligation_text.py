"""A chunk's judged obligations in the per-case engine's order, written as its JSON text, and
those still to meet made Python objects again for the next actions (`columnar.obligations`)."""

from __future__ import annotations

from datetime import date

import polars as pl

from probation_reset.domain.vocabulary import ObligationStatus
from probation_reset.rules.obligation import Obligation, RecordingObligation

MET, DUE = ObligationStatus.MET.value, ObligationStatus.DUE.value
NOT_YET_DUE, MISSED = ObligationStatus.NOT_YET_DUE.value, ObligationStatus.MISSED.value
_STATUS_BY_WORD = {status.value: status for status in ObligationStatus}

#: Days since 1970 of any date the tables take (1800 to 2399), made positive, fit in 19 bits.
DAY_SHIFT = 1 << 18


def in_order(obligations: pl.DataFrame) -> pl.DataFrame:
    """Sorted as the per-case engine sorts a case's obligations: by person, window start, the
    contract's rule order, the event's input position, then the order they were made in
    (``seq``; a rule's duties, or the contacts recorded). The first four make one integer when
    they fit in 63 bits (one column sorts faster than four)."""
    position_bits = largest(obligations, "position").bit_length()
    rule_bits = largest(obligations, "rule_order").bit_length()
    person_bits = largest(obligations, "person").bit_length()
    days = obligations.get_column("window_start").cast(pl.Int64)
    earliest, latest = (0, 0) if days.is_empty() else (days.min(), days.max())
    within = int(earliest) >= -DAY_SHIFT and int(latest) < DAY_SHIFT  # type: ignore[arg-type]
    if not within or person_bits + 19 + rule_bits + position_bits > 62:
        return obligations.sort(["person", "window_start", "rule_order", "position", "seq"])
    key = (
        (
            pl.col("person").cast(pl.Int64) * (1 << 19)
            + pl.col("window_start").cast(pl.Int64)
            + DAY_SHIFT
        )
        * (1 << rule_bits)
        + pl.col("rule_order").cast(pl.Int64)
    ) * (1 << position_bits) + pl.col("position").cast(pl.Int64)
    return obligations.with_columns(order_key=key).sort(["order_key", "seq"])


def texts_by_person(obligations: pl.DataFrame) -> dict[int, str]:
    """Each person's obligations as the text inside the JSON array, by person."""
    return dict(
        obligations.group_by("person", maintain_order=True)
        .agg(pl.col("text").str.join(","))
        .iter_rows()
    )


def largest(frame: pl.DataFrame, column: str) -> int:
    largest = frame.get_column(column).max()
    return 0 if largest is None else int(largest)  # type: ignore[arg-type]


_COMMON = (
    "person", "seq", "rule", "rule_order", "event_id", "position", "window_start", "due_by",
    "status", "met_by", "contact_id",
)  # fmt: skip


def _quoted(column: str) -> pl.Expr:
    """The column as a JSON string, or ``null``."""
    return pl.concat_str([pl.lit('"'), pl.col(column), pl.lit('"')]).fill_null("null")


def written(obligations: pl.DataFrame, day_texts: DayTexts) -> pl.DataFrame:
    """The common columns, and ``text``: the obligation as orjson writes an `Obligation` (with
    ``contact_id`` last for a `RecordingObligation`)."""
    text = pl.format(
        '{{"rule":"{}","event_id":{},"window_start":"{}","due_by":"{}","status":"{}","met_by":{}{}',
        "rule",
        _quoted("event_id"),
        day_texts.of("window_start"),
        day_texts.of("due_by"),
        "status",
        _quoted("met_by"),
        pl.concat_str([pl.lit(',"contact_id":"'), pl.col("contact_id"), pl.lit('"}')]).fill_null(
            "}"
        ),
    )
    return obligations.select(*_COMMON, text=text).with_columns(
        pl.col("rule_order").cast(pl.Int32), pl.col("position").cast(pl.Int32)
    )


class DayTexts:
    """Days written ``YYYY-MM-DD``, each distinct day once (a chunk's obligations fall on a
    few thousand days; writing each row's day took a tenth of the judging)."""

    def __init__(self, *days: pl.Series) -> None:
        distinct = pl.concat([day.cast(pl.Date) for day in days]).unique()
        self.days = distinct
        self.texts = distinct.cast(pl.String)

    def of(self, column: str) -> pl.Expr:
        return pl.col(column).replace_strict(self.days, self.texts, return_dtype=pl.String)


def pending_by_person(obligations: pl.DataFrame, horizon: date) -> dict[int, list[Obligation]]:
    """The obligations still to meet (due, or opening by the horizon), by person (the position
    in the chunk's list), in order."""
    rows = obligations.filter(
        (pl.col("status") == DUE)
        | ((pl.col("status") == NOT_YET_DUE) & (pl.col("window_start") <= horizon))
    ).select("person", "rule", "event_id", "window_start", "due_by", "status", "contact_id")
    pending: dict[int, list[Obligation]] = {}
    for index, rule, event_id, start, due, status, contact_id in rows.iter_rows():
        word = _STATUS_BY_WORD[status]
        obligation: Obligation = (
            Obligation(rule, event_id, start, due, word, None)
            if contact_id is None
            else RecordingObligation(rule, event_id, start, due, word, None, contact_id)
        )
        pending.setdefault(index, []).append(obligation)
    return pending
