"""Contacts: the appointments, check-ins, home visits and reviews of every event, then their
ids, times, outcomes and recording, drawn in date order.

In a final third or PSS period under Reset (from 2024-04-01) contact stops unless an
exempting flag is in force, except for one appointment on a licence and check-ins for people
of no fixed abode; some practitioners carry on as before (`reset_not_applied_share`).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from functools import cache
from operator import itemgetter
from typing import Final

from probation_reset.sample.generator.days import (
    OPEN_END,
    RESET_FROM,
    iso,
    next_weekday,
    weekday_on_or_after,
)
from probation_reset.sample.generator.distributions import DISTRIBUTIONS as D
from probation_reset.sample.generator.distributions import WeightTable, between
from probation_reset.sample.generator.registrations import EXEMPTING_FLAGS, Flag
from probation_reset.sample.generator.sentences import Sentence

_EXEMPT_ROSH: Final = "VERY_HIGH"
_HIGH_ROSH: Final = frozenset({"HIGH", "VERY_HIGH"})
_REVIEW_TYPES: Final = frozenset(
    {"RMP_REVIEW", "LICENCE_CONDITIONS_REVIEW", "EM_CURFEW_REVIEW", "SAFETY_PLAN"}
)
_MODE_TABLE: Final = WeightTable(D.mode_weights)
_OUTCOME_TABLE: Final = WeightTable(D.outcome_weights)
# Appointment interval by RoSH in force (None: unknown).
_INTERVAL_DAYS: Final[dict[str | None, int]] = {
    (None if rosh == "UNKNOWN" else rosh): days
    for rosh, days in D.appointment_interval_days.items()
}
# Times of day a contact may carry: office hours on the quarter hour ("T09:00" to "T16:45").
_TIMES_OF_DAY: Final = tuple(
    f"T{hour:02d}:{minute:02d}"
    for hour in range(D.office_hours[0], D.office_hours[1] + 1)
    for minute in (0, 15, 30, 45)
)

# A contact as planned (day, type, event_id, mode), before its id and outcome are drawn.
PlannedContact = tuple[int, str, str | None, str | None]


@cache
def _contact_number(number: int) -> str:
    """The suffix of the `number`-th contact id of a case: "-0001"."""
    return f"-{number:04d}"


class ContactPlanner:
    """Plans the contacts of one person's events, given their registrations."""

    def __init__(self, rng: random.Random, as_of: int, flags: list[Flag]) -> None:
        self.rng = rng
        self.as_of = as_of
        self.flags = flags
        self.contacts: list[PlannedContact] = []

    def _first_flag_day(self, kinds: frozenset[str]) -> int:
        days = [flag.start for flag in self.flags if flag.kind in kinds]
        return min(days, default=OPEN_END)

    def _rosh_change_after(self, day: int) -> int:
        """The first day after `day` on which a RoSH registration starts or ends."""
        changes = [
            change
            for flag in self.flags
            if flag.kind == "ROSH"
            for change in (flag.start, flag.deregistered)
            if change is not None and change > day
        ]
        return min(changes, default=OPEN_END)

    def _rosh_on(self, day: int) -> str | None:
        """RoSH in force on `day` (latest start among active ROSH registrations)."""
        level: str | None = None
        latest = -1
        for flag in self.flags:
            if flag.kind != "ROSH" or flag.start > day or flag.start < latest:
                continue
            if flag.deregistered is not None and day >= flag.deregistered:
                continue
            level, latest = str(flag.level), flag.start
        return level

    def plan_event(self, sentence: Sentence) -> None:
        """The contacts of one event, up to `booked_ahead_days` after `as_of`."""
        rng = self.rng
        stop = min(sentence.last_active_day, self.as_of + D.booked_ahead_days)
        induction = weekday_on_or_after(sentence.start)
        if induction > stop:
            return
        event_id = sentence.event_id
        self._add(induction, "INDUCTION", event_id, "FACE_TO_FACE")
        if rng.random() < D.initial_rmp_review_share:
            self._add_review(
                sentence.start + between(rng, *D.initial_rmp_review_days),
                "RMP_REVIEW",
                sentence,
                stop,
            )

        # Where contact under Reset stops: the final third and PSS, unless exempt.
        final_third = sentence.final_third
        suspend_from = OPEN_END
        if (
            sentence.reset_applies
            and final_third is not None
            and rng.random() >= D.reset_not_applied_share
        ):
            suspend_from = max(final_third, RESET_FROM)
        resume_from = max(suspend_from, self._exempt_from(sentence))
        supervision_end = stop if sentence.end is None else min(stop, sentence.end)
        self._supervise(sentence, induction, supervision_end, suspend_from, resume_from)
        if sentence.pss_end is not None and sentence.end is not None and sentence.end < stop:
            self._supervise(sentence, sentence.end + 1, stop, suspend_from, resume_from)
        if final_third is not None:
            self._pre_final_third_reviews(sentence, final_third, stop)
        self._home_visits(sentence, induction, stop)

    def _supervise(
        self, sentence: Sentence, first: int, last: int, suspend_from: int, resume_from: int
    ) -> None:
        """Contacts from `first` to `last`: usual, then suspended, then reinstated."""
        in_pss = sentence.end is not None and first > sentence.end
        event_id = sentence.event_id
        usual_last = min(last, suspend_from - 1)
        if in_pss:
            self._pss_appointments(first, usual_last, event_id)
        else:
            self._appointments(sentence, first, usual_last, weekly_start=True)
        self._suspended_contacts(sentence, max(first, suspend_from), min(last, resume_from - 1))
        reinstated = weekday_on_or_after(max(first, resume_from))
        if reinstated <= last and resume_from != OPEN_END:
            self._add(reinstated, "APPOINTMENT", event_id, "FACE_TO_FACE")
            if in_pss:
                self._pss_appointments(reinstated, last, event_id)
            else:
                self._appointments(sentence, reinstated, last, weekly_start=False)

    def _exempt_from(self, sentence: Sentence) -> int:
        """First day an exempting flag starts (a simplification: deregistration ignored)."""
        if sentence.youth:
            return sentence.start
        first = self._first_flag_day(EXEMPTING_FLAGS)
        for flag in self.flags:
            if flag.kind == "ROSH" and flag.level == _EXEMPT_ROSH:
                first = min(first, flag.start)
        return first

    def _appointments(
        self, sentence: Sentence, first: int, last: int, *, weekly_start: bool
    ) -> None:
        """Appointments stepping after `first` to `last`: weekly at first, then by RoSH."""
        event_id = sentence.event_id
        settled_from = OPEN_END
        if sentence.end is None:
            settled_from = sentence.start + D.life_licence_settled_after_days
        settled_interval = D.life_licence_settled_interval_days
        weekly_until = first + 7 * D.weekly_start_weeks if weekly_start else first
        jitter = D.appointment_jitter_days
        jitter_span = 2 * jitter + 1
        check_in_share = D.check_in_share
        draw = self.rng.random
        modes, mode_shares = _MODE_TABLE.values, _MODE_TABLE.shares
        planned = self.contacts
        day = first
        usual = _INTERVAL_DAYS[self._rosh_on(day)]
        rosh_changes = self._rosh_change_after(day)
        while True:
            if day >= rosh_changes:
                usual = _INTERVAL_DAYS[self._rosh_on(day)]
                rosh_changes = self._rosh_change_after(day)
            interval = 7 if day < weekly_until else usual
            if day >= settled_from and interval > 7:
                interval = max(interval, settled_interval)
            day += interval + int(draw() * jitter_span) - jitter
            weekday = (day - 1) % 7
            if weekday >= 5:
                day += 7 - weekday
            if day > last:
                return
            kind = "CHECK_IN" if draw() < check_in_share else "APPOINTMENT"
            planned.append((day, kind, event_id, modes[bisect_right(mode_shares, draw())]))

    def _pss_appointments(self, first: int, last: int, event_id: str) -> None:
        rng = self.rng
        day = first
        while True:
            day = weekday_on_or_after(day + D.pss_interval_days + between(rng, -7, 7))
            if day > last:
                return
            self._add(day, "APPOINTMENT", event_id, self._mode())

    def _suspended_contacts(self, sentence: Sentence, first: int, last: int) -> None:
        """While suspended: the licence's one appointment, and NFA check-ins."""
        rng = self.rng
        if last < first:
            return
        if (
            sentence.kind == "LICENCE"
            and sentence.end is not None
            and first <= sentence.end
            and rng.random() < D.final_third_appointment_share
        ):
            day = weekday_on_or_after(between(rng, first, min(last, sentence.end)))
            if day <= last:
                self._add(day, "APPOINTMENT", sentence.event_id, self._mode())
        nfa = [flag for flag in self.flags if flag.kind == "NO_FIXED_ABODE"]
        if not nfa:
            return
        day = max(first, min(flag.start for flag in nfa))
        while True:
            day = weekday_on_or_after(day + between(rng, *D.nfa_check_in_days))
            if day > last:
                return
            self._add(day, "CHECK_IN", sentence.event_id, self._mode())

    def _pre_final_third_reviews(self, sentence: Sentence, final_third: int, stop: int) -> None:
        rng = self.rng
        shares = D.pre_final_third_review_shares
        before = final_third - 1

        def in_window() -> int:
            return final_third - between(rng, 1, D.pre_final_third_review_days)

        if rng.random() < shares["RMP_REVIEW"]:
            self._add_review(in_window(), "RMP_REVIEW", sentence, stop)
        if sentence.kind == "LICENCE" and sentence.end is not None:
            halfway = sentence.start + (sentence.end - sentence.start) // 2
            if halfway <= before and rng.random() < shares["LICENCE_CONDITIONS_REVIEW"]:
                self._add_review(
                    between(rng, halfway, before), "LICENCE_CONDITIONS_REVIEW", sentence, stop
                )
        monitored = sentence.curfew_until is not None and sentence.curfew_until >= before
        if monitored and rng.random() < shares["EM_CURFEW_REVIEW"]:
            self._add_review(in_window(), "EM_CURFEW_REVIEW", sentence, stop)
        at_risk = any(flag.kind == "RISK_TO_SELF" and flag.start <= before for flag in self.flags)
        if at_risk and rng.random() < shares["SAFETY_PLAN"]:
            self._add_review(in_window(), "SAFETY_PLAN", sentence, stop)

    def _home_visits(self, sentence: Sentence, first: int, stop: int) -> None:
        rng = self.rng
        last = min(stop, sentence.end or stop)
        watched = any(
            flag.kind in {"MAPPA", "CHILD_PROTECTION"}
            or (flag.kind == "ROSH" and flag.level in _HIGH_ROSH)
            for flag in self.flags
        )
        if watched:
            day = first
            while True:
                day = weekday_on_or_after(day + D.home_visit_interval_days + between(rng, -14, 14))
                if day > last:
                    break
                self._add(day, "HOME_VISIT", sentence.event_id, self._home_visit_mode())
        for flag in self.flags:
            if flag.kind == "MAPPA" and flag.level == 2 and flag.start > sentence.start:
                day = weekday_on_or_after(
                    flag.start + between(rng, *D.home_visit_after_mappa_rise_days)
                )
                if day <= last:
                    self._add(day, "HOME_VISIT", sentence.event_id, self._home_visit_mode())

    def _add_review(self, day: int, kind: str, sentence: Sentence, stop: int) -> None:
        day = weekday_on_or_after(max(day, sentence.start))
        if day <= stop:
            self._add(day, kind, sentence.event_id, None)

    def _mode(self) -> str:
        return _MODE_TABLE.draw(self.rng)

    def _home_visit_mode(self) -> str | None:
        return None if self.rng.random() < D.home_visit_no_mode_share else "FACE_TO_FACE"

    def _add(self, day: int, kind: str, event_id: str, mode: str | None) -> None:
        self.contacts.append((day, kind, event_id, mode))

    def records(self, crn: str) -> list[dict[str, object]]:
        """Contacts in date order, with ids, times, outcomes and recording drawn.

        The hot loop of the generator: the draws are inlined (one `random()` each).
        """
        draw = self.rng.random
        as_of = self.as_of
        outcomes, outcome_shares = _OUTCOME_TABLE.values, _OUTCOME_TABLE.shares
        late_low, late_high = D.recorded_late_days
        late_span = late_high - late_low + 1
        same_day_before = D.recorded_same_day_share
        next_weekday_before = same_day_before + D.recorded_next_weekday_share
        late_before = next_weekday_before + D.recorded_late_share
        time_share = D.contact_time_share
        without_event_share = D.contact_without_event_share
        records: list[dict[str, object]] = []
        self.contacts.sort(key=itemgetter(0))
        for number, (day, kind, event_id, mode) in enumerate(self.contacts, start=1):
            text = iso(day)
            if draw() < time_share:
                text += _TIMES_OF_DAY[int(draw() * len(_TIMES_OF_DAY))]
            contact_id = crn + _contact_number(number)
            record: dict[str, object]
            if draw() < without_event_share:
                record = {"contact_id": contact_id, "date": text, "type": kind}
            else:
                record = {
                    "contact_id": contact_id,
                    "event_id": event_id,
                    "date": text,
                    "type": kind,
                }
            if mode is not None:
                record["mode"] = mode
            records.append(record)
            if day > as_of:
                record["outcome"] = None
                continue
            outcome = outcomes[bisect_right(outcome_shares, draw())]
            if outcome == "FAILED_TO_ATTEND" and kind in _REVIEW_TYPES:
                outcome = "ATTENDED"
            record["outcome"] = outcome
            when = draw()
            if when < same_day_before:
                recorded = day
            elif when < next_weekday_before:
                recorded = next_weekday(day)
            elif when < late_before:
                recorded = day + late_low + int(draw() * late_span)
            else:
                continue
            if recorded <= as_of:
                record["recorded_on"] = iso(recorded)
        return records
