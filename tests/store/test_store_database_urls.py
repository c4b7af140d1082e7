"""Databases that cannot be used: a clear message, exit 2, never a password nor a traceback."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from caseloads import generated  # type: ignore[import-not-found]
from sqlalchemy import select
from typer.testing import CliRunner, Result

from conftest import POSTGRES, _admin  # type: ignore[import-not-found]
from probation_reset.cli.main import app
from probation_reset.store.database import in_memory, masked, open_database, session_factory
from probation_reset.store.models import Import

RUNNER = CliRunner()
SECRET = "s3cret-Pa55"


def assert_refused(result: Result) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert SECRET not in result.output
    assert result.stderr.startswith("probation-reset: ")


@pytest.mark.parametrize(
    "url",
    [
        f"oracle+nosuchdriver://scott:{SECRET}@db.example/orcl",
        f"mysql://scott:{SECRET}@localhost/caseload",
        f"postgresql://scott:{SECRET}@localhost:port/caseload",
        f"nonsense:{SECRET}",
    ],
)
def test_an_unusable_database_url_is_misuse_and_its_password_is_never_shown(url: str) -> None:
    result = RUNNER.invoke(
        app, ["changes", "--from", "2025-01-01", "--to", "2025-01-02", "--database", url]
    )
    assert_refused(result)
    assert SECRET not in masked(url)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_a_database_in_memory_is_refused_for_commands_that_store(url: str, tmp_path: Path) -> None:
    assert in_memory(url)
    source = tmp_path / "cases.json"
    source.write_text(json.dumps(generated(2)))
    result = RUNNER.invoke(app, ["import", str(source), "--database", url])
    assert_refused(result)
    assert "in memory" in result.stderr
    assert not in_memory(f"sqlite:///{tmp_path / 'x.sqlite'}")


def test_a_read_only_sqlite_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    open_database(f"sqlite:///{path}").dispose()
    source = tmp_path / "cases.json"
    source.write_text(json.dumps(generated(5)))
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    result = RUNNER.invoke(app, ["import", str(source), "--database", read_only])
    assert_refused(result)
    assert "read" in result.stderr.lower()


@pytest.fixture
def postgres_database() -> str:
    name = f"probation_reset_test_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"')
    yield POSTGRES.rsplit("/", 1)[0] + "/" + name  # type: ignore[misc]
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_read_only_postgresql_database_is_a_clear_error(
    postgres_database: str, tmp_path: Path
) -> None:
    engine = open_database(postgres_database)
    engine.dispose()
    name = postgres_database.rsplit("/", 1)[1]
    _admin(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    source = tmp_path / "cases.json"
    source.write_text(json.dumps(generated(5)))
    result = RUNNER.invoke(app, ["import", str(source), "--database", postgres_database])
    assert_refused(result)
    assert "read-only" in result.stderr


def test_a_role_that_may_only_read_is_a_clear_error(postgres_database: str, tmp_path: Path) -> None:
    open_database(postgres_database).dispose()
    role = f"reader_{uuid.uuid4().hex[:8]}"
    _admin(f"CREATE ROLE {role} LOGIN PASSWORD '{SECRET}'")
    try:
        with psycopg.connect(postgres_database, autocommit=True) as connection:
            connection.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")  # type: ignore[arg-type]
        url = postgres_database.replace("postgres@", f"{role}:{SECRET}@")
        source = tmp_path / "cases.json"
        source.write_text(json.dumps(generated(5)))
        result = RUNNER.invoke(app, ["import", str(source), "--database", url])
        assert_refused(result)
        assert "permission denied" in result.stderr
        engine = open_database(postgres_database)
        with session_factory(engine)() as session:
            assert session.scalars(select(Import)).all() == []
        engine.dispose()
    finally:
        _admin(f"DROP OWNED BY {role}")  # in the maintenance database: nothing there
        with psycopg.connect(postgres_database, autocommit=True) as connection:
            connection.execute(f"DROP OWNED BY {role}")  # type: ignore[arg-type]
        _admin(f"DROP ROLE IF EXISTS {role}")
