"""Benchmark probation-reset on generated caseloads: time, CPU and peak memory of each step.

    .venv/bin/python benchmarks/run.py --people 10000 50000 [--workdir DIR] [--no-postgres]
                                       [--evaluate-up-to N] [--every-batch-up-to N]
                                       [--store-up-to N]

For each size it generates a caseload (seed 1, as of 2025-11-03), then measures, each as its own
process under GNU time: reading the six Parquet tables with polars; the analyst's DuckDB query
(analyst_query.sql: every person's status and exemptions in one query, checked equal to ours); our
columnar status (columnar/status.py, in process and as `batch --status-only`);
`batch` from the Parquet tables and from JSON Lines (two workers); `evaluate --format json`
(the old, all-in-memory path) up to --evaluate-up-to people; `import` and `refresh` on SQLite and
PostgreSQL, and one case through the API served from the PostgreSQL store (p50 and p95 over HTTP),
up to --store-up-to people; the one-worker batch up to --every-batch-up-to people. Wall
seconds, CPU seconds (user + system, workers included) and the peak resident memory of the
largest process are printed as a Markdown table, with the ratios of the same run.
This is a measurement, not a test: nothing here fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = ROOT / ".venv" / "bin"
CLI = str(BIN / "probation-reset")
PYTHON = str(BIN / "python")
ON = "2025-11-03"
POSTGRES = os.environ.get("PROBATION_RESET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")

READ_PARQUET = """
import sys, time
import polars as pl
start = time.perf_counter()
rows = sum(pl.read_parquet(f"{sys.argv[1]}/{t}.parquet").height for t in
           ("people", "events", "requirements", "licence_conditions", "registrations", "contacts"))
print(f"{time.perf_counter() - start:.3f} {rows}")
"""

ANALYST = """
import json, sys, time
import duckdb
sql = open(sys.argv[1]).read().replace("{tables}", sys.argv[2]).replace("{on}", sys.argv[3])
start = time.perf_counter()
rows = duckdb.sql(sql).fetchall()
elapsed = time.perf_counter() - start
different = 0
with open(sys.argv[4], encoding="utf-8") as ours:
    for row, line in zip(rows, ours, strict=True):
        result = json.loads(line)
        different += (row[2], list(row[3])) != (result["status"], result["exemptions"])
print(f"{elapsed:.3f} {len(rows)} {different}")
"""

COLUMNAR = """
import json, sys, time
from datetime import date
from pathlib import Path
from probation_reset.columnar.status import statuses
from probation_reset.policy import load_parameters
parameters = load_parameters()
start = time.perf_counter()
frame = statuses(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), parameters)
elapsed = time.perf_counter() - start
different = 0
with open(sys.argv[3], encoding="utf-8") as ours:
    for row, line in zip(frame.iter_rows(), ours, strict=True):
        result = json.loads(line)
        different += (row[1], list(row[2])) != (result["status"], result["exemptions"])
