"""Benchmark: the regional dashboard's figures for a 50,000-case region (target: under 1 s).

Builds (once, then reuses) a database of ``--people`` generated cases, all in one region spread
over 5 PDUs and 40 teams, imports them with their status histories, then times
``figures.queries.figures`` for the region on a day with 52 weeks of history, and for one team.

    .venv/bin/python benchmarks/figures_region.py [--people 50000] [--database URL] [--runs 5]

The import is the slow part (minutes); the figures are what is timed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import func, select

from probation_reset.figures import queries
from probation_reset.figures.model import Scope, ScopeLevel
from probation_reset.policy import load_parameters
from probation_reset.sample.generator import generate_caseload
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.importer import CASES_DOCUMENT, Importer, ImportSource
from probation_reset.store.models import CaseRecord
from probation_reset.store.ndelius import ndelius_codes

ON = date(2025, 11, 3)
REGION = "Benchmark Region"


def managed(people: int, seed: int) -> Iterator[dict[str, Any]]:
    for number, case in enumerate(generate_caseload(people, seed, ON)):
        team = number % 40
        yield dict(case) | {
            "manager": {
                "region": REGION,
                "pdu": f"PDU {team % 5}",
                "team": f"Team {team:02d}",
                "staff_code": f"S{number % 1200:04d}",
            }
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--database", default="sqlite:///benchmarks/figures-region.sqlite")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    engine = open_database(arguments.database)
    sessions = session_factory(engine, reading=True)
    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(CaseRecord)) or 0
    if stored < arguments.people:
        started = time.perf_counter()
        records = list(managed(arguments.people, 7))
        importer = Importer(session_factory(engine), load_parameters(), ndelius_codes(), 1000)
        report = importer.run(ImportSource("benchmark", CASES_DOCUMENT, records), "benchmark")
        print(f"imported {report.records} cases in {time.perf_counter() - started:.0f} s")
    for scope in (Scope(ScopeLevel.REGION, REGION), Scope(ScopeLevel.TEAM, "Team 07")):
        timings = []
        cpu = []
        for _ in range(arguments.runs):
            with sessions() as session:
                started, processing = time.perf_counter(), time.process_time()
                found = queries.figures(session, scope, ON, 52)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - processing)
        print(
            f"{scope.describe()}: {found.people} people, {found.in_reset_measures} in Reset "
            f"measures, {found.workload.total.monthly} monthly and {found.workload.total.weekly} "
            f"weekly appointments removed; figures in {statistics.median(timings):.3f} s "
            f"(median of {arguments.runs}, fastest {min(timings):.3f} s; CPU of this process "
            f"{statistics.median(cpu):.3f} s)"
        )


if __name__ == "__main__":
    main()
