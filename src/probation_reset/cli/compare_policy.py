"""``probation-reset compare-policy``: the caseload on a day under two policies, side by side."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from probation_reset.caseload.policy_compare import (
    PolicyComparison,
    compare_policies,
    comparison_json,
)
from probation_reset.cli.caseload_source import load_caseload, report_errors
from probation_reset.cli.console import out
from probation_reset.cli.options import DatabaseOpt, OnOpt, day_option, misuse
from probation_reset.cli.safe_output import plain, printable, write_json
from probation_reset.evaluation.engine import Engine
from probation_reset.policy.variant import PolicyVariantError, load_policy


class CompareFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


CSV_COLUMNS = ("crn", "team", "status", "exemptions", "status_against", "exemptions_against")


def _engine(name: str | None, option: str) -> Engine:
    try:
        return Engine(load_policy(name))
    except (PolicyVariantError, LookupError) as error:
        misuse(f"{option}: {error}")


def compare_policy_command(
    on: OnOpt,
    against: Annotated[
        str,
        typer.Option(
            "--against",
            help="The policy to compare with: a version, a bundled variant (halfway) or a "
            "variant .yaml file.",
        ),
    ],
    cases: Annotated[
        str | None,
        typer.Argument(
            help="Cases file (JSON or JSON Lines), or - for stdin; default: the database."
        ),
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option("--policy", help="The policy as it is (default: the latest version)."),
    ] = None,
    output: Annotated[
        CompareFormat, typer.Option("--format", help="table, json, or csv (people who change).")
    ] = CompareFormat.table,
    database: DatabaseOpt = None,
) -> None:
    """The caseload on a day under two policies: statuses, per team, and who would change."""
    day = day_option(on)
    first, second = _engine(policy, "--policy"), _engine(against, "--against")
    caseload = load_caseload(cases, database)
    found = compare_policies(caseload.cases, first, second, day)
    if output is CompareFormat.json:
        write_json(comparison_json(found))
    elif output is CompareFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for c in found.changes:
            writer.writerow(
                printable(v)
                for v in (
                    c.crn,
                    c.team,
                    c.status.value,
                    " ".join(c.exemptions),
                    c.status_against.value,
                    " ".join(c.exemptions_against),
                )
            )
    else:
        _print_tables(found)
    report_errors(caseload.errors)
    if caseload.errors:
        raise typer.Exit(1)


def _print_tables(found: PolicyComparison) -> None:
    title = (
        f"{found.people} people on {found.on.isoformat()}: {found.policy} against {found.against}"
    )
    statuses = Table(title=plain(title))
    for heading in ("status", found.policy, found.against, "difference"):
        statuses.add_column(plain(heading), justify="right")
    for status, (a, b) in found.by_status.items():
        statuses.add_row(status, str(a), str(b), f"{b - a:+d}")
    out.print(statuses)
    teams = Table(title="Per team: people in each status (as it is -> against)")
    teams.add_column("team")
    teams.add_column("status")
    teams.add_column("change", justify="right")
    for team, counts in found.by_team.items():
        for number, (status, (a, b)) in enumerate(counts.items()):
            teams.add_row(plain(team if number == 0 else ""), status, f"{a} -> {b}")
    out.print(teams)
    people = Table(title=f"People whose status would change: {len(found.changes)}")
    for heading in ("team", "CRN", found.policy, found.against, "final third starts"):
        people.add_column(plain(heading))
    for c in found.changes:
        starts = "\n".join(
            f"event {event_id}: {a or '-'} -> {b or '-'}" for event_id, a, b in c.final_third_starts
        )
        people.add_row(
            plain(c.team),
            plain(c.crn),
            plain(" ".join((c.status.value, *c.exemptions))),
            plain(" ".join((c.status_against.value, *c.exemptions_against))),
            plain(starts or "-"),
        )
    out.print(people)
