"""Evaluating a whole caseload as a stream: chunks of cases through the per-case engine on every
core, results written in input order as they come, memory flat whatever the caseload's size."""
