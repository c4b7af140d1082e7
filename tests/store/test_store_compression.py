"""PostgreSQL compresses the large values a store writes (a case's document, its creation
record) with lz4 rather than pglz, when the server has it (``concurrency``)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from caseloads import generated  # type: ignore[import-not-found]
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from conftest import NewDatabase  # type: ignore[import-not-found]
from probation_reset.policy import load_parameters
from probation_reset.store.database import open_database
from probation_reset.store.importer import Importer, text_source
from probation_reset.store.ndelius import ndelius_codes


def test_documents_are_compressed_with_lz4(sessions: sessionmaker[Session], backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite keeps JSON as its text, uncompressed")
    with sessions() as session:
        setting = session.execute(text("SHOW default_toast_compression")).scalar_one()
        lz4 = session.execute(
            text(
                "SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression' "
                "AND 'lz4' = ANY(enumvals)"
            )
        ).scalar_one()
    assert setting == ("lz4" if lz4 else "pglz")
    people = [dict(p, crn=f"LZ{p['crn']}") for p in generated(20, seed=3)]
    lines = "".join(json.dumps(person) + "\n" for person in people)

    @contextmanager
    def opened() -> Iterator[io.StringIO]:
        yield io.StringIO(lines)

    report = Importer(sessions, load_parameters(), ndelius_codes(), 10).run(
        text_source("cases.jsonl", opened), "tester"
    )
    assert report.created == 20
    with sessions() as session:
        methods = (
            session.execute(
                text(
                    "SELECT DISTINCT pg_column_compression(document) FROM cases "
                    "WHERE crn LIKE 'LZ%' AND pg_column_compression(document) IS NOT NULL"
                )
            )
            .scalars()
            .all()
        )
    assert methods == [setting]


def test_a_server_refusing_the_compression_keeps_its_own(
    new_database: NewDatabase, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server built without lz4 refuses the value (asked here for one no server has): the
    store opens all the same, with the server's own compression."""
    if backend != "postgresql":
        pytest.skip("SQLite compresses nothing")
    monkeypatch.setattr("probation_reset.store.concurrency.TOAST_COMPRESSION", "zstd-none")
    engine = open_database(new_database())
    try:
        with engine.connect() as connection:
            setting = connection.execute(text("SHOW default_toast_compression")).scalar_one()
            assert connection.execute(text("SELECT count(*) FROM cases")).scalar_one() == 0
        assert setting == "pglz"
    finally:
        engine.dispose()
