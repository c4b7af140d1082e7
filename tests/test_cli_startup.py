"""``--help``, ``evaluate FILE`` and ``explain FILE`` start fast: they never import SQLAlchemy,
Alembic, the store or the sample generator (measured with ``python -X importtime``: the
database layers took 0.3 s of a 0.6 s start before any work)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SLOW = ("sqlalchemy", "alembic", "psycopg", "probation_reset.sample.generator")
STORE_ALLOWED = {"probation_reset.store", "probation_reset.store.history"}

PROBE = """
import json, sys
from typer.testing import CliRunner
from probation_reset.cli.main import app
args = json.loads(sys.argv[1])
if args:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
loaded = [m for m in sys.modules if m.startswith(("sqlalchemy", "alembic", "psycopg",
          "probation_reset.sample.generator", "probation_reset.store"))]
print(json.dumps(loaded))
"""


def loaded_after(args: list[str]) -> set[str]:
    found = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(found.stdout))


def slow_modules(loaded: set[str]) -> set[str]:
    return {m for m in loaded if m.startswith(SLOW)} | (
        {m for m in loaded if m.startswith("probation_reset.store")} - STORE_ALLOWED
    )


def test_importing_the_command_line_loads_no_database_layer() -> None:
    assert slow_modules(loaded_after([])) == set()
    assert slow_modules(loaded_after(["--help"])) == set()


def test_evaluate_and_explain_of_a_file_load_no_database_layer(tmp_path: Path) -> None:
    cases = tmp_path / "cases.json"
    event = {
        "event_id": "1",
        "type": "LICENCE",
        "start_date": "2025-01-01",
        "end_date": "2026-01-01",
    }
    cases.write_text(json.dumps([{"crn": "X1", "events": [event]}]))
    evaluate = ["evaluate", str(cases), "--on", "2025-10-01", "--format", "json"]
    assert slow_modules(loaded_after(evaluate)) == set()
    explain = ["explain", str(cases), "--crn", "X1", "--on", "2025-10-01"]
    assert slow_modules(loaded_after(explain)) == set()


def test_the_database_commands_do_load_it(tmp_path: Path) -> None:
    """The probe can fail: a command that needs the database imports it."""
    database = f"sqlite:///{tmp_path / 'c.sqlite'}"
    loaded = loaded_after(
        ["changes", "--from", "2025-01-01", "--to", "2025-01-02", "--database", database]
    )
    assert any(m.startswith("sqlalchemy") for m in loaded)
