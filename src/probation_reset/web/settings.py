"""What the web service is configured with. The web layer may read the clock (the day picker
defaults to today); the core never does."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

ASSETS_VARIABLE = "PROBATION_RESET_ASSETS"


def utc_now() -> datetime:
    """Now, as the store keeps moments: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    return date.today()


def default_node_modules() -> Path | None:
    """``$PROBATION_RESET_ASSETS``, else the first ``node_modules`` holding GOV.UK Frontend in
    the working directory, the project checkout this package runs from, or their parents."""
    given = os.environ.get(ASSETS_VARIABLE)
    if given:
        return Path(given)
    starts = [Path.cwd(), Path(__file__).resolve().parent]
    for start in starts:
        for folder in (start, *start.parents):
            candidate = folder / "node_modules"
            if (candidate / "govuk-frontend" / "dist").is_dir():
                return candidate
    return None


@dataclass(frozen=True, slots=True)
class Settings:
    #: ``None``: ``$DATABASE_URL``, else the SQLite file in the working directory.
    database_url: str | None = None
    #: The ``node_modules`` folder holding ``govuk-frontend`` and ``@ministryofjustice/frontend``.
    node_modules: Path | None = field(default_factory=default_node_modules)
    policy: str | None = None
    #: ``None``: Secure cookies when the request came over HTTPS (or a proxy says so).
    secure_cookies: bool | None = None
    session_hours: int = 8
    #: Failed sign-ins allowed per user name (and, times four, per client) in the window.
    sign_in_limit: int = 5
    sign_in_window_minutes: int = 15
    page_size: int = 25
    clock: Callable[[], datetime] = utc_now
    today: Callable[[], date] = local_today
