"""Writing many rows at once: PostgreSQL ``COPY``, otherwise one ``executemany``.

The ORM's bulk insert of a list of dicts sends one statement per row on SQLite when the table
has server-generated keys, and a parameterised ``INSERT`` per batch of rows on PostgreSQL; a
caseload of a few million contacts needs better. Rows go through the session's own connection,
so they are part of the caller's transaction (an import batch stays all or nothing).

``COPY`` is used for tables without JSON columns (psycopg adapts dates, numbers and text to
``COPY``'s format); the others are written by a Core ``executemany``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Table, bindparam, insert, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session


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
