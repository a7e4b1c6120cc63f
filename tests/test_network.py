"""/themes and /centrality: the theme network and unit centrality, their tables, JSON, CSV and graph files."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from itertools import combinations

import networkx as nx
import pyoxigraph as ox
import pytest

from kg import centrality, iri
from kg.namespaces import DCT, GOV, RDF, SKOS
from kg.queries import get_query
from kg.store import open_store
from webui import create_app
from webui.entities import local_path
from webui_support import Page


@pytest.fixture(scope="module")
def app(built_store):
    return create_app({"TESTING": True, "STORE": built_store})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def get(client, path, **args):
    response = client.get(path, query_string=args)
    assert response.status_code == 200, response.text
    return response


@pytest.fixture(scope="module")
def tags(built_store):
    """(task, theme IRI, city label, year) for every theme tag, read from the quads, without SPARQL."""
    objects: dict[tuple[str, str], list] = defaultdict(list)
    for quad in built_store.quads():
        objects[(quad.subject.value, quad.predicate.value)].append(quad.object)
    themes = {s for (s, p), os in objects.items() if p == RDF.type.value and GOV.Theme in os}
    out = set()
    for (task, p), subjects in objects.items():
        if p != DCT.subject.value or (task, GOV.inDocument.value) not in objects:
            continue
        for doc in objects[(task, GOV.inDocument.value)]:
            for place in objects[(doc.value, GOV.city.value)]:
                city = objects[(place.value, SKOS.prefLabel.value)][0].value
                year = int(objects[(doc.value, GOV.year.value)][0].value)
                out |= {(task, s.value, city, year) for s in subjects if s.value in themes}
    return out


def expected_network(tags, city=None, year=None):
    tasks_of: dict[str, set] = defaultdict(set)
    for task, theme, c, y in tags:
        if city in (None, c) and year in (None, y):
            tasks_of[theme].add(task)
    nodes = {theme: len(tasks) for theme, tasks in tasks_of.items()}
    edges = {}
    for a, b in combinations(sorted(tasks_of), 2):
        shared = len(tasks_of[a] & tasks_of[b])
        if shared:
            edges[(a, b)] = shared
    return nodes, edges


def shown(data):
    nodes = {n["id"]: n["tasks"] for n in data["nodes"] if n["kind"] == "theme"}
    edges = {tuple(sorted((e["source"], e["target"]))): e["weight"] for e in data["edges"] if e["kind"] == "theme-theme"}
    return nodes, edges


# -- /themes -------------------------------------------------------------------------


@pytest.mark.parametrize("city, year", [(None, None), ("许昌市", 2026), ("济源市", None), (None, 2023)],
                         ids=["all", "xuchang-2026", "jiyuan", "year-2023"])
def test_theme_network_counts_the_tags(client, tags, city, year):
    data = get(client, "/themes", format="json", city=city or "", year=year or "").get_json()
    nodes, edges = expected_network(tags, city, year)
    assert nodes and edges
    assert shown(data) == (nodes, edges)
    assert data["filters"] == {"city": city, "year": year, "units": False}


@pytest.mark.parametrize("theme", ["郑许一体化", "胖东来", "乡村振兴"], ids=["zhengxu", "pangdonglai", "rural"])
def test_edges_are_the_theme_links_query(client, built_store, theme):
    """Each theme's edges carry the shared_tasks of the contracted theme-links query."""
    data = get(client, "/themes", format="json").get_json()
    given = iri.theme(theme).value
    linked = {row["theme"].value: int(row["shared_tasks"].value)
              for row in built_store.select(get_query("theme-links").bind({"theme": given}))}
    edges = {(e["target"] if e["source"] == given else e["source"]): e["weight"]
             for e in data["edges"] if given in (e["source"], e["target"])}
    assert edges == {t: n for t, n in linked.items() if n > 0}


def test_tables_csv_and_json_agree(client):
    args = {"city": "许昌市", "year": "2026"}
    data = get(client, "/themes", format="json", **args).get_json()
    page = Page(get(client, "/themes", **args).text)
    assert page.tables["network-nodes"] == [[n["label"], n["kind"], str(n["tasks"])] for n in data["nodes"]]
    assert page.tables["network-edges"] == [[e["source_label"], e["target_label"], str(e["weight"]), e["kind"]]
                                            for e in data["edges"]]
    rows = list(csv.DictReader(io.StringIO(get(client, "/themes", format="csv", **args).text)))
    assert rows == [{k: str(e[k]) for k in ("source", "source_label", "target", "target_label", "weight", "kind")}
                    for e in data["edges"]]
    drawn = json.loads(page.text("network-data"))
    assert drawn == {k: data[k] for k in ("nodes", "edges")}
    assert "network" in page.attrs_by_id


