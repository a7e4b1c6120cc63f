"""Every page of the web UI has a JSON twin, by ``?format=json`` and by ``Accept: application/json``.

The list of pages is checked against the app's routes, so a new page without a twin
(or without an entry here) fails this test.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from webui import create_app

# One example URL per route (endpoint name -> URL); None: a route that is not a page.
PAGES = {
    "home.index": "/",
    "entities.entity": "/id/" + quote("unit/许昌市/发展和改革委员会"),
    "workload.units": "/units?city=" + quote("许昌市") + "&year=2026",
    "network.themes": "/themes?city=" + quote("许昌市") + "&year=2026",
    "network.centrality_page": "/centrality?city=" + quote("许昌市") + "&year=2026",
    "search.results": "/search?q=" + quote("郑许一体化"),
    "querypage.query_page": "/query",
    "querypage.catalogue": "/queries",
    "querypage.named_query": "/queries/unit-workload?city=" + quote("许昌市") + "&year=2026",
    "sparql.endpoint": "/sparql",
    "downloads.index": "/download/",
    "downloads.document": None,  # a file download (TriG or Turtle), not a page
    "downloads.whole": None,
    "static": None,
}


@pytest.fixture(scope="module")
def client(built_store):
    return create_app({"TESTING": True, "STORE": built_store}).test_client()


def test_every_route_is_listed():
    app = create_app({"TESTING": True, "STORE": object()})
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == set(PAGES)


@pytest.mark.parametrize("endpoint", [e for e, url in PAGES.items() if url], ids=str)
@pytest.mark.parametrize("how", ["parameter", "accept"])
def test_page_has_a_json_twin(client, endpoint, how):
    url = PAGES[endpoint]
    if how == "parameter":
        response = client.get(url + ("&" if "?" in url else "?") + "format=json")
    else:
        response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert isinstance(data, dict) and data
    html = client.get(url, headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html"


@pytest.mark.parametrize("url", ["/id/unit/nowhere", "/queries/no-such-query", "/units?year=notayear"], ids=str)
def test_errors_have_json_twins_too(client, url):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code in (400, 404) and response.mimetype == "application/json"
    assert response.get_json()["error"]
