"""What the registrations say on a day: flags active, the RoSH and MAPPA level in force."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from probation_reset.domain.case import Registration
from probation_reset.domain.vocabulary import ROSH_LEVEL_BY_WORD, RegistrationType, RoshLevel


def active_of_type(
    registrations: Iterable[Registration], kind: RegistrationType, day: date
) -> list[Registration]:
    return [r for r in registrations if r.type is kind and r.is_active(day)]


def has_active(registrations: Iterable[Registration], kind: RegistrationType, day: date) -> bool:
    return any(r.type is kind and r.is_active(day) for r in registrations)


def latest_active(
    registrations: Iterable[Registration], kind: RegistrationType, day: date
) -> Registration | None:
    """The active registration of ``kind`` in force on ``day``: latest start, then input order."""
    return _latest(active_of_type(registrations, kind, day))


def _latest(candidates: list[Registration]) -> Registration | None:
    """The active registration with the latest start; ties go to the later one in input order."""
    if not candidates:
        return None
    return max(candidates, key=lambda r: (r.start_date, r.position))


def rosh_in_force(registrations: Iterable[Registration], day: date) -> RoshLevel | None:
    """The RoSH of the active ``ROSH`` registration with the latest start (``None``: unknown)."""
    latest = _latest(active_of_type(registrations, RegistrationType.ROSH, day))
    if latest is None or latest.level is None:
        return None
    level = str(latest.level)
    return ROSH_LEVEL_BY_WORD.get(level) or RoshLevel(level)


def mappa_level_in_force(registrations: Iterable[Registration], day: date) -> int | None:
    """The level of the active ``MAPPA`` registration with the latest start (``None``: none)."""
    latest = _latest(active_of_type(registrations, RegistrationType.MAPPA, day))
    if latest is None or latest.level is None:
        return None
    return int(latest.level)
