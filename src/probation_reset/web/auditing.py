"""Writing the audit log from a request: one short write transaction of its own, so a page
never holds the database's write lock while it reads and evaluates."""

from __future__ import annotations

from probation_reset.web import accounts
from probation_reset.web.accounts import Action, Channel
from probation_reset.web.state import WebState


def record(
    state: WebState,
    username: str,
    action: Action,
    channel: Channel,
    crn: str | None = None,
    detail: str = "",
) -> None:
    with state.writer.begin() as session:
        accounts.audit(session, username, action, channel, state.settings.clock(), crn, detail)
