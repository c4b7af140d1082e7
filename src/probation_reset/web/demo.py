"""Demo users for the embedded default: one per role, their scope taken from the stored cases.

The practitioner is the staff member with the most cases, the SPO leads that person's team, the
hub user works in that team's region. Their scope is derived again at every start, so they keep
seeing cases when the caseload (or the sample's managers) changes. Passwords are random and
shown once, when the users are created.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from probation_reset.store.models import CaseRecord
from probation_reset.web import accounts
from probation_reset.web.scope import ROLE_TITLES, Role

DEMO_NAMES = {
    Role.PRACTITIONER: "practitioner",
    Role.SPO: "spo",
    Role.HUB: "hub",
    Role.HEAD: "head",
    Role.ADMIN: "admin",
}


@dataclass(frozen=True, slots=True)
class DemoScope:
    staff_code: str | None
    staff_name: str | None
    team: str | None
    region: str | None


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    role: Role
    password: str | None
    scope: str


def busiest_scope(session: Session) -> DemoScope:
    """The staff member with the most cases, with their team and region (``None`` when no case
    carries a manager)."""
    row = session.execute(
        select(
            CaseRecord.staff_code,
            func.max(CaseRecord.staff_name),
            func.max(CaseRecord.team),
            func.max(CaseRecord.region),
        )
        .where(CaseRecord.staff_code.is_not(None))
        .group_by(CaseRecord.staff_code)
        .order_by(func.count().desc(), CaseRecord.staff_code)
        .limit(1)
    ).first()
    if row is not None:
        return DemoScope(row[0], row[1], row[2], row[3])
    team = session.scalar(
        select(CaseRecord.team)
        .where(CaseRecord.team.is_not(None))
        .group_by(CaseRecord.team)
        .order_by(func.count().desc(), CaseRecord.team)
        .limit(1)
    )
    region = session.scalar(
        select(CaseRecord.region)
        .where(CaseRecord.region.is_not(None))
        .group_by(CaseRecord.region)
        .order_by(func.count().desc(), CaseRecord.region)
        .limit(1)
    )
    return DemoScope(None, None, team, region)


#: What a demo user's scope is set to when no case carries that manager field yet.
NO_SCOPE = "(no case has a manager yet)"


def ensure_demo_users(session: Session, at: datetime) -> list[DemoUser]:
    """Create the demo users that do not exist (with new passwords) and bring every demo user's
    scope up to date. The caller commits."""
    scope = busiest_scope(session)
    values = {
        Role.PRACTITIONER: {"staff_code": scope.staff_code or NO_SCOPE},
        Role.SPO: {"team": scope.team or NO_SCOPE},
        Role.HUB: {"region": scope.region or NO_SCOPE},
        Role.HEAD: {},
        Role.ADMIN: {},
    }
    names = {
        Role.PRACTITIONER: scope.staff_name or "Demo practitioner",
        Role.SPO: f"Demo SPO, {scope.team or 'no team'}",
        Role.HUB: f"Demo hub, {scope.region or 'no region'}",
        Role.HEAD: "Demo head of service",
        Role.ADMIN: "Demo administrator",
    }
    users = []
    for role, username in DEMO_NAMES.items():
        found = accounts.find_user(session, username)
        password: str | None = None
        if found is None:
            password = accounts.new_password()
            found = accounts.add_user(
                session, username, password, role, at, display_name=names[role], **values[role]
            )
            accounts.audit(
                session,
                "serve",
                accounts.Action.USER_ADDED,
                accounts.Channel.CLI,
                at,
                detail=f"demo user {username} ({role.value})",
            )
        elif found.role == role.value:
            for column, value in values[role].items():
                setattr(found, column, value)
            found.display_name = names[role]
        detail = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in values[role].items())
        users.append(
            DemoUser(username, role, password, f"{ROLE_TITLES[role]}: {detail or 'every case'}")
        )
    return users
