"""PostgreSQL's planner statistics are gathered while an import grows the tables (and before a
refresh): without them a batch's CRNs are read by scanning whole tables (``store.statistics``)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from caseloads import generated  # type: ignore[import-not-found]
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.policy import load_parameters
from probation_reset.store.importer import Importer, text_source
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.statistics import analysed_after

PARAMETERS = load_parameters()


def test_an_import_leaves_postgresql_statistics_counting_every_row(
    sessions: sessionmaker[Session], backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite plans from its indexes without statistics")
    people = [dict(p, crn=f"ST{p['crn']}") for p in generated(60, seed=7)]
    lines = "".join(json.dumps(person) + "\n" for person in people)

    @contextmanager
    def opened() -> Iterator[io.StringIO]:
        yield io.StringIO(lines)

    report = Importer(sessions, PARAMETERS, ndelius_codes(), 10).run(
        text_source("cases.jsonl", opened), "tester"
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
