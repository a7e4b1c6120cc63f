"""Entity pages at /id/…: HTML, Turtle, N-Triples, JSON-LD and JSON twins, 404, escaping."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib

from webui import create_app

UNIT = "unit/许昌市/发展和改革委员会"
BASE = "https://w3id.org/govkg/id/"


@pytest.fixture(scope="module")
def client(built_store):
    return create_app({"TESTING": True, "STORE": built_store}).test_client()


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1, self._in_h1 = "", False

    def handle_starttag(self, tag, attrs):
        self._in_h1 = tag == "h1"

    def handle_endtag(self, tag):
        self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def _path(rest: str) -> str:
    return "/id/" + quote(rest)


def test_unit_page_html(client):
    response = client.get(_path(UNIT))
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = _Text()
    page.feed(response.get_data(as_text=True))
    assert page.h1 == "市发展和改革委员会"
    assert "市发展改革委" in response.get_data(as_text=True)  # an alias, listed among its properties


@pytest.mark.parametrize(
    "accept, fmt, rdflib_format",
    [("text/turtle", None, "turtle"), ("application/n-triples", None, "nt"), ("application/ld+json", None, "json-ld"),
     (None, "turtle", "turtle"), (None, "ntriples", "nt")],
    ids=["accept-turtle", "accept-ntriples", "accept-jsonld", "format-turtle", "format-ntriples"],
)
def test_unit_rdf(client, accept, fmt, rdflib_format):
    response = client.get(_path(UNIT), headers={"Accept": accept} if accept else {}, query_string={"format": fmt} if fmt else {})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)
    labels = set(map(str, graph.objects(rdflib.URIRef(BASE + UNIT), rdflib.SKOS.prefLabel)))
    assert labels == {"市发展和改革委员会"}


def test_task_json_twin_links_back(client):
    response = client.get(_path("doc/许昌市/2026/key-tasks/task/16"), headers={"Accept": "application/json"})
    data = response.get_json()
    assert data["iri"] == BASE + "doc/许昌市/2026/key-tasks/task/16"
    values = {p["value"] for p in data["properties"]}
    assert BASE + "project/许昌市/胖东来梦之城" in values and BASE + "theme/胖东来" in values


def test_inverse_links_are_counted(client):
    data = client.get(_path("theme/胖东来"), query_string={"format": "json"}).get_json()
    subjects = {l["property"].rsplit("/", 1)[-1]: l["subjects"] for l in data["links"]}
    assert subjects["subject"] >= 2  # dct:subject from tasks 16 and 21 at least


def test_unknown_entity_is_404(client):
    assert client.get(_path("unit/许昌市/没有这个单位")).status_code == 404
    assert client.get(_path(UNIT), query_string={"format": "pdf"}).status_code == 406


def test_values_are_escaped():
    from kg.store import open_store

    store = open_store(None)
    g = ox.NamedNode(BASE + "doc/x")
    task = ox.NamedNode(BASE + "doc/x/task/1")
    store.replace_graph(g, [ox.Quad(task, ox.NamedNode("https://w3id.org/govkg/ontology#text"), ox.Literal("<script>alert(1)</script>"), g)])
    body = create_app({"TESTING": True, "STORE": store}).test_client().get(_path("doc/x/task/1")).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_a_theme_with_english_and_chinese_labels_is_headed_in_chinese(client):
    """themes.ttl gives 教育 an English prefLabel too; the page is headed by the Chinese one."""
    page = _Text()
    page.feed(client.get(_path("theme/教育")).get_data(as_text=True))
    assert page.h1 == "教育"
    assert client.get(_path("theme/教育") + "?format=json").get_json()["label"] == "教育"
