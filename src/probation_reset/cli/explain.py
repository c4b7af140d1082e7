"""``probation-reset explain``: one case laid out for a practitioner.

What to do next comes first, then the status and why, the events, the timeline (days after the
day asked about are projected from the facts as given) and the obligations: recent ones in full,
older periodic ones as counts met and missed (``--all`` lists every one). Everything is laid out
to read at 80 columns, and data is printed as text, never read as markup.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from probation_reset.cli.caseload_source import one_case
from probation_reset.cli.console import out
from probation_reset.cli.evaluate import EXEMPTION_WIDTH, STATUS_STYLE
from probation_reset.cli.options import (
    DatabaseOpt,
    OnOpt,
    OptionalCasesArg,
    PolicyOpt,
    day_option,
    engine_for,
)
from probation_reset.cli.safe_output import plain
from probation_reset.domain.vocabulary import RESET_PHASES
from probation_reset.evaluation.engine import CaseResult
from probation_reset.evaluation.summary import projected_from, summarise_obligations
from probation_reset.rules.obligation import Obligation, RecordingObligation
from probation_reset.rules.reasons import plain_day
from probation_reset.rules.registry import find_rule

OBLIGATION_STYLE = {"MET": "green", "DUE": "yellow", "MISSED": "red", "NOT_YET_DUE": "dim"}


def explain(
    crn: Annotated[str, typer.Option("--crn", help="The case reference number to explain.")],
    on: OnOpt,
    cases: OptionalCasesArg = None,
    policy: PolicyOpt = None,
    everything: Annotated[
        bool, typer.Option("--all", help="List every obligation, not only the recent ones.")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Explain one case on a day: what to do next, status and why, timeline, obligations.
    With no CASES file, the case is read from the database."""
    day = day_option(on)
    engine = engine_for(policy)
    found = one_case(cases, crn, database)
    show(engine.evaluate(found, day), everything)


def _item(text: str | Text, note: str = "") -> Table:
    """A bulleted entry that wraps under itself: the text, then its rule and source dimmed."""
    body = plain(text) if isinstance(text, str) else text
    if note:
        body.append(f"\n{note}", style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column()
    grid.add_row("-", body)
    return grid


def _heading(text: str) -> Text:
    return plain(f"\n{text}", style="bold")


def show(result: CaseResult, everything: bool = False) -> None:
    """Print the case, in the order a practitioner acts on it."""
    parts = [*header(result), *next_actions(result), *reasons(result), *events(result)]
    parts += [plain(""), timeline(result), plain(""), *obligations(result, everything)]
    out.print(Group(*parts), soft_wrap=False)


def header(result: CaseResult) -> list[RenderableType]:
    title = plain(f"Case {result.crn} on {plain_day(result.on)}: ", style="bold")
    title.append(result.status.value, style=f"bold {STATUS_STYLE[result.status.value]}")
    if result.exemptions:
        title.append(f" (exemptions: {', '.join(result.exemptions)})")
    return [title]


def next_actions(result: CaseResult) -> list[RenderableType]:
    parts: list[RenderableType] = [_heading("What to do next")]
    if not result.next_actions:
        parts.append(_item("Nothing is due or coming due soon."))
    for action in result.next_actions:
        parts.append(_item(action.action, f"{action.rule} · {action.source}"))
    return parts


def reasons(result: CaseResult) -> list[RenderableType]:
    parts: list[RenderableType] = [_heading(f"Why {result.status.value}")]
    for reason in result.reasons:
        parts.append(_item(reason.text, f"{reason.rule} · {reason.source}"))
    return parts


def events(result: CaseResult) -> list[RenderableType]:
    parts: list[RenderableType] = [_heading("Events")]
    for event in result.events:
        line = plain(f"Event {event.event_id}: {event.phase.value}")
        if not event.reset_acts:
            line.append("; the Reset does not act on it (no RAR)")
        elif event.final_third_start is not None:
            line.append(f"; final third from {plain_day(event.final_third_start)}")
        if event.continuing:
            what = "continues while suspended" if event.phase in RESET_PHASES else "in force"
            line.append(f"; {what}: {', '.join(event.continuing)}")
        parts.append(_item(line))
    return parts


def timeline(result: CaseResult) -> Table:
    table = Table(
        title=f"Timeline (after {plain_day(result.on)}: projected from the facts as given)",
        title_justify="left",
        show_lines=True,
    )
    table.add_column("from / to", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("exemptions", no_wrap=True, min_width=EXEMPTION_WIDTH)
    table.add_column("", no_wrap=True)
    flags = projected_from(result.timeline, result.on)
    for span, projected in zip(result.timeline, flags, strict=True):
        last = span.span.last
        now = span.span.contains(result.on)
        table.add_row(
            f"{span.span.start.isoformat()}\n{last.isoformat() if last else '(open)'}",
            plain(span.status.value, style=STATUS_STYLE[span.status.value]),
            plain("\n".join(span.exemptions) or "-"),
            plain(_when(now, projected), style="italic"),
        )
    return table


def _when(now: bool, projected: bool) -> str:
    if now:
        return "now, then\nprojected" if projected else "now"
    return "projected" if projected else ""


def _met_by(obligation: Obligation) -> Text:
    if isinstance(obligation, RecordingObligation):
        return plain(f"contact {obligation.contact_id}\nof {obligation.contact_day.isoformat()}")
    return plain(obligation.met_by or "-")


def obligations(result: CaseResult, everything: bool) -> list[RenderableType]:
    summary = summarise_obligations(result.obligations, result.on)
    shown = result.obligations if everything else summary.recent
    title = (
        "Obligations (all)"
        if everything or not summary.earlier
        else f"Obligations: recent (from {plain_day(summary.recent_from)}) and one-off"
    )
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("rule / event · source", overflow="fold", ratio=1)
    table.add_column("window / due by", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("met by / contact", overflow="fold")
    for obligation in shown:
        rule = plain(obligation.rule)
        event = f"event {obligation.event_id}" if obligation.event_id else "no event"
        rule.append(f"\n{event} · {find_rule(obligation.rule).source}", style="dim")
        table.add_row(
            rule,
            f"{obligation.window_start.isoformat()}\n{obligation.due_by.isoformat()}",
            plain(obligation.status.value, style=OBLIGATION_STYLE[obligation.status.value]),
            _met_by(obligation),
        )
    parts: list[RenderableType] = [table]
    if summary.earlier and not everything:
        older = Table(
            title="Earlier periodic obligations, counted", title_justify="left", show_lines=True
        )
        older.add_column("rule / event", overflow="fold", ratio=1)
        older.add_column("from / to", no_wrap=True)
        older.add_column("met", justify="right")
        older.add_column("missed", justify="right")
        for count in summary.earlier:
            rule = plain(count.rule)
            rule.append(f"\n{'event ' + count.event_id if count.event_id else 'no event'}")
            older.add_row(
                rule,
                f"{count.first_window.isoformat()}\n{count.last_due.isoformat()}",
                str(count.met),
                plain(str(count.missed), style="red" if count.missed else ""),
            )
        parts += [plain(""), older, plain("(--all lists every obligation)", style="dim")]
    return [Group(*parts)]
