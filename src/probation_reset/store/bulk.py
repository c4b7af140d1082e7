"""Writing many rows at once: PostgreSQL ``COPY``, otherwise one ``executemany``.

The ORM's bulk insert of a list of dicts sends one statement per row on SQLite when the table
has server-generated keys, and a parameterised ``INSERT`` per batch of rows on PostgreSQL; a
caseload of a few million contacts needs better. Rows go through the session's own connection,
so they are part of the caller's transaction (an import batch stays all or nothing).

``insert_rows`` uses ``COPY`` for tables without JSON columns (psycopg adapts dates, numbers and
text to ``COPY``'s format) and a Core ``executemany`` for the others. ``GatheredRows`` takes rows
already in the driver's terms (``bulk_rows``), gathered from many cases for one transaction, and
writes each table at once: an import's batch and its status history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Table, bindparam, insert, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session

from probation_reset.store.bulk_rows import COLUMNS, POSTGRESQL, Row, copy_lines

#: Records (cases) per batch, each batch one transaction, unless told otherwise.
DEFAULT_BATCH_SIZE = 1000


def _table(model: type[DeclarativeBase] | Table) -> Table:
    table = model if isinstance(model, Table) else model.__table__
    assert isinstance(table, Table)
    return table


def _copyable(table: Table) -> bool:
    return not any(isinstance(column.type, JSON) for column in table.columns)


def insert_rows(
    session: Session, model: type[DeclarativeBase] | Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert `rows` (dicts with the same keys) into the model's table, in the session's
    transaction."""
    if not rows:
        return
    table = _table(model)
    connection = session.connection()
    if connection.dialect.name == "postgresql" and _copyable(table):
        from psycopg import sql

        columns = list(rows[0])
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        import psycopg

        driver = connection.connection.driver_connection
        assert driver is not None
        try:
            with driver.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row([row[column] for column in columns])
        except psycopg.Error as error:
            # Raised as SQLAlchemy raises what a statement meets (DataError, IntegrityError...),
            # so callers handle a refused COPY as they handle a refused INSERT.
            raise DBAPIError.instance(
                f"COPY {table.name}", None, error, psycopg.Error, dialect=connection.dialect
            ) from error
        return
    connection.execute(insert(table), list(rows))


def update_by_key(
    session: Session,
    model: type[DeclarativeBase] | Table,
    key: str,
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """``UPDATE`` each row of the table whose `key` column equals the row's `key` value, setting
    the row's other values; one ``executemany``."""
    if not rows:
        return
    table = _table(model)
    names = [name for name in rows[0] if name != key]
    statement = (
        update(table)
        .where(table.c[key] == bindparam(f"match_{key}"))
        .values({name: bindparam(f"set_{name}") for name in names})
    )
    parameters = [
        {f"match_{key}": row[key], **{f"set_{name}": row[name] for name in names}} for row in rows
    ]
    session.connection().execute(statement, parameters)


#: The order in which gathered tables are written (a table after those its keys refer to).
WRITING_ORDER = (
    "cases",
    "case_changes",
    "events",
    "requirements",
    "licence_conditions",
    "registrations",
    "contacts",
    "status_spans",
    "status_transitions",
    "case_digests",
    "event_phase_spans",
    "exemption_spans",
    "case_obligations",
)


class GatheredRows:
    """Rows of several tables gathered for one transaction (``bulk_rows`` gives their columns),
    then written table by table: on PostgreSQL one ``COPY`` each (rows arrive as its text
    lines), otherwise one ``executemany`` each on the driver's own cursor (rows arrive as
    tuples of values the driver takes as they are)."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.copying = dialect == POSTGRESQL
        self._text: dict[str, list[str]] = {}
        self._rows: dict[str, list[Row]] = {}

    def add(self, table: str, payload: list[Row] | str) -> None:
        """Rows of ``table``: tuples, or on PostgreSQL their ``COPY`` text already made."""
        if isinstance(payload, list):
            if not payload:
                return
            if not self.copying:
                self._rows.setdefault(table, []).extend(payload)
                return
            payload = copy_lines(payload)
        if not self.copying:
            raise TypeError(f"{table}: COPY text given for {self.dialect}")
        if payload:
            self._text.setdefault(table, []).append(payload)

    def add_stamped(self, table: str, stamp: tuple[Any, ...], rows: Iterable[Row]) -> None:
        """Rows of a table whose first columns (``STAMPED``) are the same for every row."""
        self.add(table, [(*stamp, *row) for row in rows])

    def write(self, session: Session) -> None:
        connection = session.connection()
        for table in WRITING_ORDER:
            columns = COLUMNS[table]
            if table in self._text:
                _copy_text(connection, table, columns, "".join(self._text.pop(table)))
            elif table in self._rows:
                _execute_many(connection, table, columns, self._rows.pop(table))


def _copy_text(connection: Connection, table: str, columns: Sequence[str], text: str) -> None:
    from psycopg import Error, sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(text)
    except Error as error:
        raise DBAPIError.instance(
            f"COPY {table}", None, error, Error, dialect=connection.dialect
        ) from error


def _execute_many(
    connection: Connection, table: str, columns: Sequence[str], rows: list[Row]
) -> None:
    import sqlite3

    statement = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        cursor.executemany(statement, rows)
    except sqlite3.Error as error:
        raise DBAPIError.instance(
            statement, None, error, sqlite3.Error, dialect=connection.dialect
        ) from error
    finally:
        cursor.close()
