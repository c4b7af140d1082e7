"""``probation-reset run``: the main job on the embedded default.

The bundled synthetic caseload goes into the database when it holds no case (a SQLite file by
default), then every stored case is evaluated on a day and the caseload is summarised: how many
people in each status, which exemptions keep contact, what is due or missed, and who changed
status in the week up to that day.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from importlib import resources
from typing import Annotated

import typer
from rich.table import Table

from probation_reset.cli.console import out
from probation_reset.cli.evaluate import STATUS_STYLE
from probation_reset.cli.options import DatabaseOpt, PolicyOpt, day_option, engine_for
from probation_reset.cli.safe_output import plain
from probation_reset.cli.store import (
    progress_bar,
    store_engine,
    store_failures,
    transitions_table,
)
from probation_reset.domain.vocabulary import ObligationStatus, Status
from probation_reset.evaluation.engine import CaseResult
from probation_reset.sample.generator import SAMPLE_AS_OF, SAMPLE_FILE_NAME
from probation_reset.store import repository
from probation_reset.store.database import session_factory
from probation_reset.store.importer import DEFAULT_BATCH_SIZE, Importer, document_source
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.refresh import stored_case


def run(
    on: Annotated[
        str,
        typer.Option("--on", help="The day to report on, YYYY-MM-DD (default: the sample's day)."),
    ] = SAMPLE_AS_OF.isoformat(),
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
) -> None:
    """Load the bundled sample caseload if the database is empty, then report on a day."""
    day = day_option(on)
    engine = engine_for(policy)
    sessions = session_factory(store_engine(database))
    with sessions() as session:
        documents = repository.case_documents(session)
    if not documents:
        text = resources.files("probation_reset.sample").joinpath(SAMPLE_FILE_NAME).read_text()
        importer = Importer(sessions, engine.parameters, ndelius_codes(), DEFAULT_BATCH_SIZE)
        with store_failures(), progress_bar() as progress:
            report = importer.run(document_source("bundled sample", text), "run", progress)
        out.print(
            f"Loaded the bundled sample: {report.created} people, "
            f"{report.transitions_added} status transitions.",
            highlight=False,
        )
        with sessions() as session:
            documents = repository.case_documents(session)
    results = [engine.evaluate(stored_case(crn, doc), day) for crn, doc in documents.items()]
    summarise(results, day.isoformat(), engine.parameters.version)
    with sessions() as session:
        week = repository.transitions_between(session, day - timedelta(days=6), day)
    out.print(transitions_table(week, f"Status changes in the week to {day.isoformat()}"))


def summarise(results: list[CaseResult], on: str, version: str) -> None:
    """How many people in each status, exemptions, and obligations due or missed by rule."""
    statuses = Counter(r.status for r in results)
    table = Table(title=f"Caseload on {on}: {len(results)} people (policy {version})")
    table.add_column("status")
    table.add_column("people", justify="right")
    for status in Status:
        table.add_row(plain(status.value, STATUS_STYLE[status.value]), str(statuses[status]))
    out.print(table)

    exemptions = Counter(e for r in results for e in r.exemptions)
    kept = Table(title="Exemptions applying (contact continues)")
    kept.add_column("exemption")
    kept.add_column("people", justify="right")
    for exemption, people in exemptions.most_common():
        kept.add_row(exemption, str(people))
    out.print(kept)

    due = Counter(
        o.rule for r in results for o in r.obligations if o.status is ObligationStatus.DUE
    )
    missed = Counter(
        o.rule for r in results for o in r.obligations if o.status is ObligationStatus.MISSED
    )
    duties = Table(title="Obligations due now, and missed to date")
    for heading, justify in (("rule", "left"), ("due", "right"), ("missed", "right")):
        duties.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for rule in sorted(set(due) | set(missed)):
        duties.add_row(rule, str(due[rule]), str(missed[rule]))
    out.print(duties)
