"""A record an import keeps out, and why; written so that writing it can never fail."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Column sizes of ``rejected_records`` (see ``models.RejectedRecord``).
CRN_LENGTH = 64
FIELD_LENGTH = 300
MESSAGE_LENGTH = 2000
LOCATION_LENGTH = 300

_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def storable(text: str, length: int) -> str:
    """``text`` as a column of ``length`` characters can hold it: a NUL or a lone surrogate
    written as its escape (``\\x00``, ``\\ud800``), and cut to ``length`` with ``…``."""
    escaped = _UNSTORABLE.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if m[0] == "\x00" else f"\\u{ord(m[0]):04x}", text
    )
    return escaped if len(escaped) <= length else escaped[: length - 1] + "…"


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

    def stored(self) -> Rejection:
        """This rejection as ``rejected_records`` can hold it (see ``storable``)."""
        return Rejection(
            self.record,
            None if self.crn is None else storable(self.crn, CRN_LENGTH),
            storable(self.field, FIELD_LENGTH),
            storable(self.message, MESSAGE_LENGTH),
            None if self.location is None else storable(self.location, LOCATION_LENGTH),
        )
