"""Finding the records of a batch that the database refuses, so that they alone are rejected.

``intake.limits`` keeps out what the store is known not to hold. Should a record still be refused
by the database (a limit nobody foresaw), the batch's transaction fails as a whole; the importer
then finds the records at fault by trying halves of the batch in transactions that are rolled
back (``find_unstorable``), rejects those records, and stores the rest: one bad record never
costs another. A failure that is not about a record (the server gone, a lock, a read-only
database) is not a record problem and stops the import instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy.exc import DataError, IntegrityError, OperationalError, StatementError

from probation_reset.store.concurrency import is_busy, is_retryable

T = TypeVar("T")

#: Python errors a driver raises when it cannot send a value (a number too large for SQLite's
#: ``OverflowError``), bare or wrapped by SQLAlchemy.
_VALUE_ERRORS = (ValueError, OverflowError, UnicodeError)


def is_record_problem(error: BaseException) -> bool:
    """Whether the database refused the data itself (a value out of range, too long, a
    character it cannot keep), rather than failing as a whole."""
    if is_retryable(error) or is_busy(error) or isinstance(error, OperationalError):
        return False
    if isinstance(error, (DataError, IntegrityError, *_VALUE_ERRORS)):
        return True
    return isinstance(error, StatementError) and isinstance(error.orig, _VALUE_ERRORS)


def reason(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else error.__class__.__name__


def find_unstorable(
    records: Sequence[T], trial: Callable[[Sequence[T]], None]
) -> list[tuple[T, str]]:
    """Each record ``trial`` fails on when tried alone, with the database's reason. ``trial``
    writes the records in a transaction it rolls back, raising what the database raised; halves
    that pass are not tried further, so few trials are needed when few records are bad."""
    try:
        trial(records)
    except Exception as error:
        if not is_record_problem(error):
            raise
        if len(records) == 1:
            return [(records[0], reason(error))]
        middle = len(records) // 2
        return find_unstorable(records[:middle], trial) + find_unstorable(records[middle:], trial)
    return []
