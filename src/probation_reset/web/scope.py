"""Who sees which cases: the one place scope is applied.

A practitioner sees the cases whose manager's ``staff_code`` is theirs, an SPO their ``team``,
hub staff their ``region``, a head of service and an admin every case. The scope is a SQL clause
on the ``cases`` table's manager columns; every query of cases (pages, API, CSV) adds it, and a
user with no staff code, team or region for their role sees nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, false, func, select, true
from sqlalchemy.orm import Session

from probation_reset.store.access_tables import UserRow
from probation_reset.store.models import CaseRecord


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    SPO = "spo"
    HUB = "hub"
    HEAD = "head"
    ADMIN = "admin"


ROLE_TITLES = {
    Role.PRACTITIONER: "Probation practitioner",
    Role.SPO: "Senior probation officer",
    Role.HUB: "Regional hub",
    Role.HEAD: "Head of service",
    Role.ADMIN: "Administrator",
}


@dataclass(frozen=True, slots=True)
class Scope:
    role: Role
    staff_code: str | None = None
    team: str | None = None
    region: str | None = None

    @classmethod
    def of(cls, user: UserRow) -> Scope:
        return cls(Role(user.role), user.staff_code, user.team, user.region)

    @property
    def clause(self) -> ColumnElement[bool]:
        """The cases this scope may see, as a condition on ``cases``."""
        if self.role in (Role.HEAD, Role.ADMIN):
            return true()
        column, value = {
            Role.PRACTITIONER: (CaseRecord.staff_code, self.staff_code),
            Role.SPO: (CaseRecord.team, self.team),
            Role.HUB: (CaseRecord.region, self.region),
        }[self.role]
        return false() if value is None else column == value

    @property
    def works_the_hub(self) -> bool:
        """Hub staff with a region, a head of service and an admin use the hub's queue."""
        if self.role is Role.HUB:
            return self.region is not None
        return self.role in (Role.HEAD, Role.ADMIN)

    @property
    def hub_region(self) -> str | None:
        """The region the hub's queue is limited to: hub staff their own; ``None`` (every
        region) for a head of service and an admin. Only for a scope that ``works_the_hub``."""
        if not self.works_the_hub:
            raise PermissionError(f"the {self.role.value} role does not use the hub's queue")
        return self.region if self.role is Role.HUB else None

    @property
    def description(self) -> str:
        """Whose cases, for a page heading: "your cases", "team Cardiff 2", "every case"."""
        if self.role is Role.PRACTITIONER:
            return "Your cases"
        if self.role is Role.SPO:
            return f"Cases of team {self.team or '(none)'}"
        if self.role is Role.HUB:
            return f"Cases in {self.region or '(no region)'}"
        return "Every case"


def case_in_scope(session: Session, scope: Scope, crn: str) -> CaseRecord | None:
    """The stored case ``crn`` when this scope may see it; ``None`` when it does not exist or is
    out of scope (the two are never told apart)."""
    return session.scalar(select(CaseRecord).where(CaseRecord.crn == crn, scope.clause))


def records_in_scope(session: Session, scope: Scope) -> list[CaseRecord]:
    """Every stored case this scope may see, in CRN order."""
    return list(session.scalars(select(CaseRecord).where(scope.clause).order_by(CaseRecord.crn)))


#: The figures' scope levels (``figures.model.ScopeLevel`` values) and their ``cases`` column.
FIGURE_COLUMNS = {"region": CaseRecord.region, "pdu": CaseRecord.pdu, "team": CaseRecord.team}


def figures_allowed(session: Session, scope: Scope, level: str, name: str | None) -> bool:
    """Whether this scope may see the figures of every case of a region, PDU or team (``level``
    ``all``: every stored case): only when each of those cases is in its scope. A head of
    service and an admin see any; a practitioner none (their caseload is no region, PDU or
    team)."""
    if scope.role in (Role.HEAD, Role.ADMIN):
        return level == "all" or (level in FIGURE_COLUMNS and name is not None)
    if scope.role is Role.PRACTITIONER or level not in FIGURE_COLUMNS or name is None:
        return False
    column = FIGURE_COLUMNS[level]
    every = session.scalar(select(func.count()).select_from(CaseRecord).where(column == name))
    seen = session.scalar(
        select(func.count()).select_from(CaseRecord).where(column == name, scope.clause)
    )
    return bool(every) and every == seen


def figure_choices(session: Session, scope: Scope) -> list[tuple[str, str | None]]:
    """The (level, name) figures this scope may see: every region, PDU and team it holds all
    the cases of, and for a head of service or an admin every stored case. One pass over the
    scope's cases counts each name's cases in scope; one count per level over the cases bearing
    those names says which are whole (``figures_allowed``, for every name at once)."""
    found: list[tuple[str, str | None]] = []
    if scope.role in (Role.HEAD, Role.ADMIN):
        found.append(("all", None))
    if scope.role is Role.PRACTITIONER:
        return found
    seen: dict[str, Counter[str]] = {level: Counter() for level in FIGURE_COLUMNS}
    for region, pdu, team, n in session.execute(
        select(CaseRecord.region, CaseRecord.pdu, CaseRecord.team, func.count())
        .where(scope.clause)
        .group_by(CaseRecord.region, CaseRecord.pdu, CaseRecord.team)
    ):
        for level, name in (("region", region), ("pdu", pdu), ("team", team)):
            if name is not None:
                seen[level][name] += n
    for level, column in FIGURE_COLUMNS.items():
        names = seen[level]
        if scope.role in (Role.HEAD, Role.ADMIN):
            found += [(level, n) for n in sorted(names)]
            continue
        every = {
            name: n
            for name, n in session.execute(
                select(column, func.count()).where(column.in_(sorted(names))).group_by(column)
            )
        }
        found += [(level, n) for n in sorted(names) if every.get(n) == names[n]]
    return found
