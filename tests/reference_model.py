"""A deliberately naive, day-by-day reference model of CONTRACT.md (sections 2, 3, 4.2 and 5).

It is written from the contract text and docs/conventions.md alone, without the engine's code:
every status is computed one day at a time, every month and ISO week by checking each of its
days, every obligation by the simplest reading of section 5. It is slow and obvious on purpose,
so a differential test can compare it with the engine's spans.

Where the contract is silent it follows docs/conventions.md. One ordering it had to choose
itself: a recording duty (``NS_RECORD_1WD``) of a contact with no ``event_id`` has no place in
"event input order", and is put after those of named events on the same day; recording duties
of one day and event follow their contacts' date and time, then input order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

import holidays

# Parameters of the default policy version (docs and policy/data; all apply from 2024-04-01 or
# earlier, so every fact in the modelled range sees the same value).
RESET_FROM = date(2024, 4, 1)
PRE_WINDOW_DAYS = 28
NFA_PERIOD_DAYS = 28
INDUCTION_WD_LICENCE = 1
INDUCTION_WD_ORDER = 5
RECORD_WD = 1
HOME_VISIT_WD = 15

ONE = timedelta(days=1)

# Section 5's table order.
RULES = (
    "RESET_LICENCE_FINAL_THIRD_CONTACT",
    "RESET_PRE_RMP",
    "RESET_PRE_LICENCE_REVIEW",
    "RESET_PRE_EM_CURFEW_REVIEW",
    "RESET_PRE_SAFETY_PLAN",
    "RESET_NFA_CHECK_IN",
    "NS_INDUCTION",
    "NS_MONTHLY_F2F",
    "NS_WEEKLY_F2F_HIGH_ROSH",
    "NS_RECORD_1WD",
    "NS_HOME_VISIT_MAPPA_L2_L3",
)

EXEMPTION_ORDER = (
    "EXEMPT_MAPPA",
    "EXEMPT_NSD",
    "EXEMPT_VERY_HIGH_ROSH",
    "EXEMPT_CHILD_PROTECTION_PLAN",
    "EXEMPT_ISC",
    "EXEMPT_YOUTH_SENTENCE",
)

ORDERS = ("COMMUNITY_ORDER", "SUSPENDED_SENTENCE_ORDER")
REVIEW_TYPES = ("RMP_REVIEW", "LICENCE_CONDITIONS_REVIEW", "EM_CURFEW_REVIEW", "SAFETY_PLAN")
F2F_TYPES = ("APPOINTMENT", "INDUCTION", "HOME_VISIT", "CHECK_IN")

_TIME = re.compile(r"T(\d{2}):(\d{2})(?::(\d{2}))?")


@cache
def _bank_holidays() -> Any:
    return holidays.country_holidays("GB", subdiv="ENG")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays()


def working_days_after(day: date, count: int) -> date:
    """The end of the ``count``-th working day after ``day`` (``day`` itself not counted)."""
    found = 0
    current = day
    while found < count:
        current += ONE
        if is_working_day(current):
            found += 1
    return current


def _d(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += ONE


@dataclass
class _Dated:
    type: str
    start: date | None
    end: date | None


@dataclass
class _Event:
    index: int
    event_id: str
    type: str
    start: date
    end: date | None
    pss_end: date | None
    youth: bool
    terminated_on: date | None
    requirements: list[_Dated]
    conditions: list[_Dated]
    pr1: date | None

    @property
    def is_licence(self) -> bool:
        return self.type == "LICENCE"

    @property
    def is_rar_order(self) -> bool:
        return self.type in ORDERS and any(r.type == "RAR" for r in self.requirements)

    @property
    def is_upw_only_order(self) -> bool:
        return (
            self.type in ORDERS
            and len(self.requirements) > 0
            and all(r.type == "UPW" for r in self.requirements)
        )

    def active(self, day: date) -> bool:
        if day < self.start:
            return False
        last = self.pss_end if self.pss_end is not None else self.end
        if last is not None and day > last:
            return False
        return self.terminated_on is None or day < self.terminated_on

    def last_active_day(self) -> date | None:
        """None = active for ever; a day before the start = never active."""
        last = self.pss_end if self.pss_end is not None else self.end
        if self.terminated_on is not None:
            cut = self.terminated_on - ONE
            last = cut if last is None else min(last, cut)
        return last

    def active_some_day(self) -> bool:
        last = self.last_active_day()
        return last is None or last >= self.start

    def final_third_start(self) -> date | None:
        if self.end is None:
            return None
        if self.pr1 is not None:
            return self.pr1
        span = (self.end - self.start).days
        return self.start + timedelta(days=(2 * span) // 3)

    def halfway(self) -> date:
        assert self.end is not None
        return self.start + timedelta(days=(self.end - self.start).days // 2)

    def phase(self, day: date) -> str:
        if day < self.start:
            return "NOT_STARTED"
        if not self.active(day):
            return "ENDED"
        if self.type in ORDERS and not self.is_rar_order:
            return "NO_RESET"
        if self.end is None:
            return "NO_FINAL_THIRD"
        fts = self.final_third_start()
        assert fts is not None
        if day < fts:
            return "BEFORE_FINAL_THIRD"
        if day <= self.end:
            return "FINAL_THIRD"
        return "PSS"

    def in_force(self, item: _Dated, day: date, *, condition: bool) -> bool:
        # By its own dates (the event's start and end_date when absent), whether or not the
        # event is active that day; a licence condition is never in force in PSS.
        if condition and self.phase(day) == "PSS":
            return False
        first = item.start if item.start is not None else self.start
        last = item.end if item.end is not None else self.end
        return first <= day and (last is None or day <= last)


@dataclass
class _Registration:
    index: int
    type: str
    start: date
    deregistered_on: date | None
    level: Any

    def active(self, day: date) -> bool:
        return self.start <= day and (self.deregistered_on is None or day < self.deregistered_on)


@dataclass
class _Contact:
    index: int
    contact_id: str
    event_id: str | None
    day: date
    moment: tuple[int, int, int] | None
    type: str
    mode: str | None
    outcome: str | None
    recorded_on: date | None

    def order_key(self) -> tuple[date, tuple[int, int, int], int]:
        # A bare date counts as the first moment of its day, 00:00:00 (docs/conventions.md):
        # it ties with a contact timed at midnight, and input order settles the tie.
        moment = self.moment if self.moment is not None else (0, 0, 0)
        return (self.day, moment, self.index)

    def counts_for(self, event: _Event) -> bool:
        return self.event_id is None or self.event_id == event.event_id

    @property
    def held(self) -> bool:
        if self.type in REVIEW_TYPES:
            return self.outcome in ("ATTENDED", "ACCEPTABLE_ABSENCE")
        return self.outcome == "ATTENDED"

    @property
    def face_to_face(self) -> bool:
        if not self.held or self.type not in F2F_TYPES:
            return False
        return self.mode == "FACE_TO_FACE" or (self.type == "HOME_VISIT" and self.mode is None)


def _contact(index: int, raw: dict[str, Any]) -> _Contact:
    text: str = raw["date"]
    match = _TIME.match(text, 10)
    moment = None
    if match is not None:
        moment = (int(match[1]), int(match[2]), int(match[3] or 0))
    return _Contact(
        index=index,
        contact_id=raw["contact_id"],
        event_id=raw.get("event_id"),
        day=date.fromisoformat(text[:10]),
        moment=moment,
        type=raw["type"],
        mode=raw.get("mode"),
        outcome=raw.get("outcome"),
        recorded_on=_d(raw.get("recorded_on")),
    )


def _event(index: int, raw: dict[str, Any]) -> _Event:
    key_dates = raw.get("key_dates") or {}
    return _Event(
        index=index,
        event_id=raw["event_id"],
        type=raw["type"],
        start=date.fromisoformat(raw["start_date"]),
        end=_d(raw.get("end_date")),
        pss_end=_d(raw.get("pss_end_date")),
        youth=bool(raw.get("youth") or False),
        terminated_on=_d(raw.get("terminated_on")),
        requirements=[
            _Dated(r["type"], _d(r.get("start_date")), _d(r.get("end_date")))
            for r in raw.get("requirements") or []
        ],
        conditions=[
            _Dated(c["type"], _d(c.get("start_date")), _d(c.get("end_date")))
            for c in raw.get("licence_conditions") or []
        ],
        pr1=_d(key_dates.get("probation_reset_date")),
    )


@dataclass
class _Obligation:
    window_start: date
    rule: str
    event_index: int
    sequence: int
    event_id: str | None
    due_by: date
    status: str
    met_by: str | None

    def key(self) -> tuple[date, int, int, int]:
        return (self.window_start, RULES.index(self.rule), self.event_index, self.sequence)

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "event_id": self.event_id,
            "window_start": self.window_start.isoformat(),
            "due_by": self.due_by.isoformat(),
            "status": self.status,
            "met_by": self.met_by,
        }


@dataclass
class _Model:
    events: list[_Event]
    registrations: list[_Registration]
    contacts: list[_Contact]
    on: date
    _status: dict[date, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    # ---- registrations -------------------------------------------------------------------

    def _in_force(self, kind: str, day: date) -> _Registration | None:
        found: _Registration | None = None
        for r in self.registrations:
            if r.type == kind and r.active(day) and (found is None or r.start >= found.start):
                found = r  # ties on start_date go to the later one in input order
        return found

    def mappa_level(self, day: date) -> Any:
        found = self._in_force("MAPPA", day)
        return None if found is None else found.level

    def rosh(self, day: date) -> Any:
        found = self._in_force("ROSH", day)
        return None if found is None else found.level

    def registered(self, kind: str, day: date) -> bool:
        return any(r.type == kind and r.active(day) for r in self.registrations)

    # ---- the person on a day -------------------------------------------------------------

    def exemptions(self, day: date) -> tuple[str, ...]:
        found = []
        if self.registered("MAPPA", day):
            found.append("EXEMPT_MAPPA")
        if self.registered("NSD", day):
            found.append("EXEMPT_NSD")
        if self.rosh(day) == "VERY_HIGH":
            found.append("EXEMPT_VERY_HIGH_ROSH")
        if self.registered("CHILD_PROTECTION", day):
            found.append("EXEMPT_CHILD_PROTECTION_PLAN")
        if self.registered("ISC", day):
            found.append("EXEMPT_ISC")
        if any(e.youth and e.active(day) for e in self.events):
            found.append("EXEMPT_YOUTH_SENTENCE")
        return tuple(found)

    def day(self, day: date) -> tuple[str, tuple[str, ...]]:
        if day not in self._status:
            self._status[day] = (self._person_status(day), self.exemptions(day))
        return self._status[day]

    def status(self, day: date) -> str:
        return self.day(day)[0]

    def _person_status(self, day: date) -> str:
        phases = [e.phase(day) for e in self.events if e.active(day)]
        if not phases:
            return "ENDED"
        in_force = day >= RESET_FROM
        reset_phase = any(p in ("FINAL_THIRD", "PSS") for p in phases)
        if any(p in ("BEFORE_FINAL_THIRD", "NO_FINAL_THIRD") for p in phases):
            return "ACTIVE"
        if not in_force and reset_phase:
            return "ACTIVE"
        if reset_phase:
            return "EXEMPT" if self.exemptions(day) else "SUSPENDED"
        assert all(p == "NO_RESET" for p in phases)
        return "NOT_APPLICABLE"

    # ---- timeline ------------------------------------------------------------------------

    def horizon(self) -> date:
        """A day after which nothing in the case changes any more."""
        days: list[date] = [self.on]
        for e in self.events:
            days += [d for d in (e.start, e.end, e.pss_end, e.terminated_on, e.pr1) if d]
            fts = e.final_third_start()
            if fts is not None:
                days.append(fts)
        for r in self.registrations:
            days += [d for d in (r.start, r.deregistered_on) if d]
        days.append(RESET_FROM)
        return max(days) + timedelta(days=2)

    def timeline_days(self) -> tuple[date, date, bool] | None:
        """First day, last day to list, and whether the last span is open-ended."""
        if not self.events:
            return None
        first = min(e.start for e in self.events)
        lasts = [e.last_active_day() for e in self.events if e.active_some_day()]
        if not lasts:
            return None
        if any(last is None for last in lasts):
            return first, self.horizon(), True
        return first, max(d for d in lasts if d is not None), False

    def timeline(self) -> list[tuple[date, date | None, str, tuple[str, ...]]]:
        bounds = self.timeline_days()
        if bounds is None:
            return []
        first, last, open_ended = bounds
        spans: list[list[Any]] = []
        for day in _days(first, last):
            status, exemptions = self.day(day)
            if spans and spans[-1][2] == status and spans[-1][3] == exemptions:
                spans[-1][1] = day
            else:
                spans.append([day, day, status, exemptions])
        if open_ended:
            spans[-1][1] = None
        return [(s[0], s[1], s[2], s[3]) for s in spans]

    # ---- obligations ---------------------------------------------------------------------

    def first_contact(
        self, event: _Event | None, start: date, due: date, test: Callable[[_Contact], bool]
    ) -> _Contact | None:
        found = [
            c
            for c in self.contacts
            if (event is None or c.counts_for(event))
            and start <= c.day <= due
            and c.day <= self.on
            and test(c)
        ]
        return min(found, key=_Contact.order_key) if found else None

    def judge(
        self,
        out: list[_Obligation],
        rule: str,
        event: _Event,
        start: date,
        due: date,
        test: Callable[[_Contact], bool],
        sequence: int = 0,
    ) -> None:
        last = event.last_active_day()
        if last is not None and start > last:
            return
        if last is not None and due > last:
            due = last
        met = self.first_contact(event, start, due, test)
        if met is not None:
            status = "MET"
        elif self.on < start:
            status = "NOT_YET_DUE"
        elif self.on <= due:
            status = "DUE"
        else:
            status = "MISSED"
        out.append(
            _Obligation(
                start,
                rule,
                event.index,
                sequence,
                event.event_id,
                due,
                status,
                None if met is None else met.contact_id,
            )
        )

    def suspended_spans(self) -> list[tuple[date, date]]:
        spans: list[tuple[date, date]] = []
        for start, end, status, _ in self.timeline():
            if status == "SUSPENDED":
                assert end is not None
                spans.append((start, end))
        return spans

    def obligations(self) -> list[dict[str, Any]]:
        out: list[_Obligation] = []
        on = self.on
        started = [e for e in self.events if e.start <= on]
        for e in started:
            self._checklist(out, e)
            self._induction(out, e)
            self._monthly(out, e)
            self._weekly(out, e)
            self._home_visits(out, e)
        self._nfa(out)
        self._recording(out)
        out.sort(key=_Obligation.key)
        return [o.as_json() for o in out]

    def _checklist(self, out: list[_Obligation], e: _Event) -> None:
        fts = e.final_third_start()
        if fts is None or not (e.is_licence or e.is_rar_order):
            return
        if fts < RESET_FROM or e.phase(fts) != "FINAL_THIRD" or self.status(fts) != "SUSPENDED":
            return
        assert e.end is not None
        before = fts - ONE
        pre_start = fts - timedelta(days=PRE_WINDOW_DAYS)
        if e.is_licence:
            self.judge(
                out,
                "RESET_LICENCE_FINAL_THIRD_CONTACT",
                e,
                fts,
                e.end,
                lambda c: c.held and c.type in ("APPOINTMENT", "HOME_VISIT"),
            )
        self.judge(out, "RESET_PRE_RMP", e, pre_start, before, _of_type("RMP_REVIEW"))
        if e.is_licence:
            self.judge(
                out,
                "RESET_PRE_LICENCE_REVIEW",
                e,
                e.halfway() if e.halfway() < fts else pre_start,
                before,
                _of_type("LICENCE_CONDITIONS_REVIEW"),
            )
        em_curfew = any(
            r.type in ("EM", "CURFEW") and e.in_force(r, before, condition=False)
            for r in e.requirements
        ) or any(
            c.type in ("EM", "CURFEW") and e.in_force(c, before, condition=True)
            for c in e.conditions
        )
        if em_curfew:
            self.judge(
                out,
                "RESET_PRE_EM_CURFEW_REVIEW",
                e,
                pre_start,
                before,
                _of_type("EM_CURFEW_REVIEW"),
            )
        if self.registered("RISK_TO_SELF", before):
            self.judge(out, "RESET_PRE_SAFETY_PLAN", e, pre_start, before, _of_type("SAFETY_PLAN"))

    def _induction(self, out: list[_Obligation], e: _Event) -> None:
        count = INDUCTION_WD_LICENCE if e.is_licence else INDUCTION_WD_ORDER
        due = working_days_after(e.start, count)
        self.judge(out, "NS_INDUCTION", e, e.start, due, lambda c: c.face_to_face)

    def _monthly(self, out: list[_Obligation], e: _Event) -> None:
        if not (e.is_licence or e.is_rar_order):
            return
        month = e.start.replace(day=1)
        while month <= self.on:
            following = (month + timedelta(days=32)).replace(day=1)
            last = following - ONE
            if all(
                e.active(d) and e.phase(d) != "PSS" and self.status(d) != "SUSPENDED"
                for d in _days(month, last)
            ):
                self.judge(out, "NS_MONTHLY_F2F", e, month, last, lambda c: c.face_to_face)
            month = following

    def _weekly(self, out: list[_Obligation], e: _Event) -> None:
        if e.is_upw_only_order:
            return
        monday = e.start - timedelta(days=e.start.weekday())
        while monday <= self.on:
            sunday = monday + timedelta(days=6)
            if all(
                e.active(d)
                and e.phase(d) != "PSS"
                and self.rosh(d) in ("HIGH", "VERY_HIGH")
                and self.status(d) != "SUSPENDED"
                for d in _days(monday, sunday)
            ):
                self.judge(
                    out, "NS_WEEKLY_F2F_HIGH_ROSH", e, monday, sunday, lambda c: c.face_to_face
                )
            monday += timedelta(days=7)

    def _home_visits(self, out: list[_Obligation], e: _Event) -> None:
        last = e.last_active_day()
        if last is None:
            last = self.horizon()
        for day in _days(e.start, last):
            level = self.mappa_level(day)
            if level not in (2, 3):
                continue
            if day == e.start or self.mappa_level(day - ONE) in (None, 1):
                due = working_days_after(day, HOME_VISIT_WD)
                self.judge(
                    out,
                    "NS_HOME_VISIT_MAPPA_L2_L3",
                    e,
                    day,
                    due,
                    lambda c: c.held and c.type == "HOME_VISIT",
                )

    def _nfa(self, out: list[_Obligation]) -> None:
        for span_start, span_end in self.suspended_spans():
            sequence = 0
            period = span_start
            while period <= span_end and period <= self.on:
                period_end = min(period + timedelta(days=NFA_PERIOD_DAYS - 1), span_end)
                if self.registered("NO_FIXED_ABODE", period):
                    event = next(
                        e for e in self.events if e.phase(period) in ("FINAL_THIRD", "PSS")
                    )
                    self.judge(
                        out,
                        "RESET_NFA_CHECK_IN",
                        event,
                        period,
                        period_end,
                        lambda c: c.held and c.type == "CHECK_IN",
                        sequence,
                    )
                    sequence += 1
                period += timedelta(days=NFA_PERIOD_DAYS)

    def _recording(self, out: list[_Obligation]) -> None:
        index_of = {e.event_id: e.index for e in self.events}
        # Several contacts of one day and event: in the contract's contact order (date and time,
        # a bare date first, then input order); the contract is silent past its three sort keys.
        for rank, c in enumerate(sorted(self.contacts, key=_Contact.order_key)):
            if c.day > self.on:
                continue
            due = working_days_after(c.day, RECORD_WD)
            if c.recorded_on is not None and c.recorded_on <= due and c.recorded_on <= self.on:
                status, met_by = "MET", c.contact_id
            elif self.on < c.day:
                status, met_by = "NOT_YET_DUE", None
            elif self.on <= due:
                status, met_by = "DUE", None
            else:
                status, met_by = "MISSED", None
            # A contact with no event_id has no place in event input order: it comes after them.
            event_index = len(self.events) if c.event_id is None else index_of[c.event_id]
            out.append(
                _Obligation(
                    c.day, "NS_RECORD_1WD", event_index, rank, c.event_id, due, status, met_by
                )
            )

    # ---- events --------------------------------------------------------------------------

    def event_results(self) -> list[dict[str, Any]]:
        results = []
        for e in self.events:
            continuing: list[str] = []
            if e.active(self.on):
                for r in e.requirements:
                    if r.type != "RAR" and e.in_force(r, self.on, condition=False):
                        continuing.append(r.type)
                for c in e.conditions:
                    if c.type != "REPORTING" and e.in_force(c, self.on, condition=True):
                        continuing.append(c.type)
            fts = e.final_third_start()
            results.append(
                {
                    "event_id": e.event_id,
                    "phase": e.phase(self.on),
                    "final_third_start": None if fts is None else fts.isoformat(),
                    "continuing": list(dict.fromkeys(continuing)),
                }
            )
        return results


def _of_type(kind: str) -> Callable[[_Contact], bool]:
    return lambda c: c.held and c.type == kind


def reference_evaluate(case_dict: dict[str, Any], on: date) -> dict[str, Any]:
    """The contract's CaseResult for one valid case on ``on``, computed day by day."""
    model = _Model(
        events=[_event(i, e) for i, e in enumerate(case_dict.get("events") or [])],
        registrations=[
            _Registration(
                i,
                r["type"],
                date.fromisoformat(r["start_date"]),
                _d(r.get("deregistered_on")),
                r.get("level"),
            )
            for i, r in enumerate(case_dict.get("registrations") or [])
        ],
        contacts=[_contact(i, c) for i, c in enumerate(case_dict.get("contacts") or [])],
        on=on,
    )
    status, exemptions = model.day(on)
    return {
        "crn": case_dict["crn"],
        "status": status,
        "exemptions": list(exemptions),
        "events": model.event_results(),
        "timeline": [
            {
                "from": start.isoformat(),
                "to": None if end is None else end.isoformat(),
                "status": span_status,
                "exemptions": list(span_exemptions),
            }
            for start, end, span_status, span_exemptions in model.timeline()
        ],
        "obligations": model.obligations(),
    }


__all__ = ["is_working_day", "reference_evaluate", "working_days_after"]
