"""/units: the unit workload table, its sorting, chart data, CSV and JSON twins, on the bundled corpus."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from kg import iri
from kg.centrality import CentralityParams, assignments
from kg.queries import get_query
from kg.store import open_store
from webui import create_app
from webui.entities import local_path
from webui.workload import SORTABLE
from webui_support import Page

NUMBERS = ("tasks", "lead", "responsible", "cooperating")
CELLS = ("label",) + NUMBERS + ("collective",)

# Filters of the page, and the same as parameters of the contracted unit-workload query.
FILTERS = [
    ({"city": "许昌市", "year": "2026"}, {"city": "许昌市", "year": "2026"}),
    ({"city": "济源市", "year": "2021"}, {"city": "济源市", "year": "2021"}),
    ({"city": "济源市", "year": "2021", "role": "lead"}, {"city": "济源市", "year": "2021", "role": "lead"}),
    ({"city": "许昌市", "year": "2020", "collectives": "exclude"}, {"city": "许昌市", "year": "2020", "collectives": "exclude"}),
    ({"city": "许昌市", "year": "2026", "collectives": "expand"}, {"city": "许昌市", "year": "2026", "collectives": "expand"}),
    ({"city": "", "year": ""}, {}),
]
FILTER_IDS = ["xuchang-2026", "jiyuan-2021", "jiyuan-2021-lead", "xuchang-2020-no-collectives", "xuchang-2026-expand", "all"]


@pytest.fixture(scope="module")
def client(built_store):
    return create_app({"TESTING": True, "STORE": built_store}).test_client()


def page(client, **args):
    response = client.get("/units", query_string=args, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    return Page(response.text)


def twin(client, fmt, **args):
    response = client.get("/units", query_string={**args, "format": fmt})
    assert response.status_code == 200, response.text
    return response


def table(client, **args) -> list[dict]:
    return [dict(zip(CELLS, row)) for row in page(client, **args).tables["workload-table"]]


def as_cells(row: dict) -> dict:
    return {k: str(row[k]) for k in CELLS}


@pytest.mark.parametrize("args, query_params", FILTERS, ids=FILTER_IDS)
def test_table_is_the_unit_workload_query(client, built_store, args, query_params):
    expected = [{k: row[k].value for k in ("unit", "label", "tasks", "lead", "collective")}
                for row in built_store.select(get_query("unit-workload").bind(query_params))]
    shown = table(client, **args)
    assert expected and len(shown) == len(expected)
    assert [{k: r[k] for k in ("label", "tasks", "lead", "collective")} for r in shown] == \
           [{k: r[k] for k in ("label", "tasks", "lead", "collective")} for r in expected]
    assert [r["unit"] for r in twin(client, "json", **args).get_json()["rows"]] == [r["unit"] for r in expected]


def _by_role(found, *, role=None) -> dict[str, dict[str, set]]:
    """unit -> role -> tasks, from kg.centrality's own query (centrality-edges), collectives kept as one unit."""
    out: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for a in found:
        if role in (None, a.role):
            out[a.unit][a.role].add(a.task)
    return out


@pytest.mark.parametrize("theme", [None, "郑许一体化", "胖东来", iri.theme("乡村振兴").value],
                         ids=["no-theme", "zhengxu", "pangdonglai", "theme-iri"])
def test_role_counts_and_theme_filter_match_the_assignments(client, built_store, theme):
    params = CentralityParams(city="许昌市", year=2026, theme=theme)
    expected = {unit: {r: len(roles.get(r, ())) for r in ("lead", "responsible", "cooperating")}
                | {"tasks": len(set().union(*roles.values()))}
                for unit, roles in _by_role(assignments(built_store, params)).items()}
    data = twin(client, "json", city="许昌市", year="2026", theme=theme or "").get_json()
    assert {r["unit"]: {k: r[k] for k in NUMBERS} for r in data["rows"]} == expected
    assert data["filters"]["theme"] == theme
    if theme:
        assert 0 < len(data["rows"]) < len(twin(client, "json", city="许昌市", year="2026").get_json()["rows"])


def test_jiyuan_has_lead_and_responsible_counts(client):
    top = table(client, city="济源市", year="2021")[0]
    assert (top["label"], top["tasks"], top["lead"], top["responsible"]) == ("发展改革和统计局", "42", "12", "30")


def test_defaults_to_the_latest_year_with_assignments(client):
    data = twin(client, "json").get_json()
    assert (data["filters"]["city"], data["filters"]["year"]) == ("许昌市", 2026)
    assert data["choices"]["years"] == [2026, 2021, 2020] and data["choices"]["cities"] == ["济源市", "许昌市"]
    assert "郑许一体化" in data["choices"]["themes"]


def _key(column, value):
    return int(value) if column in NUMBERS else value


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("column", SORTABLE)
def test_sort_by_each_column(client, column, order):
    unsorted = table(client, city="济源市", year="2021")
    shown = table(client, city="济源市", year="2021", sort=column, order=order)
    values = [_key(column, r[column]) for r in shown]
    assert values == sorted(values, reverse=(order == "desc"))
    assert sorted(map(tuple, (r.values() for r in shown))) == sorted(map(tuple, (r.values() for r in unsorted)))
    # ties keep the query's order (tasks, then lead, descending)
    for value in set(values):
        tied = [r["label"] for r in shown if _key(column, r[column]) == value]
        assert tied == [r["label"] for r in unsorted if _key(column, r[column]) == value]


