"""Policy parameters: dated, cited, loaded strictly, chosen by version."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from probation_reset.policy import UnknownPolicyVersionError, available_versions, load_parameters
from probation_reset.policy.strict_yaml import load_strict_yaml


def test_the_default_version_is_the_newest() -> None:
    assert load_parameters().version == available_versions()[-1]


def test_the_contract_defaults() -> None:
    parameters = load_parameters("2024-11")
    assert parameters.reset_starts == date(2024, 4, 1)
    assert parameters.pre_suspension_window_days.at(date(2025, 1, 1)) == 28
    assert parameters.nfa_check_in_period_days.at(date(2025, 1, 1)) == 28
    assert parameters.induction_working_days_licence.at(date(2025, 1, 1)) == 1
    assert parameters.induction_working_days_order.at(date(2025, 1, 1)) == 5
    assert parameters.recording_working_days.at(date(2025, 1, 1)) == 1
    assert parameters.mappa_home_visit_working_days.at(date(2025, 1, 1)) == 15


def test_every_parameter_cites_its_source() -> None:
    for parameter in load_parameters().all_parameters():
        assert parameter.source.split()[0] in {"RESET", "FAQ", "SMF", "policy/002"}
        assert parameter.description


def test_a_value_before_its_first_effective_date_is_an_error() -> None:
    with pytest.raises(LookupError, match="no value"):
        load_parameters().pre_suspension_window_days.at(date(2023, 1, 1))


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(UnknownPolicyVersionError, match="unknown policy version"):
        load_parameters("1999-01")


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'value'"):
        load_strict_yaml("value: 1\nvalue: 2\n")
    assert load_strict_yaml("value: 1\nother: 2\n") == {"value": 1, "other": 2}
