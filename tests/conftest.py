from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from probation_reset.evaluation.engine import Engine
from probation_reset.policy import load_parameters


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(load_parameters())