print(f"{elapsed:.3f} {frame.height} {different}")
"""


def api_latency(url: str, jsonl: Path, requests: int = 300) -> dict[str, object]:
    """One case through the API (`GET /api/v1/cases/{crn}/evaluation`) from a served store:
    p50 and p95 of `requests` calls on random CRNs, through `probation-reset serve` over HTTP."""
    import httpx

    user = f"bench{uuid.uuid4().hex[:6]}"
    subprocess.run([CLI, "users", "add", user, "--role", "head", "--password-stdin",
                    "--database", url], input="benchmark-password-1\n", text=True,
                   check=True, capture_output=True)  # fmt: skip
    issued = subprocess.run([CLI, "users", "token", user, "--database", url], text=True,
                            check=True, capture_output=True)  # fmt: skip
    token = issued.stdout.split()[-1]
    with open(jsonl, encoding="utf-8") as lines:
        crns = [json.loads(line)["crn"] for _, line in zip(range(5000), lines, strict=False)]
    port = 8765
    with tempfile.TemporaryFile("w+") as said:  # the server's messages, shown if it fails
        serve = [CLI, "serve", "--database", url, "--port", str(port), "--no-demo"]
        server = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=said)
        try:
            client = httpx.Client(
                base_url=f"http://127.0.0.1:{port}",
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            _wait_for(client, server, said)
            rng = __import__("random").Random(1)
            times = []
            for crn in (rng.choice(crns) for _ in range(requests)):
                started = time.perf_counter()
                client.get(f"/api/v1/cases/{crn}/evaluation", params={"on": ON}).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
        finally:
            server.terminate()
            server.wait(30)
    times.sort()
    p50, p95 = times[len(times) // 2], times[int(0.95 * len(times))]
    return {
        "step": "one case via the API (served, HTTP)",
        "wall_s": "",
        "cpu_s": "",
        "peak_mib": "",
        "output": f"p50 {p50:.1f} ms, p95 {p95:.1f} ms over {requests} requests",
    }


def _wait_for(client: Any, server: subprocess.Popen[bytes], said: IO[str]) -> None:
    """Wait up to a minute for the served API to answer; stop with the server's own words if
    it stops or never answers (front-end assets not installed, say)."""
    import httpx

    for _ in range(300):
        try:
            client.get("/api/v1/me").raise_for_status()
            return
        except httpx.HTTPError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    said.seek(0)
    raise SystemExit(f"probation-reset serve did not answer:\n{said.read()[-2000:]}")


def measure(label: str, command: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    """Run `command` under GNU time: wall and CPU seconds, peak RSS (MiB), its last output line."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        started = time.perf_counter()
        completed = subprocess.run(
            ["/usr/bin/time", "-o", timing.name, "-f", "%e %U %S %M", *command],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            check=False,
        )
        wall = time.perf_counter() - started
        if completed.returncode not in (0, 1):
            sys.stderr.write(completed.stderr)
            raise SystemExit(f"{label} failed ({completed.returncode})")
        _, user, system, peak = timing.read().split()[-4:]
    lines = completed.stdout.strip().splitlines()
    return {
        "step": label,
        "wall_s": round(wall, 2),
        "cpu_s": round(float(user) + float(system), 2),
        "peak_mib": round(int(peak) / 1024),
        "output": lines[-1] if lines else "",
    }


