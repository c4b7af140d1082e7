"""Synthetic caseloads: a deterministic generator and the bundled sample caseload."""
