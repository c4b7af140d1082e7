"""Evaluation: one case on a day (``engine``), and documents of results (``document``)."""
