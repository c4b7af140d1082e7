"""Benchmark: the regional dashboard's figures for a 50,000-case region (target: under 1 s).

Builds (once, then reuses) a database of ``--people`` generated cases, all in one region spread
over 5 PDUs, 40 teams and 1,200 practitioners (``region.py``), then times
``figures.queries.figures`` for the region on a day with 52 weeks of history, and for one team.

    .venv/bin/python benchmarks/figures_region.py [--people 50000] [--database URL] [--runs 5]

The import is the slow part (minutes); the figures are what is timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from region import ON, REGION, build_region

from probation_reset.figures import queries
from probation_reset.figures.model import Scope, ScopeLevel
from probation_reset.store.database import open_database, session_factory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--database", default="sqlite:///benchmarks/region.sqlite")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    engine = open_database(arguments.database)
    build_region(engine, arguments.people)
    sessions = session_factory(engine, reading=True)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
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
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
