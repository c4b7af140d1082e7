"""``probation-reset run``: the main job loads the bundled sample once and reports on a day."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from probation_reset.cli.main import app


def test_run_loads_the_sample_once_and_reports_every_status(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'caseload.sqlite'}"
    first = CliRunner().invoke(app, ["run", "--database", database])
    assert first.exit_code == 0, first.output
    assert "Loaded the bundled sample: 260 people" in first.stdout
    assert "Caseload on 2025-11-03: 260 people" in first.stdout
    for status in ("ACTIVE", "EXEMPT", "SUSPENDED", "NOT_APPLICABLE", "ENDED"):
        assert status in first.stdout
    again = CliRunner().invoke(app, ["run", "--database", database, "--on", "2025-12-01"])
    assert again.exit_code == 0, again.output
    assert "Loaded the bundled sample" not in again.stdout
    assert "Caseload on 2025-12-01: 260 people" in again.stdout
