"""``probation-reset hub record|triage|queue|show``: the regional hub's queue (docs/hub.md).

Exit codes: 0 done; 1 a reinstatement refused by the rules (the reason on standard error,
nothing stored); 2 the command was misused (a bad date or option, an unknown case or item, a
blank summary, an item outside ``--region``).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from probation_reset.cli.console import err, out
from probation_reset.cli.hub_output import entry_json, item_table, literal, queue_table
from probation_reset.cli.options import (
    DatabaseOpt,
    FormatOpt,
    OnOpt,
    OutputFormat,
    PolicyOpt,
    day_option,
    engine_for,
    misuse,
    read_text,
)
from probation_reset.cli.safe_output import write_json
from probation_reset.domain.vocabulary import RegistrationType
from probation_reset.hub.vocabulary import Enforcement, ItemKind, Outcome, Source

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from probation_reset.hub.service import HubService

REFUSED = 1
T = TypeVar("T")

hub_app = typer.Typer(
    help="The regional hub's queue: information received, triage, items the engine raises.",
    no_args_is_help=True,
)

ItemArg = Annotated[
    str, typer.Argument(help="An item number, or a raised item's reference as the queue shows it.")
]
RegionOpt = Annotated[
    str | None, typer.Option("--region", help="Your region: only its cases (default: all).")
]
ByOpt = Annotated[
    str | None, typer.Option("--by", help="Who is entering this (default: the login name).")
]


def _in_store(
    database: str | None,
    policy: str | None,
    work: Callable[[HubService, Session], T],
    writing: str | None = None,
    recent_days: int | None = None,
) -> T:
    """``work`` with the hub service in one transaction: committed, and tried again when it
    meets another writer, when ``writing`` names it; else only reading. A hub error or a store
    failure is exit 2 with one line."""
    # The store is imported only when a hub command runs: other commands start faster.
    from probation_reset.cli.database import store_engine, store_failures
    from probation_reset.hub.requests import HubError
    from probation_reset.hub.service import HubService
    from probation_reset.store import concurrency
    from probation_reset.store.database import session_factory
    from probation_reset.store.refresh import StoredCaseError

    service = HubService(engine_for(policy))
    if recent_days is not None:
        service.recent_days = recent_days
    engine = store_engine(database)
    try:
        with store_failures():
            if writing is None:
                return concurrency.read(
                    session_factory(engine, reading=True), lambda s: work(service, s)
                )
            return concurrency.write(session_factory(engine), lambda s: work(service, s), writing)
    except (HubError, StoredCaseError) as error:
        misuse(f"hub: {error}")


@hub_app.command("record")
def record(
    crn: Annotated[str, typer.Argument(help="The case's CRN.")],
    source: Annotated[Source, typer.Option("--source", help="Who the information came from.")],
    received: Annotated[str, typer.Option("--received", help="Date received, YYYY-MM-DD.")],
    summary: Annotated[
        str | None, typer.Option("--summary", help="What was received (as written).")
    ] = None,
    summary_file: Annotated[
        str | None,
        typer.Option("--summary-file", help="Read the summary from a file, or - for stdin."),
    ] = None,
    by: ByOpt = None,
    region: RegionOpt = None,
    database: DatabaseOpt = None,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Record information received on a case; it waits in the hub's queue for triage."""
    from probation_reset.hub.requests import InformationReceived

    day = day_option(received, "--received")
    if (summary is None) == (summary_file is None):
        misuse("hub record: give the summary with --summary or --summary-file (one of them)")
    text = summary if summary is not None else read_text(summary_file or "-")
    info = InformationReceived(crn, source, day, text, by or getpass.getuser())
    item_id = _in_store(
        database,
        None,
        lambda service, session: service.record(session, info, region).id,
        writing="recording the information",
    )
    if output is OutputFormat.json:
        write_json({"item_id": item_id, "crn": crn, "kind": ItemKind.INFORMATION_RECEIVED.value})
        return
    line = literal(f"Recorded hub item {item_id} on {crn}: {source.value}, received ")
    line.append(f"{day.isoformat()}; waiting for triage.")
    out.print(line)


def _level(value: str | None) -> str | int | None:
    if value is None:
        return None
    return int(value) if value.isdigit() else value.strip().upper()


