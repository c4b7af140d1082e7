"""Web latency, on the sample or a generated region (a benchmark, not a test: run it by hand).

    .venv/bin/python benchmarks/web_latency.py [--requests 200]
    .venv/bin/python benchmarks/web_latency.py --region-cases 50000 [--database URL]
        [--requests 20] [--measure caseload reconciliation ...]

Without ``--region-cases`` it loads the sample into a fresh SQLite file, gives every case a
manager, then times, in-process through the ASGI app: the case page and the case evaluation API
on random cases, and the caseload page (first page, sorted by missed obligations) for a hub user.

With ``--region-cases N`` it builds (once, then reuses: ``region.py``) a region of N generated
cases in ``--database`` (default ``benchmarks/region.sqlite``, the database
``figures_region.py`` uses too), adds a hub user for it, and times that user's pages: the
caseload (sorted by CRN, and by missed obligations), the reconciliation page and its findings
CSV, the upcoming page for 4 and 52 weeks and its CSV, the dashboard, and the hub's queue (its
page, its CSV and ``/api/v1/hub/queue``, through an API token). ``--measure`` picks some of
them. Prints p50, p95 and max in milliseconds, and the load average before and after. The
targets: p95 under 50 ms for the case page and API; for a region of 50,000 the caseload page
under 300 ms, the dashboard, reconciliation, upcoming and hub queue pages under 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fastapi.testclient import TestClient  # noqa: E402
from region import ON, REGION, build_region  # noqa: E402
from sqlalchemy import select  # noqa: E402

from probation_reset.store.access_tables import UserRow  # noqa: E402
from probation_reset.store.database import open_database, session_factory  # noqa: E402
from probation_reset.store.models import CaseRecord  # noqa: E402
from probation_reset.web import accounts  # noqa: E402
from probation_reset.web.app import create_app  # noqa: E402
from probation_reset.web.scope import Role  # noqa: E402
from web.conftest import PASSWORD, _prepare, settings_for, signed_in  # noqa: E402

DAY = f"on={ON.isoformat()}"
#: What ``--region-cases`` times, by name: the address, and how many requests (a share of
#: ``--requests``: the CSV downloads are slower).
REGION_MEASURES = {
    "caseload": ("/caseload?" + DAY, 1),
    "caseload-missed": (f"/caseload?{DAY}&sort=missed&order=desc", 1),
    "reconciliation": ("/reconciliation?" + DAY, 1),
    "reconciliation-csv": ("/reconciliation/findings.csv?" + DAY, 4),
    "upcoming": ("/upcoming?" + DAY, 1),
    "upcoming-52": (f"/upcoming?{DAY}&weeks=52", 1),
    "upcoming-csv": (f"/upcoming.csv?{DAY}&weeks=52", 4),
    "dashboard": (f"/dashboard?{DAY}&scope=region:{REGION.replace(' ', '+')}", 1),
    "hub": ("/hub?" + DAY, 1),
    "hub-csv": ("/hub.csv?" + DAY, 1),
    "hub-api": ("/api/v1/hub/queue?" + DAY, 1),
}
DEFAULT_MEASURES = list(REGION_MEASURES)


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
        f"p95={p95:7.1f} ms  max={times[-1]:7.1f} ms",
        flush=True,
    )


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def sample(requests: int) -> None:
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
    database = _prepare(url, "benchmark")
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
        print(f"{len(crns)} cases; {requests} requests each; {load()}")
        timed(
            "case page",
            requests,
            lambda: head.get(f"/cases/{rng.choice(crns)}?{DAY}").raise_for_status(),
        )
        timed(
            "case evaluation API",
            requests,
            lambda: program.get(
                f"/api/v1/cases/{rng.choice(crns)}/evaluation?{DAY}"
            ).raise_for_status(),
        )
        timed(
            "caseload page (hub, sorted by missed)",
            max(10, requests // 10),
            lambda: hub.get(f"/caseload?{DAY}&sort=missed&order=desc").raise_for_status(),
        )
    app.state.web.database.dispose()


def region_hub(url: str) -> tuple[str, str]:
    """A hub user for the benchmark region (added once), and a new API token of theirs."""
    name = "bench-hub"
    engine = open_database(url)
    with session_factory(engine).begin() as session:
        if session.scalar(select(UserRow).where(UserRow.username == name)) is None:
            accounts.add_user(session, name, PASSWORD, Role.HUB, datetime.now(), region=REGION)
        token = accounts.create_api_token(session, name, "benchmark", datetime.now())
    engine.dispose()
    return name, token


def region(people: int, url: str, requests: int, measures: list[str]) -> None:
    database = open_database(url)
    build_region(database, people)
    database.dispose()
    user, token = region_hub(url)
    app = create_app(settings_for(url))
    with TestClient(app):
        page = signed_in(app, user)
        program = TestClient(app, headers={"Authorization": f"Bearer {token}"})
        print(f"{people} cases in {REGION}; {database.dialect.name}; {load()}", flush=True)
        for name in measures:
            address, share = REGION_MEASURES[name]
            hub = program if address.startswith("/api/") else page
            calls = max(1, requests // share)
            if calls > 1:
                hub.get(address).raise_for_status()  # once, unmeasured: caches warm
            timed(
                f"{name} (hub)",
                calls,
                lambda hub=hub, address=address: hub.get(address).raise_for_status(),  # type: ignore[misc]
            )
        print(load())
    app.state.web.database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--region-cases", type=int, default=0)
    parser.add_argument("--database", default="sqlite:///benchmarks/region.sqlite")
    parser.add_argument(
        "--measure", nargs="+", choices=sorted(REGION_MEASURES), default=DEFAULT_MEASURES
    )
    args = parser.parse_args()
    if args.region_cases:
        region(args.region_cases, args.database, args.requests or 20, args.measure)
    else:
        sample(args.requests or 200)


if __name__ == "__main__":
    main()
