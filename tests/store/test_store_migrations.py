"""Migrations upgrade and downgrade on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from conftest import NewDatabase  # type: ignore[import-not-found]
from probation_reset.store.database import create_database_engine, downgrade, upgrade
from probation_reset.store.models import Base

TABLES = set(Base.metadata.tables)


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_and_upgrade_again(new_database: NewDatabase) -> None:
    engine = create_database_engine(new_database())
    try:
        upgrade(engine)
        assert tables(engine) == TABLES
        downgrade(engine, "base")
        assert tables(engine) == set()
        upgrade(engine)
        assert tables(engine) == TABLES
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0001"
    finally:
        engine.dispose()


def test_the_migrated_schema_is_the_models_schema(store_engine: Engine) -> None:
    with store_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_foreign_keys_are_enforced(store_engine: Engine) -> None:
    with store_engine.connect() as connection, connection.begin():
        try:
            connection.execute(
                text(
                    "INSERT INTO events (crn, position, event_id, type, start_date, youth) "
                    "VALUES ('NOBODY', 0, '1', 'LICENCE', '2025-01-01', false)"
                )
            )
        except IntegrityError:
            return
    raise AssertionError("an event of no case was accepted")
