"""Every person's status and exemptions on a day, straight from the Parquet tables (`tables.py`).

One DuckDB query over the tables computes what the per-case engine's ``status`` and
``exemptions`` are (CONTRACT.md sections 2-3): an event's phase on the day (active days, the
final-third start from the policy's fraction or the ``PR1`` key date, PSS, ``terminated_on``),
whether the Reset is in force, and the exemptions in the contract's order (MAPPA, NSD, a
``VERY_HIGH`` RoSH in force: the active ``ROSH`` registration with the latest start, ties to the
later in input order; child protection plan, ISC, an active youth sentence), only those the
policy lists on the day. The policy parameters come from `probation_reset.policy`.

The tables are trusted as `probation-reset generate` (or `CaseTableWriter`) writes them: the
cases are not validated as the engine validates them (duplicate CRNs, an end before a start),
so a case the engine would refuse still gets a row here.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Final

import duckdb
import polars as pl

from probation_reset.columnar.tables import SCHEMAS, CaseTablesError, table_path
from probation_reset.policy import DatedParameter, PolicyParameters

#: The tables the status needs.
STATUS_TABLES: Final = ("people", "events", "requirements", "registrations")

#: Each exemption's rule id and its condition (columns of the query's ``flags`` and ``persons``).
_EXEMPTIONS: Final = (
    ("EXEMPT_MAPPA", "f.mappa"),
    ("EXEMPT_NSD", "f.nsd"),
    ("EXEMPT_VERY_HIGH_ROSH", "r.very_high"),
    ("EXEMPT_CHILD_PROTECTION_PLAN", "f.child_protection"),
    ("EXEMPT_ISC", "f.isc"),
    ("EXEMPT_YOUTH_SENTENCE", "b.youth"),
)

_QUERY: Final = """
WITH
rar AS (
    SELECT DISTINCT case_index, event_id FROM read_parquet('{requirements}')
    WHERE type = 'RAR'
),
fractioned AS (
    SELECT e.*, {numerator} AS numerator, {denominator} AS denominator,
        r.event_id IS NOT NULL AS has_rar
    FROM read_parquet('{events}') e
    LEFT JOIN rar r ON r.case_index = e.case_index AND r.event_id = e.event_id
),
events AS (
    SELECT case_index, youth, start_date, end_date, type, has_rar,
        CASE
            WHEN terminated_on IS NULL THEN coalesce(pss_end_date, end_date)
            WHEN coalesce(pss_end_date, end_date) IS NULL THEN terminated_on - 1
            ELSE least(coalesce(pss_end_date, end_date), terminated_on - 1)
        END AS last_day,
        CASE
            WHEN numerator = 2 AND denominator = 3 AND probation_reset_date IS NOT NULL
                THEN probation_reset_date
            ELSE start_date + CAST(
                (numerator * CAST(end_date - start_date AS BIGINT)) // denominator AS INTEGER)
        END AS final_third
    FROM fractioned
),
phases AS (
    SELECT case_index, youth,
        CASE
            WHEN $on < start_date THEN 'NOT_STARTED'
            WHEN last_day IS NOT NULL AND $on > last_day THEN 'ENDED'
            WHEN type <> 'LICENCE' AND NOT has_rar THEN 'NO_RESET'
            WHEN end_date IS NULL THEN 'NO_FINAL_THIRD'
            WHEN $on > end_date THEN 'PSS'
            WHEN $on >= final_third THEN 'FINAL_THIRD'
            ELSE 'BEFORE_FINAL_THIRD'
        END AS phase
    FROM events
),
by_person AS (
    SELECT case_index,
        bool_or(phase IN ('BEFORE_FINAL_THIRD', 'NO_FINAL_THIRD')) AS supervised,
        bool_or(phase IN ('FINAL_THIRD', 'PSS')) AS reset_phase,
        bool_or(phase NOT IN ('NOT_STARTED', 'ENDED')) AS active,
        bool_or(youth AND phase NOT IN ('NOT_STARTED', 'ENDED')) AS youth
    FROM phases GROUP BY case_index
),
registrations AS (
    SELECT case_index, type, level, start_date, file_row_number
    FROM read_parquet('{registrations}', file_row_number = true)
    WHERE start_date <= $on AND (deregistered_on IS NULL OR $on < deregistered_on)
),
flags AS (
    SELECT case_index,
        bool_or(type = 'MAPPA') AS mappa,
        bool_or(type = 'NSD') AS nsd,
        bool_or(type = 'CHILD_PROTECTION') AS child_protection,
        bool_or(type = 'ISC') AS isc
    FROM registrations GROUP BY case_index
),
rosh AS (
    SELECT case_index, coalesce(level = 'VERY_HIGH', false) AS very_high
    FROM registrations WHERE type = 'ROSH'
    QUALIFY row_number() OVER (
        PARTITION BY case_index ORDER BY start_date DESC, file_row_number DESC) = 1
),
persons AS (
    SELECT p.case_index, p.crn,
        coalesce(b.active, false) AS active,
        coalesce(b.supervised, false) AS supervised,
        coalesce(b.reset_phase, false) AS reset_phase,
        {exemptions} AS exemptions
    FROM read_parquet('{people}') p
    LEFT JOIN by_person b ON b.case_index = p.case_index
    LEFT JOIN flags f ON f.case_index = p.case_index
    LEFT JOIN rosh r ON r.case_index = p.case_index
)
SELECT crn,
    CASE
        WHEN NOT active THEN 'ENDED'
        WHEN supervised OR (reset_phase AND NOT {reset_in_force}) THEN 'ACTIVE'
        WHEN reset_phase AND len(exemptions) > 0 THEN 'EXEMPT'
        WHEN reset_phase THEN 'SUSPENDED'
        ELSE 'NOT_APPLICABLE'
    END AS status,
    exemptions
FROM persons
ORDER BY case_index
"""


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


def _fraction_sql(fraction: DatedParameter[Fraction], part: str) -> str:
    """The fraction in force on an event's start date (the first before any), as SQL."""
    values = fraction.values
    first = getattr(values[0].value, part)
    branches = " ".join(
        f"WHEN e.start_date >= DATE '{entry.effective_from.isoformat()}' "
        f"THEN {getattr(entry.value, part)}"
        for entry in reversed(values[1:])
    )
    return f"(CASE {branches} ELSE {first} END)" if branches else str(first)


def _exemptions_sql(listed: tuple[str, ...]) -> str:
    """The exemptions applying, in the contract's order, as a list built without lambdas."""
    parts = [
        f"CASE WHEN coalesce({condition}, false) THEN ['{rule}'] ELSE [] END"
        for rule, condition in _EXEMPTIONS
        if rule in listed
    ]
    built = "[]::VARCHAR[]"
    for part in parts:
        built = f"list_concat({built}, {part})"
    return built


def _checked(directory: Path) -> dict[str, str]:
    """The path of each table the status needs, refusing a missing file or column."""
    paths: dict[str, str] = {}
    for table in STATUS_TABLES:
        path = table_path(directory, table)
        if not path.is_file():
            raise CaseTablesError(f"{path}: no such file")
        try:
            columns = set(pl.read_parquet_schema(path))
        except (OSError, pl.exceptions.PolarsError) as error:
            raise CaseTablesError(f"{path}: cannot be read as Parquet ({error})") from error
        missing = [column for column in SCHEMAS[table] if column not in columns]
        if missing:
            raise CaseTablesError(f"{path}: no column {', '.join(missing)}")
        paths[table] = _literal(path)
    return paths


def status_query(directory: Path, on: date, parameters: PolicyParameters) -> str:
    """The DuckDB query (with one parameter, ``$on``) giving ``crn, status, exemptions``."""
    paths = _checked(directory)
    listed = parameters.exemptions.at_or_first(on)
    return _QUERY.format(
        **paths,
        numerator=_fraction_sql(parameters.final_third_fraction, "numerator"),
        denominator=_fraction_sql(parameters.final_third_fraction, "denominator"),
        exemptions=_exemptions_sql(listed),
        reset_in_force="true" if on >= parameters.reset_starts else "false",
    )


def statuses(directory: Path, on: date, parameters: PolicyParameters) -> pl.DataFrame:
    """Every person of the tables under `directory`, in case order: ``crn``, ``status`` and
    ``exemptions`` on `on`, as the per-case engine gives them."""
    query = status_query(directory, on, parameters)
    connection = duckdb.connect()
    try:
        frame: pl.DataFrame = connection.sql(query, params={"on": on}).pl()
    except duckdb.Error as error:
        raise CaseTablesError(f"{directory}: cannot be read as a caseload ({error})") from error
    finally:
        connection.close()
    return frame
