"""The theme, place, project and indicator panels of entity pages, on the bundled corpus.

The panel queries (``queries/panel-{theme,place,project,indicator}-*.rq``) have golden rows
for real entities; the panels' figures are checked against the public named queries
(``theme-tasks``, ``targets``, ``projects``) where one answers the same question; the
charts' embedded JSON must say what the tables beside them say; every link a panel
shows must open an entity page; a small graph with markup in every label checks escaping.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from kg.config import QUERIES_DIR
from kg.namespaces import PREFIXES
from kg.queries import rows
from kg.panels.theme import linked_themes
from kg.queries import get_query
from kg.store import open_store
from webui import create_app
from webui_support import Page

BASE = "https://w3id.org/govkg/id/"
OWNED = ("panel-theme-", "panel-place-", "panel-project-", "panel-indicator-")
PANEL_QUERIES = sorted(p.stem for p in QUERIES_DIR.glob("panel-*.rq") if p.stem.startswith(OWNED))

# (page, panel, parameter of its queries) of real entities of the corpus
ENTITIES = [
    ("theme/郑许一体化", "theme"), ("theme/胖东来", "theme"),
    ("place/许昌市", "place"), ("place/许昌市/长葛市", "place"), ("place/黄河", "place"),
    ("project/许昌市/胖东来梦之城", "project"), ("project/许昌市/上汽汇众产业园", "project"), ("enterprise/胖东来", "project"),
    ("indicator/经济增长", "indicator"), ("indicator/居民收入增长", "indicator"),
]
SAMPLE_PARAMS = {"theme": "theme/郑许一体化", "place": "place/许昌市", "entity": "project/许昌市/胖东来梦之城",
                 "indicator": "indicator/经济增长"}


@pytest.fixture(scope="module")
def client(built_store):
    return create_app({"TESTING": True, "STORE": built_store}).test_client()


def _url(path: str) -> str:
    return quote(path, safe="/?=&%")


def _panel_html(html: str, name: str) -> str:
    start = html.index(f'<section class="panel" id="panel-{name}">')
    return html[start: html.index("</section>", start)]


@pytest.fixture(scope="module")
def pages(client):
    """Each entity's HTML page, the HTML of its panel, and its JSON twin."""
    out = {}
    for path, name in ENTITIES:
        response = client.get(_url("/id/" + path))
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        twin = client.get(_url("/id/" + path), headers={"Accept": "application/json"}).get_json()
        out[path] = (Page(html), Page(_panel_html(html, name)), twin["panels"][name])
    return out


# -- the queries: headers, columns, golden rows ------------------------------------------------


@pytest.mark.parametrize("name", PANEL_QUERIES)
def test_query_header_names_what_it_returns(built_store, name):
    query = get_query(name)
    assert query.summary.split(":")[0] in ("Theme panel", "Place panel", "Project panel", "Indicator panel")
    assert len(query.params) == 1 and query.params[0].type == "iri" and query.params[0].required
    assert re.search(r"SELECT (DISTINCT )?\?" + query.columns[0], query.text)
    param = query.params[0].name
    result = built_store.query(query.bind({param: BASE + SAMPLE_PARAMS[param]}), prefixes=PREFIXES)
    assert tuple(v.value for v in result.variables) == query.columns


def _golden(store, name, param, value, *columns):
    return [tuple(row[c] for c in columns) for row in rows(store, name, **{param: BASE + value})]


def test_theme_units_of_pangdonglai(built_store):
    assert _golden(built_store, "panel-theme-units", "theme", "theme/胖东来", "label", "tasks", "lead", "responsible",
                   "cooperating") == [
        ("各县(市、区)政府(管委会)", 2, 0, 2, 0), ("市发展和改革委员会", 2, 0, 2, 0), ("市商务局", 1, 0, 1, 0),
        ("市市场监督管理局", 1, 0, 1, 0), ("相关部门", 1, 0, 1, 0)]


