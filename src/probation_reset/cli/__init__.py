"""The ``probation-reset`` command line: thin commands over the core."""
