"""The ``probation-reset`` application: one sub-command per module."""

from __future__ import annotations

import typer

from probation_reset.cli.batch import batch
from probation_reset.cli.compare_policy import compare_policy_command
from probation_reset.cli.evaluate import evaluate
from probation_reset.cli.explain import explain
from probation_reset.cli.figures import figures_command
from probation_reset.cli.generate import generate
from probation_reset.cli.hub import hub_app
from probation_reset.cli.reconcile import reconcile_command
from probation_reset.cli.rules import rules
from probation_reset.cli.run import run
from probation_reset.cli.serve import serve
from probation_reset.cli.store import changes, import_cases, refresh
from probation_reset.cli.upcoming import upcoming_command
from probation_reset.cli.users import audit, users_app
from probation_reset.cli.what_if import what_if_command

app = typer.Typer(
    name="probation-reset",
    help="Probation Reset status, final third, exemptions and National Standards obligations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(run)
app.command()(evaluate)
app.command()(batch)
app.command()(explain)
app.command()(rules)
app.command("import")(import_cases)
app.command()(refresh)
app.command()(changes)
app.command("reconcile")(reconcile_command)
app.command("upcoming")(upcoming_command)
app.add_typer(hub_app, name="hub")
app.command()(serve)
app.add_typer(users_app)
app.command()(audit)
app.command("what-if")(what_if_command)
app.command("figures")(figures_command)
app.command("compare-policy")(compare_policy_command)
app.command()(generate)


def main() -> None:
    app()
