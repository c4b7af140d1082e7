"""Opening the caseload database and bringing its schema up to date.

The URL comes from ``--database``, else the ``DATABASE_URL`` environment variable, else a SQLite
file ``probation-reset.sqlite`` in the working directory. A ``postgresql://`` or ``postgres://``
URL is given the psycopg 3 driver. SQLite connections enforce foreign keys. The schema is
migrated by Alembic (``migrations/`` beside this module) to its newest revision on opening, so
no set-up is needed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DATABASE_URL = "sqlite:///probation-reset.sqlite"
DATABASE_URL_VARIABLE = "DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"
#: Seconds a SQLite connection waits for another writer before giving up.
SQLITE_BUSY_SECONDS = 30


class DatabaseUrlError(ValueError):
    """The database URL cannot be understood."""


def database_url(explicit: str | None = None) -> str:
    """``explicit``, else ``$DATABASE_URL``, else the SQLite file in the working directory."""
    return explicit or os.environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def _with_driver(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _on_sqlite_connect(connection: Any, _record: Any) -> None:
    """Foreign keys on; transactions begun by SQLAlchemy, not by the driver (so a transaction,
    and a savepoint in it, covers reads and writes alike)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    connection.isolation_level = None


def _on_sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def create_database_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys on and a busy timeout."""
    try:
        parsed = make_url(_with_driver(url))
        if parsed.get_backend_name() != "sqlite":
            return create_engine(parsed, pool_pre_ping=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_SECONDS})
    except ArgumentError as error:
        raise DatabaseUrlError(f"cannot use the database URL {url!r}: {error}") from None
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def alembic_config(engine: Engine) -> Config:
    """Alembic's configuration, built in code: no ``alembic.ini`` is needed at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def open_database(url: str | None = None) -> Engine:
    """The engine for ``url`` (see ``database_url``), its schema migrated to the newest revision."""
    engine = create_database_engine(database_url(url))
    upgrade(engine)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after a commit."""
    return sessionmaker(engine, expire_on_commit=False)
