"""One router per resource: sign-in, caseload, case, policy, audit, the API, and assets."""
