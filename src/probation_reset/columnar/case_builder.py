"""Domain cases made straight from a chunk of the Parquet tables, for the people whose rows the
intake would take as they are.

The tables hold cases already typed: a date is a date, a count an integer. Making each case's
JSON (`table_reader.cases_of`) only for the intake to read it back
(`intake.reader.validate_case`: pydantic, then the checks across fields) took a third of
`batch`'s time on a person. Here each table is screened in Arrow's code, a column at a time,
for everything the intake refuses (CONTRACT.md sections 2 and 4.3: a word outside the
contract's vocabulary, an empty identifier, a date outside 1800 to 2399, an end before its
start, a PSS end on an order, a key date outside its event, a MAPPA or RoSH level out of range,
a time of day that is no time); the checks across rows (an event id used twice in a case, a
contact naming no event of its case) are made as the cases are built. A person with any row
that fails is left to the intake (`None`), which names each problem as it does for any other
input; the others are built as the intake would build them.

The screen may leave to the intake a person it would take, never the reverse: a differential
test (`tests/test_case_builder.py`) holds every case built here equal to the intake's, on
hypothesis-generated tables valid and invalid. A chunk whose columns are not of the tables' own
types, or whose rows make no case (a row for a person not in the chunk, a requirement of no
event), is left to the intake whole (`None`): `cases_of` then reads it, or names what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from probation_reset.columnar.table_reader import TableChunk
from probation_reset.columnar.tables import MANAGER_FIELDS
from probation_reset.domain.case import (
    Case,
    Contact,
    Event,
    LicenceCondition,
    Manager,
    Registration,
    Requirement,
)
from probation_reset.domain.vocabulary import (
    CONTACT_MODE_BY_WORD,
    CONTACT_OUTCOME_BY_WORD,
    CONTACT_TYPE_BY_WORD,
    EVENT_TYPE_BY_WORD,
    LICENCE_CONDITION_TYPE_BY_WORD,
    REGISTRATION_TYPE_BY_WORD,
    REQUIREMENT_TYPE_BY_WORD,
    ROSH_LEVEL_BY_WORD,
    EventType,
    RegistrationType,
)
from probation_reset.intake.dates import EARLIEST, LATEST

_ORDERS = pa.array([EventType.COMMUNITY_ORDER.value, EventType.SUSPENDED_SENTENCE_ORDER.value])
#: A contact's time of day as the tables write it: ``HH:MM`` or ``HH:MM:SS`` (ASCII digits).
_TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
_TIME_PARTS = re.compile(r"(\d\d):(\d\d)(?::(\d\d))?")
#: The longest manager name or code the intake takes (`intake.schema.ManagerName`).
_MANAGER_LONGEST = 200


def _words(vocabulary: dict[str, Any]) -> pa.Array:
    return pa.array(list(vocabulary))


_TYPED: dict[str, Callable[[pa.DataType], bool]] = {
    "index": pa.types.is_int64,
    "text": lambda kind: pa.types.is_string(kind) or pa.types.is_large_string(kind),
    "date": pa.types.is_date32,
    "flag": pa.types.is_boolean,
    "count": pa.types.is_integer,
}
#: Each table's columns and the Arrow types the screen knows how to read.
_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "people": (
        ("case_index", "index"),
        ("crn", "text"),
        *((name, "text") for name in MANAGER_FIELDS),
        ("date_of_birth", "date"),
    ),
    "events": (
        ("case_index", "index"), ("event_id", "text"), ("type", "text"), ("start_date", "date"),
        ("end_date", "date"), ("pss_end_date", "date"), ("youth", "flag"),
        ("terminated_on", "date"), ("probation_reset_date", "date"),
    ),
    "requirements": (
        ("case_index", "index"), ("event_id", "text"), ("type", "text"), ("start_date", "date"),
        ("end_date", "date"), ("days", "count"), ("hours", "count"),
    ),
    "licence_conditions": (
        ("case_index", "index"), ("event_id", "text"), ("type", "text"), ("start_date", "date"),
        ("end_date", "date"),
    ),
    "registrations": (
        ("case_index", "index"), ("type", "text"), ("start_date", "date"),
        ("deregistered_on", "date"), ("level", "text"), ("level_number", "count"),
        ("category", "count"),
    ),
    "contacts": (
        ("case_index", "index"), ("contact_id", "text"), ("event_id", "text"), ("date", "date"),
        ("time", "text"), ("type", "text"), ("mode", "text"), ("outcome", "text"),
        ("recorded_on", "date"),
    ),
}  # fmt: skip


def _true(condition: pa.Array) -> pa.Array:
    """Where a condition holds for certain (unknown, from a missing value, counts as not)."""
    return pc.fill_null(condition, False)


def _all(*conditions: pa.Array) -> pa.Array:
    result = _true(conditions[0])
    for condition in conditions[1:]:
        result = pc.and_(result, _true(condition))
    return result


def _missing_or(column: pa.Array, condition: pa.Array) -> pa.Array:
    return pc.or_(pc.is_null(column), _true(condition))


def _day_in_range(column: pa.Array) -> pa.Array:
    return pc.and_(
        pc.greater_equal(column, pa.scalar(EARLIEST, pa.date32())),
        pc.less_equal(column, pa.scalar(LATEST, pa.date32())),
    )


def _day(column: pa.Array) -> pa.Array:
    """A date the intake takes (present)."""
    return _true(_day_in_range(column))


def _day_or_missing(column: pa.Array) -> pa.Array:
    return _missing_or(column, _day_in_range(column))


def _not_before(end: pa.Array, start: pa.Array) -> pa.Array:
    """No end before its start (either may be missing)."""
    return _missing_or(end, pc.or_kleene(pc.is_null(start), pc.greater_equal(end, start)))


def _identifier(column: pa.Array) -> pa.Array:
    return _true(pc.greater(pc.utf8_length(column), 0))


def _word(column: pa.Array, vocabulary: dict[str, Any]) -> pa.Array:
    return _true(pc.is_in(column, value_set=_words(vocabulary)))


def _people(t: pa.Table) -> pa.Array:
    managers = [
        _missing_or(t[name], pc.less_equal(pc.utf8_length(t[name]), _MANAGER_LONGEST))
        for name in MANAGER_FIELDS
    ]
    return _all(_identifier(t["crn"]), _day_or_missing(t["date_of_birth"]), *managers)


def _events(t: pa.Table) -> pa.Array:
    start, end, pss, pr1 = (
        t["start_date"],
        t["end_date"],
        t["pss_end_date"],
        t["probation_reset_date"],
    )
    is_order = _true(pc.is_in(t["type"], value_set=_ORDERS))
    return _all(
        _identifier(t["event_id"]),
        _word(t["type"], EVENT_TYPE_BY_WORD),
        _day(start),
        *(_day_or_missing(t[name]) for name in ("end_date", "pss_end_date", "terminated_on")),
        _day_or_missing(pr1),
        _not_before(end, start),
        _not_before(t["terminated_on"], start),
        # An order has an end and no PSS; a licence's PSS ends after the licence does.
        pc.or_(pc.invert(is_order), pc.and_(pc.is_valid(end), pc.is_null(pss))),
        _missing_or(pss, pc.greater(pss, end)),
        _missing_or(pr1, pc.and_kleene(pc.greater_equal(pr1, start), pc.less_equal(pr1, end))),
    )


def _entries(t: pa.Table, vocabulary: dict[str, Any]) -> pa.Array:
    conditions = [
        _word(t["type"], vocabulary),
        _day_or_missing(t["start_date"]),
        _day_or_missing(t["end_date"]),
        _not_before(t["end_date"], t["start_date"]),
    ]
    for name in ("days", "hours"):
        if name in t.column_names:
            conditions.append(_missing_or(t[name], pc.greater_equal(t[name], 0)))
    return _all(*conditions)


def _registrations(t: pa.Table) -> pa.Array:
    kind, number, category = t["type"], t["level_number"], t["category"]
    is_mappa = _true(pc.equal(kind, RegistrationType.MAPPA.value))
    is_rosh = _true(pc.equal(kind, RegistrationType.ROSH.value))
    mappa_fits = _all(
        pc.is_null(t["level"]),
        _missing_or(number, pc.and_(pc.greater_equal(number, 1), pc.less_equal(number, 3))),
        _missing_or(category, pc.and_(pc.greater_equal(category, 1), pc.less_equal(category, 4))),
    )
    rosh_fits = _word(t["level"], ROSH_LEVEL_BY_WORD)
    return _all(
        _word(kind, REGISTRATION_TYPE_BY_WORD),
        _day(t["start_date"]),
        _day_or_missing(t["deregistered_on"]),
        _not_before(t["deregistered_on"], t["start_date"]),
        pc.or_(pc.invert(is_mappa), mappa_fits),
        pc.or_(pc.invert(is_rosh), rosh_fits),
    )


def _contacts(t: pa.Table) -> pa.Array:
    return _all(
        _identifier(t["contact_id"]),
        _missing_or(t["event_id"], pc.greater(pc.utf8_length(t["event_id"]), 0)),
        _day(t["date"]),
        _missing_or(t["time"], pc.match_substring_regex(t["time"], _TIME_OF_DAY)),
        _word(t["type"], CONTACT_TYPE_BY_WORD),
        _missing_or(t["mode"], pc.is_in(t["mode"], value_set=_words(CONTACT_MODE_BY_WORD))),
        _missing_or(
            t["outcome"], pc.is_in(t["outcome"], value_set=_words(CONTACT_OUTCOME_BY_WORD))
        ),
        _day_or_missing(t["recorded_on"]),
    )


_SCREENS: dict[str, Callable[[pa.Table], pa.Array]] = {
    "people": _people,
    "events": _events,
    "requirements": lambda t: _entries(t, REQUIREMENT_TYPE_BY_WORD),
    "licence_conditions": lambda t: _entries(t, LICENCE_CONDITION_TYPE_BY_WORD),
    "registrations": _registrations,
    "contacts": _contacts,
}


def _read(chunk: TableChunk) -> dict[str, pa.Table] | None:
    """The chunk's tables, or ``None`` when a column is not of the type the screen reads."""
    tables: dict[str, pa.Table] = {}
    for name, columns in _COLUMNS.items():
        table = chunk.table(name)
        for column, kind in columns:
            if column not in table.column_names or not _TYPED[kind](
                table.schema.field(column).type
            ):
                return None
        tables[name] = table
    return tables


