"""Errors the pages and the API answer with, instead of a traceback."""

from __future__ import annotations


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
