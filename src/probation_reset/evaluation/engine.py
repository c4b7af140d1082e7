"""The per-case engine: a case and a day in, its status, reasons, timeline and obligations out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from probation_reset.calendar.working_days import WorkingDayCalendar, calendar_for
from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import Phase, Status
from probation_reset.evaluation.next_actions import NextAction, next_actions
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.rules import checklist, national_standards, reset
from probation_reset.rules.continuing import continuing
from probation_reset.rules.history import CaseHistory, ResetTerms, TimelineSpan
from probation_reset.rules.obligation import Assessment, Duty, Obligation, cut_to_event, judge
from probation_reset.rules.reasons import Reason, status_reasons
from probation_reset.rules.registry import obligation_rule_order

#: Every obligation rule met by a qualifying contact in a window, as functions from an
#: assessment to duties (recording, ``NS_RECORD_1WD``, judges its own: `Engine.obligations`).
OBLIGATION_RULES: tuple[Callable[[Assessment], list[Duty]], ...] = (
    reset.licence_final_third_contact,
    checklist.pre_suspension_checklist,
    reset.nfa_check_ins,
    national_standards.induction,
    national_standards.monthly_face_to_face,
    national_standards.weekly_face_to_face_high_rosh,
    national_standards.home_visit_mappa_level_2_or_3,
)

#: The rules whose duties are whole periods of spans: the columnar engine takes the spans
#: (`Engine.duties_and_spans`) and cuts the periods itself.
PERIODIC_RULES: dict[
    Callable[[Assessment], list[Duty]],
    Callable[[Assessment], list[national_standards.PeriodicSpan]],
] = {
    national_standards.monthly_face_to_face: national_standards.monthly_face_to_face_spans,
    national_standards.weekly_face_to_face_high_rosh: (
        national_standards.weekly_face_to_face_high_rosh_spans
    ),
}

_RULE_ORDER = obligation_rule_order()


def rule_position(rule_id: str) -> int:
    """Where obligations of a rule sort among those of the same window start (the contract's
    table order)."""
    return _RULE_ORDER[rule_id]


@dataclass(frozen=True, slots=True)
class EventResult:
    event_id: str
    phase: Phase
    final_third_start: date | None
    continuing: tuple[str, ...]
    #: Beyond the contract: whether the Reset acts on the event at all (a licence or RAR order).
    reset_acts: bool = True


@dataclass(frozen=True, slots=True)
class CaseResult:
    crn: str
    on: date
    status: Status
    exemptions: tuple[str, ...]
    reasons: tuple[Reason, ...]
    events: tuple[EventResult, ...]
    timeline: tuple[TimelineSpan, ...]
    obligations: tuple[Obligation, ...]
    #: Beyond the contract: what to do next, soonest first (``evaluation/next_actions.py``).
    next_actions: tuple[NextAction, ...] = ()


class Engine:
    """Evaluates cases under one policy version."""

    def __init__(self, parameters: PolicyParameters) -> None:
        self.parameters = parameters
        self.calendar: WorkingDayCalendar = calendar_for(parameters.bank_holidays)
        self.terms = ResetTerms(parameters.final_third_fraction, parameters.exemptions)
        self.recording_deadlines = national_standards.RecordingDeadlines(parameters, self.calendar)

    def history(self, case: Case) -> CaseHistory:
        return CaseHistory(case, self.parameters.reset_starts, self.terms)

    def evaluate(self, case: Case, on: date) -> CaseResult:
        history = self.history(case)
        obligations = self.obligations(history, on)
        return self.result(history, on, obligations, obligations)

    def result(
        self,
        history: CaseHistory,
        on: date,
        obligations: Sequence[Obligation],
        pending: Sequence[Obligation],
    ) -> CaseResult:
        """The result of a case whose obligations are judged: ``pending`` holds at least those
        still to meet (due, or not yet due), in the order of ``obligations``, for the next
        actions. The columnar engine passes no obligations, only those pending
        (`columnar.obligations`), and writes the obligations itself."""
        status, reasons = status_reasons(history, on)
        today = history.at(on)
        events = tuple(
            EventResult(
                d.event.event_id,
                today.phases[d.index],
                d.final_third_start,
                tuple(continuing(d.event, on)),
                d.event.is_licence or d.event.is_rar_order,
            )
            for d in history.events
        )
        horizon = self.parameters.next_actions_horizon_days.at(on)
        return CaseResult(
            crn=history.case.crn,
            on=on,
            status=status,
            exemptions=today.exemptions,
            reasons=tuple(reasons),
            events=events,
            timeline=tuple(history.timeline()),
            obligations=tuple(obligations),
            next_actions=tuple(next_actions(status, pending, on, horizon)),
        )

    def duties(self, history: CaseHistory, on: date) -> list[Duty]:
        """Every duty but recording (``NS_RECORD_1WD``) of the case, in rule order, each cut to
        its event's last active day (`cut_to_event`); none of them reads the contacts."""
        return self._duties(history, on, None)

    def duties_and_spans(
        self, history: CaseHistory, on: date
    ) -> tuple[list[Duty], list[national_standards.PeriodicSpan]]:
        """``duties``, less those of the periodic rules (`PERIODIC_RULES`): their spans."""
        spans: list[national_standards.PeriodicSpan] = []
        return self._duties(history, on, spans), spans

    def _duties(
        self,
        history: CaseHistory,
        on: date,
        spans: list[national_standards.PeriodicSpan] | None,
    ) -> list[Duty]:
        assessment = Assessment(
            history, on, self.parameters, self.calendar, (), self.recording_deadlines
        )
        duties = []
        for rule_duties in OBLIGATION_RULES:
            if spans is not None:
                spans_of = PERIODIC_RULES.get(rule_duties)
                if spans_of is not None:
                    spans.extend(spans_of(assessment))
                    continue
            for duty in rule_duties(assessment):
                if duty.event is not None:
                    kept = cut_to_event(duty)
                    if kept is None:
                        continue
                    duty = kept
                duties.append(duty)
        return duties

    def obligations(self, history: CaseHistory, on: date) -> list[Obligation]:
        contacts = sorted(history.case.contacts, key=lambda c: c.order_key)
        days = [contact.day for contact in contacts]
        # Sorted by window start, the contract's table order, then event input order; an
        # obligation with no event (a contact recorded against the person) after the events.
        event_order = {d.event.event_id: d.index for d in history.events}
        no_event = len(event_order)
        judged: list[tuple[tuple[date, int, int, int], Obligation]] = []
        append = judged.append
        for duty in self.duties(history, on):
            obligation = judge(duty, on, contacts, days)
            position = event_order.get(obligation.event_id or "", no_event)
            key = (obligation.window_start, _RULE_ORDER[obligation.rule], position, len(judged))
            append((key, obligation))
        assessment = Assessment(
            history, on, self.parameters, self.calendar, contacts, self.recording_deadlines
        )
        recording_order = _RULE_ORDER[national_standards.RECORD_1WD.id]
        for recorded in national_standards.recording(assessment):
            position = event_order.get(recorded.event_id or "", no_event)
            append(((recorded.window_start, recording_order, position, len(judged)), recorded))
        judged.sort(key=itemgetter(0))
        return [obligation for _, obligation in judged]
