"""The unit, task and document panels of entity pages, and the downloads (issue 6 parts 2 and 7).

Two graphs: the bundled corpus (``built_store``), where panel figures are checked against
what the quads say, counted here independently, and against the public named queries;
and ``tests/data/panels/fixture.trig``, a small graph with markup in its literals, on
which every panel query has golden rows (``tests/data/panels/golden.json``; rewrite
them with ``python tests/test_panels.py`` and review the diff) and every page must escape.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote, unquote

import pyoxigraph as ox
import pytest
import rdflib

from kg.config import QUERIES_DIR
from kg.namespaces import DCT, GOV, PREFIXES, PROV, SKOS
from kg.queries import rows
from kg.queries import get_query
from kg.store import open_store
from webui import create_app
from webui.entities import local_path
from webui_support import Page, load_fixture

BASE = "https://w3id.org/govkg/id/"
DATA = Path(__file__).parent / "data" / "panels"
OWNED = ("panel-unit-", "panel-task-", "panel-document-")
PANEL_QUERIES = sorted(p.stem for p in QUERIES_DIR.glob("panel-*.rq") if p.stem.startswith(OWNED))

XC26 = BASE + "doc/许昌市/2026/key-tasks"
NDRC = BASE + "unit/许昌市/发展和改革委员会"
JIYUAN_NDRC = BASE + "unit/济源市/发展改革和统计局"
COUNTIES = BASE + "unit/许昌市/各县(市、区)政府(管委会)"
POVERTY_OFFICE = BASE + "unit/许昌市/扶贫办"
RURAL_BUREAU = BASE + "unit/许昌市/乡村振兴局"
TASK_78 = XC26 + "/task/78"  # 推动河南农大许昌校区、中原科技学院提质发展,支持许昌学院“申硕”、许昌职业技术学院“升本”。
TASK_16 = XC26 + "/task/16"  # 胖东来梦之城 …, five quantities

FIXTURE_DOC = BASE + "doc/测试市/2026/key-tasks"
# (query, parameter value) of each golden case on the fixture
GOLDEN_CASES = [
    ("panel-unit-about", BASE + "unit/测试市/发展和改革委员会"),
    ("panel-unit-about", BASE + "unit/测试市/各县政府"),
    ("panel-unit-co-units", BASE + "unit/测试市/发展和改革委员会"),
    ("panel-unit-renames", BASE + "unit/测试市/财政局"),
    ("panel-unit-renames", BASE + "unit/测试市/财政事务局"),
    ("panel-unit-tasks", BASE + "unit/测试市/发展和改革委员会"),
    ("panel-unit-tasks", BASE + "unit/测试市/测试学院"),
    ("panel-unit-themes", BASE + "unit/测试市/发展和改革委员会"),
    ("panel-unit-workload", BASE + "unit/测试市/发展和改革委员会"),
    ("panel-task-about", FIXTURE_DOC + "/task/1"),
    ("panel-task-names", FIXTURE_DOC + "/task/1"),
    ("panel-task-neighbours", FIXTURE_DOC + "/task/2"),
    ("panel-task-quantities", FIXTURE_DOC + "/task/2"),
    ("panel-task-quantities", FIXTURE_DOC + "/task/3"),
    ("panel-task-subjects", FIXTURE_DOC + "/task/1"),
    ("panel-task-units", FIXTURE_DOC + "/task/1"),
    ("panel-document-about", FIXTURE_DOC),
    ("panel-document-assignments", FIXTURE_DOC),
    ("panel-document-counts", FIXTURE_DOC),
    ("panel-document-graph", FIXTURE_DOC),
    ("panel-document-sections", FIXTURE_DOC),
    ("panel-document-tasks", FIXTURE_DOC),
    ("download-graphs", None),
]


def _case_id(case) -> str:
    name, value = case
    return name if value is None else f"{name}:{value.rsplit('/', 2)[-2]}/{value.rsplit('/', 1)[-1]}"


def _golden_rows(store, name, value):
    query = get_query(name)
    params = {query.params[0].name: value} if value is not None else {}
    return rows(store, name, **params)


def _path(iri: str) -> str:
    return "/id/" + quote(iri[len(BASE):])


@pytest.fixture(scope="module")
def client(built_store):
    return create_app({"TESTING": True, "STORE": built_store}).test_client()


@pytest.fixture(scope="module")
def fixture_store():
    store = open_store(None)
    load_fixture(store, DATA / "fixture.trig")
    return store


@pytest.fixture(scope="module")
def fixture_client(fixture_store):
    return create_app({"TESTING": True, "STORE": fixture_store}).test_client()


@pytest.fixture(scope="module")
def pages(client):
    """HTML page (parsed), raw HTML and JSON panel of the entities the tests read, fetched once."""
    cache = {}

    def get(iri: str, name: str):
        if iri not in cache:
            response = client.get(_path(iri))
            assert response.status_code == 200, iri
            html = response.get_data(as_text=True)
            twin = client.get(_path(iri), headers={"Accept": "application/json"}).get_json()
            cache[iri] = (Page(html), html, twin["panels"][name])
        return cache[iri]

    return get


@pytest.fixture(scope="module")
def quads(built_store):
    """The corpus as (subject, predicate) -> objects and predicate -> (subject, object), for independent counts.

    Read once: pyoxigraph takes ~30 µs a quad to hand them to Python.
    """
    every = list(built_store.quads())
    index = defaultdict(list)
    by_predicate = defaultdict(list)
    for q in every:
        index[q.subject.value, q.predicate.value].append(q.object)
        by_predicate[q.predicate.value].append((q.subject.value, q.object))
    return index, by_predicate, every


def _fragment(html: str, element_id: str) -> str:
    """The HTML of the element with ``element_id``, up to its closing tag (no nesting of the same tag inside)."""
    m = re.search(r'<(\w+)[^>]*\bid="' + re.escape(element_id) + '"', html)
    assert m, element_id
    end = html.index(f"</{m.group(1)}>", m.end())
    return html[m.start(): end + len(m.group(1)) + 3]


# -- the queries: headers, goldens ----------------------------------------------------------------


@pytest.mark.parametrize("name", PANEL_QUERIES)
def test_query_header(name):
    query = get_query(name)
    assert query.summary.split(":")[0] in ("Unit panel", "Task panel", "Document panel")
    assert len(query.params) == 1 and query.params[0].type == "iri" and query.params[0].required
    assert query.params[0].name == {"unit": "unit", "task": "task", "document": "doc"}[name.split("-")[1]]
    assert re.search(r"SELECT (DISTINCT )?[(?]", query.text)


def test_every_panel_query_has_a_golden_case():
    assert {name for name, _ in GOLDEN_CASES} == set(PANEL_QUERIES) | {"download-graphs"}


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=[_case_id(c) for c in GOLDEN_CASES])
def test_query_golden_rows(fixture_store, case):
    golden = json.loads((DATA / "golden.json").read_text(encoding="utf-8"))
    name, value = case
    result = fixture_store.query(get_query(name).bind({get_query(name).params[0].name: value} if value else {}),
                                 prefixes=PREFIXES)
    assert tuple(v.value for v in result.variables) == get_query(name).columns
    assert _golden_rows(fixture_store, name, value) == golden[_case_id(case)]


# -- unit panel -----------------------------------------------------------------------------------


def _independent_workload(quads, unit: str) -> dict[tuple[int, str], dict[str, set]]:
    """(year, city) -> role -> tasks, from the quads alone."""
    index, by_predicate, _ = quads
    role_code = {GOV.Lead.value: "lead", GOV.Responsible.value: "responsible", GOV.Cooperating.value: "cooperating"}
    task_of = {o.value: s for s, o in by_predicate[GOV.assignment.value]}
    out: dict = defaultdict(lambda: defaultdict(set))
    for assignment, agent in by_predicate[PROV.agent.value]:
        if agent.value != unit or assignment not in task_of:
            continue
        task = task_of[assignment]
        doc = index[task, GOV.inDocument.value][0].value
        year = int(index[doc, GOV.year.value][0].value)
        city = index[index[doc, GOV.city.value][0].value, SKOS.prefLabel.value][0].value
        role = role_code[index[assignment, PROV.hadRole.value][0].value]
        out[year, city][role].add(task)
    return out


@pytest.mark.parametrize("unit", [NDRC, JIYUAN_NDRC, COUNTIES], ids=["xuchang-ndrc", "jiyuan-ndrc", "collective"])
def test_unit_workload_equals_the_quads_and_the_unit_workload_query(built_store, quads, pages, unit):
    page, _, panel = pages(unit, "unit")
    expected = _independent_workload(quads, unit)
    assert expected, "the unit has assignments in the corpus"
    got = {(r["year"], r["city"]): r for r in panel["workload"]["rows"]}
    assert set(got) == set(expected)
    for key, roles in expected.items():
        for role in ("lead", "responsible", "cooperating"):
            assert got[key][role] == len(roles.get(role, ())), (key, role)
        assert got[key]["total"] == len(set().union(*roles.values()))
        # the public query counts the same tasks and lead tasks for that city and year
        public = {r["unit"]: r for r in rows(built_store, "unit-workload", city=key[1], year=str(key[0]))}
        assert (public[unit]["tasks"], public[unit]["lead"]) == (got[key]["total"], got[key]["lead"])
    # the HTML table shows the same numbers
    table = page.tables["unit-workload"]
    assert [[int(c) for c in row[2:]] for row in table] == [
        [r["lead"], r["responsible"], r["cooperating"], r["total"]] for r in panel["workload"]["rows"]]


def test_unit_workload_of_jiyuan_has_lead_tasks(pages):
    _, _, panel = pages(JIYUAN_NDRC, "unit")
    assert panel["workload"]["rows"] == [
        {"year": 2021, "city": "济源市", "lead": 12, "responsible": 30, "cooperating": 0, "total": 42}]


def test_unit_chart_data_is_the_table(pages):
    page, html, panel = pages(NDRC, "unit")
    data = json.loads(page.text("unit-workload-data"))
    assert page.attrs_by_id["unit-workload-chart"]["data-role-chart"] == "unit-workload-data"
    assert page.attrs_by_id["unit-workload-data"]["type"] == "application/json"
    table = page.tables["unit-workload"]
    assert data["labels"] == [row[0] for row in table] == ["2020", "2026"]
    for i, role in enumerate(("lead", "responsible", "cooperating")):
        series = next(s for s in data["series"] if s["role"] == role)
        assert series["values"] == [int(row[2 + i]) for row in table]
    assert "/static/vendor/chart.js/chart.umd.min.js" in html and "/static/js/panels.js" in html


def test_unit_tasks_are_its_assignments_and_mentions(quads, pages):
    index, by_predicate, _ = quads
    page, _, panel = pages(NDRC, "unit")
    assigned = {t for roles in _independent_workload(quads, NDRC).values() for tasks in roles.values() for t in tasks}
    mentioned = {s for s, o in by_predicate[GOV.mentionsUnit.value] if o.value == NDRC}
    assert {t["task"] for t in panel["tasks"]} == assigned | mentioned
    assert len(page.tables["unit-tasks"]) == len(panel["tasks"])
    for task in assigned:
        assert local_path(task) in page.links


def test_unit_co_units_count_shared_tasks(quads, pages):
    _, by_predicate, _ = quads
    task_of = {o.value: s for s, o in by_predicate[GOV.assignment.value]}
    units_of = defaultdict(set)
    for assignment, agent in by_predicate[PROV.agent.value]:
        if assignment in task_of:
            units_of[task_of[assignment]].add(agent.value)
    expected = Counter(u for units in units_of.values() if NDRC in units for u in units if u != NDRC)
    page, _, panel = pages(NDRC, "unit")
    assert {c["other"]: c["shared_tasks"] for c in panel["co_units"]} == dict(expected)
    assert panel["co_units"][0]["other"] == COUNTIES and panel["co_units"][0]["shared_tasks"] == 55
    assert [int(row[1]) for row in page.tables["unit-co-units"]] == [c["shared_tasks"] for c in panel["co_units"]]


def test_unit_names_city_and_themes(quads, pages):
    index, _, _ = quads
    page, _, panel = pages(NDRC, "unit")
    assert panel["label"] == "市发展和改革委员会"
    assert sorted(panel["aliases"]) == sorted(o.value for o in index[NDRC, SKOS.altLabel.value])
    assert "市发展改革委" in page.text("unit-aliases")
    assert panel["city"] == {"iri": BASE + "place/许昌市", "label": "许昌市"}
    assert page.text("unit-city") == "许昌市" and local_path(BASE + "place/许昌市") in page.links
    themes = {t["label"]: t["tasks"] for t in panel["themes"]}
    assert themes["郑许一体化"] == 6 and themes["胖东来"] == 2


@pytest.mark.parametrize(
    ("unit", "direction", "other"),
    [(POVERTY_OFFICE, "successor", RURAL_BUREAU), (RURAL_BUREAU, "predecessor", POVERTY_OFFICE)],
    ids=["poverty-office-became", "rural-bureau-came-from"],
)
def test_unit_rename_history_both_ways(pages, unit, direction, other):
    page, _, panel = pages(unit, "unit")
    assert [(r["direction"], r["other"], r["date"]) for r in panel["renames"]] == [(direction, other, 2021)]
    assert page.tables["unit-renames"][0][1] == ("市乡村振兴局" if direction == "successor" else "市扶贫办")
    assert local_path(other) in page.links


def test_collective_unit_lists_its_members(pages):
    page, _, panel = pages(COUNTIES, "unit")
    members = {m["label"] for m in panel["members"]}
    assert {"长葛市政府", "禹州市政府", "魏都区政府"} <= members
    assert "unit-members" in page.attrs_by_id


# -- task panel -----------------------------------------------------------------------------------


def test_task_text_marks_the_units_it_names(quads, pages):
    index, _, _ = quads
    page, html, panel = pages(TASK_78, "task")
    text = index[TASK_78, GOV.text.value][0].value
    assert "".join(s["text"] for s in panel["segments"]) == text == panel["text"]
    marked = [s for s in panel["segments"] if s["unit"]]
    for s in marked:
        assert text[s["start"]: s["start"] + len(s["text"])] == s["text"]
    assert [(s["text"], s["unit"].rsplit("/", 1)[-1]) for s in marked] == [
        ("河南农大许昌校区", "河南农业大学许昌校区"), ("中原科技学院", "中原科技学院"),
        ("许昌学院", "许昌学院"), ("许昌职业技术学院", "许昌职业技术学院")]
    # every unit the graph says the text names is marked
    assert {s["unit"] for s in marked} == {o.value for o in index[TASK_78, GOV.mentionsUnit.value]}
    # the page: the text reads as in the graph, each mark links to its unit
    fragment = Page(_fragment(html, "task-text"))
    assert fragment.text("task-text") == text
    assert fragment.tags.count("mark") == 4 and fragment.links == [local_path(s["unit"]) for s in marked]


def test_task_units_with_role_and_position(quads, pages):
    index, _, _ = quads
    page, html, panel = pages(TASK_78, "task")
    expected = []
    for a in index[TASK_78, GOV.assignment.value]:
        expected.append((int(index[a.value, GOV.position.value][0].value), index[a.value, PROV.agent.value][0].value,
                         index[a.value, GOV.mention.value][0].value))
    assert [(u["position"], u["unit"], u["mention"]) for u in panel["units"]] == sorted(expected)
    assert {u["role"] for u in panel["units"]} == {"responsible"}
    table = page.tables["task-units"]
    assert [row[:3] for row in table] == [["责任单位", str(u["position"]), u["label"]] for u in panel["units"]]
    assert table[0][2] == "市教育局"
    # the unit list as written, each mention marked and linked to its unit, in list order
    listed = Page(_fragment(html, "task-unit-list"))
    assert listed.text("task-unit-list").split() == ["责任单位:", *(u["mention"] for u in panel["units"])]
    assert listed.tags.count("mark") == 5 and listed.links == [local_path(u["unit"]) for u in panel["units"]]


def test_task_about_what_it_names(quads, pages):
    index, _, _ = quads
    page, _, panel = pages(TASK_16, "task")
    assert {p["iri"] for p in panel["projects"]} == {o.value for o in index[TASK_16, GOV.mentionsProject.value]}
    assert {t["iri"] for t in panel["themes"]} == {o.value for o in index[TASK_16, DCT.subject.value]}
    assert {e["label"] for e in panel["enterprises"]} == {"胖东来", "许继", "天目先导"}
    assert len(panel["quantities"]) == len(index[TASK_16, GOV.quantity.value]) == 5
    assert "50亿元" in page.text("task-quantities")
    assert panel["document"]["iri"] == XC26 and panel["document"]["year"] == 2026
    assert panel["section"]["label"] == "持续扩大有效投资" and panel["chapter"]["iri"] == XC26 + "/sec/3"
    assert (panel["previous"]["iri"], panel["next"]["iri"]) == (XC26 + "/task/15", XC26 + "/task/17")
    assert page.attrs_by_id["task-previous"]["href"] == local_path(XC26 + "/task/15")
    assert page.attrs_by_id["task-next"]["href"] == local_path(XC26 + "/task/17")


def test_task_targets_of_the_target_chapter(pages):
    _, _, panel = pages(XC26 + "/task/1", "task")
    indicators = {t["indicator_label"]: t for t in panel["targets"]}
    assert len(panel["targets"]) == 12
    assert (indicators["经济增长"]["value"], indicators["经济增长"]["qualifier"]) == ("5.5", "左右")
    assert panel["previous"] is None and panel["next"]["number"] == "2"


def test_task_highlight_prefers_longest_then_assigned():
    from kg.panels.task import highlight

    segments = highlight("请市发展改革委员会和市发展改革委办理", [
        ("市发展改革委", "u:a", "A", "assigned"), ("市发展改革委员会", "u:b", "B", "mentioned"),
        ("发展改革委", "u:c", "C", "assigned")])
    assert [(s["text"], s["unit"]) for s in segments] == [
        ("请", None), ("市发展改革委员会", "u:b"), ("和", None), ("市发展改革委", "u:a"), ("办理", None)]


# -- document panel -------------------------------------------------------------------------------


def test_document_sections_and_tasks(quads, pages):
    index, by_predicate, _ = quads
    page, _, panel = pages(XC26, "document")
    in_doc = {s for s, o in by_predicate[GOV.inDocument.value] if o.value == XC26}
    tasks = {s for s in in_doc if ox.NamedNode(GOV.Task.value) in index[s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]}
    sections = in_doc - tasks
    assert len(panel["sections"]) == len(sections) == 40
    listed = [t["iri"] for s in panel["sections"] for t in s["tasks"]]
    assert len(listed) == len(set(listed)) == len(tasks) == 100
    assert set(listed) == tasks
    orders = [t["order"] for s in panel["sections"] for t in s["tasks"]]
    assert orders == sorted(orders)  # document order
    for t in tasks:
        assert local_path(t) in page.links
    task_16 = next(t for s in panel["sections"] for t in s["tasks"] if t["iri"] == TASK_16)
    assert task_16["role"] == "responsible"
    assert [u["label"] for u in task_16["units"]] == ["市发展和改革委员会", "各县(市、区)政府(管委会)"]


def test_document_counts_agree_with_the_stats_query(built_store, pages):
    _, _, panel = pages(XC26, "document")
    stats = {r["document"]: r for r in rows(built_store, "stats")}[XC26]
    counts = panel["counts"]
    assert (counts["sections"], counts["tasks"], counts["assignments"], counts["units"]) == (
        stats["sections"], stats["tasks"], stats["assignments"], stats["units"]) == (40, 100, 357, 59)
    assert panel["quads"] == built_store.quad_count(ox.NamedNode(XC26)) == 5576


def test_document_panel_of_a_work_report_lists_titles(pages):
    _, _, panel = pages(BASE + "doc/许昌市/2023/work-report", "document")
    items = [t for s in panel["sections"] for t in s["tasks"]]
    assert len(items) == panel["counts"]["tasks"] == 43
    assert all(t["units"] == [] for t in items) and panel["counts"]["assignments"] == 0


def test_jiyuan_tasks_show_their_lead_units(pages):
    _, _, panel = pages(BASE + "doc/济源市/2021/key-tasks", "document")
    items = [t for s in panel["sections"] for t in s["tasks"]]
    led = [t for t in items if t["role"] == "lead"]
    assert led and all(t["units"] for t in led)
    assert sum(1 for t in led for u in t["units"] if u["iri"] == JIYUAN_NDRC) == 12


# -- downloads ------------------------------------------------------------------------------------


def _download_links(page: Page) -> dict[str, str]:
    return {page.text(i): page.attrs_by_id[i]["href"] for i in ("download-doc-trig", "download-doc-ttl")}


SUMMARY_21 = BASE + "doc/许昌市/2021/work-report-summary"


@pytest.mark.parametrize(("fmt", "media_type"), [("trig", "application/trig"), ("turtle", "text/turtle")], ids=["trig", "turtle"])
def test_document_download_parses_with_rdflib_to_the_graph(client, built_store, fmt, media_type):
    page = Page(client.get(_path(SUMMARY_21)).get_data(as_text=True))
    href = _download_links(page)["TriG" if fmt == "trig" else "Turtle"]
    assert unquote(href) == "/download/doc/许昌市/2021/work-report-summary." + ("trig" if fmt == "trig" else "ttl")
    response = client.get(href)
    assert response.status_code == 200 and response.mimetype == media_type
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" + quote("govkg-许昌市-2021-work-report-summary.") in disposition
    dataset = rdflib.Dataset()
    dataset.parse(data=response.get_data(), format=fmt)
    parsed = list(dataset.quads((None, None, None, None)))
    graph = ox.NamedNode(SUMMARY_21)
    assert len(parsed) == built_store.quad_count(graph) == 806
    if fmt == "trig":
        assert {str(g) for *_, g in parsed} == {SUMMARY_21}  # the graph keeps its name
    expected = {q.object.value for q in built_store.quads(graph) if q.predicate.value == GOV.text.value}
    assert {str(o) for s, p, o, _ in parsed if str(p) == GOV.text.value} == expected and len(expected) == 36


@pytest.mark.parametrize("ext", ["trig", "ttl"])
def test_document_download_holds_exactly_its_graph(client, built_store, pages, ext):
    page, _, _ = pages(XC26, "document")
    response = client.get(_download_links(page)["TriG" if ext == "trig" else "Turtle"])
    assert response.status_code == 200
    parsed = set(ox.parse(response.get_data(), format=ox.RdfFormat.TRIG if ext == "trig" else ox.RdfFormat.TURTLE))
    graph = ox.NamedNode(XC26)
    expected = {q if ext == "trig" else ox.Quad(q.subject, q.predicate, q.object) for q in built_store.quads(graph)}
    assert parsed == expected and len(parsed) == 5576


def test_whole_graph_downloads(fixture_client, fixture_store):
    every = list(fixture_store.quads())
    trig = fixture_client.get("/download/govkg.trig")
    assert trig.status_code == 200 and trig.mimetype == "application/trig"
    assert 'filename="govkg.trig"' in trig.headers["Content-Disposition"]
    assert set(ox.parse(trig.get_data(), format=ox.RdfFormat.TRIG)) == set(every)
    turtle = fixture_client.get("/download/govkg.ttl")
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    triples = [q.triple for q in ox.parse(turtle.get_data(), format=ox.RdfFormat.TURTLE)]
    assert len(triples) == len(set(triples)) == len({q.triple for q in every}) < len(every)  # a triple two graphs hold, once
    assert set(triples) == {q.triple for q in every}


def test_whole_graph_download_of_the_corpus_parses(client, built_store):
    data = client.get("/download/govkg.trig").get_data()
    assert sum(1 for _ in ox.parse(data, format=ox.RdfFormat.TRIG)) == built_store.quad_count() > 25000


@pytest.mark.parametrize(
    "path", ["/download/doc/%E8%AE%B8%E6%98%8C%E5%B8%82/2099/key-tasks.ttl", "/download/doc/许昌市/2026/key-tasks.nt",
             "/download/doc/许昌市/2026/key-tasks", "/download/govkg.nt"],
    ids=["unknown-document", "unknown-format", "no-extension", "unknown-whole-format"])
def test_unknown_downloads_are_404(client, path):
    response = client.get(quote(path, safe="/%"), headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_downloads_index_and_its_json_twin(fixture_client, fixture_store):
    page = Page(fixture_client.get("/download/").get_data(as_text=True))
    twin = fixture_client.get("/download/", headers={"Accept": "application/json"}).get_json()
    sizes = {g.value: fixture_store.quad_count(g) for g in fixture_store.graphs()}
    assert twin["quads"] == sum(sizes.values()) == fixture_store.quad_count() and twin["graphs"] == len(sizes) == 3
    assert twin["documents"] == [{
        "doc": FIXTURE_DOC, "title": "测试市2026年重点工作<i>任务</i>", "city": "测试市", "year": 2026,
        "quads": sizes[FIXTURE_DOC],
        "downloads": {"TriG": "/download/doc/" + quote("测试市") + "/2026/key-tasks.trig",
                      "Turtle": "/download/doc/" + quote("测试市") + "/2026/key-tasks.ttl"}}]
    assert page.tables["download-documents"] == [["测试市2026年重点工作<i>任务</i>", "测试市", "2026", str(sizes[FIXTURE_DOC]), "TriG · Turtle"]]
    assert "i" not in page.tags
    for href in [*twin["documents"][0]["downloads"].values(), *twin["whole"].values()]:
        assert href in page.links and fixture_client.get(href).status_code == 200
    assert twin["whole"] == {"TriG": "/download/govkg.trig", "Turtle": "/download/govkg.ttl"}


def test_downloads_index_of_the_corpus_lists_every_document(client, built_store):
    twin = client.get("/download/?format=json").get_json()
    documents = {r["doc"]: r["tasks"] for r in rows(built_store, "documents")}
    assert {d["doc"] for d in twin["documents"]} == set(documents) and len(documents) == 5
    assert {d["doc"]: d["quads"] for d in twin["documents"]}[XC26] == 5576


def test_home_page_links_the_whole_graph(client):
    page = Page(client.get("/").get_data(as_text=True))
    for href in ("/download/govkg.trig", "/download/govkg.ttl", "/download/"):
        assert href in page.links
    assert "TriG" in page.text("downloads")


# -- JSON twins and escaping ----------------------------------------------------------------------


@pytest.mark.parametrize(("iri", "name"), [(NDRC, "unit"), (COUNTIES, "unit"), (TASK_78, "task"), (XC26, "document")],
                         ids=["unit", "collective", "task", "document"])
def test_panel_in_page_and_json_twin(pages, iri, name):
    page, _, panel = pages(iri, name)
    assert f"panel-{name}" in page.attrs_by_id
    assert panel and json.loads(json.dumps(panel, ensure_ascii=False)) == panel


def test_fixture_pages_escape_markup(fixture_client):
    task = fixture_client.get(_path(FIXTURE_DOC + "/task/1"))
    assert task.status_code == 200
    html = task.get_data(as_text=True)
    fragment = Page(_fragment(html, "task-text"))
    assert "script" not in fragment.tags and "b" not in fragment.tags
    assert fragment.text("task-text") == "推进<script>alert('x')</script>建设，市发展改革委统筹，支持测试学院发展，市发展改革委。"
    assert fragment.tags.count("mark") == 3
    assert "&lt;script&gt;alert(" in html
    page = Page(html)
    assert "script" not in page.tags  # the task page loads no script, and the text made none
    units = page.tables["task-units"]
    assert units[2][2].startswith("各县<政府>") and units[2][3] == "各县<政府>"
    listed = Page(_fragment(html, "task-unit-list"))
    assert set(listed.tags) == {"p", "span", "mark", "a"}
    assert listed.text("task-unit-list").split() == ["牵头单位:", "市发展改革委", "责任单位:", "财政局", "各县<政府>"]
    assert "测试<b>主题</b>" in page.text("task-themes")
    for path, name in [(BASE + "unit/测试市/发展和改革委员会", "unit"), (BASE + "unit/测试市/财政局", "unit"), (FIXTURE_DOC, "document")]:
        html = fixture_client.get(_path(path)).get_data(as_text=True)
        page = Page(html)
        assert "b" not in page.tags and "i" not in page.tags, path
        assert "<b>" not in html and "<i>" not in html, path
    page = Page(fixture_client.get(_path(BASE + "unit/测试市/发展和改革委员会")).get_data(as_text=True))
    assert "市<b>发改委</b>" in page.text("unit-aliases")
    assert page.tags.count("script") == 3  # the chart's JSON, Chart.js and panels.js: nothing from the data


def test_fixture_json_twin_keeps_markup_as_text(fixture_client):
    twin = fixture_client.get(_path(FIXTURE_DOC + "/task/1") + "?format=json").get_json()["panels"]["task"]
    assert "<script>" in twin["text"]
    assert [s["text"] for s in twin["segments"] if s["unit"]] == ["市发展改革委", "测试学院", "市发展改革委"]


if __name__ == "__main__":  # rewrite the golden rows: python tests/test_panels.py
    store = open_store(None)
    load_fixture(store, DATA / "fixture.trig")
    golden = {_case_id(case): _golden_rows(store, *case) for case in GOLDEN_CASES}
    (DATA / "golden.json").write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(golden)} cases to {DATA / 'golden.json'}")
