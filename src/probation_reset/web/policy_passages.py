"""The text of the policy paragraph each rule cites, for the policy page.

The passages are cut from the policy documents (``shared/policy``) when the package is built and
kept as package data (``data/policy_passages.json``): ``SMF n.n`` is paragraph n.n of the Sentence
Management Framework; ``RESET`` and ``FAQ`` rules name the passage of the Reset board paper or the
FAQ summary they rest on by a phrase it contains. Regenerate with
``python -m probation_reset.web.policy_passages ../shared/policy`` (a test fails when stale).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from probation_reset.rules.registry import all_rules

DOCUMENTS = {
    "RESET": ("000_", "Probation Reset board paper"),
    "FAQ": ("001_", "Management of Cases in PSS and the Final Third FAQs, November 2024"),
    "SMF": ("004_", "Sentence Management in the Community Policy Framework"),
}
#: For rules citing ``RESET`` or ``FAQ``: a phrase of the passage they rest on.
PHRASES = {
    "PHASE_NO_FINAL_THIRD": "Contact appointments for People on Licence will cease",
    "RESET_NOT_YET_IN_FORCE": "The changes are permanent",
    "PHASE_FINAL_THIRD": "All RAR appointments and activity days",
    "PHASE_PSS": "All Sentence Management contact under PSS will stop",
    "PHASE_NO_RESET": "suspending contact between probation practitioners",
    "EXEMPT_MAPPA": "MAPPA cases (all categories and levels)",
    "EXEMPT_NSD": "National Security Division (NSD) directly managed cases",
    "EXEMPT_VERY_HIGH_ROSH": "Very High Risk of Serious Harm assessment of case",
    "EXEMPT_CHILD_PROTECTION_PLAN": "Child Protection Plan Register",
    "EXEMPT_ISC": "Intensive Supervision Court Pilot",
    "EXEMPT_YOUTH_SENTENCE": "Cases subject to youth sentences",
    "RESET_LICENCE_FINAL_THIRD_CONTACT": "One contact appointment in the final third",
    "RESET_NFA_CHECK_IN": "does not have a postal address",
    "RESET_PRE_RMP": "Ensure the Risk Management Plan",
    "RESET_PRE_LICENCE_REVIEW": "half-way point of a licence",
    "RESET_PRE_EM_CURFEW_REVIEW": "Vary the terms of the restrictions for Electronic Monitoring",
    "RESET_PRE_SAFETY_PLAN": "safety plan before suspending contact",
}
PASSAGES_FILE = "policy_passages.json"
_PARAGRAPH = re.compile(r"^(?:- )?(\d+\.\d+)\s")
_HEADING = re.compile(r"^\d+\.\s")
MAX_CHARACTERS = 3000


@dataclass(frozen=True, slots=True)
class Passage:
    rule: str
    source: str
    document: str
    text: str


def _document(policy_dir: Path, source: str) -> str:
    prefix = DOCUMENTS[source.split()[0]][0]
    (path,) = sorted(policy_dir.glob(prefix + "*.txt"))
    return path.read_text(encoding="utf-8")


def smf_paragraph(text: str, number: str) -> str:
    """Paragraph ``number`` of the framework: its numbered line and what follows, up to the next
    numbered paragraph or heading (footnotes left out)."""
    lines = text.splitlines()
    taken: list[str] = []
    for line in lines:
        found = _PARAGRAPH.match(line.strip())
        if taken and (found or _HEADING.match(line)):
            break
        if taken or (found and found.group(1) == number):
            stripped = line.strip()
            if stripped and stripped[0] not in "¹²³⁴⁵⁶⁷⁸⁹⁰":
                taken.append(stripped.removeprefix("- ") if not taken else stripped)
    if not taken:
        raise LookupError(f"SMF has no paragraph {number}")
    return "\n".join(taken)[:MAX_CHARACTERS]


def phrase_passage(text: str, phrase: str) -> str:
    """The line holding ``phrase``, else the block (between blank lines) holding it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    for block in (*lines, *blocks):
        if phrase in " ".join(block.split()):
            return " ".join(block.split()).removeprefix("- ")[:MAX_CHARACTERS]
    raise LookupError(f"no passage holds {phrase!r}")


def extract(policy_dir: Path) -> list[Passage]:
    passages = []
    for rule in all_rules():
        name = rule.source.split()[0]
        text = _document(policy_dir, rule.source)
        if name == "SMF":
            body = smf_paragraph(text, rule.source.split()[1])
        else:
            body = phrase_passage(text, PHRASES[rule.id])
        passages.append(Passage(rule.id, rule.source, DOCUMENTS[name][1], body))
    return passages


def passages_json(passages: list[Passage]) -> str:
    data = {p.rule: {"source": p.source, "document": p.document, "text": p.text} for p in passages}
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def load_passages() -> dict[str, Passage]:
    """The passages kept in the package, by rule id."""
    text = resources.files("probation_reset.web").joinpath("data", PASSAGES_FILE).read_text()
    return {rule: Passage(rule, **fields) for rule, fields in json.loads(text).items()}


def main(argv: list[str]) -> None:
    target = Path(__file__).parent / "data" / PASSAGES_FILE
    target.write_text(passages_json(extract(Path(argv[0]))), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
