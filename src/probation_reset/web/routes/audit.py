"""The audit log, for admins: who read which case, when, by page, API or CSV, and every change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from probation_reset.store.access_tables import AuditEntryRow
from probation_reset.web import accounts
from probation_reset.web.deps import DbDep, PageDayDep, PageUserDep, SignedIn, StateDep
from probation_reset.web.errors import PageError
from probation_reset.web.pages import csv_response, render
from probation_reset.web.scope import Role
from probation_reset.web.tables import Table

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100


def _admin_only(signed_in: SignedIn) -> None:
    if signed_in.scope.role is not Role.ADMIN:
        raise PageError(403, "Not allowed", "Only an administrator can read the audit log.")


def audit_table(entries: list[AuditEntryRow]) -> Table:
    return Table(
        "audit",
        "Audit log",
        ("when (UTC)", "user", "action", "channel", "CRN", "detail"),
        tuple((e.at, e.username, e.action, e.channel, e.crn, e.detail) for e in entries),
    )


@router.get("/audit")
def audit_page(
    request: Request,
    state: StateDep,
    db: DbDep,
    signed_in: PageUserDep,
    day: PageDayDep,
    user: Annotated[str | None, Query(max_length=100)] = None,
    crn: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    _admin_only(signed_in)
    entries = accounts.audit_entries(
        db, PAGE_SIZE + 1, user or None, crn or None, (page - 1) * PAGE_SIZE
    )
    context = {
        "table": audit_table(entries[:PAGE_SIZE]),
        "page_number": page,
        "more": len(entries) > PAGE_SIZE,
        "user": user or "",
        "crn": crn or "",
    }
    return render(request, state, "audit.html", context, signed_in=signed_in, day=day)


@router.get("/audit.csv")
def audit_csv(
    db: DbDep,
    signed_in: PageUserDep,
    user: Annotated[str | None, Query(max_length=100)] = None,
    crn: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    _admin_only(signed_in)
    entries = accounts.audit_entries(db, 100_000, user or None, crn or None)
    return csv_response(audit_table(entries), "audit.csv")
