"""Storage tests run against SQLite and PostgreSQL alike, for real.

``backend`` is parametrised over both. Each PostgreSQL database is created for the test session
(or for the one test that needs committed data) under a unique name and dropped afterwards, so
parallel runs never meet. Most tests work in one transaction that is rolled back at the end,
imports included (their per-batch commits become savepoints). PostgreSQL is expected on
127.0.0.1:5432 (user postgres, trust auth; ``PROBATION_RESET_TEST_POSTGRES`` overrides the URL of
its maintenance database); a missing server fails the tests rather than skipping them, unless
``PROBATION_RESET_SKIP_POSTGRES=1`` says so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.store.database import open_database

BACKENDS = ("sqlite", "postgresql")
POSTGRES = os.environ.get(
    "PROBATION_RESET_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)

#: Makes a URL of a new, empty database of the test's backend (dropped after the test session).
NewDatabase = Callable[[], str]


def _postgres_url(name: str) -> str:
    return POSTGRES.rsplit("/", 1)[0] + "/" + name


def _admin(sql: str) -> None:
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql":
        if os.environ.get("PROBATION_RESET_SKIP_POSTGRES") == "1":
            pytest.skip("PROBATION_RESET_SKIP_POSTGRES=1")
        try:
            _admin("SELECT 1")
        except psycopg.OperationalError as error:
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES}: {error}")
    return name


@pytest.fixture(scope="session")
def new_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewDatabase]:
    created: list[str] = []

    def make() -> str:
        name = f"probation_reset_test_{uuid.uuid4().hex[:12]}"
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('store') / (name + '.sqlite')}"
        _admin(f'CREATE DATABASE "{name}"')
        created.append(name)
        return _postgres_url(name)

    yield make
    for name in created:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def store_engine(new_database: NewDatabase) -> Iterator[Engine]:
    """The session's database, migrated to the newest revision."""
    engine = open_database(new_database())
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(store_engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions inside one transaction that is rolled back after the test; a session's own
    commit releases a savepoint."""
    with store_engine.connect() as connection:
        outer = connection.begin()
        yield sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        outer.rollback()


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as opened:
        yield opened


@pytest.fixture
def empty_database(new_database: NewDatabase) -> str:
    """The URL of a database of its own, for tests that need committed data (a subprocess)."""
    return new_database()
