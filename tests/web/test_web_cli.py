"""``users``, ``audit`` and ``serve`` on the command line; the web's packages stay unloaded for
the other commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from probation_reset.cli.main import app
from web.conftest import NODE_MODULES

runner = CliRunner()
COMMAND = Path(sys.executable).parent / "probation-reset"


def test_help_and_evaluate_do_not_import_the_web_packages(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from probation_reset.cli.main import app\n"
        "for argv in (['--help'], ['evaluate', '--help'], ['rules']):\n"
        "    try:\n"
        "        app(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "web = ('fastapi', 'uvicorn', 'jinja2', 'argon2')\n"
        "loaded = sorted(m for m in web if m in sys.modules)\n"
        "print('LOADED', loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert "LOADED []" in done.stdout


def test_users_add_sign_in_disable_reset_and_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    added = runner.invoke(
        app,
        [
            "users",
            "add",
            "rhian",
            "--role",
            "practitioner",
            "--staff-code",
            "W02C001",
            "--database",
            url,
        ],
    )
    assert added.exit_code == 0, added.output
    assert "Password (shown once): " in added.output
    missing = runner.invoke(app, ["users", "add", "sam", "--role", "spo", "--database", url])
    assert missing.exit_code == 2 and "a spo user needs a team" in missing.output
    again = runner.invoke(app, ["users", "add", "rhian", "--role", "head", "--database", url])
    assert again.exit_code == 2 and "there is already a user 'rhian'" in again.output
    short = runner.invoke(
        app,
        ["users", "reset-password", "rhian", "--password-stdin", "--database", url],
        input="short\n",
    )
    assert short.exit_code == 2 and "at least 12 characters" in short.output
    reset = runner.invoke(
        app,
        ["users", "reset-password", "rhian", "--password-stdin", "--database", url],
        input="a much longer password\n",
    )
    assert reset.exit_code == 0 and "Password (shown once)" not in reset.output
    token = runner.invoke(app, ["users", "token", "rhian", "--database", url])
    assert token.exit_code == 0 and token.output.startswith("prt_")
    disabled = runner.invoke(app, ["users", "disable", "rhian", "--database", url])
    assert disabled.exit_code == 0
    unknown = runner.invoke(app, ["users", "disable", "nobody", "--database", url])
    assert unknown.exit_code == 2 and "there is no user 'nobody'" in unknown.output
    listed = runner.invoke(app, ["users", "list", "--database", url])
    assert "rhian" in listed.output and "W02C001" in listed.output
    log = runner.invoke(app, ["audit", "--format", "json", "--database", url])
    actions = [e["action"] for e in json.loads(log.output)["entries"]]
    assert actions == ["USER_DISABLED", "TOKEN_CREATED", "PASSWORD_RESET", "USER_ADDED"]


def test_serve_without_assets_says_run_npm_ci(tmp_path: Path) -> None:
    environment = {**os.environ, "PROBATION_RESET_ASSETS": str(tmp_path / "none")}
    done = subprocess.run(
        [str(COMMAND), "serve", "--port", "1"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=False,
    )
    assert done.returncode == 2
    assert "npm ci" in done.stderr and "Traceback" not in done.stderr


def test_serve_loads_the_sample_creates_demo_users_and_serves(tmp_path: Path) -> None:
    from web.browser import free_port

    port = free_port()
    environment = {**os.environ, "PROBATION_RESET_ASSETS": str(NODE_MODULES)}
    environment.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [str(COMMAND), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env=environment,
    )
    try:
        lines: list[str] = []
        assert server.stdout is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            lines.append(line)
            if "Serving on" in line or not line:
                break
        output = "".join(lines)
        assert f"Serving on http://localhost:{port}/" in output, output
        assert "Loaded the bundled sample" in output
        for role in ("practitioner", "spo", "hub", "head", "admin"):
            assert f"  {role} " in output
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in") as page:
                    assert page.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server never answered")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert (tmp_path / "probation-reset.sqlite").exists()
