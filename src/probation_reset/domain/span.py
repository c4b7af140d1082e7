"""Spans of days: half-open ``[start, end)`` inside the core; an inclusive ``to`` only in output."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True, order=True)
class DateSpan:
    """The days from ``start`` up to, not including, ``end`` (``None``: no end)."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"span ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def inclusive(cls, first: date, last: date | None) -> DateSpan:
        """The span from ``first`` to ``last`` inclusive (``None``: no end)."""
        return cls(first, None if last is None else last + ONE_DAY)

    @property
    def last(self) -> date | None:
        """The last day in the span (``None`` when open-ended)."""
        return None if self.end is None else self.end - ONE_DAY

    @property
    def is_empty(self) -> bool:
        return self.end is not None and self.end <= self.start

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def covers(self, other: DateSpan) -> bool:
        """Every day of ``other`` lies in this span."""
        if other.start < self.start:
            return False
        if self.end is None:
            return True
        return other.end is not None and other.end <= self.end

    def intersection(self, other: DateSpan) -> DateSpan | None:
        start = max(self.start, other.start)
        ends = [e for e in (self.end, other.end) if e is not None]
        end = min(ends) if ends else None
        if end is not None and end <= start:
            return None
        return DateSpan(start, end)


def merge_adjacent(spans: Iterable[DateSpan]) -> list[DateSpan]:
    """Sorted, with overlapping or touching spans joined into one."""
    merged: list[DateSpan] = []
    for span in sorted(spans):
        if span.is_empty:
            continue
        if merged:
            previous = merged[-1]
            if previous.end is None or span.start <= previous.end:
                end = (
                    None
                    if previous.end is None or span.end is None
                    else max(previous.end, span.end)
                )
                merged[-1] = DateSpan(previous.start, end)
                continue
        merged.append(span)
    return merged
