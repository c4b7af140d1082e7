"""Printing data from a file or a database so that it is shown as written and never breaks output.

Data is never read as rich markup: a CRN of ``[/]`` or ``[red]X[/red]`` is shown literally, by
passing it to tables as ``Text`` (``plain``). A character that cannot be written as UTF-8 (a lone
surrogate, ``U+D800``) or that would drive the terminal (a control character such as ESC) is
shown as its escape, ``\\ud800`` or ``\\x1b``. JSON documents are written with such characters as
JSON escapes (``"\\ud800"``), which every JSON reader accepts.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from rich.text import Text

from probation_reset.evaluation.json_text import json_line

#: Lone surrogates and the control characters a terminal acts on (tab and newline are kept).
_UNPRINTABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object) -> str:
    """``value`` as text that can be written to a terminal as UTF-8, escapes for the rest."""
    return _UNPRINTABLE.sub(_escape, str(value))


def plain(value: object, style: str = "", **options: Any) -> Text:
    """A table cell or message that shows ``value`` literally (never as markup); ``options``
    are ``Text``'s (``overflow``, ``justify``)."""
    return Text(printable(value), style=style, **options)


def json_text(document: Any) -> str:
    """The document as one line of JSON, lone surrogates written as JSON escapes."""
    return json_line(document)


def write_json(document: Any) -> None:
    """Write the document to standard output as one line of JSON (see ``json_text``)."""
    sys.stdout.write(json_text(document) + "\n")


#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as written: text that would start a formula gets a
    leading apostrophe, unwritable characters their escapes; numbers and None pass through."""
    if not isinstance(value, str):
        return value
    text = printable(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
