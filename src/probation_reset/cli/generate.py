"""``probation-reset generate``: a synthetic caseload as contract JSON Lines and Parquet tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from probation_reset.cli.console import err, out
from probation_reset.cli.options import day_option, misuse

#: File name of the JSON Lines caseload under --out.
CASES_FILE = "cases.jsonl"
#: The default snapshot day: the bundled sample's.
DEFAULT_AS_OF = "2025-11-03"


def generate(
    people: Annotated[int, typer.Option("--people", help="How many people (up to 1,000,000).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write the caseload into.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same bytes.")] = 1,
    as_of: Annotated[
        str, typer.Option("--as-of", help="The day the caseload is a snapshot of, YYYY-MM-DD.")
    ] = DEFAULT_AS_OF,
) -> None:
    """Generate a synthetic caseload: cases.jsonl (CONTRACT.md section 2) and Parquet tables.

    The tables are people, events, requirements, licence_conditions, registrations and
    contacts (docs/generator.md). The distributions are in the generator's distributions.yaml.
    """
    from probation_reset.columnar.tables import TABLE_NAMES, CaseTableWriter
    from probation_reset.sample.generator import MAX_PEOPLE, generate_caseload

    day = day_option(as_of, "--as-of")
    if not 0 <= people <= MAX_PEOPLE:
        misuse(f"--people: must be between 0 and {MAX_PEOPLE:,}, not {people}")
    if out_dir.exists() and not out_dir.is_dir():
        misuse(f"--out: {out_dir} is not a directory")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        writer = CaseTableWriter(out_dir)
        contacts = 0
        with (
            open(out_dir / CASES_FILE, "w", encoding="utf-8", newline="\n") as stream,
            Progress(console=err, transient=True, disable=not err.is_terminal) as progress,
        ):
            task = progress.add_task("Generating", total=people)
            for case in generate_caseload(people, seed, day):
                stream.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")))
                stream.write("\n")
                writer.add(case)
                contacts += len(case["contacts"])  # type: ignore[arg-type]
                progress.advance(task)
            writer.close()
    except OSError as error:
        misuse(f"--out: cannot write {out_dir}: {error}")
    tables = ", ".join(f"{name}.parquet" for name in TABLE_NAMES)
    out.print(
        f"{people:,} people, {contacts:,} contacts (seed {seed}, as of {day.isoformat()}) "
        f"in {out_dir}: {CASES_FILE}, {tables}",
        markup=False,
        highlight=False,
    )
