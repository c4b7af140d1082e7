"""Alembic environment: the caseload metadata, on the engine the application hands over.

``probation_reset.store.database`` puts the engine, and the connection whose transaction holds
the migration lock, in ``config.attributes``;
run by hand (``alembic -c ... upgrade head``) the URL comes from ``DATABASE_URL`` instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

from probation_reset.store.database import create_database_engine, database_url
from probation_reset.store.models import Base

config = context.config
target_metadata = Base.metadata


def _engine() -> Engine:
    given = config.attributes.get("engine")
    if isinstance(given, Engine):
        return given
    return create_database_engine(database_url())


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _run(given)  # inside the caller's transaction, which holds the migration lock
        return
    with _engine().connect() as connection:
        _run(connection)


if context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