def _values(column: pa.ChunkedArray) -> list[Any]:
    """A column's values as Python's: dates by polars, ten times as quick as Arrow for them."""
    if pa.types.is_date32(column.type):
        values: list[Any] = pl.from_arrow(column).to_list()  # type: ignore[union-attr]
        return values
    return list(column.to_pylist())


def _time_of_day(text: str, known: dict[str, time]) -> time:
    moment = known.get(text)
    if moment is None:
        match = _TIME_PARTS.fullmatch(text)
        if match is None:  # the screen (_TIME_OF_DAY) lets no other text through
            raise ValueError(f"{text!r} is not a time of day written HH:MM[:SS]")
        hour, minute, second = match.groups()
        moment = known[text] = time(int(hour), int(minute), int(second or 0))
    return moment


def direct_cases(chunk: TableChunk, with_contacts: bool = True) -> list[Case | None] | None:
    """Each person's case in chunk order, or `None` for a person left to the intake; `None`
    for a chunk left to the intake whole (see the module's text).

    ``with_contacts=False`` builds the cases without their contacts (checked all the same, and
    a person refused for them), for a caller that judges the contacts from the table itself
    (`columnar.obligations`): a case's contacts are most of its objects."""
    tables = _read(chunk)
    if tables is None:
        return None
    refused: set[int] = set()
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for name, table in tables.items():
        passes = _SCREENS[name](table)
        refused.update(pc.filter(table["case_index"], pc.invert(passes)).to_pylist())
        if name == "contacts" and not with_contacts:
            if not _contacts_checked(table, tables["people"], tables["events"], refused):
                return None
            rows[name] = []
            continue
        columns = [_values(table[column]) for column, _ in _COLUMNS[name]]
        rows[name] = list(zip(*columns, strict=True))
    people = rows["people"]
    order = {row[0]: position for position, row in enumerate(people)}
    if len(order) != len(people):
        return None
    return _build(people, order, rows, refused)


