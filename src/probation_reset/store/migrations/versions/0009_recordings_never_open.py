"""A contact's recording duty met by the contact's own day is no longer kept in
``case_obligations``.

The engine lists a contact's recording duty (``NS_RECORD_1WD``) from the contact's day on. When
the contact was recorded on that day (or before), the duty is met from its first day: it is
never DUE nor MISSED, and no caseload query finds it (they read obligations open on a day; the
upcoming page and the hub read other rules). Over half of all recordings are of that kind, a
third of the table's rows: 1.1 of the 3.45 million obligations of 50,000 generated people. The
digests derived from now on leave them out (``digest.derive_digest``); this deletes those stored
before.

Going back, the digests are derived again: the rows left out are kept nowhere else, so every
case's digest is marked missing, and the next import, or the web service when it starts, derives
it again (``digest.sync_digests``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: As ``digest.derive_digest`` judges it, on the rows as stored.
NEVER_OPEN = "rule = 'NS_RECORD_1WD' AND met_on IS NOT NULL AND met_on <= window_start"


def upgrade() -> None:
    op.execute(f"DELETE FROM case_obligations WHERE {NEVER_OPEN}")


def downgrade() -> None:
    op.execute("DELETE FROM case_digests")
