"""``probation-reset reconcile``: where NDelius (PRC, PR1) and the rules disagree on a day."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from probation_reset.caseload.reconciliation import Finding, Mismatch, counts_by_team, reconcile
from probation_reset.cli.caseload_source import load_caseload, report_errors
from probation_reset.cli.console import out
from probation_reset.cli.options import DatabaseOpt, OnOpt, PolicyOpt, day_option, engine_for
from probation_reset.cli.safe_output import plain, spreadsheet_cell, write_json


class ReconcileFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


CSV_COLUMNS = (
    "crn",
    "kind",
    "status",
    "event_id",
    "days_apart",
    "region",
    "pdu",
    "team",
    "staff_code",
    "staff_name",
    "detail",
    "action",
)


def finding_json(finding: Finding) -> dict[str, Any]:
    manager = finding.manager
    return {
        "crn": finding.crn,
        "kind": finding.kind.value,
        "status": finding.status.value,
        "event_id": finding.event_id,
        "days_apart": finding.days_apart,
        "region": manager.region if manager else None,
        "pdu": manager.pdu if manager else None,
        "team": manager.team if manager else None,
        "staff_code": manager.staff_code if manager else None,
        "staff_name": manager.staff_name if manager else None,
        "detail": finding.detail,
        "action": finding.action,
    }


def reconcile_command(
    on: OnOpt,
    cases: Annotated[
        str | None,
        typer.Argument(
            help="Cases file (JSON or JSON Lines), or - for stdin; default: the database."
        ),
    ] = None,
    output: Annotated[
        ReconcileFormat, typer.Option("--format", help="table, json, or csv for a data team.")
    ] = ReconcileFormat.table,
    kind: Annotated[
        list[Mismatch] | None, typer.Option("--kind", help="Only these kinds (repeatable).")
    ] = None,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
) -> None:
    """Every person where NDelius's PRC or PR1 and the computed status disagree, with the fix."""
    day = day_option(on)
    engine = engine_for(policy)
    caseload = load_caseload(cases, database)
    wanted = set(kind or Mismatch)
    findings = [
        finding
        for case in caseload.cases
        for finding in reconcile(case, engine.evaluate(case, day))
        if finding.kind in wanted
    ]
    if output is ReconcileFormat.json:
        document = {
            "on": day.isoformat(),
            "policy_version": engine.parameters.version,
            "people": len(caseload.cases),
            "findings": [finding_json(f) for f in findings],
            "counts_by_team": {
                team: {k.value: n for k, n in sorted(c.items())}
                for team, c in counts_by_team(findings).items()
            },
        }
        write_json(document)
    elif output is ReconcileFormat.csv:
        writer = csv.DictWriter(sys.stdout, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(
            {k: spreadsheet_cell(v) for k, v in finding_json(f).items()} for f in findings
        )
    else:
        _print_tables(findings, day.isoformat(), len(caseload.cases))
    report_errors(caseload.errors)
    if caseload.errors:
        raise typer.Exit(1)


def _print_tables(findings: list[Finding], on: str, people: int) -> None:
    table = Table(title=f"NDelius and the rules disagree on {on}: {len(findings)} finding(s)")
    table.add_column("CRN", no_wrap=True)
    table.add_column("finding")
    table.add_column("what to do")
    for finding in findings:
        table.add_row(
            plain(finding.crn),
            plain(f"{finding.kind.value}\n{finding.detail}"),
            plain(finding.action),
        )
    out.print(table)
    per_team = Table(title=f"Findings per team ({people} people checked)")
    per_team.add_column("team")
    per_team.add_column("finding")
    per_team.add_column("count", justify="right")
    for team, counted in counts_by_team(findings).items():
        for number, (kind, count) in enumerate(sorted(counted.items())):
            per_team.add_row(plain(team if number == 0 else ""), kind.value, str(count))
    out.print(per_team)
