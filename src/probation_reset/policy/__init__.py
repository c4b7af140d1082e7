"""Policy parameters as dated, cited data (one YAML file per parameter under ``data/``)."""

from probation_reset.policy.parameters import (
    DatedParameter,
    PolicyParameters,
    UnknownPolicyVersionError,
    available_versions,
    load_parameters,
)

__all__ = [
    "DatedParameter",
    "PolicyParameters",
    "UnknownPolicyVersionError",
    "available_versions",
    "load_parameters",
]
