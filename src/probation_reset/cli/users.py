"""``probation-reset users add|disable|reset-password|token|list`` and ``probation-reset audit``.

Passwords are random unless ``--password-stdin`` reads one line from standard input; a new
password or API token is printed once and only its hash is kept. argon2 is imported when a
command runs, not when the command line starts.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from probation_reset.cli.console import out
from probation_reset.cli.options import DatabaseOpt, FormatOpt, OutputFormat, misuse

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from probation_reset.web.accounts import Action

users_app = typer.Typer(
    name="users",
    help="Add, disable and reset the passwords of the web service's users; issue API tokens.",
    no_args_is_help=True,
)


class RoleChoice(StrEnum):
    practitioner = "practitioner"
    spo = "spo"
    hub = "hub"
    head = "head"
    admin = "admin"


PasswordStdinOpt = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from standard input (one line)."),
]


def _password(from_stdin: bool) -> tuple[str, bool]:
    from probation_reset.web.accounts import new_password

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    return new_password(), True


@contextmanager
def _transaction(database: str | None) -> Iterator[Session]:
    from probation_reset.cli.database import sessions_for
    from probation_reset.web.accounts import AccountError

    sessions = sessions_for(database)
    try:
        with sessions.begin() as session:
            yield session
    except AccountError as error:
        misuse(str(error))


def _audited(session: Session, action: Action, detail: str) -> None:
    from probation_reset.web.accounts import Channel, audit
    from probation_reset.web.settings import utc_now

    audit(session, f"cli:{getpass.getuser()}", action, Channel.CLI, utc_now(), detail=detail)


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="The name to sign in with.")],
    role: Annotated[RoleChoice, typer.Option("--role", help="What the user may see.")],
    staff_code: Annotated[
        str | None, typer.Option("--staff-code", help="A practitioner's NDelius staff code.")
    ] = None,
    team: Annotated[str | None, typer.Option("--team", help="An SPO's team.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="A hub user's region.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="The name shown on pages.")] = None,
    password_stdin: PasswordStdinOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """Add a user. A practitioner needs --staff-code, an SPO --team, a hub user --region."""
    from probation_reset.web.accounts import Action, add_user
    from probation_reset.web.scope import Role
    from probation_reset.web.settings import utc_now

    password, generated = _password(password_stdin)
    with _transaction(database) as session:
        add_user(
            session,
            username,
            password,
            Role(role.value),
            utc_now(),
            display_name=name,
            staff_code=staff_code,
            team=team,
            region=region,
        )
        _audited(session, Action.USER_ADDED, f"{username} ({role.value})")
    out.print(f"Added {username} ({role.value}).", highlight=False)
    if generated:
        out.print(f"Password (shown once): {password}", highlight=False)


@users_app.command("disable")
def disable(username: Annotated[str, typer.Argument()], database: DatabaseOpt = None) -> None:
    """Disable a user: no more sign-in; their sessions and API tokens end."""
    from probation_reset.web.accounts import Action, disable_user
    from probation_reset.web.settings import utc_now

    with _transaction(database) as session:
        disable_user(session, username, utc_now())
        _audited(session, Action.USER_DISABLED, username)
    out.print(f"Disabled {username}.", highlight=False)


@users_app.command("reset-password")
def reset(
    username: Annotated[str, typer.Argument()],
    password_stdin: PasswordStdinOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """Give a user a new password (and enable them again); their sessions end."""
    from probation_reset.web.accounts import Action, reset_password
    from probation_reset.web.settings import utc_now

    password, generated = _password(password_stdin)
    with _transaction(database) as session:
        reset_password(session, username, password, utc_now())
        _audited(session, Action.PASSWORD_RESET, username)
    out.print(f"New password set for {username}.", highlight=False)
    if generated:
        out.print(f"Password (shown once): {password}", highlight=False)


@users_app.command("token")
def token(
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "api",
    database: DatabaseOpt = None,
) -> None:
    """Issue an API bearer token acting as this user (printed once)."""
    from probation_reset.web.accounts import Action, create_api_token
    from probation_reset.web.settings import utc_now

    with _transaction(database) as session:
        issued = create_api_token(session, username, name, utc_now())
        _audited(session, Action.TOKEN_CREATED, f"{username}: {name}")
    sys.stdout.write(issued + "\n")


@users_app.command("list")
def list_users(database: DatabaseOpt = None) -> None:
    """Every user, role, scope and whether disabled."""
    from sqlalchemy import select

    from probation_reset.cli.database import sessions_for
    from probation_reset.store.access_tables import UserRow

    sessions = sessions_for(database, reading=True)
    table = Table(title="Users")
    for heading in ("user", "name", "role", "staff code", "team", "region", "disabled"):
        table.add_column(heading)
    with sessions() as session:
        for u in session.scalars(select(UserRow).order_by(UserRow.username)):
            table.add_row(
                u.username,
                u.display_name,
                u.role,
                u.staff_code or "",
                u.team or "",
                u.region or "",
                "yes" if u.disabled else "",
            )
    out.print(table)


def audit(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's entries.")] = None,
    crn: Annotated[str | None, typer.Option("--crn", help="Only this case's entries.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Newest entries to show.")] = 100,
    database: DatabaseOpt = None,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Show the audit log, newest first: every read of a case and every change, by whom."""
    from probation_reset.cli.database import sessions_for
    from probation_reset.web.accounts import audit_entries

    sessions = sessions_for(database, reading=True)
    with sessions() as session:
        entries = audit_entries(session, limit, user, crn)
    if output is OutputFormat.json:
        rows = [
            {
                "at": e.at.isoformat(),
                "user": e.username,
                "action": e.action,
                "channel": e.channel,
                "crn": e.crn,
                "detail": e.detail,
            }
            for e in entries
        ]
        sys.stdout.write(json.dumps({"entries": rows}, ensure_ascii=False) + "\n")
        return
    table = Table(title="Audit log (newest first)")
    for heading in ("when (UTC)", "user", "action", "channel", "CRN", "detail"):
        table.add_column(heading)
    for e in entries:
        table.add_row(
            e.at.isoformat(sep=" ", timespec="seconds"),
            e.username,
            e.action,
            e.channel,
            e.crn or "",
            e.detail,
        )
    out.print(table)