def _build(
    people: list[tuple[Any, ...]],
    order: dict[int, int],
    rows: dict[str, list[tuple[Any, ...]]],
    refused: set[int],
) -> list[Case | None] | None:
    entries: dict[tuple[int, str], tuple[list[Requirement], list[LicenceCondition]]] = {}
    for index, event_id, *_ in rows["events"]:
        entries.setdefault((index, event_id), ([], []))
    for index, event_id, kind, start, end, days, hours in rows["requirements"]:
        owner = entries.get((index, event_id))
        if owner is None:
            return None
        if index not in refused:
            owner[0].append(Requirement(REQUIREMENT_TYPE_BY_WORD[kind], start, end, days, hours))
    for index, event_id, kind, start, end in rows["licence_conditions"]:
        owner = entries.get((index, event_id))
        if owner is None:
            return None
        if index not in refused:
            owner[1].append(LicenceCondition(LICENCE_CONDITION_TYPE_BY_WORD[kind], start, end))
    events: list[list[Event]] = [[] for _ in people]
    event_ids: list[set[str]] = [set() for _ in people]
    for index, event_id, kind, start, end, pss, youth, ended, pr1 in rows["events"]:
        position = order.get(index)
        if position is None:
            return None
        if index in refused:
            continue
        if event_id in event_ids[position]:
            refused.add(index)  # an event id used twice in the case
            continue
        event_ids[position].add(event_id)
        requirements, conditions = entries[(index, event_id)]
        kind_word = EVENT_TYPE_BY_WORD[kind]
        events[position].append(
            Event(
                event_id, kind_word, start, end, pss, bool(youth), ended,
                tuple(requirements), tuple(conditions), pr1,
            )
        )  # fmt: skip
    registrations: list[list[Registration]] = [[] for _ in people]
    for index, kind, start, ended, level, number, category in rows["registrations"]:
        position = order.get(index)
        if position is None:
            return None
        if index in refused:
            continue
        held = registrations[position]
        level_value = level if level is not None else number
        held.append(
            Registration(
                REGISTRATION_TYPE_BY_WORD[kind], start, ended, level_value, category, len(held)
            )
        )
    contacts = _contacts_of(rows["contacts"], order, event_ids, refused)
    if contacts is None:
        return None
    built: list[Case | None] = []
    for position, (index, crn, *manager, birth) in enumerate(people):
        if index in refused:
            built.append(None)
            continue
        named = Manager(*manager) if any(value is not None for value in manager) else None
        built.append(
            Case(
                crn,
                tuple(events[position]),
                tuple(registrations[position]),
                tuple(contacts[position]),
                birth,
                named,
            )
        )
    return built


