"""The per-case engine, now and at an earlier commit, on the same cases in the same run.

The per-case engine is what the API runs for one case and what `batch` runs in each worker:
a case read, evaluated on a day and written as its CaseResult's JSON text. This script times
that work for the first N cases of a generated caseload (JSON Lines), in one process per source
tree: as the API answers (a stored canonical document read back as each tree reads it,
evaluated, and written as each tree's API writes it), one case at a time from its JSON (as
`batch`'s workers do) and every case held, then written (as `evaluate` does), with the garbage
collector as each path runs it. The
earlier commit is checked out into a temporary git worktree and imported from there, so both
are measured on this machine in this run.

    .venv/bin/python benchmarks/engine.py CASES.jsonl [--cases 10000] [--baseline 51d4984]

Prints a Markdown table: CPU seconds per tree and mode, microseconds per case, and the ratio
of the baseline to now.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ON = "2025-11-03"

#: Run in a fresh interpreter with the tree's ``src`` first on the path.
MEASURE = """
import gc, hashlib, json, sys, time
from datetime import date
from probation_reset.evaluation import document
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import validate_case
from probation_reset.policy import load_parameters

path, count, on, collector, held = sys.argv[1], int(sys.argv[2]), *sys.argv[3:6]
on = date.fromisoformat(on)
with open(path, encoding="utf-8") as stream:
    lines = [line for _, line in zip(range(count), stream)]
engine = Engine(load_parameters(None))
if collector == "paused":
    gc.freeze()
    gc.disable()
# The tree's own writer of a CaseResult's JSON text, or (before there was one) json.dumps.
text = getattr(document, "case_result_text", None) or (
    lambda result: json.dumps(document.case_result_json(result), ensure_ascii=False)
)
if held == "api":  # the stored canonical documents, as the store's JSON column gives them
    from probation_reset.store.refresh import stored_case
    try:  # the API's writer of a case's evaluation in this tree
        from probation_reset.web.json_response import JsonLineResponse as Response
        from probation_reset.evaluation.document import case_result_for_json_line as api_json
    except ImportError:
        from starlette.responses import JSONResponse as Response
        api_json = document.case_result_json
started = time.process_time()
if held == "api":  # as the API answers GET /cases/{crn}/evaluation, one case at a time
    texts = []
    for line in lines:
        stored = json.loads(line)
        result = engine.evaluate(stored_case(stored["crn"], stored), on)
        texts.append(Response(api_json(result)).body.decode())
elif held == "held":  # as `evaluate` does: every case and result held, then written
    cases = [validate_case(json.loads(line), index) for index, line in enumerate(lines)]
    results = [engine.evaluate(case, on) for case in cases]
    texts = [text(result) for result in results]
else:  # as the API and `batch` do: one case at a time
    texts = []
    for index, line in enumerate(lines):
        texts.append(text(engine.evaluate(validate_case(json.loads(line), index), on)))
cpu = time.process_time() - started
digest = hashlib.sha256()
for written in texts:
    digest.update(json.dumps(json.loads(written), sort_keys=True).encode())
print(json.dumps({"cpu": cpu, "digest": digest.hexdigest()}))
"""


#: What is compared: (how, the baseline's (collector, held), now's (collector, held)).
MODES = (
    (
        "one stored case at a time, as the API answers it (collector on)",
        ("on", "api"),
        ("on", "api"),
    ),
    ("one case at a time from its JSON, collector on", ("on", "one"), ("on", "one")),
    (
        "one case at a time, collector paused (batch's workers)",
        ("paused", "one"),
        ("paused", "one"),
    ),
    (
        "every case held, then written (evaluate; the collector was on before, paused now)",
        ("on", "held"),
        ("paused", "held"),
    ),
)


def canonical_documents(cases: Path, count: int, out: Path) -> None:
    """The first ``count`` cases as the store keeps them (canonical documents), a line each."""
    from probation_reset.store.case_document import canonical_document

    with cases.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        for _, line in zip(range(count), source, strict=False):
            sink.write(json.dumps(canonical_document(json.loads(line))) + "\n")


def measure(src: Path, cases: Path, count: int, collector: str, held: str) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(src)!r})\n{MEASURE}",
            str(cases),
            str(count),
            ON,
            collector,
            held,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", type=Path, help="a generated caseload's cases.jsonl")
    parser.add_argument("--cases", dest="count", type=int, default=10_000)
    parser.add_argument(
        "--baseline", default="51d4984", help="the earlier commit (before issue 13)"
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        baseline = Path(scratch) / "baseline"
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "worktree",
                "add",
                "--detach",
                "-q",
                str(baseline),
                arguments.baseline,
            ],
            check=True,
        )
        try:
            print(
                f"| how | {arguments.baseline} CPU s | now CPU s | now µs a case | speed-up | "
                "output identical |"
            )
            print("|---|---:|---:|---:|---:|---|")
            stored = Path(scratch) / "stored.jsonl"
            canonical_documents(arguments.cases, arguments.count, stored)
            for how, before_mode, now_mode in MODES:
                source = stored if now_mode[1] == "api" else arguments.cases
                before = measure(baseline / "src", source, arguments.count, *before_mode)
                now = measure(ROOT / "src", source, arguments.count, *now_mode)
                per_case = now["cpu"] / arguments.count * 1e6
                print(
                    f"| {how} | {before['cpu']:.2f} | {now['cpu']:.2f} | {per_case:.0f} | "
                    f"{before['cpu'] / now['cpu']:.2f}x | "
                    f"{'yes' if before['digest'] == now['digest'] else 'NO'} |"
                )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)], check=True
            )


if __name__ == "__main__":
    main()
