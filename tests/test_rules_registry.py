"""The rule registry: ids unique, each with a meaning and a source, docs generated from it."""

from __future__ import annotations

import re
from pathlib import Path

from probation_reset.rules.catalogue import rules_markdown
from probation_reset.rules.registry import all_rules, obligation_rule_order

ROOT = Path(__file__).resolve().parents[1]
SOURCE = re.compile(r"^(RESET|FAQ|policy/002|SMF \d+\.\d+)$")

CONTRACT_OBLIGATION_RULES = [
    "RESET_LICENCE_FINAL_THIRD_CONTACT",
    "RESET_PRE_RMP",
    "RESET_PRE_LICENCE_REVIEW",
    "RESET_PRE_EM_CURFEW_REVIEW",
    "RESET_PRE_SAFETY_PLAN",
    "RESET_NFA_CHECK_IN",
    "NS_INDUCTION",
    "NS_MONTHLY_F2F",
    "NS_WEEKLY_F2F_HIGH_ROSH",
    "NS_RECORD_1WD",
    "NS_HOME_VISIT_MAPPA_L2_L3",
]
CONTRACT_EXEMPTIONS = [
    "EXEMPT_MAPPA",
    "EXEMPT_NSD",
    "EXEMPT_VERY_HIGH_ROSH",
    "EXEMPT_CHILD_PROTECTION_PLAN",
    "EXEMPT_ISC",
    "EXEMPT_YOUTH_SENTENCE",
]


def test_rule_ids_are_unique_and_cite_a_policy_paragraph() -> None:
    rules = all_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert SOURCE.match(rule.source), rule
        assert rule.meaning.endswith("."), rule
        assert (ROOT / "src/probation_reset/rules" / f"{rule.module}.py").is_file(), rule


def test_obligations_are_ordered_as_the_contract_table() -> None:
    order = obligation_rule_order()
    assert sorted(order, key=order.__getitem__) == CONTRACT_OBLIGATION_RULES


def test_every_contract_exemption_is_registered_in_listing_order() -> None:
    exemptions = [r.id for r in all_rules() if r.id.startswith("EXEMPT_")]
    assert exemptions == CONTRACT_EXEMPTIONS


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    written = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    assert written == rules_markdown(), "docs/rules.md is stale: probation-reset rules --markdown"
