"""``probation-reset rules``: every rule id, its meaning and its source."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from probation_reset.cli.console import out
from probation_reset.rules.catalogue import rules_markdown
from probation_reset.rules.registry import all_rules


def rules(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print docs/rules.md (generated from the registry).")
    ] = False,
) -> None:
    """List every rule: id, family, meaning and the policy paragraph it implements."""
    if markdown:
        typer.echo(rules_markdown(), nl=False)
        return
    table = Table(title="Rules")
    table.add_column("rule", no_wrap=True)
    for heading in ("family", "meaning", "source"):
        table.add_column(heading)
    for rule in all_rules():
        table.add_row(rule.id, rule.family.value, rule.meaning, rule.source)
    out.print(table)
