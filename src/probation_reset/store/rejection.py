"""A record an import keeps out, and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rejection:
    """One problem that keeps a record out of the store: the record's index in the file
    (``None`` when the problem is in no one record, such as a CSV row naming an unknown CRN),
    its CRN, the field as the contract writes it, why, and where in a CSV bundle."""

    record: int | None
    crn: str | None
    field: str
    message: str
    location: str | None = None
