from __future__ import annotations

from fastapi.testclient import TestClient


def test_pages_render_for_admin(clients: dict[str, TestClient]) -> None:
    admin = clients["admin"]
    for path in (
        "/caseload",
        "/policy",
        "/audit",
        "/cases/S000017",
        "/caseload?page=2&sort=due&order=desc",
    ):
        r = admin.get(path)
        assert r.status_code == 200, (path, r.text[-3000:])
