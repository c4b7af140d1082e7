"""Writing a batch's outcomes as they come: JSON Lines, the contract's JSON document, Parquet.

- ``jsonl``: one line per input case, in input order: the case's CaseResult exactly as
  ``evaluate`` writes it in ``cases`` (CONTRACT.md 4.2), or, for a case that cannot be
  evaluated, ``{"index": N, "crn": ..., "errors": [Error, ...]}`` (4.3).
- ``json``: the contract's document (section 4.1), byte for byte what ``evaluate --format json``
  prints; errors are held until the end (only they are).
- ``parquet``: one row per input case (`RESULT_SCHEMA`): the CaseResult's fields as columns
  (dates as ISO text, as in the JSON), its ``errors``, and ``extra``, the JSON text of any field
  beyond the contract's.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, Protocol

from probation_reset.batch.handover import Handed
from probation_reset.evaluation.document import error_json
from probation_reset.evaluation.json_text import json_line_bytes


class Output(Protocol):
    def write(self, handed: Handed) -> None:
        """Writes a chunk's outcomes (`batch.handover`)."""

    def close(self) -> None: ...


class JsonLinesOutput:
    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def write(self, handed: Handed) -> None:
        if handed.copy_lines(self._stream):
            return
        written = []
        for outcome in handed.with_results():
            if outcome.result is not None:
                written.append(outcome.result)
            else:
                errors = [error_json(error) for error in outcome.errors]
                line = {"index": outcome.index, "crn": outcome.crn, "errors": errors}
                written.append(json_line_bytes(line))
        if written:
            self._stream.write(b"\n".join(written))
            self._stream.write(b"\n")

    def close(self) -> None:
        pass


class DocumentOutput:
    """The contract's document, streamed: ``json_line`` of the whole document, in pieces."""

    def __init__(self, stream: IO[bytes], on: str, policy_version: str) -> None:
        self._stream = stream
        self._errors: list[dict[str, Any]] = []
        self._first = True
        head = json_line_bytes({"on": on, "policy_version": policy_version})
        stream.write(head[:-1] + b',"cases":[')

    def write(self, handed: Handed) -> None:
        texts = []
        for outcome in handed.with_results():
            if outcome.result is not None:
                texts.append(outcome.result)
            else:
                self._errors.extend(error_json(error) for error in outcome.errors)
        if texts:
            self._stream.write((b"" if self._first else b",") + b",".join(texts))
            self._first = False

    def close(self) -> None:
        self._stream.write(b'],"errors":' + json_line_bytes(self._errors) + b"}\n")


class ParquetOutput:
    """One row per input case, a row group per chunk (see the module's text)."""

    def __init__(self, path: Path) -> None:
        from probation_reset.batch.result_table import ResultTableWriter

        self._writer = ResultTableWriter(path)

    def write(self, handed: Handed) -> None:
        self._writer.write(handed.with_results())

    def close(self) -> None:
        self._writer.close()
