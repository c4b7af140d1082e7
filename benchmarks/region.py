"""A generated region for the region-scale benchmarks (``figures_region.py``, ``web_latency.py``).

``build_region(url, people)`` imports ``people`` generated cases (``generate_caseload``, seed 7,
as of 3 November 2025) into one region, ``Benchmark Region``, spread over 5 PDUs, 40 teams and
1,200 practitioners, then derives their caseload digests (what ``probation-reset import`` does
after an import) and, on PostgreSQL, vacuums and analyses the tables (what autovacuum would do; this
machine's server runs without it). It does nothing when the region already holds that many cases,
so one database serves every benchmark run. Importing 50,000 takes minutes, the digests more.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine as Database

from probation_reset.evaluation.engine import Engine
from probation_reset.policy import load_parameters
from probation_reset.sample.generator import generate_caseload
from probation_reset.store.database import session_factory
from probation_reset.store.digest import sync_digests
from probation_reset.store.importer import CASES_DOCUMENT, Importer, ImportSource
from probation_reset.store.models import CaseRecord
from probation_reset.store.ndelius import ndelius_codes

ON = date(2025, 11, 3)
REGION = "Benchmark Region"
TEAMS = 40
PRACTITIONERS = 1200


def manager_of(number: int) -> dict[str, str]:
    """Case ``number``'s manager: teams and practitioners in turn."""
    team = number % TEAMS
    staff = number % PRACTITIONERS
    return {
        "region": REGION,
        "pdu": f"PDU {team % 5}",
        "team": f"Team {team:02d}",
        "staff_code": f"S{staff:04d}",
        "staff_name": f"Practitioner {staff:04d}",
    }


def managed(people: int, seed: int) -> Iterator[dict[str, Any]]:
    for number, case in enumerate(generate_caseload(people, seed, ON)):
        yield dict(case) | {"crn": f"B{number:06d}", "manager": manager_of(number)}


def region_cases(database: Database) -> int:
    with session_factory(database, reading=True)() as session:
        found = session.scalar(
            select(func.count()).select_from(CaseRecord).where(CaseRecord.region == REGION)
        )
    return found or 0


def build_region(database: Database, people: int) -> None:
    """Import the region (when it holds fewer than ``people`` cases) and derive its digests."""
    if region_cases(database) >= people:
        return
    started = time.perf_counter()
    sessions = session_factory(database)
    parameters = load_parameters()
    importer = Importer(sessions, parameters, ndelius_codes(), 1000)
    report = importer.run(
        ImportSource("benchmark", CASES_DOCUMENT, list(managed(people, 7))), "bench"
    )
    print(f"imported {report.records} cases in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    derived = sync_digests(sessions, Engine(parameters))
    print(f"derived {derived} digests in {time.perf_counter() - started:.0f} s", flush=True)
    if database.dialect.name == "postgresql":
        with database.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE")
            )
