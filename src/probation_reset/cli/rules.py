"""``probation-reset rules``: every rule id, its meaning and its source."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

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
    table = Table(title="Rules", show_lines=True)
    table.add_column("rule / family · source", no_wrap=True)
    table.add_column("meaning", ratio=1)
    for rule in all_rules():
        name = Text(rule.id)
        name.append(f"\n{rule.family.value} · {rule.source}", style="dim")
        table.add_row(name, Text(rule.meaning))
    out.print(table)
