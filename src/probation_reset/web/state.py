"""What every request shares: the settings, the database, the core engine, the templates."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment
from sqlalchemy import Engine as DatabaseEngine
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.evaluation.engine import Engine
from probation_reset.store.digest import DigestWatch
from probation_reset.web.choices import ChoicesCache
from probation_reset.web.policy_passages import Passage
from probation_reset.web.settings import Settings


@dataclass(frozen=True, slots=True)
class WebState:
    settings: Settings
    database: DatabaseEngine
    #: Reading sessions (on SQLite they never take the write lock): every request reads here.
    sessions: sessionmaker[Session]
    #: Writing sessions, for the audit log, sign-in and the digests: short transactions.
    writer: sessionmaker[Session]
    engine: Engine
    #: Keeps the caseload digests up to date with the stored cases.
    digests: DigestWatch
    templates: Environment
    passages: dict[str, Passage]
    #: What each scope may choose from (filters, dashboards), kept until the cases change.
    choices: ChoicesCache