def test_theme_projects_of_pangdonglai(built_store):
    assert _golden(built_store, "panel-theme-projects", "theme", "theme/胖东来", "label", "city", "tasks") == [
        ("天目先导负极材料", "许昌市", 1), ("科技广场地下商业综合体", "许昌市", 1), ("胖东来梦之城", "许昌市", 1),
        ("胖东来高新技术产业园", "许昌市", 1), ("许继集团许昌铁矿", "许昌市", 1)]


def test_theme_concepts_of_zhengxu(built_store):
    assert _golden(built_store, "panel-theme-concepts", "theme", "theme/郑许一体化", "relation", "label") == [
        ("related", "交通物流"), ("related", "县域经济"), ("scheme", "政府工作主题")]


def test_place_context_and_units_of_a_county(built_store):
    assert _golden(built_store, "panel-place-context", "place", "place/许昌市/长葛市", "relation", "label") == [
        ("containedIn", "许昌市"), ("type", "县级行政区")]
    assert _golden(built_store, "panel-place-context", "place", "place/黄河", "relation", "label") == [
        ("placeType", "河流"), ("type", "地点")]
    assert _golden(built_store, "panel-place-units", "place", "place/许昌市/长葛市", "label") == [("长葛市政府",)]
    assert _golden(built_store, "panel-place-unit-tasks", "place", "place/许昌市/长葛市", "unit", "tasks", "lead") == [
        (BASE + "unit/许昌市/长葛市政府", 3, 0)]


def test_place_units_agree_with_the_unit_workload_query(built_store):
    mine = {r["unit"]: (r["tasks"], r["lead"]) for r in rows(built_store, "panel-place-unit-tasks", **{"place": BASE + "place/济源市"})}
    public = {r["unit"]: (r["tasks"], r["lead"]) for r in rows(built_store, "unit-workload", **{"city": "济源市"})}
    assert len(mine) > 20 and sum(lead for _, lead in mine.values()) > 20
    assert {unit: public[unit] for unit in mine} == mine  # 济源市 has one document: all its tasks are of 2021


def test_place_tasks_of_a_county_agree_with_its_count_in_the_city(built_store):
    tasks = _golden(built_store, "panel-place-tasks", "place", "place/许昌市/长葛市", "year", "number")
    assert Counter(year for year, _ in tasks) == {2020: 1, 2023: 7, 2026: 3}
    contained = {row["label"]: row for row in rows(built_store, "panel-place-contained", **{"place": BASE + "place/许昌市"})}
    assert contained["长葛市"]["tasks"] == len(tasks) == 11
    assert contained["长葛市"]["kind"] == "县级行政区" and contained["许昌高新技术产业开发区"]["kind"] == "开发区、示范区、产业园区"


def test_place_documents_of_the_city(built_store):
    assert _golden(built_store, "panel-place-documents", "place", "place/许昌市", "year", "kind", "tasks") == [
        (2020, "key-tasks", 115), (2021, "work-report-summary", 36), (2023, "work-report", 43), (2026, "key-tasks", 100)]


def test_project_investment_agrees_with_the_projects_query(built_store):
    stated = _golden(built_store, "panel-project-investments", "entity", "project/许昌市/胖东来梦之城", "investment", "measure", "year")
    assert stated == [("50", "亿元", 2026)]
    public = {r["label"]: r for r in rows(built_store, "projects")}
    assert (public["胖东来梦之城"]["investment"], public["胖东来梦之城"]["measure"]) == stated[0][:2]


def test_project_places_and_developer(built_store):
    assert _golden(built_store, "panel-project-places", "entity", "project/许昌市/上汽汇众产业园", "label", "relation", "tasks") == [
        ("中原电气谷", "located", 0), ("中原电气谷", "mentioned", 1)]
    assert _golden(built_store, "panel-project-related", "entity", "project/许昌市/胖东来梦之城", "relation", "label") == [
        ("developer", "胖东来")]
    assert _golden(built_store, "panel-project-related", "entity", "enterprise/胖东来", "relation", "label") == [
        ("project", "胖东来梦之城"), ("project", "胖东来高新技术产业园")]


