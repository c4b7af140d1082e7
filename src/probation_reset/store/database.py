"""Opening the caseload database and bringing its schema up to date.

The URL comes from ``--database``, else the ``DATABASE_URL`` environment variable, else a SQLite
file ``probation-reset.sqlite`` in the working directory. A ``postgresql://`` or ``postgres://``
URL is given the psycopg 3 driver; other databases are refused, and no message shows the URL's
password. SQLite connections enforce foreign keys; both engines are set up for several writers
at once (``concurrency``). The schema is migrated by Alembic (``migrations/`` beside this
module) to its newest revision on opening, under a lock, so no set-up is needed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.batch.sources import read_json
from probation_reset.evaluation.json_text import json_line
from probation_reset.store.concurrency import (
    READING,
    lock_wait_seconds,
    prepare_engine,
    reading_sessions,
    take_migration_lock,
)

DEFAULT_DATABASE_URL = "sqlite:///probation-reset.sqlite"
DATABASE_URL_VARIABLE = "DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"
SUPPORTED = frozenset({"sqlite", "postgresql"})


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


def masked(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        hidden = _PASSWORD.sub(r"\1***@", url)
        if hidden != url or "://" in url:
            return hidden
        return url.split(":", 1)[0] + ":***" if ":" in url else url


_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def create_database_engine(url: str) -> Engine:
    """An engine for ``url``, set up for several writers (``concurrency.prepare_engine``);
    ``DatabaseUrlError`` (never showing the password) when the URL cannot be used."""
    try:
        parsed = make_url(_with_driver(url))
        backend = parsed.get_backend_name()
        if backend not in SUPPORTED:
            raise DatabaseUrlError(
                f"cannot use the database URL {masked(url)!r}: {backend!r} is not supported "
                "(use sqlite:///FILE or postgresql://...)"
            )
        if backend == "sqlite":
            engine = create_engine(
                parsed,
                connect_args={"timeout": lock_wait_seconds()},
                json_serializer=json_line,
                json_deserializer=read_json,
            )
        else:
            engine = create_engine(
                parsed, pool_pre_ping=True, json_serializer=json_line, json_deserializer=read_json
            )
    except (ArgumentError, ValueError, ImportError) as error:
        if isinstance(error, DatabaseUrlError):
            raise
        reason = f"{error.__class__.__name__}: {error}".replace(url, masked(url))
        if isinstance(error, ValueError) and "int()" in str(error):
            reason = "the port is not a number"
        raise DatabaseUrlError(f"cannot use the database URL {masked(url)!r}: {reason}") from None
    return prepare_engine(engine)


def in_memory(url: str) -> bool:
    """Whether ``url`` names an in-memory SQLite database, which keeps nothing once closed."""
    try:
        parsed = make_url(_with_driver(url))
    except (ArgumentError, ValueError):
        return False
    database = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and (
        database in ("", ":memory:") or "mode=memory" in str(parsed.query)
    )


def alembic_config(engine: Engine) -> Config:
    """Alembic's configuration, built in code: no ``alembic.ini`` is needed at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def _at_head(engine: Engine, config: Config) -> bool:
    with engine.execution_options(**{READING: True}).connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current) == set(ScriptDirectory.from_config(config).get_heads())


def _migrate(engine: Engine, step: Callable[[Config], None]) -> None:
    """``step`` in one transaction holding the migration lock (``take_migration_lock``), so
    that two first uses of a new database take turns."""
    with engine.connect() as connection, connection.begin():
        take_migration_lock(connection)
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        step(config)


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and _at_head(engine, alembic_config(engine)):
        return
    _migrate(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    _migrate(engine, lambda config: command.downgrade(config, revision))


def open_database(url: str | None = None) -> Engine:
    """The engine for ``url`` (see ``database_url``), its schema migrated to the newest revision."""
    engine = create_database_engine(database_url(url))
    upgrade(engine)
    return engine


def session_factory(engine: Engine, reading: bool = False) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after a commit; ``reading`` ones only read,
    and on SQLite never wait for a writer."""
    if reading:
        return reading_sessions(engine)
    return sessionmaker(engine, expire_on_commit=False)
