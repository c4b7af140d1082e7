"""JSON read and written fast (orjson) must be JSON as the standard library reads and writes it
(lines read, results written, content hashes, JSON columns read back)."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from probation_reset.batch.sources import parse_line, read_json
from probation_reset.evaluation.json_text import json_line
from probation_reset.store.case_document import content_hash

#: Any JSON value, with what orjson refuses: NaN and infinities, integers past 64 bits, lone
#: surrogates, deep nesting.
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(codec=None, blacklist_categories=()))
)
json_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values (NaN equal to NaN)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@given(json_values)
def test_a_line_reads_as_json_reads_it(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert _same(parse_line(1, text), json.loads(text))


@given(json_values.filter(lambda v: "NaN" not in json.dumps(v) and "Infinity" not in json.dumps(v)))
def test_text_written_reads_back_as_the_value_and_is_utf8(value: Any) -> None:
    text = json_line(value)
    text.encode("utf-8")  # a lone surrogate is written as an escape, never as itself
    assert "\n" not in text
    assert _same(json.loads(text), value)


def test_a_lone_surrogate_is_written_as_its_escape() -> None:
    assert json_line({"crn": "X\ud800"}) == '{"crn":"X\\ud800"}'
    assert json_line({"crn": "Zoë"}) == '{"crn":"Zoë"}'


#: A stored document's values: text (no lone surrogate: the store's limits refuse one), whole
#: numbers within 32 bits, booleans and null; never a float.
_document_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**31), max_value=2**31 - 1)
    | st.text(alphabet=st.characters(codec="utf-8"))
)
documents = st.recursive(
    _document_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet=st.characters(codec="utf-8"), max_size=5), inner)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(alphabet=st.characters(codec="utf-8"), max_size=5), documents))
def test_a_content_hash_is_that_of_the_key_sorted_compact_json(document: dict[str, Any]) -> None:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert content_hash(document) == hashlib.sha256(text.encode("utf-8")).hexdigest()


@given(json_values)
def test_a_json_column_reads_back_as_json_reads_it(value: Any) -> None:
    text = json.dumps(value)
    assert _same(read_json(text), json.loads(text))
    assert _same(read_json(text.encode()), json.loads(text))
