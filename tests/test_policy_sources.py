"""Every source cited is a paragraph of the policy texts that says what the rule says.

The policy texts are ``../shared/policy/`` beside the repository (present in CI); a cited
``SMF n.n`` must be a numbered paragraph of the framework, and each rule's paragraph must carry
the words it rests on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from probation_reset.policy import load_parameters
from probation_reset.rules.catalogue import SOURCE_FILES
from probation_reset.rules.registry import Rule, all_rules

POLICY = Path(__file__).resolve().parents[2] / "shared" / "policy"
PARAGRAPH = re.compile(r"^[-\s]*(\d+\.\d+)\s", re.MULTILINE)

#: The words each rule rests on, as its source writes them (whitespace aside).
QUOTES = {
    "STATUS_NO_ACTIVE_EVENT": "subject to community orders, suspended sentence orders, licence "
    "and post-sentence supervision are properly supervised",
    "PHASE_BEFORE_FINAL_THIRD": "minimum of one face-to-face appointment every calendar month",
    "PHASE_NO_FINAL_THIRD": "mandatory contact periods are required from the point of release",
    "RESET_NOT_YET_IN_FORCE": "From April, we will reset probation",
    "PHASE_FINAL_THIRD": "will cease in the final third (unless exception criteria is met)",
    "PHASE_PSS": "All Sentence Management contact under PSS will stop",
    "PHASE_NO_RESET": "Suspended Sentence Orders with rehabilitation activity requirement",
    "EXEMPT_MAPPA": "MAPPA cases (all categories and levels)",
    "EXEMPT_NSD": "National Security Division (NSD) directly managed cases",
    "EXEMPT_VERY_HIGH_ROSH": "Very High Risk of Serious Harm assessment of case",
    "EXEMPT_CHILD_PROTECTION_PLAN": "does not include NDelius register for Child Concern",
    "EXEMPT_ISC": "Intensive Supervision Court Pilot (ISC)",
    "EXEMPT_YOUTH_SENTENCE": "Cases subject to youth sentences",
    "RESET_LICENCE_FINAL_THIRD_CONTACT": "One contact appointment in the final third for "
    "Licence cases only is required",
    "RESET_NFA_CHECK_IN": "does not have a postal address",
    "RESET_PRE_RMP": "Ensure the Risk Management Plan, in place for the final third",
    "RESET_PRE_LICENCE_REVIEW": "half-way point of a licence has been reached a review of the "
    "conditions",
    "RESET_PRE_EM_CURFEW_REVIEW": "Vary the terms of the restrictions for Electronic Monitoring "
    "and Curfew",
    "RESET_PRE_SAFETY_PLAN": "complete a safety plan before suspending contact",
    "NS_INDUCTION": "within one working day for those released subject to a Licence",
    "NS_MONTHLY_F2F": "minimum of one face-to-face appointment every calendar month",
    "NS_WEEKLY_F2F_HIGH_ROSH": "minimum of one face-to-face appointment every week",
    "NS_RECORD_1WD": "Case records must be updated within one working day of the contact",
    "NS_HOME_VISIT_MAPPA_L2_L3": "MAPPA Level 2 or Level 3, within 15 working days",
    "REMINDER_NAMED_PRACTITIONER": "There must always be a named practitioner responsible for "
    "every suspended case",
    "REMINDER_ENFORCEMENT_AND_RECALL": "remain liable to being breached and recalled",
    "REMINDER_REACTIVE_MANAGEMENT": "from Police, Children & Adult Social Care, MARAC",
}

pytestmark = pytest.mark.skipif(
    not POLICY.is_dir(), reason="the policy texts (../shared/policy) are not beside the repo"
)


def _flat(text: str) -> str:
    return " ".join(text.split())


def smf_paragraphs() -> dict[str, str]:
    """The framework's numbered paragraphs: number to text, up to the next numbered one."""
    text = (POLICY / SOURCE_FILES["SMF"]).read_text(encoding="utf-8")
    found: dict[str, str] = {}
    marks = list(PARAGRAPH.finditer(text))
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        found.setdefault(mark[1], text[mark.start() : end])
    return found


def cited_text(source: str) -> str:
    """The text a source names: a whole document, or one SMF paragraph (KeyError: none)."""
    if source.startswith("SMF "):
        return smf_paragraphs()[source.removeprefix("SMF ")]
    return (POLICY / SOURCE_FILES[source]).read_text(encoding="utf-8")


def test_every_rule_has_words_to_check() -> None:
    assert sorted(QUOTES) == sorted(r.id for r in all_rules())


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_each_rule_cites_a_paragraph_that_says_it(rule: Rule) -> None:
    try:
        text = cited_text(rule.source)
    except KeyError:
        pytest.fail(f"{rule.id} cites {rule.source}, which is no paragraph of the policy texts")
    assert _flat(QUOTES[rule.id]).lower() in _flat(text).lower(), (rule.id, rule.source)


def test_every_parameter_cites_a_paragraph_that_exists() -> None:
    for parameter in load_parameters().all_parameters():
        for value in parameter.values:
            cited_text(value.source)  # KeyError when the paragraph does not exist


def test_a_paragraph_that_does_not_exist_is_caught() -> None:
    paragraphs = smf_paragraphs()
    assert "5.9" in paragraphs and "26.5" in paragraphs and "1.4" in paragraphs
    assert "5.99" not in paragraphs
    with pytest.raises(KeyError):
        cited_text("SMF 5.99")
    assert "Sentence Management" in paragraphs["1.4"]
