"""Events read back from the store's rows for many people at once (not from their documents).

The figures' workload, the reconciliation and the upcoming page need a few people's events with
their requirement types, not whole cases: reading the ``events`` and ``requirements`` rows is far
quicker than parsing each stored document. ``crn_lists`` sends the CRNs as PostgreSQL's one array
parameter, elsewhere as lists of at most ``CHUNK``. Rows are read through the session's
connection (plain rows, no ORM processing: 40% quicker for 50,000 rows).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Executable, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from probation_reset.domain.case import Event, Requirement
from probation_reset.domain.vocabulary import EVENT_TYPE_BY_WORD, RequirementType
from probation_reset.store.models import EventRow, RequirementRow

#: Words as stored to the domain's values.
REQUIREMENTS = {t.value: Requirement(t) for t in RequirementType}

#: Rows per ``IN (...)`` list when reading the events of many people.
CHUNK = 900


class _Array:
    """An array parameter standing where ``in_`` takes a list: ``column = ANY(array)``."""

    def __init__(self, parameter: Any) -> None:
        self.parameter = parameter


class _JsonList:
    """A JSON array parameter standing where ``in_`` takes a list: ``column IN (SELECT value
    FROM json_each(array))``."""

    def __init__(self, parameter: Any) -> None:
        self.parameter = parameter


def crn_lists(session: Session, crns: Sequence[str]) -> Iterable[Any]:
    """``crns`` as ``IN`` operands, each one parameter whatever the number of CRNs: on
    PostgreSQL an array (``= ANY``), on SQLite a JSON array read by ``json_each`` (the index on
    the column is searched once per CRN either way). A list of parameters would be compiled into
    the statement again on every execution, and SQLite takes at most ``CHUNK`` at once."""
    if not crns:
        return
    if session.get_bind().dialect.name == "postgresql":
        yield _Array(bindparam("crns", list(crns), type_=ARRAY(String)))
        return
    yield _JsonList(bindparam("crns", json.dumps(list(crns)), type_=String))


def crn_in(column: Any, operand: Any) -> ColumnElement[bool]:
    """``column`` among one operand of ``crn_lists``."""
    if isinstance(operand, _Array):
        result: ColumnElement[bool] = column == any_(operand.parameter)
        return result
    if isinstance(operand, _JsonList):
        values = func.json_each(operand.parameter).table_valued("value")
        in_json: ColumnElement[bool] = column.in_(select(values.c.value))
        return in_json
    in_list: ColumnElement[bool] = column.in_(operand)
    return in_list


def rows_for(
    session: Session, crns: Sequence[str], statement: Callable[[Any], Executable]
) -> Iterator[Any]:
    """The plain rows of ``statement(operand)`` for ``crns``, made with each operand of
    ``crn_lists`` (the right side of ``crn_in``) and read through the session's connection."""
    for operand in crn_lists(session, crns):
        yield from session.connection().execute(statement(operand))


def has_rar() -> ColumnElement[bool]:
    """Whether the event (an ``events`` row in the query) has a RAR requirement."""
    return (
        select(RequirementRow.id)
        .where(
            RequirementRow.crn == EventRow.crn,
            RequirementRow.event_id == EventRow.event_id,
            RequirementRow.type == RequirementType.RAR.value,
        )
        .exists()
    )


def events_of(session: Session, crns: Sequence[str]) -> dict[str, list[Event]]:
    """The events of ``crns`` (with their requirements' types), each person's in input order."""
    events: dict[str, list[Event]] = defaultdict(list)
    for chunk in crn_lists(session, crns):
        requirements: dict[tuple[str, str], list[Requirement]] = defaultdict(list)
        for crn, event_id, kind in session.connection().execute(
            select(RequirementRow.crn, RequirementRow.event_id, RequirementRow.type)
            .where(crn_in(RequirementRow.crn, chunk))
            .order_by(RequirementRow.crn, RequirementRow.event_id, RequirementRow.position)
        ):
            requirements[(crn, event_id)].append(REQUIREMENTS[kind])
        for (
            crn,
            event_id,
            kind,
            start,
            end,
            pss_end,
            youth,
            terminated,
            pr1,
        ) in session.connection().execute(
            select(
                EventRow.crn,
                EventRow.event_id,
                EventRow.type,
                EventRow.start_date,
                EventRow.end_date,
                EventRow.pss_end_date,
                EventRow.youth,
                EventRow.terminated_on,
                EventRow.probation_reset_date,
            )
            .where(crn_in(EventRow.crn, chunk))
            .order_by(EventRow.crn, EventRow.position)
        ):
            events[crn].append(
                Event(
                    event_id=event_id,
                    type=EVENT_TYPE_BY_WORD[kind],
                    start_date=start,
                    end_date=end,
                    pss_end_date=pss_end,
                    youth=youth,
                    terminated_on=terminated,
                    requirements=tuple(requirements[(crn, event_id)]),
                    probation_reset_date=pr1,
                )
            )
    return events