@hub_app.command("triage")
def triage(
    item: ItemArg,
    outcome: Annotated[Outcome, typer.Option("--outcome", help="How the item is triaged.")],
    practitioner: Annotated[
        str, typer.Option("--practitioner", help="The named practitioner responsible.")
    ],
    on: OnOpt,
    registration: Annotated[
        RegistrationType | None,
        typer.Option(
            "--registration",
            help="REINSTATE: the registration that now exempts (MAPPA, ROSH, CHILD_PROTECTION, "
            "NSD, ISC).",
        ),
    ] = None,
    registration_start: Annotated[
        str | None,
        typer.Option("--registration-start", help="Its start date (default: --on)."),
    ] = None,
    level: Annotated[
        str | None, typer.Option("--level", help="MAPPA level 1-3, or RoSH VERY_HIGH.")
    ] = None,
    category: Annotated[
        int | None, typer.Option("--category", min=1, max=4, help="MAPPA category 1-4.")
    ] = None,
    enforcement: Annotated[
        Enforcement | None,
        typer.Option("--enforcement", help="ENFORCEMENT_CONSIDERED: BREACH or RECALL."),
    ] = None,
    shared_with: Annotated[
        str | None, typer.Option("--shared-with", help="INFORMATION_SHARED: with whom.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Anything else to record.")] = None,
    by: ByOpt = None,
    region: RegionOpt = None,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Triage an item on a day. REINSTATE records the registration that now exempts on the case
    (refused, exit 1, when it would not make the person EXEMPT on that day)."""
    from probation_reset.hub.reinstatement import RegistrationFact, ReinstatementRefusedError
    from probation_reset.hub.requests import Decision

    day = day_option(on)
    fact = None
    if registration is not None:
        start = (
            day_option(registration_start, "--registration-start") if registration_start else day
        )
        fact = RegistrationFact(registration, start, _level(level), category)
    elif registration_start or level or category:
        misuse("hub triage: --registration-start, --level and --category go with --registration")
    decision = Decision(
        outcome, practitioner, by or getpass.getuser(), fact, enforcement, shared_with, note
    )
    try:
        result = _in_store(
            database,
            policy,
            lambda service, session: service.triage(session, item, decision, day, region),
            writing="triaging the item",
        )
    except ReinstatementRefusedError as error:
        err.print(literal(f"probation-reset: hub: reinstatement refused: {error}"))
        raise typer.Exit(REFUSED) from None
    document: dict[str, Any] = {
        "item_id": result.item.id,
        "triage_id": result.triage.id,
        "crn": result.item.crn,
        "outcome": outcome.value,
        "status": result.status.value,
        "exemptions": list(result.exemptions),
        "case_import_id": result.edit.import_id if result.edit else None,
        "transitions_added": result.edit.transitions_added if result.edit else 0,
    }
    if output is OutputFormat.json:
        write_json(document)
        return
    line = literal(
        f"Hub item {document['item_id']} ({document['crn']}) triaged {outcome.value} by "
        f"{practitioner}: the person is {document['status']} on {day.isoformat()}"
    )
    if result.exemptions:
        line.append(f" ({', '.join(result.exemptions)})")
    if document["case_import_id"] is not None:
        line.append(
            f"; the registration is recorded on the case (change {document['case_import_id']}, "
            f"{document['transitions_added']} status transition(s) recorded)"
        )
    out.print(line)


@hub_app.command("queue")
def queue(
    on: OnOpt,
    region: RegionOpt = None,
    team: Annotated[str | None, typer.Option("--team", help="Only this team's cases.")] = None,
    kind: Annotated[
        list[ItemKind] | None, typer.Option("--kind", help="Only these kinds (repeatable).")
    ] = None,
    source: Annotated[
        list[Source] | None, typer.Option("--source", help="Only these sources (repeatable).")
    ] = None,
    include_triaged: Annotated[
        bool, typer.Option("--all", help="Triaged items too, with their outcome.")
    ] = False,
    min_days: Annotated[
        int, typer.Option("--min-days", min=0, help="Only items waiting this many days or more.")
    ] = 0,
    recent_days: Annotated[
        int, typer.Option("--recent-days", min=1, help="How long a reinstatement stays new.")
    ] = 28,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """The hub's queue on a day: highest risk first, then the longest wait."""
    from probation_reset.hub.queue import QueueFilter

    day = day_option(on)
    keep = QueueFilter(kind or (), source or (), team, include_triaged, min_days)
    entries = _in_store(
        database,
        policy,
        lambda service, session: service.queue(session, day, keep, region),
        recent_days=recent_days,
    )
    if output is OutputFormat.json:
        write_json(
            {"on": day.isoformat(), "region": region, "items": [entry_json(e) for e in entries]}
        )
        return
    scope = f" in {region}" if region else ""
    out.print(
        queue_table(entries, f"Hub queue{scope} on {day.isoformat()}: {len(entries)} item(s)")
    )


@hub_app.command("show")
def show(
    item: ItemArg,
    on: OnOpt,
    region: RegionOpt = None,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """One item: what was received or raised, the case's status and risk, every triage."""
    day = day_option(on)
    view = _in_store(
        database, policy, lambda service, session: service.show(session, item, day, region)
    )
    if output is OutputFormat.json:
        write_json({**entry_json(view.entry), "still_raised": view.still_raised})
        return
    out.print(item_table(view.entry, view.still_raised))
