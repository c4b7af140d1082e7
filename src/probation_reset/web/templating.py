"""Jinja for the pages: the service's templates and ``govuk-frontend-jinja``'s macros (the
version matching the pinned ``govuk-frontend``), autoescaped: data is never read as markup."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

STATUS_TAG = {
    "ACTIVE": "govuk-tag--green",
    "EXEMPT": "govuk-tag--blue",
    "SUSPENDED": "govuk-tag--red",
    "ENDED": "govuk-tag--grey",
    "NOT_APPLICABLE": "govuk-tag--purple",
}
OBLIGATION_TAG = {
    "MET": "govuk-tag--green",
    "DUE": "govuk-tag--yellow",
    "MISSED": "govuk-tag--red",
    "NOT_YET_DUE": "govuk-tag--grey",
}


#: Codes whose words are not plain lower case.
LABELS = {
    "EXEMPT_MAPPA": "MAPPA",
    "EXEMPT_NSD": "National Security Division",
    "EXEMPT_VERY_HIGH_ROSH": "Very high RoSH",
    "EXEMPT_CHILD_PROTECTION_PLAN": "Child protection plan",
    "EXEMPT_ISC": "Intensive Supervision Court",
    "EXEMPT_YOUTH_SENTENCE": "Youth sentence",
    "RESET_PRE_RMP": "Risk management plan reviewed",
    "RESET_PRE_LICENCE_REVIEW": "Licence conditions reviewed",
    "RESET_PRE_EM_CURFEW_REVIEW": "Electronic monitoring and curfew reviewed",
    "RESET_PRE_SAFETY_PLAN": "Safety plan completed",
    "PSS": "PSS",
    "NO_RESET": "No Reset (no RAR)",
    "ROSH": "RoSH",
    "MAPPA": "MAPPA",
    "NSD": "NSD",
    "ISC": "ISC",
    "RAR": "RAR",
    "UPW": "UPW",
    "MARAC": "MARAC",
    "CHILDRENS_SOCIAL_CARE": "Children's social care",
    "ADULTS_SOCIAL_CARE": "Adults' social care",
    "PRC_DISAGREES": "PRC disagrees with the status",
    "NFA_CHECK_IN_DUE": "No fixed abode check-in due",
    "PRC_BUT_CONTACT_CONTINUES": "PRC but contact continues",
    "PRC_BUT_NOT_UNDER_RESET": "PRC but not under the Reset",
    "SUSPENDED_WITHOUT_PRC": "Suspended without PRC",
    "PR1_MISSING": "PR1 missing",
    "PR1_DIFFERS": "PR1 differs",
    "PR1_ON_ORDER_WITHOUT_RAR": "PR1 on an order without a RAR",
    "CHILD_PROTECTION": "Child protection plan",
}


def words(code: str | None) -> str:
    """``NOT_YET_DUE`` as "Not yet due", ``EXEMPT_MAPPA`` as "MAPPA"."""
    if not code:
        return ""
    return LABELS.get(code) or code.replace("_", " ").capitalize()


def long_date(day: date | datetime | None) -> str:
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"


def moment(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def cell(value: object) -> str:
    """A table cell: a moment to the second, a day as YYYY-MM-DD, nothing for ``None``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def heading(text: str) -> str:
    """A column heading with its first letter capital and the rest as written."""
    return text[:1].upper() + text[1:]


def query(params: dict[str, Any], **changes: Any) -> str:
    """A query string of ``params`` with ``changes`` (``None`` removes a key)."""
    merged = {**params, **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        if value is None or value == "" or value == []:
            continue
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append((key, str(item)))
    return "?" + urlencode(pairs) if pairs else ""


def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("probation_reset.web", "templates"),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(words=words, long_date=long_date, moment=moment, cell=cell, heading=heading)
    env.globals.update(STATUS_TAG=STATUS_TAG, OBLIGATION_TAG=OBLIGATION_TAG, query=query)
    return env