def test_enterprise_tasks_and_themes(built_store):
    assert _golden(built_store, "panel-project-tasks", "entity", "enterprise/胖东来", "task") == [
        (BASE + "doc/许昌市/2026/key-tasks/task/16",), (BASE + "doc/许昌市/2026/key-tasks/task/21",)]
    assert _golden(built_store, "panel-project-themes", "entity", "enterprise/胖东来", "label", "tasks") == [
        ("胖东来", 2), ("促进消费", 1), ("有效投资", 1)]


def test_indicator_values_agree_with_the_targets_query(built_store):
    mine = _golden(built_store, "panel-indicator-values", "indicator", "indicator/经济增长",
                   "city", "year", "value", "measure", "qualifier", "phrase", "doc")
    public = [tuple(r.get(c) for c in ("city", "year", "value", "measure", "qualifier", "phrase", "document"))
              for r in rows(built_store, "targets", **{"indicator": "经济增长"})]
    assert mine == public == [
        ("济源市", 2021, "8", "%", None, "生产总值增长8%", BASE + "doc/济源市/2021/key-tasks"),
        ("许昌市", 2021, "7.5", "%", "以上", "生产总值增长7.5%以上", BASE + "doc/许昌市/2021/work-report-summary"),
        ("许昌市", 2023, "7", "%", None, "经济增长7%", BASE + "doc/许昌市/2023/work-report"),
        ("许昌市", 2026, "5.5", "%", "左右", "经济增长5.5%左右", BASE + "doc/许昌市/2026/key-tasks")]


# -- the pages: panels in HTML and JSON, charts equal to tables --------------------------------


@pytest.mark.parametrize(("path", "name"), ENTITIES, ids=[p for p, _ in ENTITIES])
def test_panel_is_on_the_page_and_in_the_json_twin(pages, path, name):
    page, _, twin = pages[path]
    assert f"panel-{name}" in page.attrs_by_id
    assert twin and json.loads(json.dumps(twin)) == twin


def test_theme_timeline_counts_equal_the_theme_tasks_query(built_store, pages):
    _, panel, twin = pages["theme/郑许一体化"]
    public = rows(built_store, "theme-tasks", **{"theme": "郑许一体化"})
    expected = Counter((r["city"], r["year"]) for r in public)
    assert expected == {("许昌市", 2020): 1, ("许昌市", 2021): 1, ("许昌市", 2023): 2, ("许昌市", 2026): 6}
    table = panel.tables["theme-timeline-table"]
    assert [(r[0], int(r[1])) for r in table] == [("济源市", 2021), ("许昌市", 2020), ("许昌市", 2021), ("许昌市", 2023),
                                                  ("许昌市", 2026)]  # every city and year with a document
    assert {(r[0], int(r[1])): int(r[2]) for r in table} == {**{k: 0 for k in [("济源市", 2021)]}, **expected}
    linked = {t["task"] for row in twin["timeline"]["rows"] for t in row["tasks"]}
    assert linked == {r["task"] for r in public}
    assert twin["tasks"] == len(public)


@pytest.mark.parametrize("path", ["theme/郑许一体化", "theme/胖东来"])
def test_theme_chart_data_equals_the_table(pages, path):
    _, panel, _ = pages[path]
    chart = json.loads(panel.text("theme-timeline-data"))
    assert panel.attrs_by_id["theme-timeline-data"]["data-chart"] == "theme-timeline-chart"
    assert "theme-timeline-chart" in panel.attrs_by_id
    drawn = {(d["label"], year): n for d in chart["datasets"] for year, n in zip(chart["labels"], d["data"]) if n is not None}
    assert drawn == {(r[0], int(r[1])): int(r[2]) for r in panel.tables["theme-timeline-table"]}


@pytest.mark.parametrize("theme", ["郑许一体化", "胖东来", "民生保障"])
def test_linked_themes_from_three_parts_are_the_theme_links_query(built_store, theme):
    assert linked_themes(built_store, BASE + "theme/" + theme) == rows(built_store, "theme-links", **{"theme": theme})


