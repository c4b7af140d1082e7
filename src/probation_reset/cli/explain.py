"""``probation-reset explain``: one case laid out for a practitioner."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from probation_reset.cli.console import err, out
from probation_reset.cli.evaluate import STATUS_STYLE
from probation_reset.cli.options import (
    CasesArg,
    OnOpt,
    PolicyOpt,
    day_option,
    engine_for,
    intake_from,
    misuse,
)
from probation_reset.cli.safe_output import plain
from probation_reset.evaluation.engine import CaseResult
from probation_reset.rules.registry import find_rule

OBLIGATION_STYLE = {"MET": "green", "DUE": "yellow", "MISSED": "red", "NOT_YET_DUE": "dim"}


def explain(
    cases: CasesArg,
    crn: Annotated[str, typer.Option("--crn", help="The case reference number to explain.")],
    on: OnOpt,
    policy: PolicyOpt = None,
) -> None:
    """Explain one case on a day: status and why, timeline, what continues, obligations."""
    day = day_option(on)
    engine = engine_for(policy)
    intake = intake_from(cases)
    problems = [e for e in intake.errors if e.crn == crn]
    if problems:
        for problem in problems:
            err.print(plain(f"{crn}: {problem.field}: {problem.message}"))
        raise typer.Exit(1)
    found = next((case for _, case in intake.cases if case.crn == crn), None)
    if found is None:
        misuse(f"no case with crn {crn!r} in {cases}")
    show(engine.evaluate(found, day))


def show(result: CaseResult) -> None:
    style = STATUS_STYLE[result.status.value]
    summary = Text.assemble(
        (result.status.value, f"bold {style}"),
        f" on {result.on.isoformat()}",
        f"  exemptions: {', '.join(result.exemptions)}" if result.exemptions else "",
    )
    out.print(Panel(summary, title=plain(f"Case {result.crn}")))
    reasons = Table(title="Why", show_lines=False)
    reasons.add_column("rule", no_wrap=True)
    for heading in ("reason", "source"):
        reasons.add_column(heading)
    for reason in result.reasons:
        reasons.add_row(reason.rule, plain(reason.text), plain(reason.source))
    out.print(reasons)

    events = Table(title="Events")
    for heading in ("event", "phase", "final third starts", "what continues"):
        events.add_column(heading)
    for event in result.events:
        events.add_row(
            plain(event.event_id),
            event.phase.value,
            event.final_third_start.isoformat() if event.final_third_start else "-",
            ", ".join(event.continuing) or "-",
        )
    out.print(events)

    timeline = Table(title="Timeline")
    for heading in ("from", "to", "status", "exemptions"):
        timeline.add_column(heading)
    for span in result.timeline:
        last = span.span.last
        timeline.add_row(
            span.span.start.isoformat(),
            last.isoformat() if last else "(open)",
            plain(span.status.value, STATUS_STYLE[span.status.value]),
            ", ".join(span.exemptions) or "-",
        )
    out.print(timeline)

    obligations = Table(title="Obligations")
    obligations.add_column("rule", no_wrap=True)
    for heading in ("event", "window", "due by", "status", "met by", "source"):
        obligations.add_column(heading)
    for obligation in result.obligations:
        colour = OBLIGATION_STYLE[obligation.status.value]
        obligations.add_row(
            obligation.rule,
            plain(obligation.event_id or "-"),
            obligation.window_start.isoformat(),
            obligation.due_by.isoformat(),
            plain(obligation.status.value, colour),
            plain(obligation.met_by or "-"),
            find_rule(obligation.rule).source,
        )
    out.print(obligations)