def test_header_links_sort_and_keep_filters(client):
    p = page(client, city="济源市", year="2021", role="lead", sort="tasks", order="desc")
    links = [l for l in p.links if "sort=" in l]
    assert any("sort=tasks" in l and "order=asc" in l for l in links)  # the sorted column flips
    assert all("city=" + quote("济源市") in l and "role=lead" in l for l in links)


SHOWN = [{"city": "济源市", "year": "2021", "sort": "lead", "order": "desc"},
         {"city": "许昌市", "year": "2026", "theme": "胖东来", "collectives": "exclude", "sort": "label"},
         {"city": "许昌市", "year": "2020", "role": "responsible"}]


@pytest.mark.parametrize("args", SHOWN, ids=["jiyuan-by-lead", "xuchang-theme-by-label", "xuchang-2020-responsible"])
def test_csv_and_json_hold_exactly_the_rows_shown(client, args):
    shown = table(client, **args)
    rows = list(csv.DictReader(io.StringIO(twin(client, "csv", **args).text)))
    assert [as_cells(r) for r in rows] == shown
    data = twin(client, "json", **args).get_json()
    assert [as_cells(r) for r in data["rows"]] == shown
    assert [r["unit"] for r in rows] == [r["unit"] for r in data["rows"]]
    assert data["sort"] == args.get("sort")
    accepted = client.get("/units", query_string=args, headers={"Accept": "text/csv"})
    assert accepted.mimetype == "text/csv" and accepted.text == twin(client, "csv", **args).text


@pytest.mark.parametrize("args", SHOWN[:2], ids=["jiyuan-by-lead", "xuchang-theme-by-label"])
def test_chart_data_is_the_table(client, args):
    p = page(client, **args)
    chart = json.loads(p.text("workload-chart-data"))
    shown = [dict(zip(CELLS, row)) for row in p.tables["workload-table"]]
    assert chart["labels"] == [r["label"] for r in shown]
    assert chart["tasks"] == [int(r["tasks"]) for r in shown]
    assert {s["role"]: s["data"] for s in chart["series"]} == {role: [int(r[role]) for r in shown]
                                                            for role in ("lead", "responsible", "cooperating")}
    assert "workload-chart" in p.attrs_by_id and p.attrs_by_id["workload-chart"]


def test_units_link_to_their_pages(client):
    data = twin(client, "json", city="许昌市", year="2026").get_json()
    links = [l for l in page(client, city="许昌市", year="2026").links if l.startswith("/id/")]
    assert links == [local_path(r["unit"]) for r in data["rows"]]
    for link in links[:3]:
        assert client.get(link).status_code == 200


@pytest.mark.parametrize(
    "args, word",
    [({"year": "soon"}, "year"), ({"year": "1999"}, "year"), ({"city": "北京市"}, "city"), ({"role": "boss"}, "role"),
     ({"collectives": "all"}, "collectives"), ({"theme": "不存在的主题"}, "theme"), ({"sort": "unit"}, "sort"),
     ({"sort": "tasks", "order": "up"}, "order")],
    ids=["year-not-a-number", "year-unknown", "city-unknown", "role-unknown", "collectives-unknown", "theme-unknown",
         "sort-unknown", "order-unknown"],
)
def test_bad_filters_are_400(client, args, word):
    response = client.get("/units", query_string=args, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert word in response.get_json()["error"]
    html = client.get("/units", query_string=args)
    assert html.status_code == 400 and "Traceback" not in html.text


def test_unknown_format_is_406(client):
    assert client.get("/units", query_string={"format": "xlsx"}).status_code == 406


MARKUP = """
@prefix gov:  <https://w3id.org/govkg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@base <https://w3id.org/govkg/id/> .
<doc/甲市/2030/key-tasks> {
  <doc/甲市/2030/key-tasks> a gov:Document ; gov:city <place/甲市> ; gov:year 2030 .
  <place/甲市> a gov:City ; skos:prefLabel "甲市" .
  gov:Responsible skos:notation "responsible" .
  <doc/甲市/2030/key-tasks/task/1> a gov:Task ; gov:inDocument <doc/甲市/2030/key-tasks> ;
      gov:assignment <doc/甲市/2030/key-tasks/task/1/assignment/1> .
  <doc/甲市/2030/key-tasks/task/1/assignment/1> prov:agent <unit/甲市/x> ; prov:hadRole gov:Responsible .
  <unit/甲市/x> a gov:Unit ; skos:prefLabel "</script><script>alert('x')</script>局" .
}
"""


def test_labels_are_escaped():
    store = open_store(None)
    quads = list(ox.parse(MARKUP, format=ox.RdfFormat.TRIG))
    store.replace_graph(quads[0].graph_name, quads)
    client = create_app({"TESTING": True, "STORE": store}).test_client()
    response = client.get("/units", query_string={"city": "甲市", "year": "2030"})
    assert response.status_code == 200
    p = Page(response.text)
    label = "</script><script>alert('x')</script>局"
    assert p.tables["workload-table"][0][0] == label
    assert "<script>alert" not in response.text and "</script><script>" not in response.text
    assert json.loads(p.text("workload-chart-data"))["labels"] == [label]
