"""Migrations upgrade and downgrade on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from conftest import NewDatabase  # type: ignore[import-not-found]
from probation_reset.store.database import (
    alembic_config,
    create_database_engine,
    downgrade,
    upgrade,
)
from probation_reset.store.digest_tables import POSTGRESQL_ONLY_INDEXES
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
            head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
            assert head is not None and head >= "0002"
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head
    finally:
        engine.dispose()


def test_the_migrated_schema_is_the_models_schema(store_engine: Engine) -> None:
    elsewhere = set() if store_engine.dialect.name == "postgresql" else POSTGRESQL_ONLY_INDEXES

    def made_here(thing: Any, name: str | None, kind: str, *_: Any) -> bool:
        return not (kind == "index" and name in elsewhere)

    with store_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": made_here}
        )
        assert compare_metadata(context, Base.metadata) == []
    indexes = {i["name"] for i in inspect(store_engine).get_indexes("case_obligations")}
    assert ("ix_case_obligations_unmet" in indexes) is (store_engine.dialect.name == "postgresql")


def test_foreign_keys_are_enforced(store_engine: Engine) -> None:
    """The keys that stay (Alembic ``0007`` and ``0010`` took those of the rows an import writes
    with each case): a case of no import is refused."""
    with store_engine.connect() as connection, connection.begin():
        try:
            connection.execute(
                text(
                    "INSERT INTO cases (crn, document, content_hash, created_by_import, "
                    "updated_by_import, created_at, updated_at) VALUES ('NOBODY', '{}', 'h', "
                    "999999, 999999, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
                )
            )
        except IntegrityError:
            return
    raise AssertionError("a case of no import was accepted")


def test_the_manager_migration_fills_scope_columns_from_stored_documents(
    new_database: NewDatabase,
) -> None:
    engine = create_database_engine(new_database())
    try:
        upgrade(engine, "0001")
        document = (
            '{"crn": "M1", "manager": {"region": "Wales", "pdu": "Cardiff", '
            '"team": "Cardiff 2", "staff_code": "W02C001", "staff_name": "Rhian Evans"}}'
        )
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO imports (id, source, source_kind, imported_by, policy_version, "
                    "started_at, outcome, records, created, changed, unchanged, rejected) VALUES "
                    "(1, 'f', 'CASES', 't', 'v', '2025-01-01 00:00:00', 'COMPLETE', 0, 0, 0, 0, 0)"
                )
            )
            for crn, doc in (("M1", document), ("M2", '{"crn": "M2", "manager": null}')):
                connection.execute(
                    text(
                        "INSERT INTO cases (crn, document, content_hash, created_by_import, "
                        "updated_by_import, created_at, updated_at) VALUES "
                        "(:crn, :doc, 'h', 1, 1, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
                    ),
                    {"crn": crn, "doc": doc},
                )
        upgrade(engine, "0002")
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT crn, region, pdu, team, staff_code, staff_name FROM cases ORDER BY crn"
                )
            ).all()
        assert [tuple(row) for row in rows] == [
            ("M1", "Wales", "Cardiff", "Cardiff 2", "W02C001", "Rhian Evans"),
            ("M2", None, None, None, None, None),
        ]
    finally:
        engine.dispose()


def test_keying_rows_by_case_keeps_every_row_both_ways(new_database: NewDatabase) -> None:
    """Alembic ``0008`` keys ``contacts`` and ``case_obligations`` by case (their numbers and
    two indexes go; SQLite keeps the obligations as the key's tree): rows written before are all
    there after, and after going back; the key refuses a second obligation at the same place."""
    engine = create_database_engine(new_database())
    contact = (
        "INSERT INTO contacts (crn, position, contact_id, event_id, date, day, type, mode, "
        "outcome, recorded_on) VALUES (:crn, :position, :id, '1', '2025-01-02T10:00', "
        "'2025-01-02', :type, 'FACE_TO_FACE', 'ATTENDED', '2025-01-03')"
    )
    obligation = (
        "INSERT INTO case_obligations (crn, position, rule, event_id, window_start, due_by, "
        "met_by, met_on) VALUES (:crn, :position, :rule, '1', '2025-01-01', :due, NULL, NULL)"
    )
    contacts = [
        {"crn": crn, "position": n, "id": f"C{n}", "type": kind}
        for crn in ("A1", "B2")
        for n, kind in enumerate(("APPOINTMENT", "SUSPENSION_LETTER", "CHECK_IN"))
    ]
    obligations = [
        {"crn": crn, "position": n, "rule": rule, "due": f"2025-0{9 - n}-01"}
        for crn in ("A1", "B2")
        for n, rule in enumerate(("NS_RECORD_1WD", "RESET_NFA_CHECK_IN", "NS_INDUCTION"))
    ]
    read_contacts = "SELECT crn, position, contact_id, type FROM contacts ORDER BY crn, position"
    read_obligations = (
        "SELECT crn, position, rule, due_by FROM case_obligations ORDER BY crn, position"
    )
    try:
        upgrade(engine, "0007")
        with engine.begin() as connection:
            connection.execute(text(contact), contacts)
            connection.execute(text(obligation), obligations)
            before = (
                connection.execute(text(read_contacts)).all(),
                connection.execute(text(read_obligations)).all(),
            )
        assert len(before[0]) == 6 and len(before[1]) == 6
        upgrade(engine)
        names = {
            table: {index["name"] for index in inspect(engine).get_indexes(table)}
            for table in ("contacts", "case_obligations")
        }
        postgresql = engine.dialect.name == "postgresql"
        assert names == {
            "contacts": {"ix_contacts_suspension_letters"},
            "case_obligations": {"ix_case_obligations_reset_duties"}
            | ({"ix_case_obligations_unmet"} if postgresql else set()),
        }
        assert inspect(engine).get_pk_constraint("case_obligations")["constrained_columns"] == [
            "crn",
            "due_by",
            "position",
        ]
        with engine.begin() as connection:
            after = (
                connection.execute(text(read_contacts)).all(),
                connection.execute(text(read_obligations)).all(),
            )
            if engine.dialect.name == "sqlite":
                tree = connection.scalar(
                    text("SELECT sql FROM sqlite_master WHERE name = 'case_obligations'")
                )
                assert "WITHOUT ROWID" in tree
        assert after == before
        try:
            with engine.begin() as connection:
                connection.execute(text(obligation), obligations[:1])
        except IntegrityError:
            pass
        else:
            raise AssertionError("a second obligation at the same place was accepted")
        downgrade(engine, "0007")
        assert {c["name"] for c in inspect(engine).get_columns("case_obligations")} >= {"id"}
        with engine.connect() as connection:
            assert connection.execute(text(read_contacts)).all() == before[0]
            assert connection.execute(text(read_obligations)).all() == before[1]
    finally:
        engine.dispose()


def test_recordings_never_open_go_and_going_back_derives_the_digests_again(
    new_database: NewDatabase,
) -> None:
    """Alembic ``0009`` deletes the recordings met by their contact's day (never DUE nor MISSED)
    and keeps every other obligation; going back marks every digest missing, to be derived
    again (the rows it deleted are kept nowhere else)."""
    engine = create_database_engine(new_database())
    obligation = (
        "INSERT INTO case_obligations (crn, position, rule, event_id, window_start, due_by, "
        "met_by, met_on) VALUES ('A1', :position, :rule, '1', '2025-01-06', '2025-01-07', "
        ":met_by, :met_on)"
    )
    rows = [  # (position, rule, met_on, kept)
        (0, "NS_RECORD_1WD", "2025-01-06", False),  # recorded on the contact's day
        (1, "NS_RECORD_1WD", "2025-01-03", False),  # recorded before it
        (2, "NS_RECORD_1WD", "2025-01-07", True),  # the next working day: due for a day
        (3, "NS_RECORD_1WD", None, True),  # never recorded in time: missed
        (4, "NS_INDUCTION", "2025-01-06", True),  # another rule, met on its first day
    ]
    try:
        upgrade(engine, "0008")
        with engine.begin() as connection:
            connection.execute(
                text(obligation),
                [
                    {"position": p, "rule": r, "met_by": m and f"C{p}", "met_on": m}
                    for p, r, m, _ in rows
                ],
            )
            connection.execute(
                text(
                    "INSERT INTO imports (id, source, source_kind, imported_by, policy_version, "
                    "started_at, outcome, records, created, changed, unchanged, rejected) VALUES "
                    "(1, 'f', 'CASES', 't', 'v', '2025-01-01 00:00:00', 'COMPLETE', 1, 1, 0, 0, 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO cases (crn, document, content_hash, created_by_import, "
                    "updated_by_import, created_at, updated_at) VALUES ('A1', '{}', 'h', 1, 1, "
                    "'2025-01-01 00:00:00', '2025-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO case_digests (crn, content_hash, policy_version, horizon, "
                    "derived_at) VALUES ('A1', 'h', 'v', '2026-01-07', '2025-01-01 00:00:00')"
                )
            )
        upgrade(engine)
        read = "SELECT position FROM case_obligations ORDER BY position"
        with engine.connect() as connection:
            assert list(connection.scalars(text(read))) == [p for p, _, _, kept in rows if kept]
            assert connection.scalar(text("SELECT count(*) FROM case_digests")) == 1
        downgrade(engine, "0008")
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM case_digests")) == 0
            assert connection.scalar(text("SELECT count(*) FROM cases")) == 1
    finally:
        engine.dispose()