def _contacts_checked(
    contacts: pa.Table, people: pa.Table, events: pa.Table, refused: set[int]
) -> bool:
    """The checks `_contacts_of` makes, in columns: `False` for a contact of a person not in
    the chunk; a person with a contact naming no event of the case is added to ``refused``."""
    people_frame = pl.DataFrame(pl.from_arrow(people.select(["case_index"])))
    contact_frame = pl.DataFrame(pl.from_arrow(contacts.select(["case_index", "event_id"])))
    if contact_frame.join(people_frame, on="case_index", how="anti").height:
        return False
    event_frame = pl.DataFrame(pl.from_arrow(events.select(["case_index", "event_id"])))
    unknown = contact_frame.filter(pl.col("event_id").is_not_null()).join(
        event_frame, on=["case_index", "event_id"], how="anti"
    )
    refused.update(unknown.get_column("case_index").to_list())
    return True


def _contacts_of(
    rows: list[tuple[Any, ...]],
    order: dict[int, int],
    event_ids: list[set[str]],
    refused: set[int],
) -> list[list[Contact]] | None:
    contacts: list[list[Contact]] = [[] for _ in order]
    known: dict[str, time] = {}
    for index, contact_id, event_id, day, clock, kind, mode, outcome, recorded in rows:
        position = order.get(index)
        if position is None:
            return None
        if index in refused:
            continue
        if event_id is not None and event_id not in event_ids[position]:
            refused.add(index)  # a contact naming no event of its case
            continue
        held = contacts[position]
        held.append(
            Contact(
                contact_id,
                day,
                CONTACT_TYPE_BY_WORD[kind],
                event_id,
                None if clock is None else _time_of_day(clock, known),
                None if mode is None else CONTACT_MODE_BY_WORD[mode],
                None if outcome is None else CONTACT_OUTCOME_BY_WORD[outcome],
                recorded,
                len(held),
            )
        )
    return contacts