def test_theme_linked_themes_are_the_theme_links_query(built_store, pages):
    _, panel, twin = pages["theme/郑许一体化"]
    public = rows(built_store, "theme-links", **{"theme": "郑许一体化"})
    assert [(r[0], int(r[1])) for r in panel.tables["theme-links"]] == [(r["label"], r["shared_tasks"]) for r in public][:20]
    assert panel.tables["theme-links"][0][0] == "交通物流"


def test_indicator_chart_data_equals_the_table(pages):
    _, panel, twin = pages["indicator/经济增长"]
    chart = json.loads(panel.text("indicator-data"))
    assert panel.attrs_by_id["indicator-data"]["data-chart"] == "indicator-chart"
    drawn = {(d["city"], year): Decimal(str(v)) for d in chart["datasets"] for year, v in zip(chart["labels"], d["data"])
             if v is not None}
    table = {(r[0], int(r[1])): Decimal(r[2]) for r in panel.tables["indicator-table"] if r[2]}
    assert drawn == table == {("济源市", 2021): Decimal("8"), ("许昌市", 2021): Decimal("7.5"),
                              ("许昌市", 2023): Decimal("7"), ("许昌市", 2026): Decimal("5.5")}
    assert [r[3] for r in panel.tables["indicator-table"]] == ["%"] * 4
    # the source: a task of a notice, a section of a report, the summary itself
    assert [r[6] for r in panel.tables["indicator-table"]] == [
        "任务 1", "《政府工作报告》之开局起步篇", "2023年工作总体要求和主要目标", "任务 1"]


def test_qualitative_indicator_has_a_table_and_no_chart(pages):
    _, panel, twin = pages["indicator/居民收入增长"]
    assert "indicator-chart" not in panel.attrs_by_id
    assert [(r[0], r[1], r[4]) for r in panel.tables["indicator-table"]] == [
        ("济源市", "2021", "与经济增长同步"), ("许昌市", "2021", "稳步增长"), ("许昌市", "2023", "和经济增长协调同步"),
        ("许昌市", "2026", "与经济增长同步")]


def test_place_years_count_the_tasks_naming_it(pages):
    _, panel, twin = pages["place/许昌市/长葛市"]
    years = {int(r[0]): int(r[1]) for r in panel.tables["place-years-table"]}
    assert years == {2020: 1, 2021: 0, 2023: 7, 2026: 3}
    chart = json.loads(panel.text("place-years-data"))
    assert dict(zip(chart["labels"], chart["datasets"][0]["data"])) == years
    listed = sum(len(d["tasks"]) for d in twin["by_document"])
    assert listed == twin["tasks"] == 11
    assert panel.text("place-kind") == "县级行政区" and panel.text("place-contained-in") == "许昌市"


def test_city_lists_its_counties_documents_and_units(pages):
    _, panel, twin = pages["place/许昌市"]
    counties = {r[0]: int(r[2]) for r in panel.tables["place-contains"]}
    assert counties["长葛市"] == 11 and counties["禹州市"] == 9
    assert len(panel.tables["place-documents"]) == 4
    assert twin["units_total"] > 50 and twin["units"][0]["label"] == "各县(市、区)政府(管委会)"


def test_project_panel(pages):
    _, panel, twin = pages["project/许昌市/胖东来梦之城"]
    assert panel.text("project-investment").startswith("50 亿元")
    assert panel.text("project-developer") == "胖东来"
    assert [r[1] for r in panel.tables["project-tasks"]] == ["2026"]
    assert {r[0] for r in panel.tables["project-units"]} == {"各县(市、区)政府(管委会)", "市发展和改革委员会"}
    assert {r[0] for r in panel.tables["project-themes"]} == {"胖东来", "有效投资"}
    _, panel, twin = pages["enterprise/胖东来"]
    assert twin["kind"] == "enterprise" and twin["tasks"] == 2
    assert [r[0] for r in panel.tables["enterprise-projects"]] == ["胖东来梦之城", "胖东来高新技术产业园"]


# -- every link a panel shows opens a page -----------------------------------------------------


