"""Unit centrality (kg.centrality): graphs from the store, metrics checked against an independent computation, exports, RDF."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
import sys
from dataclasses import replace
from urllib.parse import unquote

import networkx as nx
import pyoxigraph as ox
import pytest

from kg import centrality, iri
from kg.centrality import CentralityParams, build_graph, compare, compute
from kg.errors import InputError
from kg.namespaces import DCT, GOV, PROV, RDF, Vocabulary
from kg.queries import get_query
from kg.store import open_store

XUCHANG_2026 = CentralityParams(city="许昌市", year=2026)
NDRC = "市发展和改革委员会"  # 市发展和改革委员会: the city's development and reform commission
COUNTIES = iri.unit("许昌市", "各县(市、区)政府(管委会)").value

# The terms result_quads needs, until kg.namespaces.GOV and ontology/govkg.ttl declare them.
CENTRALITY_TERMS = ["CentralityResult", "CentralityScore", "inResult", "forUnit", "metric", "score", "rank", "community",
                    "graphKind", "cityFilter", "yearFilter", "themeFilter", "roleFilter", "collectives", "leadWeight",
                    "seed", "nodeCount", "edgeCount", "modularity"]


@pytest.fixture
def vocabulary(monkeypatch):
    """GOV with the centrality terms (a temporary stand-in: a no-op once GOV declares them)."""
    missing = []
    for term in CENTRALITY_TERMS:
        try:
            getattr(GOV, term)
        except AttributeError:
            missing.append(term)
    if missing:
        declared = " ".join(t.value.removeprefix(GOV.base) for t in GOV)
        monkeypatch.setattr(centrality, "GOV", Vocabulary("gov", GOV.base, declared + " " + " ".join(missing)))
    return centrality.GOV


@pytest.fixture(scope="module")
def xuchang(built_store):
    graph = build_graph(built_store, XUCHANG_2026)
    return graph, compute(graph, XUCHANG_2026)


@pytest.fixture(scope="module")
def writable_store(built_store):
    """An in-memory copy of the built store, to store results in."""
    store = open_store(None)
    graphs: dict[ox.NamedNode, list[ox.Quad]] = {}
    for quad in built_store.quads():
        graphs.setdefault(quad.graph_name, []).append(quad)
    for graph, quads in graphs.items():
        store.replace_graph(graph, quads)
    return store


def _themes_of_tasks(store) -> dict[str, set[str]]:
    """Theme IRI -> tasks of 许昌市 2026 tagged with it (dct:subject), read from the quads."""
    out: dict[str, set[str]] = {}
    for quad in store.quads(iri.document("许昌市", 2026, "key-tasks")):
        if quad.predicate == DCT.subject and "/task/" in quad.subject.value:
            out.setdefault(quad.object.value, set()).add(quad.subject.value)
    return out


# -- the example ------------------------------------------------------------


def test_ndrc_is_the_top_unit_of_xuchang_2026_by_degree_once_collectives_are_set_aside(xuchang):
    graph, result = xuchang
    assert result.rows[0].label == NDRC and result.rows[0].rank == 1
    assert not any(row.collective for row in result.rows)
    assert COUNTIES not in graph


def test_the_edges_query_returns_every_assignment_once(built_store):
    doc = iri.document("许昌市", 2026, "key-tasks")
    assigned = sum(1 for q in built_store.quads(doc) if q.predicate == GOV.assignment)
    found = centrality.assignments(built_store, XUCHANG_2026)
    assert len(found) == assigned == 357
    assert {a.document for a in found} == {doc.value}


def test_with_collectives_the_counties_collective_comes_first(built_store):
    params = replace(XUCHANG_2026, collectives="include")
    result = compute(build_graph(built_store, params), params, metrics=["degree"])
    assert result.rows[0].unit == COUNTIES and result.rows[0].collective
    assert result.row(NDRC).rank == 2


# -- the metrics agree with an independent computation ---------------------------


def _solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting."""
    n = len(rhs)
    a = [row[:] + [b] for row, b in zip(matrix, rhs)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def _pagerank_exactly(nodes: list[str], weights: dict[tuple[str, str], float], alpha: float = 0.85) -> dict[str, float]:
    """PageRank as the solution of (I - alpha M) x = (1 - alpha) / n, M column-stochastic, dangling columns uniform."""
    n = len(nodes)
    index = {u: i for i, u in enumerate(nodes)}
    strength = dict.fromkeys(nodes, 0.0)
    for (u, v), w in weights.items():
        strength[u] += w
        strength[v] += w
    m = [[0.0] * n for _ in range(n)]
    for (u, v), w in weights.items():
        m[index[v]][index[u]] += w / strength[u]
        m[index[u]][index[v]] += w / strength[v]
    for u in nodes:
        if not strength[u]:
            for r in range(n):
                m[r][index[u]] = 1.0 / n
    system = [[(1.0 if r == c else 0.0) - alpha * m[r][c] for c in range(n)] for r in range(n)]
    x = _solve(system, [(1 - alpha) / n] * n)
    return {u: x[index[u]] for u in nodes}


def test_metrics_agree_with_an_independent_computation_from_the_co_responsibility_rows(built_store, xuchang):
    """Nodes from `unit-workload`, edges from `co-responsibility`: other queries, other code, same numbers."""
    _, result = xuchang
    values = {"city": "许昌市", "year": "2026"}
    workload = built_store.select(get_query("unit-workload").bind(values))
    collective = {row["unit"].value for row in workload if row["collective"].value == "yes"}
    units = sorted(row["unit"].value for row in workload if row["unit"].value not in collective)
    weights = {}
    for row in built_store.select(get_query("co-responsibility").bind(values)):
        a, b = row["unit_a"].value, row["unit_b"].value
        if a not in collective and b not in collective:
            weights[(a, b)] = float(row["shared_tasks"].value)

    degree = dict.fromkeys(units, 0)
    strength = dict.fromkeys(units, 0.0)
    for (a, b), w in weights.items():
        degree[a] += 1
        degree[b] += 1
        strength[a] += w
        strength[b] += w
    independent = nx.Graph()
    independent.add_nodes_from(units)
    independent.add_edges_from(weights)
    betweenness = nx.betweenness_centrality(independent)
    closeness = nx.closeness_centrality(independent)
    pagerank = _pagerank_exactly(units, weights)

    # What `govkg centrality --format csv` prints, read back.
    printed = {row["unit"]: row for row in csv.DictReader(io.StringIO(centrality.format_csv(result)))}
    assert sorted(printed) == units
    assert len(weights) == result.edges >= 100
    for unit in units:
        row = result.row(unit)
        assert row.degree == degree[unit] == int(printed[unit]["degree"])
        assert row.weighted_degree == pytest.approx(strength[unit], abs=1e-9)
        assert float(printed[unit]["weighted_degree"]) == pytest.approx(strength[unit], abs=1e-9)
        assert row.betweenness == pytest.approx(betweenness[unit], abs=1e-9)
        assert row.closeness == pytest.approx(closeness[unit], abs=1e-9)
        assert row.pagerank == pytest.approx(pagerank[unit], abs=1e-9)
        assert float(printed[unit]["pagerank"]) == pytest.approx(pagerank[unit], abs=1e-9)
    # ranks: by score descending, ties by label
    by_degree = sorted(units, key=lambda u: (-degree[u], result.row(u).label))
    assert [row.unit for row in result.rows] == by_degree
    assert [row.rank for row in result.rows] == list(range(1, len(units) + 1))


def test_lead_weight_counts_a_shared_task_led_by_either_unit_that_much(built_store):
    plain = CentralityParams(city="济源市", year=2021)
    heavy = replace(plain, lead_weight=3.0)
    a, b = build_graph(built_store, plain), build_graph(built_store, heavy)
    assert sorted(a.edges) == sorted(b.edges)
    found = centrality.assignments(built_store, plain)
    leads = {(x.task, x.unit) for x in found if x.role == "lead"}
    tasks = {}
    for x in found:
        if not x.collective:
            tasks.setdefault(x.task, set()).add(x.unit)
    led_shared = 0
    for u, v, data in a.edges(data=True):
        shared = [t for t, us in tasks.items() if u in us and v in us]
        led = sum(1 for t in shared if (t, u) in leads or (t, v) in leads)
        assert data["weight"] == data["shared_tasks"] == len(shared)
        assert b.edges[u, v]["weight"] == len(shared) + 2 * led
        led_shared += led
    assert led_shared > 0


# -- communities, ranks, parameters ---------------------------------------------------


def test_louvain_communities_are_reproducible_with_the_seed_whatever_the_row_order(built_store, xuchang):
    _, result = xuchang
    again = compute(build_graph(built_store, XUCHANG_2026), XUCHANG_2026)
    assert again.community_of == result.community_of and again.rows == result.rows
    rows = centrality.assignments(built_store, XUCHANG_2026)
    random.Random(7).shuffle(rows)
    shuffled = compute(centrality.graph_from_assignments(rows, XUCHANG_2026), XUCHANG_2026)
    assert shuffled.community_of == result.community_of
    assert 1 < result.communities < len(result.rows)
    assert sorted(set(result.community_of.values())) == list(range(1, result.communities + 1))
    assert result.rows[0].community == 1  # numbered by size: the biggest first


def test_params_are_checked():
    for bad in ({"metric": "fame"}, {"collectives": "some"}, {"role": "boss"}, {"lead_weight": 0},
                {"graph_kind": "tripartite"}, {"betweenness_k": 0}):
        with pytest.raises(InputError):
            CentralityParams(**bad)


def test_no_assignments_is_an_input_error(built_store):
    with pytest.raises(InputError, match="no assignments match city=许昌市 year=2023"):
        build_graph(built_store, CentralityParams(city="许昌市", year=2023))  # the work report assigns no units
    unit_theme = replace(XUCHANG_2026, graph_kind="unit-theme")
    untagged = centrality.graph_from_assignments(centrality.assignments(built_store, XUCHANG_2026), unit_theme, themes={})
    with pytest.raises(InputError, match="no units"):
        compute(untagged, unit_theme)


# -- collectives, roles, themes, graph kinds --------------------------------------------


def test_expand_credits_the_members_of_a_collective_with_its_tasks(built_store):
    params = replace(XUCHANG_2026, collectives="expand")
    graph = build_graph(built_store, params)
    found = centrality.assignments(built_store, params)
    counties = next(a for a in found if a.unit == COUNTIES)
    assert len(counties.members) >= 5 and COUNTIES not in graph
    for member, label in counties.members:
        expected = {a.task for a in found if a.unit == member or (a.collective and member in dict(a.members))}
        assert graph.nodes[member]["tasks"] == len(expected)
        assert graph.nodes[member]["label"] == label and not graph.nodes[member]["collective"]
    # a collective nobody knows the members of stays one node, as in the unit-workload query
    memberless = {a.unit for a in found if a.collective and not a.members}
    assert memberless and memberless <= set(graph)
    assert all(graph.nodes[u]["collective"] for u in memberless)


def test_role_filter_keeps_only_assignments_in_that_role(built_store):
    params = CentralityParams(city="济源市", role="lead", graph_kind="bipartite")
    graph = build_graph(built_store, params)
    units = [n for n, kind in graph.nodes(data="kind") if kind == "unit"]
    assert units and all(graph.nodes[u]["lead_tasks"] == graph.nodes[u]["tasks"] for u in units)
    tasks = [n for n, kind in graph.nodes(data="kind") if kind == "task"]
    assert all(graph.degree(t) == 1 for t in tasks)  # one lead unit per task in this notice


def test_bipartite_degree_is_the_workload(built_store):
    params = replace(XUCHANG_2026, graph_kind="bipartite")
    result = compute(build_graph(built_store, params), params, metrics=["degree"])
    workload = built_store.select(get_query("unit-workload").bind({"city": "许昌市", "year": "2026", "collectives": "exclude"}))
    assert {r.unit: r.score for r in result.rows} == {w["unit"].value: int(w["tasks"].value) for w in workload}


def test_theme_filter_by_name_alias_or_iri(built_store):
    tagged = _themes_of_tasks(built_store)[iri.theme("郑许一体化").value]
    assert tagged
    graphs = [build_graph(built_store, replace(XUCHANG_2026, theme=theme))
              for theme in ("郑许一体化", "郑许", iri.theme("郑许一体化").value)]
    assert all(sorted(g.edges) == sorted(graphs[0].edges) for g in graphs)
    expected = {a.unit for a in centrality.assignments(built_store, XUCHANG_2026) if a.task in tagged and not a.collective}
    assert set(graphs[0]) == expected
    assert set(graphs[0]) < set(build_graph(built_store, XUCHANG_2026))


def test_unit_theme_graph_weights_a_unit_by_its_tasks_of_the_theme(built_store):
    params = replace(XUCHANG_2026, graph_kind="unit-theme")
    graph = build_graph(built_store, params)
    found = [a for a in centrality.assignments(built_store, XUCHANG_2026) if not a.collective]
    assigned_tasks = {a.task for a in found}
    tagged = {theme: tasks & assigned_tasks for theme, tasks in _themes_of_tasks(built_store).items()}
    themes = {n for n, kind in graph.nodes(data="kind") if kind == "theme"}
    assert themes == {theme for theme, tasks in tagged.items() if tasks}
    assert graph.nodes[iri.theme("郑许一体化").value]["label"] == "郑许一体化"
    for theme in themes:
        for unit in graph[theme]:
            expected = len({a.task for a in found if a.unit == unit and a.task in tagged[theme]})
            assert graph.edges[unit, theme]["shared_tasks"] == expected > 0
    result = compute(graph, params)
    assert all(row.unit not in themes for row in result.rows)
    assert result.rows[0].label == NDRC  # the unit on the most themes


# -- comparing years --------------------------------------------------------------


def test_compare_xuchang_2020_and_2026(built_store):
    comparison = compare(built_store, CentralityParams(city="许昌市", metric="betweenness"), 2020, 2026)
    assert (comparison.result_a.params.year, comparison.result_b.params.year) == (2020, 2026)
    first = comparison.rows[0]
    assert first.label == NDRC and first.rank_b == 1 and first.change == first.rank_a - 1
    b = {r.unit: r.rank for r in comparison.result_b.rows}
    a = {r.unit: r.rank for r in comparison.result_a.rows}
    assert {r.unit for r in comparison.rows} == set(a) | set(b)
    for row in comparison.rows:
        assert (row.rank_a, row.rank_b) == (a.get(row.unit), b.get(row.unit))
        assert row.change == (None if row.rank_a is None or row.rank_b is None else row.rank_a - row.rank_b)
    assert any(r.rank_a is None for r in comparison.rows) and any(r.rank_b is None for r in comparison.rows)
    table = centrality.format_table(comparison)
    assert table.splitlines()[0].startswith("# co-assignment graph: city=许昌市 years=2020,2026")
    assert "rank_2020" in table.splitlines()[1] and "change" in table.splitlines()[1]
    header = next(csv.reader(io.StringIO(centrality.format_csv(comparison))))
    assert header == ["unit", "label", "score_2020", "rank_2020", "score_2026", "rank_2026", "change"]
    assert json.loads(centrality.format_json(comparison))["years"] == [2020, 2026]


# -- output ---------------------------------------------------------------------------


def test_table_names_the_graph_and_its_parameters(xuchang):
    _, result = xuchang
    lines = centrality.format_table(result, limit=3).splitlines()
    assert lines[0] == ("# co-assignment graph: city=许昌市 year=2026 theme=all role=all collectives=exclude lead_weight=1 "
                        f"metric=degree seed=42 | {len(result.rows)} units, {result.nodes} nodes, {result.edges} edges, "
                        f"{result.communities} communities, modularity {result.modularity:.3f}")
    assert lines[1].split() == ["unit", "label", "score", "rank", "community"]
    assert NDRC in lines[3] and lines[-1].endswith("not shown)")
    data = json.loads(centrality.format_json(result))
    assert data["graph"]["city"] == "许昌市" and data["graph"]["edges"] == result.edges
    assert data["rows"][0]["label"] == NDRC and set(centrality.METRICS) <= set(data["rows"][0])


def test_graphml_reads_back_with_labels_weights_metrics_and_communities(tmp_path, xuchang):
    graph, result = xuchang
    path = tmp_path / "xuchang.graphml"
    centrality.to_graphml(graph, result, path)
    back = nx.read_graphml(path)
    assert back.number_of_nodes() >= 30 and back.number_of_edges() >= 100
    assert (back.graph["graph_kind"], back.graph["city"], back.graph["year"]) == ("co-assignment", "许昌市", 2026)
    assert back.graph["collectives"] == "exclude" and "documents" in back.graph
    for row in result.rows:
        data = back.nodes[row.unit]
        assert data["label"] == row.label and data["rank"] == row.rank and data["community"] == row.community
        for metric in centrality.METRICS:
            assert data[metric] == pytest.approx(getattr(row, metric), abs=1e-12)
    for u, v, data in graph.edges(data=True):
        assert back.edges[u, v]["weight"] == data["weight"]


def test_gexf_reads_back_with_labels_weights_and_metrics(tmp_path, xuchang):
    graph, result = xuchang
    path = tmp_path / "xuchang.gexf"
    centrality.to_gexf(graph, result, path)
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == graph.number_of_nodes() and back.number_of_edges() == graph.number_of_edges()
    top = back.nodes[result.rows[0].unit]
    assert top["label"] == NDRC and top["rank"] == 1 and top["pagerank"] == pytest.approx(result.rows[0].pagerank)
    assert "viz" in top
    u, v, data = next(iter(graph.edges(data=True)))
    assert back.edges[u, v]["weight"] == data["weight"]
    assert "<description>co-assignment graph: city=许昌市" in path.read_text(encoding="utf-8")


def test_node_link_data_for_a_web_graph_view(xuchang):
    graph, result = xuchang
    data = json.loads(json.dumps(centrality.to_node_link(graph, result), ensure_ascii=False))
    assert len(data["nodes"]) == graph.number_of_nodes() and len(data["links"]) == graph.number_of_edges()
    top = next(n for n in data["nodes"] if n["id"] == result.rows[0].unit)
    assert top["label"] == NDRC and top["rank"] == 1 and top["colour"].startswith("#")
    assert data["graph"]["metric"] == "degree"


def test_drawing_without_matplotlib_is_a_clear_input_error(tmp_path, monkeypatch, xuchang):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")] + ["matplotlib"]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(InputError, match="matplotlib"):
        centrality.to_png(*xuchang, tmp_path / "x.png")


def test_drawing_with_a_chinese_font(tmp_path, xuchang):
    pytest.importorskip("matplotlib")
    try:
        font = centrality.find_cjk_font()
    except InputError:
        pytest.skip("no Chinese font (apt-get install fonts-noto-cjk)")
    path = tmp_path / "xuchang.svg"
    centrality.to_png(*xuchang, path, font=font, labels=10)
    assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml") and path.stat().st_size > 10_000


# -- RDF ----------------------------------------------------------------------------------


def test_result_quads_name_the_parameters_and_date_in_their_own_graph(vocabulary, xuchang):
    _, result = xuchang
    graph, quads = centrality.result_quads(result, when=datetime.date(2026, 3, 1))
    assert unquote(graph.value) == iri.base() + "graph/centrality/许昌市/2026/co-assignment"
    assert all(q.graph_name == graph for q in quads)
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    assert (graph, RDF.type, vocabulary.CentralityResult) in triples
    assert (graph, vocabulary.cityFilter, ox.Literal("许昌市")) in triples
    assert (graph, vocabulary.yearFilter, ox.Literal(2026)) in triples
    assert (graph, vocabulary.collectives, ox.Literal("exclude")) in triples
    assert (graph, DCT.date, ox.Literal("2026-03-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))) in triples
    assert (graph, PROV.wasDerivedFrom, iri.document("许昌市", 2026, "key-tasks")) in triples
    scores = [s for s, p, o in triples if p == RDF.type and o == vocabulary.CentralityScore]
    assert len(scores) == len(centrality.METRICS) * len(result.rows)
    top = iri.centrality_score(graph, "degree", 1)
    assert (top, vocabulary.forUnit, iri.unit("许昌市", "发展和改革委员会")) in triples
    other, _ = centrality.result_quads(result, replace(result.params, lead_weight=2.0, role="lead"))
    assert other.value.endswith("/co-assignment/role=lead/lead-weight=2")


def test_stored_results_rank_units_next_to_their_workload_in_sparql(vocabulary, writable_store, xuchang):
    store = writable_store
    _, result = xuchang
    graph = centrality.save_result(store, result, when=datetime.date(2026, 3, 1))
    assert store.has_graph(graph)
    rows = store.select(get_query("unit-centrality").bind({"metric": "degree", "city": "许昌市", "year": "2026"}))
    assert [r["label"].value for r in rows[:3]] == [row.label for row in result.rows[:3]]
    assert [int(r["rank"].value) for r in rows] == list(range(1, len(result.rows) + 1))
    workload = {w["unit"].value: int(w["tasks"].value)
                for w in store.select(get_query("unit-workload").bind({"city": "许昌市", "year": "2026"}))}
    assert all(int(r["tasks"].value) == workload[r["unit"].value] for r in rows)
    centrality.save_result(store, result)  # the same computation again replaces it
    assert store.quad_count(graph) == len(centrality.result_quads(result)[1])
    store.drop_graph(graph)
