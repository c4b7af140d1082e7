"""The README's worked example says what the engine does."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from probation_reset.cli.console import out
from probation_reset.cli.main import app
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import read_cases

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_worked_example_holds(engine: Engine) -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<<'JSON'\n(.*?)\nJSON\n", text, re.DOTALL)
    assert block is not None
    intake = read_cases(json.loads(block[1])["cases"])
    ((_, case),) = intake.cases
    result = engine.evaluate(case, date(2025, 11, 3))
    assert result.status.value == "SUSPENDED"
    assert result.reasons[0].rule == "PHASE_FINAL_THIRD"
    assert result.events[0].final_third_start == date(2025, 10, 31)
    assert result.events[0].continuing == ("UPW",)
    assert [(s.span.start, s.span.last, s.status.value, s.exemptions) for s in result.timeline] == [
        (date(2025, 3, 3), date(2025, 10, 30), "ACTIVE", ()),
        (date(2025, 10, 31), date(2025, 11, 30), "SUSPENDED", ()),
        (date(2025, 12, 1), date(2026, 3, 2), "EXEMPT", ("EXEMPT_MAPPA",)),
    ]
    judged = {o.rule: o for o in result.obligations}
    assert (judged["NS_INDUCTION"].status.value, judged["NS_INDUCTION"].due_by) == (
        "MET",
        date(2025, 3, 10),
    )
    assert judged["NS_INDUCTION"].met_by == "c1"
    assert (judged["RESET_PRE_RMP"].status.value, judged["RESET_PRE_RMP"].due_by) == (
        "MISSED",
        date(2025, 10, 30),
    )


def test_the_worked_example_shows_what_explain_prints(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<<'JSON'\n(.*?)\nJSON\n", text, re.DOTALL)
    shown = re.search(r"```text\n(Case X123456 .*?)\n```", text, re.DOTALL)
    assert block is not None and shown is not None
    cases = tmp_path / "order.json"
    cases.write_text(block[1])
    width = out.width
    out.width = 80
    try:
        result = CliRunner().invoke(
            app, ["explain", str(cases), "--crn", "X123456", "--on", "2025-11-03"]
        )
    finally:
        out.width = width
    assert result.exit_code == 0, result.output
    printed = "\n".join(line.rstrip() for line in result.stdout.rstrip("\n").splitlines())
    assert printed == shown[1], "README's explain output is stale"
    assert shown[1].index("What to do next") < shown[1].index("Why SUSPENDED")
