"""The command line under strange, huge or hostile input: exit 0, 1 or 2, never a traceback, and
data shown as written, never read as markup."""

from __future__ import annotations

import io
import json
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from probation_reset.cli.cases_file import CasesFileError, read_utf8
from probation_reset.cli.main import app
from probation_reset.intake.dates import parse_contact_moment

RUNNER = CliRunner()
ON = ["--on", "2025-06-01"]


def case(crn: str, **fields: Any) -> dict[str, Any]:
    return {
        "crn": crn,
        "events": [
            {
                "event_id": "E1",
                "type": "LICENCE",
                "start_date": "2025-01-01",
                "end_date": "2026-01-01",
            }
        ],
        **fields,
    }


def evaluate(stdin: str | bytes, *options: str) -> Result:
    return RUNNER.invoke(app, ["evaluate", "-", *ON, *options], input=stdin)


def assert_no_crash(result: Result) -> None:
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


def test_brackets_nested_980_deep_are_an_unreadable_document() -> None:
    result = evaluate("[" * 980 + "]" * 980)
    assert_no_crash(result)
    assert result.exit_code in (1, 2)
    inside = evaluate('[{"crn": "A", "x": ' + "[" * 980 + "]" * 980 + ', "events": []}]')
    assert_no_crash(inside)
    assert inside.exit_code == 2 and "nested too deeply" in inside.stderr


def test_a_number_of_4301_digits_is_an_unreadable_document() -> None:
    result = evaluate('[{"crn": "A", "events": [], "x": ' + "9" * 4301 + "}]")
    assert_no_crash(result)
    assert result.exit_code == 2 and "4300" in result.stderr


def test_a_lone_surrogate_is_written_as_a_json_escape() -> None:
    result = evaluate(json.dumps([case("X\ud800"), case("OK")]), "--format", "json")
    assert_no_crash(result)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [e["crn"] for e in document["errors"]] == ["X\ud800"]
    assert [c["crn"] for c in document["cases"]] == ["OK"]
    table = evaluate(json.dumps([case("X\ud800")]))
    assert_no_crash(table)
    assert "X\\ud800" in table.stderr


@pytest.mark.parametrize("crn", ["[/]", "[red]X[/red]", "[link=a]b[/link]"])
def test_markup_in_data_is_shown_as_written(crn: str) -> None:
    result = evaluate(json.dumps([case(crn)]))
    assert_no_crash(result)
    # The CRN column may fold a long CRN over lines: read the column's cells back together.
    first_column = "".join(
        line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│")
    )
    assert result.exit_code == 0 and first_column.startswith(crn)
    problem = evaluate(json.dumps([case(crn, date_of_birth=crn)]))
    assert problem.exit_code == 1 and crn in problem.stderr
    explained = RUNNER.invoke(
        app, ["explain", "-", "--crn", crn, *ON], input=json.dumps([case(crn)])
    )
    assert_no_crash(explained)
    assert explained.exit_code == 0 and crn in explained.stdout


def test_invalid_utf8_on_stdin_is_named_not_echoed() -> None:
    result = evaluate(b'[{"crn": "\xff\xfe"}]')
    assert_no_crash(result)
    assert result.exit_code == 2
    assert "byte 10 is not UTF-8 (0xff)" in result.stderr
    assert "\udcff" not in result.stderr and "\ufffd" not in result.stderr


def test_dev_zero_as_cases_is_refused_at_once() -> None:
    result = RUNNER.invoke(app, ["evaluate", "/dev/zero", *ON])
    assert_no_crash(result)
    assert result.exit_code == 2 and "byte 0 is NUL" in result.stderr


def test_input_past_the_size_limit_is_refused() -> None:
    with pytest.raises(CasesFileError, match="larger than the limit of 10 bytes"):
        read_utf8(io.BytesIO(b"[" * 100), limit=10)
    with pytest.raises(CasesFileError, match="ends inside a UTF-8 character"):
        read_utf8(io.BytesIO("[\u00e9".encode()[:-1]))
    assert read_utf8(io.BytesIO("[\u00e9]".encode())) == "[\u00e9]"


@pytest.mark.parametrize(
    "moment",
    ["2025-01-02T09:30+25:00", "2025-01-02T09:30:00.123456789", "2025-01-02T09:30+01:60"],
)
def test_contact_times_outside_the_contracts_format_are_refused(moment: str) -> None:
    with pytest.raises(ValueError):
        parse_contact_moment(moment)


@pytest.mark.parametrize(
    "moment",
    ["2025-01-02T09:30", "2025-01-02T09:30:59Z", "2025-01-02T09:30+23:59", "2025-01-02T09:30-0100"],
)
def test_contact_times_in_the_contracts_format_are_kept(moment: str) -> None:
    assert parse_contact_moment(moment)[0].isoformat() == "2025-01-02"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec=None), max_size=20)
    | st.sampled_from(["[/]", "[red]x[/red]", "2025-01-01", "LICENCE", "MAPPA", "E1"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "crn",
                    "events",
                    "event_id",
                    "type",
                    "start_date",
                    "end_date",
                    "registrations",
                    "contacts",
                    "level",
                    "date",
                    "cases",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)
raw_text = st.text(alphabet=string.printable + '[]{}"\\\u00e9\ud800\x00', max_size=60)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=st.one_of(
        json_values.map(lambda v: json.dumps(v, allow_nan=False)),
        st.lists(json_values, max_size=3).map(lambda vs: "\n".join(json.dumps(v) for v in vs)),
        raw_text,
        st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
    ),
    output=st.sampled_from(["json", "table"]),
)
def test_any_input_exits_0_1_or_2_without_a_traceback(document: str, output: str) -> None:
    data = document.encode("utf-8", "surrogatepass")
    assert_no_crash(evaluate(data, "--format", output))


def test_an_import_of_hostile_records_prints_them_as_written(tmp_path: Path) -> None:
    source = tmp_path / "cases.json"
    source.write_text(json.dumps([case("[/]", date_of_birth="[red]X[/red]"), case("OK")]))
    database = f"sqlite:///{tmp_path / 'store.sqlite'}"
    result = RUNNER.invoke(app, ["import", str(source), "--database", database])
    assert_no_crash(result)
    assert result.exit_code == 1
    assert "[/]" in result.stderr and "[red]X[/red]" in result.stderr
    listed = RUNNER.invoke(
        app, ["changes", "--from", "2025-01-01", "--to", "2026-12-31", "--database", database]
    )
    assert listed.exit_code == 0, listed.output
    assert "OK" in listed.stdout
    source.write_text(json.dumps([case("[/]"), case("[red]X[/red]")]))
    assert RUNNER.invoke(app, ["import", str(source), "--database", database]).exit_code == 0
    listed = RUNNER.invoke(
        app, ["changes", "--from", "2025-01-01", "--to", "2026-12-31", "--database", database]
    )
    assert listed.exit_code == 0, listed.output
    assert "[/]" in listed.stdout and "[red]X[/red]" in listed.stdout