def test_units_join_the_themes_of_their_tasks(client, built_store):
    """With units=1, a unit-theme edge counts the unit's tasks of the theme, as kg.centrality's unit-theme graph does."""
    data = get(client, "/themes", format="json", city="许昌市", year="2026", units="1").get_json()
    params = centrality.CentralityParams(city="许昌市", year=2026, graph_kind="unit-theme", collectives="include")
    graph = centrality.build_graph(built_store, params)
    expected = {(u, t): d["shared_tasks"] for u, t, d in graph.edges(data=True)}
    expected = {((u, t) if graph.nodes[u]["kind"] == "unit" else (t, u)): n for (u, t), n in expected.items()}
    assert {(e["source"], e["target"]): e["weight"] for e in data["edges"] if e["kind"] == "unit-theme"} == expected
    units = {n["id"]: n for n in data["nodes"] if n["kind"] == "unit"}
    assert set(units) == {u for u, kind in graph.nodes(data="kind") if kind == "unit"}
    assert all(units[u]["tasks"] == graph.nodes[u]["tasks"] for u in units)
    assert all(n["colour"] == "#9c9c9c" for n in units.values() if n["collective"] == "yes")


def test_every_node_links_to_its_entity_page(client, built_store):
    from kg.entity import describe

    data = get(client, "/themes", format="json", city="许昌市", year="2026", units="1").get_json()
    assert all(n["href"] == local_path(n["id"]) for n in data["nodes"])
    assert all(describe(built_store, n["id"]) is not None for n in data["nodes"])  # what /id/… answers 200 for
    themes = [n for n in data["nodes"] if n["kind"] == "theme"]
    units = [n for n in data["nodes"] if n["kind"] == "unit"]
    for node in themes[:2] + units[:2]:
        assert client.get(node["href"]).status_code == 200
    page = Page(get(client, "/themes", city="许昌市", year="2026").text)
    assert [l for l in page.links if l.startswith("/id/")] == [n["href"] for n in themes]


@pytest.mark.parametrize("args, word", [({"city": "北京市"}, "city"), ({"year": "next"}, "year"), ({"year": "1999"}, "year"),
                                        ({"units": "yes"}, "units")],
                         ids=["city-unknown", "year-not-a-number", "year-unknown", "units-not-0-or-1"])
def test_theme_network_bad_filters_are_400(client, args, word):
    response = client.get("/themes", query_string=args, headers={"Accept": "application/json"})
    assert response.status_code == 400 and word in response.get_json()["error"]


# -- /centrality ---------------------------------------------------------------------

XUCHANG = {"city": "许昌市", "year": "2026"}


@pytest.fixture(scope="module")
def computed(built_store):
    """kg.centrality's own results, by metric."""
    def run(metric="degree", graph_kind="co-assignment", city="许昌市", year=2026):
        params = centrality.CentralityParams(city=city, year=year, metric=metric, graph_kind=graph_kind)
        graph = centrality.build_graph(built_store, params)
        return graph, centrality.compute(graph, params)
    return run


@pytest.mark.parametrize("metric, graph_kind", [("degree", "co-assignment"), ("betweenness", "co-assignment"),
                                                ("pagerank", "unit-theme")],
                         ids=["degree", "betweenness", "pagerank-unit-theme"])
def test_centrality_table_is_kg_centrality(client, computed, metric, graph_kind):
    graph, result = computed(metric, graph_kind)
    page = Page(get(client, "/centrality", metric=metric, graph=graph_kind, **XUCHANG).text)
    table = page.tables["centrality-table"]
    assert [row[:7] for row in table] == [[str(r.rank), r.label, f"{r.score:.6g}", str(r.community), str(r.tasks),
                                           str(r.lead_tasks), "yes" if r.collective else "no"] for r in result.rows]
    data = get(client, "/centrality", format="json", metric=metric, graph=graph_kind, **XUCHANG).get_json()
    assert data["rows"] == json.loads(centrality.format_json(result))["rows"]
    assert (len(data["nodes"]), len(data["edges"])) == (graph.number_of_nodes(), graph.number_of_edges())
    drawn = json.loads(page.text("network-data"))
    assert drawn == {"nodes": data["nodes"], "edges": data["edges"]}
    units = {n["id"]: n for n in drawn["nodes"] if n["kind"] == "unit"}
    assert {u: (n["rank"], n["community"]) for u, n in units.items()} == {r.unit: (r.rank, r.community) for r in result.rows}
    biggest = max(units.values(), key=lambda n: n["size"])
    assert biggest["rank"] == 1 or biggest["score"] == result.rows[0].score


def test_centrality_theme_and_role_filters(client, built_store):
    params = centrality.CentralityParams(city="济源市", year=2021, theme="乡村振兴", role="lead")
    expected = centrality.compute(centrality.build_graph(built_store, params), params)
    data = get(client, "/centrality", format="json", city="济源市", year="2021", theme="乡村振兴", role="lead").get_json()
    assert data["rows"] == json.loads(centrality.format_json(expected))["rows"] and data["rows"]
    assert (data["graph"]["theme"], data["graph"]["role"]) == ("乡村振兴", "lead")


