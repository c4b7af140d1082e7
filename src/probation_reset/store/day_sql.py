"""Day arithmetic in SQL, written once for SQLite and PostgreSQL.

SQLite keeps a date as ``YYYY-MM-DD`` text, with ``julianday`` and ``date(…, '+N days')`` for
arithmetic; PostgreSQL subtracts dates to whole days and adds whole days to a date. Queries that
compare a stored date with one computed from others (a PR1 key date against the two-thirds point)
use these, so the comparison happens in the database and only disagreements come back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement[int]):  # noqa: N801 (a SQL function, named as one)
    """``later - earlier`` in whole days."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


class plus_days(FunctionElement[dt.date]):  # noqa: N801 (a SQL function, named as one)
    """``day`` plus ``days`` whole days."""

    type = Date()
    inherit_cache = True
    name = "plus_days"


def _arguments(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(argument, **kw) for argument in element.clauses]


@compiles(days_between)
def _days_between(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _arguments(element, compiler, **kw)
    return f"({later} - {earlier})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _arguments(element, compiler, **kw)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(plus_days)
def _plus_days(element: plus_days, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = _arguments(element, compiler, **kw)
    return f"({day} + {days})"


@compiles(plus_days, "sqlite")
def _plus_days_sqlite(element: plus_days, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = _arguments(element, compiler, **kw)
    return f"date({day}, printf('%+d days', {days}))"


def two_thirds_point(start: Any, end: Any) -> plus_days:
    """``start + floor(2 * (end - start) / 3)`` days (``rules.final_third.two_thirds_point``;
    an end never falls before its start, so the division of whole days rounds down)."""
    return plus_days(start, days_between(end, start) * 2 // 3)
