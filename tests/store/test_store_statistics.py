"""PostgreSQL's planner statistics are gathered while an import grows the tables (and before a
refresh): without them a batch's CRNs are read by scanning whole tables (``store.statistics``)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from caseloads import generated  # type: ignore[import-not-found]
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.policy import load_parameters
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.importer import Importer, text_source
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.statistics import (
    BATCH_STATISTICS_TARGET,
    analyse,
    analyse_after_batch,
    analysed_after,
)

PARAMETERS = load_parameters()


def _opened(people: list[dict[str, object]]) -> Callable[[], AbstractContextManager[io.StringIO]]:
    """The people as a JSON Lines file opened anew for each read."""
    lines = "".join(json.dumps(person) + "\n" for person in people)

    @contextmanager
    def opened() -> Iterator[io.StringIO]:
        yield io.StringIO(lines)

    return opened


def test_an_import_leaves_postgresql_statistics_counting_every_row(
    sessions: sessionmaker[Session], backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite plans from its indexes without statistics")
    people = [dict(p, crn=f"ST{p['crn']}") for p in generated(60, seed=7)]
    report = Importer(sessions, PARAMETERS, ndelius_codes(), 10).run(
        text_source("cases.jsonl", _opened(people)), "tester"
    )
    assert (report.created, report.batches) == (60, 6)
    with sessions() as session:
        for table in ("cases", "contacts", "status_transitions", "case_obligations"):
            rows = session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            estimated = session.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = :table"), {"table": table}
            ).scalar_one()
            # ANALYZE reads every row of a table this small: the planner's count is exact.
            assert (table, int(estimated)) == (table, rows)


def test_statistics_are_gathered_after_batches_one_two_four_eight_and_so_on() -> None:
    assert [n + 1 for n in range(100) if analysed_after(n)] == [1, 2, 4, 8, 16, 32, 64]


def test_the_analyses_during_an_import_take_a_smaller_sample_and_the_last_the_full_one(
    empty_database: str, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite plans from its indexes without statistics")
    # Sessions of their own (as an import's are), not inside a test's transaction.
    database = open_database(empty_database)
    sessions = session_factory(database)
    people = [dict(p, crn=f"SA{p['crn']}") for p in generated(60, seed=8)]
    Importer(sessions, PARAMETERS, ndelius_codes(), 60).run(
        text_source("cases.jsonl", _opened(people)), "tester"
    )

    def bounds() -> int:
        """How many bounds the contacts' dates' histogram has (a sample's distinct dates, up to
        the statistics target plus one)."""
        with sessions() as session:
            found = session.execute(
                text(
                    "SELECT array_length(histogram_bounds, 1) FROM pg_stats "
                    "WHERE tablename = 'contacts' AND attname = 'date'"
                )
            ).scalar_one()
        return int(found)

    assert bounds() == 101  # the import's last analysis: the server's target, 100
    analyse_after_batch(sessions, 3)  # after the 4th batch
    assert bounds() == BATCH_STATISTICS_TARGET + 1
    analyse(sessions)
    assert bounds() == 101
    database.dispose()