def test_centrality_csv_is_kg_format_csv(client, computed):
    _, result = computed()
    assert get(client, "/centrality", format="csv", **XUCHANG).text == centrality.format_csv(result)


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)], ids=["graphml", "gexf"])
def test_graph_downloads_parse_with_networkx(client, computed, fmt, read):
    graph, result = computed()
    response = get(client, "/centrality", format=fmt, metric="degree", **XUCHANG)
    assert "attachment" in response.headers["Content-Disposition"]
    loaded = read(io.BytesIO(response.data))
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    top = result.rows[0]
    if fmt == "graphml":
        assert loaded.nodes[top.unit]["label"] == top.label and loaded.nodes[top.unit]["rank"] == 1


def test_centrality_defaults_and_links(client, computed):
    _, result = computed()
    data = get(client, "/centrality", format="json").get_json()
    assert (data["graph"]["city"], data["graph"]["year"], data["graph"]["metric"]) == ("许昌市", 2026, "degree")
    assert data["rows"][0]["unit"] == result.rows[0].unit
    page = Page(get(client, "/centrality").text)
    assert [l for l in page.links if l.startswith("/id/")] == [local_path(r.unit) for r in result.rows]
    for fmt in ("json", "csv", "graphml", "gexf"):
        assert page.attrs_by_id[f"centrality-{fmt}"]["href"].startswith("/centrality?")


def test_centrality_is_cached_per_snapshot(app, built_store):
    from webui.network import centrality_result

    params = centrality.CentralityParams(city="济源市", year=2021)
    with app.test_request_context("/centrality"):
        first = centrality_result(params)
        assert centrality_result(params) is first
    other = create_app({"TESTING": True, "STORE": open_store(None)})
    with other.test_request_context("/centrality"), pytest.raises(Exception, match="no assignments"):
        centrality_result(params)  # another store: computed again, not served from the cache


def test_centrality_without_assignments_says_so(client):
    response = client.get("/centrality", query_string={"city": "济源市", "year": "2026"})
    assert response.status_code == 200
    assert "no assignments match" in Page(response.text).text("centrality-empty")
    assert client.get("/centrality", query_string={"city": "济源市", "year": "2026", "format": "graphml"}).status_code == 400


@pytest.mark.parametrize("args, word", [({"metric": "fame"}, "metric"), ({"graph": "tree"}, "graph"),
                                        ({"collectives": "some"}, "collectives"), ({"city": "北京市"}, "city"),
                                        ({"year": "20x6"}, "year"), ({"theme": "不存在的主题"}, "theme"), ({"role": "boss"}, "role")],
                         ids=["metric", "graph", "collectives", "city", "year", "theme", "role"])
def test_centrality_bad_parameters_are_400(client, args, word):
    response = client.get("/centrality", query_string=args, headers={"Accept": "application/json"})
    assert response.status_code == 400 and word in response.get_json()["error"]


# -- escaping ----------------------------------------------------------------------------

MARKUP_LABEL = "</script><img src=x onerror=alert(1)>主题"
MARKUP = f"""
@prefix gov:  <https://w3id.org/govkg/ontology#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@base <https://w3id.org/govkg/id/> .
<doc/甲市/2030/key-tasks> {{
  <doc/甲市/2030/key-tasks> a gov:Document ; gov:city <place/甲市> ; gov:year 2030 .
  <place/甲市> a gov:City ; skos:prefLabel "甲市" .
  gov:Responsible skos:notation "responsible" .
  <theme/x> a gov:Theme ; skos:prefLabel "{MARKUP_LABEL}"@zh .
  <theme/y> a gov:Theme ; skos:prefLabel "乙" .
  <doc/甲市/2030/key-tasks/task/1> a gov:Task ; gov:inDocument <doc/甲市/2030/key-tasks> ; dct:subject <theme/x>, <theme/y> ;
      gov:assignment <doc/甲市/2030/key-tasks/task/1/a/1>, <doc/甲市/2030/key-tasks/task/1/a/2> .
  <doc/甲市/2030/key-tasks/task/1/a/1> prov:agent <unit/甲市/x> ; prov:hadRole gov:Responsible .
  <doc/甲市/2030/key-tasks/task/1/a/2> prov:agent <unit/甲市/y> ; prov:hadRole gov:Responsible .
  <unit/甲市/x> a gov:Unit ; skos:prefLabel "{MARKUP_LABEL}局" .
  <unit/甲市/y> a gov:Unit ; skos:prefLabel "乙局" .
}}
"""


@pytest.mark.parametrize("path", ["/themes?units=1", "/centrality?city=甲市&year=2030"], ids=["themes", "centrality"])
def test_labels_are_escaped(path):
    store = open_store(None)
    quads = list(ox.parse(MARKUP, format=ox.RdfFormat.TRIG))
    store.replace_graph(quads[0].graph_name, quads)
    client = create_app({"TESTING": True, "STORE": store}).test_client()
    response = client.get(path)
    assert response.status_code == 200, response.text
    page = Page(response.text)
    assert "img" not in page.tags and "<img" not in response.text
    labels = {n["label"] for n in json.loads(page.text("network-data"))["nodes"]}
    assert MARKUP_LABEL + "局" in labels
    cells = [cell for rows in page.tables.values() for row in rows for cell in row]
    assert MARKUP_LABEL + "局" in cells
