"""Errors the pages and the API answer with, instead of a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date


class NotSignedInError(Exception):
    """A page needs a signed-in user: the browser goes to the sign-in page."""


class PageError(Exception):
    """A page cannot be shown: an error page with this status and message."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


class ApiError(Exception):
    """An API request fails: ``{"error": {"status", "message"}}`` with this status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class DayNotCoveredError(ValueError):
    """The policy has no value on the day asked for: a request that cannot be used (400)."""


@contextmanager
def judged_on(day: date) -> Iterator[None]:
    """Work of the engine on ``day``; a day before the policy's parameters begin is a
    ``DayNotCoveredError`` (a bad request), never a server error."""
    try:
        yield
    except LookupError as error:
        if isinstance(error, KeyError | IndexError):
            raise
        raise DayNotCoveredError(
            f"The policy has no value on {day.isoformat()} ({error}); choose a later day"
        ) from None
