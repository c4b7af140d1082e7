"""Deterministic synthetic caseload for the Probation Service of England and Wales.

`generate_caseload(people, seed, as_of)` yields case dicts in the input format of the
evaluation contract (CONTRACT.md section 2), JSON-ready: every date is a ``YYYY-MM-DD``
string, some contact dates are ``YYYY-MM-DDTHH:MM`` date-times. Everything random comes from
``random.Random(seed)`` (and a second generator seeded from it for managers); nothing reads the
clock: ``as_of`` is the day the caseload is a snapshot of (contacts after it are booked, with
no outcome). The same arguments always give the same cases, in the same order.

One module per concern:

* `distributions` reads ``distributions.yaml``: every share, weight and range drawn with,
  each with a description (sentences, requirements, registrations, contacts, managers);
* `sentences`: events, their requirements or licence conditions, PR1 key dates, termination;
* `registrations`: RoSH, MAPPA and the other flags;
* `contacts`: appointments, check-ins, home visits and reviews, stopping in a final third
  under Reset unless exempt, then outcomes and recording;
* `managers`: regions, PDUs, teams and practitioners (``organisation.yaml``) and who holds
  which case;
* `people`: one person, and the caseload;
* `showcase` (with `showcase_records`): the hand-crafted people covering every situation;
* `bundled`: the bundled 260-person sample and JSON Lines output;
"""

from probation_reset.sample.generator.bundled import (
    SAMPLE_AS_OF,
    SAMPLE_FILE_NAME,
    SAMPLE_PEOPLE,
    SAMPLE_SEED,
    bundled_caseload,
    read_bundled_caseload,
    with_manager,
    write_jsonl,
)
from probation_reset.sample.generator.people import MAX_PEOPLE, generate_caseload
from probation_reset.sample.generator.showcase import showcase_cases

__all__ = [
    "MAX_PEOPLE",
    "SAMPLE_AS_OF",
    "SAMPLE_FILE_NAME",
    "SAMPLE_PEOPLE",
    "SAMPLE_SEED",
    "bundled_caseload",
    "generate_caseload",
    "read_bundled_caseload",
    "showcase_cases",
    "with_manager",
    "write_jsonl",
]
