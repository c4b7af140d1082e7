"""The bundled sample caseload (``caseload.jsonl`` in `probation_reset.sample`) and JSONL output.

The sample is the hand-crafted showcase people, then ``SAMPLE_PEOPLE`` generated ones. Each
showcase person is allocated to the generated caseload's practitioner with the fewest cases at
the time, so caseloads stay realistic.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from importlib import resources
from typing import Final

from probation_reset.sample.generator.people import generate_caseload
from probation_reset.sample.generator.showcase import showcase_cases

# Seed, size and reference date of the bundled sample caseload (caseload.jsonl).
SAMPLE_SEED: Final = 2024
SAMPLE_PEOPLE: Final = 240
SAMPLE_AS_OF: Final = date(2025, 11, 3)
# File name of the bundled sample, package data of probation_reset.sample.
SAMPLE_FILE_NAME: Final = "caseload.jsonl"


def with_manager(case: Mapping[str, object], manager: object) -> dict[str, object]:
    """`case` with its `manager` placed after the CRN, as the generator writes it."""
    managed: dict[str, object] = {"crn": case["crn"], "manager": manager}
    managed.update((key, value) for key, value in case.items() if key not in managed)
    return managed


def bundled_caseload() -> Iterator[dict[str, object]]:
    """The bundled sample: the showcase people, then the generated ones (SAMPLE_* constants)."""
    generated = list(generate_caseload(SAMPLE_PEOPLE, SAMPLE_SEED, SAMPLE_AS_OF))
    managers: dict[str, object] = {}
    caseloads: Counter[str] = Counter()
    for case in generated:
        manager = case["manager"]
        assert isinstance(manager, dict)
        managers.setdefault(manager["staff_code"], manager)
        caseloads[manager["staff_code"]] += 1
    for case in showcase_cases(SAMPLE_AS_OF):
        staff_code = min(managers, key=lambda code: caseloads[code])
        caseloads[staff_code] += 1
        yield with_manager(case, managers[staff_code])
    yield from generated


def read_bundled_caseload() -> list[dict[str, object]]:
    """The cases of the bundled sample file, as installed with the package."""
    text = (
        resources.files("probation_reset.sample")
        .joinpath(SAMPLE_FILE_NAME)
        .read_text(encoding="utf-8")
    )
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def write_jsonl(cases: Iterable[Mapping[str, object]], path: str | os.PathLike[str]) -> int:
    """Write one case a line (UTF-8, "\\n" endings) to `path`; return how many were written."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        for case in cases:
            stream.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")))
            stream.write("\n")
            count += 1
    return count