def run_size(
    people: int,
    workdir: Path,
    postgres: bool,
    evaluate_up_to: int,
    every_batch_up_to: int,
    store_up_to: int,
    sqlite_up_to: int,
) -> list[dict[str, object]]:
    tables = workdir / f"caseload-{people}"
    shutil.rmtree(tables, ignore_errors=True)
    steps = [measure("generate", [CLI, "generate", "--people", str(people), "--seed", "1",
                                  "--out", str(tables)])]  # fmt: skip
    steps[-1]["output"] = steps[-1]["output"].split(" in ")[0]
    jsonl = tables / "cases.jsonl"
    results = workdir / f"results-{people}.jsonl"
    read = measure("read the Parquet tables (polars)", [PYTHON, "-c", READ_PARQUET, str(tables)])
    steps.append(read)
    steps.append(measure("batch from Parquet (2 workers)", [CLI, "batch", str(tables), "--on", ON,
                                                            "--out", str(results)]))  # fmt: skip
    analyst = measure(
        "analyst's DuckDB query (status, exemptions)",
        [PYTHON, "-c", ANALYST, str(HERE / "analyst_query.sql"), str(tables), ON, str(results)],
    )
    steps.append(analyst)
    columnar = measure(
        "columnar status (columnar/status.py)",
        [PYTHON, "-c", COLUMNAR, str(tables), ON, str(results)],
    )
    steps.append(columnar)
    status_only = measure("batch --status-only", [CLI, "batch", str(tables), "--on", ON,
                                                  "--status-only", "--out",
                                                  str(workdir / f"statuses-{people}.jsonl")]
                          )  # fmt: skip
    steps.append(status_only)
    from_jsonl = [CLI, "batch", str(jsonl), "--on", ON, "--out", str(results)]
    steps.append(measure("batch from JSON Lines (2 workers)", from_jsonl))
    if people <= every_batch_up_to:
        steps.append(measure("batch, 1 worker", [CLI, "batch", str(tables), "--on", ON, "--out",
                                                 str(results), "--workers", "1"]))  # fmt: skip
    if people <= evaluate_up_to:
        steps.append(measure("evaluate --format json (in memory)",
                             ["bash", "-c", f"{CLI} evaluate {jsonl} --on {ON} --format json"
                                            " > /dev/null"]))  # fmt: skip
    databases = [("SQLite", f"sqlite:///{workdir / f'bench-{people}.sqlite'}")]
    (workdir / f"bench-{people}.sqlite").unlink(missing_ok=True)
    if people > min(store_up_to, sqlite_up_to):
        databases = []
    if postgres and people <= store_up_to:
        import psycopg

        name = f"probation_reset_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        databases.append(
            ("PostgreSQL", f"postgresql+psycopg://{POSTGRES.split('://', 1)[1]}/{name}")
        )
    for engine, url in databases:
        steps.append(measure(f"import ({engine})", [CLI, "import", str(jsonl), "--database", url]))
        steps[-1]["output"] = steps[-1]["output"].split(":")[0]
        steps.append(measure(f"refresh --on ({engine})", [CLI, "refresh", "--on", ON,
                                                           "--database", url]))  # fmt: skip
        steps[-1]["output"] = ""
        if engine == "PostgreSQL":
            steps.append(api_latency(url, jsonl))
        else:  # a million people take 35 GB in SQLite: the next size needs the disk
            for leftover in workdir.glob(f"bench-{people}.sqlite*"):
                leftover.unlink()
    if postgres and people <= store_up_to:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
    inner_read = float(str(read["output"]).split()[0])
    inner_query = float(str(analyst["output"]).split()[0])
    batch = next(s for s in steps if s["step"] == "batch from Parquet (2 workers)")
    for step in steps:
        step["people"] = people
    batch["ratio"] = (
        f"{float(batch['wall_s']) / inner_read:.0f}x reading the Parquet, "
        f"{float(batch['wall_s']) / inner_query:.0f}x the analyst's query"
    )
    inner_columnar = float(str(columnar["output"]).split()[0])
    columnar["ratio"] = f"{inner_columnar / inner_query:.1f}x the analyst's query"
    columnar["output"] = (
        f"{inner_columnar:.2f} s query; {str(columnar['output']).split()[2]} statuses differ "
        "from ours"
    )
    wall_ratio = float(str(status_only["wall_s"])) / float(str(analyst["wall_s"]))
    status_only["ratio"] = f"{wall_ratio:.1f}x the analyst's process (wall)"
    read["output"] = f"{inner_read:.2f} s reading {read['output'].split()[1]} rows"
    analyst["output"] = (
        f"{inner_query:.2f} s query; {str(analyst['output']).split()[2]} statuses differ from ours"
    )
    return steps


def table(steps: list[dict[str, object]]) -> str:
    lines = [
        "| people | step | wall s | CPU s | peak MiB | notes |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for s in steps:
        notes = "; ".join(str(x) for x in (s.get("output"), s.get("ratio")) if x)
        lines.append(
            f"| {s['people']:,} | {s['step']} | {s['wall_s']} | {s['cpu_s']} | {s['peak_mib']} "
            f"| {notes} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "pr-bench")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--evaluate-up-to", type=int, default=10_000)
    parser.add_argument("--every-batch-up-to", type=int, default=50_000,
                        help="larger sizes skip the one-worker batch")  # fmt: skip
    parser.add_argument("--store-up-to", type=int, default=250_000,
                        help="larger sizes skip import, refresh and the API")  # fmt: skip
    parser.add_argument("--sqlite-up-to", type=int, default=None,
                        help="larger sizes store in PostgreSQL only (default: as --store-up-to)"
                        )  # fmt: skip
    arguments = parser.parse_args()
    arguments.workdir.mkdir(parents=True, exist_ok=True)
    steps: list[dict[str, object]] = []
    for people in arguments.people:
        steps.extend(
            run_size(
                people,
                arguments.workdir,
                not arguments.no_postgres,
                arguments.evaluate_up_to,
                arguments.every_batch_up_to,
                arguments.store_up_to,
                arguments.store_up_to if arguments.sqlite_up_to is None else arguments.sqlite_up_to,
            )
        )
        (arguments.workdir / "results.json").write_text(json.dumps(steps, indent=1))
        print(table([s for s in steps if s["people"] == people]), flush=True)
    print()
    print(table(steps))


if __name__ == "__main__":
    main()
