"""Web latency on the bundled sample (a benchmark, not a test: run it by hand).

    .venv/bin/python benchmarks/web_latency.py [--requests 200] [--region-cases 0]

Loads the sample into a fresh SQLite file (or ``--database URL``), gives every case a manager,
then times, in-process through the ASGI app: the case page and the case evaluation API on random
cases, and the caseload page (first page, sorted by missed obligations) for a hub user. With
``--region-cases N`` it first adds N generated cases to that hub's region (slow to import:
minutes for 50,000). Prints p50, p95 and max in milliseconds; the issue's targets are p95 under
50 ms for the case page and API, under 300 ms for a region's caseload of 50,000.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import select, update  # noqa: E402

from probation_reset.evaluation.engine import Engine  # noqa: E402
from probation_reset.policy.parameters import load_parameters  # noqa: E402
from probation_reset.sample.generator import generate_caseload  # noqa: E402
from probation_reset.store.database import open_database, session_factory  # noqa: E402
from probation_reset.store.importer import Importer, document_source  # noqa: E402
from probation_reset.store.models import CaseRecord  # noqa: E402
from probation_reset.store.ndelius import ndelius_codes  # noqa: E402
from probation_reset.web.app import create_app  # noqa: E402
from web.conftest import _prepare, settings_for, signed_in  # noqa: E402


def timed(label: str, calls: int, call: Callable[[], object]) -> None:
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(
        f"{label:<40} n={calls:<5} p50={statistics.median(times):7.1f} ms "
        f"p95={p95:7.1f} ms  max={times[-1]:7.1f} ms"
    )


def add_region_cases(url: str, count: int, region: str) -> None:
    import json

    engine = open_database(url)
    sessions = session_factory(engine)
    core = Engine(load_parameters())
    text = "\n".join(
        json.dumps(c) for c in generate_caseload(count, seed=99, as_of=date(2025, 11, 3))
    )
    Importer(sessions, core.parameters, ndelius_codes(), 1000).run(
        document_source("generated", text), "benchmark"
    )
    with sessions.begin() as session:
        session.execute(
            update(CaseRecord)
            .where(CaseRecord.region.is_(None))
            .values(region=region, team=f"{region} team 9", staff_code="N99P999")
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--region-cases", type=int, default=0)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
    database = _prepare(url, "benchmark")
    if args.region_cases:
        add_region_cases(url, args.region_cases, "North West")
    app = create_app(settings_for(database.url))
    with TestClient(app):
        head = signed_in(app, "head")
        hub = signed_in(app, "hub")
        program = TestClient(app, headers={"Authorization": f"Bearer {database.tokens['head']}"})
        engine = open_database(url)
        with session_factory(engine)() as session:
            crns = list(session.scalars(select(CaseRecord.crn)))
        engine.dispose()
        rng = random.Random(1)
        print(f"{len(crns)} cases; {args.requests} requests each")
        timed(
            "case page",
            args.requests,
            lambda: head.get(f"/cases/{rng.choice(crns)}?on=2025-11-03").raise_for_status(),
        )
        timed(
            "case evaluation API",
            args.requests,
            lambda: program.get(
                f"/api/v1/cases/{rng.choice(crns)}/evaluation?on=2025-11-03"
            ).raise_for_status(),
        )
        timed(
            "caseload page (hub, sorted by missed)",
            max(10, args.requests // 10),
            lambda: hub.get("/caseload?on=2025-11-03&sort=missed&order=desc").raise_for_status(),
        )
    app.state.web.database.dispose()


if __name__ == "__main__":
    main()
