"""The output document (CONTRACT.md section 4): results and errors as JSON-ready data.

The contract's words (statuses, phases) are the vocabulary's `StrEnum` members themselves:
strings, written as their text by any JSON writer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import orjson

from probation_reset.evaluation.engine import CaseResult
from probation_reset.evaluation.json_text import json_line, json_line_bytes
from probation_reset.evaluation.next_actions import next_action_json
from probation_reset.intake.reader import CaseError
from probation_reset.rules.obligation import Obligation, RecordingObligation
from probation_reset.rules.reasons import Reason

_T = TypeVar("_T")


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def reason_json(reason: Reason) -> dict[str, Any]:
    """A reason as the contract writes it: ``rule``, ``text``, ``source``, then ``event_id`` and
    the structured facts behind the text (``registration``, ``since``, ``checked``, ...)."""
    written: dict[str, Any] = {"rule": reason.rule, "text": reason.text, "source": reason.source}
    if reason.event_id is not None:
        written["event_id"] = reason.event_id
    return written | dict(reason.details)


def case_result_json(result: CaseResult) -> dict[str, Any]:
    """A CaseResult as JSON-ready data: dicts, lists, strings (days as ``YYYY-MM-DD``)."""
    return _case_result(result, _day, obligation_json)


def case_result_text(result: CaseResult) -> str:
    """A CaseResult as the one line of JSON text `evaluate` and `batch` write."""
    return json_line(case_result_for_json_line(result))


def case_result_bytes(result: CaseResult, obligations: str | None = None) -> bytes:
    """``case_result_text`` as UTF-8 bytes (what `batch`'s workers hand on); ``obligations``,
    when given, is the JSON text of the result's obligations, judged apart
    (`columnar.obligations`): it is written in their place as it is."""
    written = case_result_for_json_line(result)
    if obligations is not None:
        written["obligations"] = orjson.Fragment(obligations)
        return orjson.dumps(written)
    return json_line_bytes(written)


def case_result_for_json_line(result: CaseResult) -> dict[str, Any]:
    """A CaseResult for ``json_line`` to write: the same value as ``case_result_json``, its days
    and obligations left for orjson to write (it writes a day as ``YYYY-MM-DD`` and an
    `Obligation` as its fields, in C: a case has dozens of obligations)."""
    return _case_result(result, _as_written, _as_written)


def _as_written(value: _T) -> _T:
    return value


def _case_result(
    result: CaseResult,
    day: Callable[[date | None], Any],
    obligation: Callable[[Obligation], Any],
) -> dict[str, Any]:
    return {
        "crn": result.crn,
        "status": result.status,
        "exemptions": list(result.exemptions),
        "reasons": [reason_json(r) for r in result.reasons],
        "events": [
            {
                "event_id": e.event_id,
                "phase": e.phase,
                "final_third_start": day(e.final_third_start),
                "continuing": list(e.continuing),
            }
            for e in result.events
        ],
        "timeline": [
            {
                "from": day(s.span.start),
                "to": day(s.span.last),
                "status": s.status,
                "exemptions": list(s.exemptions),
            }
            for s in result.timeline
        ],
        "obligations": [obligation(o) for o in result.obligations],
        "next_actions": [next_action_json(a) for a in result.next_actions],
    }


def obligation_json(obligation: Obligation) -> dict[str, Any]:
    """The contract's fields, then (``NS_RECORD_1WD``) the contact being recorded."""
    written: dict[str, Any] = {
        "rule": obligation.rule,
        "event_id": obligation.event_id,
        "window_start": obligation.window_start.isoformat(),
        "due_by": obligation.due_by.isoformat(),
        "status": obligation.status,
        "met_by": obligation.met_by,
    }
    if isinstance(obligation, RecordingObligation):
        written["contact_id"] = obligation.contact_id
    return written


def error_json(error: CaseError) -> dict[str, Any]:
    return {"crn": error.crn, "index": error.index, "field": error.field, "message": error.message}


def document_json(
    on: date, policy_version: str, results: list[CaseResult], errors: list[CaseError]
) -> dict[str, Any]:
    return {
        "on": on.isoformat(),
        "policy_version": policy_version,
        "cases": [case_result_json(r) for r in results],
        "errors": [error_json(e) for e in errors],
    }
