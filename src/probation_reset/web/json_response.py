"""The API's case results written as the command line writes JSON: one compact line by orjson
(``evaluation.json_text``), several times as fast as the standard library for a case's dozens of
obligations, lone surrogates as JSON escapes."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from probation_reset.evaluation.json_text import json_line


class JsonLineResponse(JSONResponse):
    """A JSON response whose body is ``json_line`` of its content (no floats: none is NaN)."""

    def render(self, content: Any) -> bytes:
        return json_line(content).encode("utf-8")
