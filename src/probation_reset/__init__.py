"""probation-reset: Probation Reset status, final third, exemptions and obligations.

The core (``domain``, ``calendar``, ``policy``, ``rules``, ``evaluation``) is pure: no clock,
no I/O beyond reading the bundled policy data, no globals that change.
"""

__version__ = "0.1.0"
