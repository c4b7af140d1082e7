"""What if a registration were added, or ended, on a day: one case before and after.

The hub reinstates contact "when, and only when, an exemption now applies" (RESET); before it
records a MAPPA, RoSH, child protection, NSD or ISC registration, a practitioner wants to see what
the case would look like with it: the status, the timeline and the obligations, side by side.
``what_if`` builds the changed case (a new registration, or the registrations of a type in force
on the day ended on it) and evaluates both with the same engine, so the "after" is exactly the
evaluation of the changed case. Pure: no clock, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from probation_reset.domain.case import Case, Registration
from probation_reset.domain.vocabulary import ObligationStatus, RegistrationType, RoshLevel, Status
from probation_reset.evaluation.document import case_result_json
from probation_reset.evaluation.engine import CaseResult, Engine
from probation_reset.rules.history import TimelineSpan
from probation_reset.rules.obligation import Obligation


class WhatIfError(ValueError):
    """The change cannot be made to this case (the message names the field and why)."""


@dataclass(frozen=True, slots=True)
class AddRegistration:
    """A registration of ``type`` in force from ``start_date`` with no end."""

    type: RegistrationType
    start_date: date
    level: str | int | None = None
    category: int | None = None

    def describe(self) -> str:
        level = "" if self.level is None else f" level {self.level}"
        return f"add {self.type.value}{level} from {self.start_date.isoformat()}"


@dataclass(frozen=True, slots=True)
class EndRegistration:
    """Every registration of ``type`` in force on ``on`` is deregistered on ``on``."""

    type: RegistrationType
    on: date

    def describe(self) -> str:
        return f"end {self.type.value} on {self.on.isoformat()}"


Change = AddRegistration | EndRegistration

MAPPA_LEVELS = frozenset({1, 2, 3})
MAPPA_CATEGORIES = frozenset({1, 2, 3, 4})


def _checked_level(change: AddRegistration) -> str | int | None:
    """The level as the domain keeps it (RoSH a word, MAPPA a number), or a clear error."""
    level = change.level
    if change.type is RegistrationType.ROSH:
        words = {r.value for r in RoshLevel}
        if not isinstance(level, str) or level.upper() not in words:
            raise WhatIfError(
                f"registration.level: RoSH level must be one of {', '.join(sorted(words))}, "
                f"got {level!r}"
            )
        return level.upper()
    if change.type is RegistrationType.MAPPA:
        if level is None:
            return None
        # ASCII digits only: int("²") fails though "²".isdigit() (a bad level, not a crash).
        written = isinstance(level, str) and level.isascii() and level.isdigit()
        number = int(level) if isinstance(level, str) and written else level
        if type(number) is not int or number not in MAPPA_LEVELS:
            raise WhatIfError(f"registration.level: MAPPA level must be 1, 2 or 3, got {level!r}")
        return number
    if level is not None:
        raise WhatIfError(f"registration.level: a {change.type.value} registration has no level")
    return None


def _checked_category(change: AddRegistration) -> int | None:
    """A MAPPA category, 1 to 4; other registrations have none."""
    category = change.category
    if category is None:
        return None
    if change.type is not RegistrationType.MAPPA:
        raise WhatIfError(
            f"registration.category: a {change.type.value} registration has no category"
        )
    if type(category) is not int or category not in MAPPA_CATEGORIES:
        raise WhatIfError(
            f"registration.category: MAPPA category must be 1, 2, 3 or 4, got {category!r}"
        )
    return category


def changed_case(case: Case, change: Change) -> Case:
    """The case with ``change`` made: an added registration comes last in input order."""
    if isinstance(change, AddRegistration):
        added = Registration(
            change.type,
            change.start_date,
            None,
            _checked_level(change),
            _checked_category(change),
            position=len(case.registrations),
        )
        return replace(case, registrations=(*case.registrations, added))
    in_force = [r for r in case.registrations if r.type is change.type and r.is_active(change.on)]
    if not in_force:
        raise WhatIfError(
            f"registration.type: {case.crn} has no {change.type.value} registration in force "
            f"on {change.on.isoformat()} to end"
        )
    return replace(
        case,
        registrations=tuple(
            replace(r, deregistered_on=change.on) if r in in_force else r
            for r in case.registrations
        ),
    )


@dataclass(frozen=True, slots=True)
class ObligationChange:
    """One obligation (rule, event, window) before and after; ``None``: not owed on that side."""

    rule: str
    event_id: str | None
    window_start: date
    due_by: date
    before: ObligationStatus | None
    after: ObligationStatus | None


@dataclass(frozen=True, slots=True)
class WhatIf:
    """A case on a day as it is, and as it would be with ``change``."""

    change: Change
    on: date
    before: CaseResult
    after: CaseResult

    @property
    def status_changed(self) -> bool:
        return (self.before.status, self.before.exemptions) != (
            self.after.status,
            self.after.exemptions,
        )

    @property
    def reinstates(self) -> bool:
        """Contact suspended as things are, and continuing (``EXEMPT``) with the change."""
        return self.before.status is Status.SUSPENDED and self.after.status is Status.EXEMPT

    @property
    def timeline_changed(self) -> bool:
        return self.before.timeline != self.after.timeline

    def obligation_changes(self) -> list[ObligationChange]:
        """Obligations owed on one side only, or judged differently, in window order."""
        return obligation_changes(self.before.obligations, self.after.obligations)


def _key(obligation: Obligation) -> tuple[str, str, date, date]:
    return (
        obligation.rule,
        obligation.event_id or "",
        obligation.window_start,
        obligation.due_by,
    )


def obligation_changes(
    before: tuple[Obligation, ...], after: tuple[Obligation, ...]
) -> list[ObligationChange]:
    """Obligations owed on one side only, or judged differently, by window start then rule."""
    old = {_key(o): o for o in before}
    new = {_key(o): o for o in after}
    changes = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[2], k[0], k[1], k[3])):
        was, now = old.get(key), new.get(key)
        was_status = was.status if was else None
        now_status = now.status if now else None
        if was_status is now_status:
            continue
        rule, event_id, window_start, due_by = key
        changes.append(
            ObligationChange(rule, event_id or None, window_start, due_by, was_status, now_status)
        )
    return changes


def timeline_side_by_side(
    before: tuple[TimelineSpan, ...], after: tuple[TimelineSpan, ...]
) -> list[tuple[date, TimelineSpan | None, TimelineSpan | None]]:
    """Every day on which either timeline changes, with the span in force on each side then."""
    days = sorted({s.span.start for s in before} | {s.span.start for s in after})

    def at(spans: tuple[TimelineSpan, ...], day: date) -> TimelineSpan | None:
        return next((s for s in spans if s.span.contains(day)), None)

    return [(day, at(before, day), at(after, day)) for day in days]


def what_if(engine: Engine, case: Case, change: Change, on: date) -> WhatIf:
    """``case`` on ``on`` as it is and with ``change`` made, evaluated by the same engine."""
    return WhatIf(
        change, on, engine.evaluate(case, on), engine.evaluate(changed_case(case, change), on)
    )


def what_if_json(result: WhatIf, policy_version: str) -> dict[str, Any]:
    """The what-if as JSON-ready data: the change, what differs, and both case results."""
    change = result.change
    described: dict[str, Any] = {"action": "add" if isinstance(change, AddRegistration) else "end"}
    if isinstance(change, AddRegistration):
        described |= {
            "type": change.type.value,
            "start_date": change.start_date.isoformat(),
            "level": change.level,
            "category": change.category,
        }
    else:
        described |= {"type": change.type.value, "on": change.on.isoformat()}
    return {
        "on": result.on.isoformat(),
        "policy_version": policy_version,
        "crn": result.before.crn,
        "change": described,
        "status_changed": result.status_changed,
        "reinstates": result.reinstates,
        "timeline_changed": result.timeline_changed,
        "obligations_changed": [
            {
                "rule": c.rule,
                "event_id": c.event_id,
                "window_start": c.window_start.isoformat(),
                "due_by": c.due_by.isoformat(),
                "before": None if c.before is None else c.before.value,
                "after": None if c.after is None else c.after.value,
            }
            for c in result.obligation_changes()
        ],
        "before": case_result_json(result.before),
        "after": case_result_json(result.after),
    }
