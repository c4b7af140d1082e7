"""England and Wales working days."""
