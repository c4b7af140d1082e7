"""JSON text as the service writes it: one line, compact, characters as written."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

#: Lone surrogates, which UTF-8 cannot carry: written as JSON escapes.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def json_line(document: Any) -> str:
    """A JSON-ready document as one line of compact JSON text, characters as written (not
    ASCII escapes) and lone surrogates as JSON escapes (``"\\ud800"``), which any reader takes.

    Written by orjson, about ten times as fast as ``json``: the results of a national caseload
    are gigabytes of text. The text parses to the same value as ``json.dumps`` would give.
    """
    try:
        return orjson.dumps(document).decode()
    except orjson.JSONEncodeError:  # a lone surrogate: only json writes one, as an escape
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        return _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
