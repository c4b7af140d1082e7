"""The dashboard page: figures of a whole region, PDU or team the user may see, charts as SVG
images with their tables, CSV of each table; the count in Reset measures is the caseload's."""

from __future__ import annotations

import base64
import csv
import io
import re

from fastapi.testclient import TestClient

from web.conftest import SAMPLE_DAY, manager_of

ON = f"on={SAMPLE_DAY.isoformat()}"


def suspended_in(client: TestClient) -> int:
    text = client.get(f"/caseload.csv?{ON}&status=SUSPENDED").text
    return len(list(csv.DictReader(io.StringIO(text))))


def summary(client: TestClient, query: str = "") -> dict[str, int]:
    response = client.get(f"/dashboard/summary.csv?{ON}{query}")
    assert response.status_code == 200, response.text[:500]
    return {r["status"]: int(r["people"]) for r in csv.DictReader(io.StringIO(response.text))}


def test_in_reset_measures_is_the_caseload_suspended_for_each_scope(
    clients: dict[str, TestClient],
) -> None:
    for name in ("head", "hub", "spo"):
        client = clients[name]
        page = client.get(f"/dashboard?{ON}")
        assert page.status_code == 200
        shown = re.search(r'id="in-reset-measures">(\d+)<', page.text)
        assert shown and int(shown.group(1)) == suspended_in(client), name
        assert summary(client)["in Reset measures (SUSPENDED)"] == suspended_in(client)


def test_charts_are_svg_images_with_text_and_their_tables(clients: dict[str, TestClient]) -> None:
    page = clients["head"].get(f"/dashboard?{ON}&weeks=13").text
    images = re.findall(
        r'<img class="app-chart__image" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"',
        page,
    )
    assert len(images) >= 4
    for encoded, alt in images:
        svg = base64.b64decode(encoded).decode("utf-8")
        assert 'role="img"' in svg and "<script" not in svg and alt
    weeks = clients["head"].get(f"/dashboard/in-reset-measures.csv?{ON}&weeks=13").text
    rows = list(csv.DictReader(io.StringIO(weeks)))
    assert len(rows) == 13 and rows[-1]["SUSPENDED"] == str(suspended_in(clients["head"]))


def test_each_user_sees_only_scopes_they_hold_whole(clients: dict[str, TestClient]) -> None:
    region = manager_of(0)["region"]
    other = next(r for r in ("North West", "Wales") if r != region)
    hub = clients["hub"]
    assert hub.get(f"/dashboard?{ON}&scope=region:{region}").status_code == 200
    assert hub.get(f"/dashboard?{ON}&scope=team:{manager_of(0)['team']}").status_code == 200
    for scope in (f"region:{other}", "all", f"team:{manager_of(6)['team']}", "region:"):
        assert hub.get(f"/dashboard?{ON}&scope={scope}").status_code == 404, scope
        assert hub.get(f"/dashboard/summary.csv?{ON}&scope={scope}").status_code == 404
    spo = clients["spo"]
    assert spo.get(f"/dashboard?{ON}&scope=region:{region}").status_code == 404
    assert clients["practitioner"].get(f"/dashboard?{ON}").status_code == 403
    assert clients["head"].get(f"/dashboard?{ON}&scope=region:{other}").status_code == 200
