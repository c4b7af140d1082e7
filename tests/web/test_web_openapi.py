"""schemathesis against the published OpenAPI document: bounded examples per operation, every
response a documented one with a matching body, no server error."""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from web.conftest import WebDatabase

EXAMPLES = 15
#: Operations that must be in the document and exercised (the newest ones, by name).
MUST_RUN = {"POST /api/v1/cases/{crn}/what-if", "GET /api/v1/figures"}


def test_the_api_keeps_to_its_openapi_document(web_app: FastAPI, web_database: WebDatabase) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", web_app)
    headers = {"Authorization": f"Bearer {web_database.tokens['hub']}"}
    failures = []
    calls: list[int] = []
    ran: set[str] = set()
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            calls.append(response.status_code)
            ran.add(case.operation.label)
            case.validate_response(
                response,
                checks=(not_a_server_error, status_code_conformance, response_schema_conformance),
            )

        try:
            check()
        except Exception as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {error}")
    assert failures == []
    assert len(calls) >= 8 * 5, "schemathesis sent too few requests"
    assert 200 in calls and 404 in calls
    assert ran >= MUST_RUN