def test_every_panel_link_resolves(client, pages):
    links = sorted({href for _, panel, _ in pages.values() for href in panel.links})
    assert len(links) > 100
    assert all(href.startswith("/id/") for href in links), [h for h in links if not h.startswith("/id/")]
    # Turtle: the route resolves the IRI (404 if unknown) without computing the linked page's panels
    bad = [href for href in links if client.get(_url(href), headers={"Accept": "text/turtle"}).status_code != 200]
    assert not bad


# -- escaping: markup in every label and text of a small graph ---------------------------------

MARKUP = "<script>alert(1)</script>"
FIXTURE = """
@prefix gov:  <https://w3id.org/govkg/ontology#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@base <https://w3id.org/govkg/id/> .
<doc/x/2026/key-tasks> {
  <doc/x/2026/key-tasks> a gov:Document ; dct:title "Doc M" ; gov:city <place/x> ; gov:year 2026 ; gov:kind "key-tasks" .
  <place/x> a gov:Place , gov:City ; skos:prefLabel "City M" .
  <place/x/y> a gov:Place , gov:County ; skos:prefLabel "County M" ; gov:containedIn <place/x> .
  <theme/t> a gov:Theme ; skos:prefLabel "Theme M" .
  <project/x/p> a gov:Project ; skos:prefLabel "Project M" ; gov:investment 5 ; gov:investmentMeasure "亿元 M" .
  <unit/x/u> a gov:Unit ; skos:prefLabel "Unit M" ; gov:jurisdiction <place/x/y> .
  gov:Responsible skos:notation "responsible" .
  <doc/x/2026/key-tasks/task/1> a gov:Task ; gov:inDocument <doc/x/2026/key-tasks> ; gov:number "1" ;
      gov:text "Text M" ; dct:subject <theme/t> ; gov:mentionsPlace <place/x/y> ; gov:mentionsProject <project/x/p> ;
      gov:assignment <doc/x/2026/key-tasks/task/1/responsible/1> .
  <doc/x/2026/key-tasks/task/1/responsible/1> prov:agent <unit/x/u> ; prov:hadRole gov:Responsible .
  <indicator/i> a gov:Indicator ; skos:prefLabel "Indicator M" .
  <doc/x/2026/key-tasks/target/1> a gov:Target ; gov:indicator <indicator/i> ; gov:city <place/x> ; gov:year 2026 ;
      gov:value 5.5 ; gov:measure "% M" ; gov:phrase "Phrase M" ; prov:wasDerivedFrom <doc/x/2026/key-tasks> ;
      gov:statedIn <doc/x/2026/key-tasks/task/1> .
}
"""


@pytest.fixture(scope="module")
def markup_client():
    store = open_store(None)
    text = FIXTURE.replace(" M\"", " " + MARKUP.replace('"', '\\"') + '"')
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.TRIG))
    graph = quads[0].graph_name
    store.replace_graph(graph, quads)
    yield create_app({"TESTING": True, "STORE": store}).test_client()
    store.close()


@pytest.mark.parametrize(("path", "name", "chart", "labelled"), [
    ("theme/t", "theme", "theme-timeline-data", True), ("place/x/y", "place", "place-years-data", False),
    ("project/x/p", "project", None, False), ("indicator/i", "indicator", "indicator-data", True)],
    ids=["theme", "place", "project", "indicator"])
def test_markup_in_the_graph_is_escaped(markup_client, path, name, chart, labelled):
    response = markup_client.get("/id/" + path)
    assert response.status_code == 200
    html = _panel_html(response.get_data(as_text=True), name)
    assert MARKUP not in html and "&lt;script&gt;" in html
    panel = Page(html)
    scripts = [t for t in panel.tags if t == "script"]
    assert len(scripts) == (3 if chart else 0)  # the chart's data, Chart.js, charts.js; none from the data
    if labelled:  # the chart's series are named by cities: their labels, markup included, as text in the JSON
        assert MARKUP in json.dumps(json.loads(panel.text(chart)), ensure_ascii=False)
    twin = markup_client.get("/id/" + path, query_string={"format": "json"}).get_json()["panels"][name]
    assert MARKUP in json.dumps(twin, ensure_ascii=False)
