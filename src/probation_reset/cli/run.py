"""``probation-reset run``: the main job on the embedded default.

The bundled synthetic caseload goes into the database when it holds no case (a SQLite file by
default), then every stored case is evaluated on a day and the caseload is summarised: who is in
each status, which exemptions keep contact going (and which are recorded for people they do not
decide), who has an obligation due or missed, and who changed status in the week up to that day.
Every count names the people behind it (their CRNs; the first few when there are many).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from probation_reset.cli.console import out
from probation_reset.cli.evaluate import STATUS_STYLE
from probation_reset.cli.options import DatabaseOpt, PolicyOpt, day_option, engine_for
from probation_reset.cli.safe_output import plain
from probation_reset.cli.store import transitions_table
from probation_reset.domain.vocabulary import ObligationStatus, Status
from probation_reset.evaluation.engine import CaseResult

#: The longest obligation rule id (``RESET_LICENCE_FINAL_THIRD_CONTACT``): never cut.
RULE_WIDTH = 33

#: How many CRNs a summary line names before it says how many more there are.
NAMED = 8


def run(
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="The day to report on, YYYY-MM-DD (default: the bundled sample's day)."
        ),
    ] = None,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
) -> None:
    """Load the bundled sample caseload if the database is empty, then report on a day."""
    from probation_reset.cli.database import (
        facts_days,
        load_sample_if_empty,
        sessions_for,
    )
    from probation_reset.sample.generator import SAMPLE_AS_OF
    from probation_reset.store import repository
    from probation_reset.store.refresh import stored_case

    day = day_option(on) if on is not None else SAMPLE_AS_OF
    engine = engine_for(policy)
    sessions = sessions_for(database)
    load_sample_if_empty(sessions, engine.parameters, "run")
    with sessions() as session:
        documents = repository.case_documents(session)
    results = [engine.evaluate(stored_case(crn, doc), day) for crn, doc in documents.items()]
    summarise(results, day.isoformat(), engine.parameters.version)
    with sessions() as session:
        week = repository.transitions_between(session, day - timedelta(days=6), day)
    known = facts_days(sessions, [row.crn for row in week])
    title = f"Status changes in the week to {day.isoformat()}: who was suspended, reinstated, ..."
    out.print(transitions_table(week, title, known))


def named(crns: Iterable[str]) -> Text:
    """CRNs to read: the first few, then how many more."""
    people = sorted(crns)
    shown = ", ".join(people[:NAMED])
    more = len(people) - NAMED
    return plain(shown + (f" and {more} more" if more > 0 else ""), overflow="fold")


def summarise(results: list[CaseResult], on: str, version: str) -> None:
    """Who is in each status, the exemptions, and the obligations due or missed, by rule."""
    by_status: dict[Status, list[str]] = defaultdict(list)
    for result in results:
        by_status[result.status].append(result.crn)
    table = Table(title=f"Caseload on {on}: {len(results)} people (policy {version})")
    table.add_column("status", no_wrap=True)
    table.add_column("people", justify="right")
    table.add_column("who", ratio=1)
    for status in Status:
        table.add_row(
            plain(status.value, style=STATUS_STYLE[status.value]),
            str(len(by_status[status])),
            named(by_status[status]),
        )
    out.print(table)
    out.print(exemptions_table(results, on))
    out.print(obligations_table(results))


def exemptions_table(results: list[CaseResult], on: str) -> Table:
    """Each exemption applying on the day: the EXEMPT people whose contact it keeps going, and
    the people it is recorded for whose status it does not decide (active, ended, ...)."""
    keeps: dict[str, list[str]] = defaultdict(list)
    others: dict[str, list[str]] = defaultdict(list)
    for result in results:
        for exemption in result.exemptions:
            target = keeps if result.status is Status.EXEMPT else others
            target[exemption].append(result.crn)
    table = Table(title=f"Exemptions on {on}: EXEMPT (contact continues) and others")
    table.add_column("exemption", overflow="fold", min_width=12)
    table.add_column("EXEMPT", justify="right")
    table.add_column("others", justify="right")
    table.add_column("who is EXEMPT", ratio=1)
    for exemption in sorted(set(keeps) | set(others), key=lambda e: -len(keeps[e])):
        table.add_row(
            plain(exemption),
            str(len(keeps[exemption])),
            str(len(others[exemption])),
            named(keeps[exemption]),
        )
    return table


def obligations_table(results: list[CaseResult]) -> Table:
    """Each obligation rule with people due now (named) and obligations missed to date."""
    due: dict[str, set[str]] = defaultdict(set)
    missed: dict[str, int] = defaultdict(int)
    for result in results:
        for obligation in result.obligations:
            if obligation.status is ObligationStatus.DUE:
                due[obligation.rule].add(result.crn)
            elif obligation.status is ObligationStatus.MISSED:
                missed[obligation.rule] += 1
    table = Table(title="Obligations: people with one due now (named), and obligations missed")
    table.add_column("rule", no_wrap=True, min_width=RULE_WIDTH)
    table.add_column("due", justify="right")
    table.add_column("missed", justify="right")
    table.add_column("who is due", ratio=1)
    for rule in sorted(set(due) | set(missed)):
        table.add_row(plain(rule), str(len(due[rule])), str(missed[rule]), named(due[rule]))
    return table
