"""``probation-reset serve``: the web service on uvicorn.

On the embedded default (a SQLite file) the bundled sample is loaded when the database holds no
case, and demo users (one per role) are created, their passwords printed once. With
``DATABASE_URL`` (or ``--database``) it serves that database, PostgreSQL included. FastAPI,
uvicorn, Jinja and argon2 are imported here, when the service starts, and nowhere else on the
command line's way.
"""

from __future__ import annotations

from typing import Annotated

import typer

from probation_reset.cli.console import out
from probation_reset.cli.options import DatabaseOpt, PolicyOpt, engine_for, misuse

HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on.")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]


def serve(
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    database: DatabaseOpt = None,
    policy: PolicyOpt = None,
    demo: Annotated[
        bool | None,
        typer.Option(
            "--demo/--no-demo",
            help="Load the sample and create demo users (default: only on the embedded SQLite).",
        ),
    ] = None,
) -> None:
    """Serve the caseload pages and the API (sign in with a user; see docs/web.md)."""
    from probation_reset.cli.database import load_sample_if_empty, sessions_for
    from probation_reset.store.database import database_url
    from probation_reset.web.assets import AssetsMissingError, check_assets
    from probation_reset.web.settings import Settings, utc_now

    settings = Settings(database_url=database, policy=policy)
    try:
        check_assets(settings.node_modules)
    except AssetsMissingError as error:
        misuse(str(error))
    engine = engine_for(policy)
    url = database_url(database)
    sessions = sessions_for(database)
    if demo if demo is not None else url.startswith("sqlite"):
        from probation_reset.web.demo import ensure_demo_users

        load_sample_if_empty(sessions, engine.parameters, "serve")
        with sessions.begin() as session:
            users = ensure_demo_users(session, utc_now())
        created = [u for u in users if u.password]
        if created:
            out.print("Demo users (the passwords are shown this once):", highlight=False)
            for user in created:
                out.print(f"  {user.username:<13} {user.password}   {user.scope}", highlight=False)
        else:
            out.print(
                "Demo users: " + ", ".join(u.username for u in users) + " (passwords as first "
                "shown; `probation-reset users reset-password NAME` sets a new one).",
                highlight=False,
            )
    import uvicorn

    from probation_reset.web.app import create_app

    app = create_app(settings)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    out.print(f"Serving on http://{shown}:{port}/ (Ctrl+C stops).", highlight=False)
    uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="warning")
