"""The query page (/query), the named-query catalogue (/queries) and the named-query pages (/queries/NAME).

On an in-memory store holding tests/data/webui-fixture.trig and the assignments of
tests/data/querypage-fixture.trig.  The JavaScript of the page is checked by node
(syntax, and the chart's choice of columns); driving it in a browser is test_browser's job.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from kg.queries import get_query, named_queries
from kg.store import open_store
from webui import create_app
from webui_support import Page, load_fixture

STATIC = Path(__file__).parent.parent / "webui" / "static"
QUERYPAGE_FIXTURE = Path(__file__).parent / "data" / "querypage-fixture.trig"
ID = "https://w3id.org/govkg/id/"
SCRIPT_TITLE = "济源市2021年重点工作<script>alert('x')</script>"

# unit-workload on the two fixtures, worked out by hand from querypage-fixture.trig:
# (unit, label, tasks, lead, collective)
WORKLOAD_XUCHANG_2026 = [
    [ID + "unit/许昌市/发展和改革委员会", "市发展和改革委员会", "2", "1", "no"],
    [ID + "unit/许昌市/财政局", "市财政局", "2", "1", "no"],
    [ID + "unit/许昌市/各县(市、区)政府", "各县(市、区)政府", "1", "0", "yes"],
]
DOCUMENTS = [
    [ID + "doc/济源市/2021/key-tasks", SCRIPT_TITLE, "济源市", "2021", "key-tasks", "2"],
    [ID + "doc/许昌市/2026/key-tasks", "许昌市2026年政府工作报告重点工作任务分解", "许昌市", "2026", "key-tasks", "3"],
]


@pytest.fixture(scope="module")
def store():
    store = open_store(None)
    load_fixture(store)
    load_fixture(store, QUERYPAGE_FIXTURE)
    return store


@pytest.fixture(scope="module")
def client(store):
    return create_app({"TESTING": True, "STORE": store, "ROW_CAP": 100}).test_client()


class Assets(HTMLParser):
    """The scripts (src or inline text by id) and stylesheets of a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.script_srcs: list[str] = []
        self.inline: dict[str, str] = {}
        self.stylesheets: list[str] = []
        self._script: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.script_srcs.append(attrs["src"])
            else:
                self._script = attrs.get("id", "")
                self.inline[self._script] = ""
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self.inline[self._script] += data


def query_of(link: str) -> str:
    """The ``query=`` value of a link, decoded as a server decodes it."""
    [value] = parse_qs(urlsplit(link).query, keep_blank_values=True)["query"]
    return value


def expected_examples() -> list[dict]:
    return [
        {
            "name": q.name,
            "summary": q.summary,
            "params": [{"name": p.name, "type": p.type, "required": p.required, "help": p.help, "choices": list(p.choices)}
                       for p in q.params],
            "columns": list(q.columns),
            "text": q.text,
        }
        for q in named_queries().values()
    ]


# -- /query ---------------------------------------------------------------------------


def test_query_page_loads_only_vendored_and_own_assets(client):
    response = client.get("/query")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assets = Assets(response.text)
    assert assets.script_srcs == [
        "/static/vendor/chart.js/chart.umd.min.js",
        "/static/vendor/yasgui/yasgui.min.js",
        "/static/js/yasr-chart.js",
        "/static/js/query.js",
    ]
    assert "/static/vendor/yasgui/yasgui.min.css" in assets.stylesheets
    for src in assets.script_srcs + assets.stylesheets:
        served = client.get(src)
        assert served.status_code == 200, src
        assert served.mimetype == ("text/css" if src.endswith(".css") else "text/javascript"), src
        assert len(served.data) > 1000, src
        served.close()


def test_query_page_embeds_every_named_query(client):
    html = client.get("/query").text
    embedded = json.loads(Assets(html).inline["named-queries"])
    assert embedded == expected_examples()
    # without JavaScript: one link per query, opening the editor with its exact text
    links = {a["data-query"]: a["href"] for a in _anchors(html) if "data-query" in a}
    assert set(links) == set(named_queries())
    for name, href in links.items():
        assert query_of(href) == named_queries()[name].text
    opened = json.loads(Assets(client.get(links["unit-workload"]).text).inline["query-config"])
    assert opened["query"] == get_query("unit-workload").text
    assert "named-query-list" in Page(html).attrs_by_id


def _anchors(html: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                found.append({k: v or "" for k, v in attrs})

    Reader(convert_charrefs=True).feed(html)
    return found


def test_query_page_without_query_offers_the_documents_query(client):
    config = json.loads(Assets(client.get("/query").text).inline["query-config"])
    assert config["query"] == get_query("documents").text
    assert config["from_url"] is False
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"]["gov"] == "https://w3id.org/govkg/ontology#"


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?t WHERE { ?t gov:text ?text FILTER CONTAINS(?text, "郑许一体化") }',
        'SELECT * WHERE { VALUES ?x { "a&b=c" "1+1" "#not a comment" "%20" } } # a comment & more',
        'SELECT ?x WHERE { VALUES ?x { "</script><script>alert(1)</script>" } }',
        "\nSELECT * WHERE {\r\n  ?s ?p ?o\n}\n",
    ],
    ids=["chinese", "ampersand-hash-plus", "closing-script", "newlines"],
)
def test_query_parameter_prefills_exactly(client, query):
    response = client.get("/query", query_string={"query": query})
    assert response.status_code == 200
    assets = Assets(response.text)
    assert assets.script_srcs[-1] == "/static/js/query.js"  # no script element made from the query
    assert set(assets.inline) == {"query-config", "named-queries"}
    config = json.loads(assets.inline["query-config"])
    assert config["query"] == query
    assert config["from_url"] is True
    page = Page(response.text)
    # a textarea drops one newline right after its start tag; the page writes one there
    assert page.text_by_id["query-text"] == "\n" + query
    permalink = page.attrs_by_id["permalink"]["href"]
    assert query_of(permalink) == query
    again = json.loads(Assets(client.get(permalink).text).inline["query-config"])
    assert again["query"] == query


def test_query_page_json_twin(client):
    response = client.get("/query", query_string={"query": "ASK {}", "format": "json"})
    assert response.mimetype == "application/json"
    body = response.json
    assert body["query"] == "ASK {}"
    assert body["endpoint"] == "http://localhost/sparql"
    assert query_of(body["permalink"]) == "ASK {}"
    assert body["queries"] == expected_examples()
    assert client.get("/query", headers={"Accept": "application/json"}).json["query"] == get_query("documents").text


# -- /queries ---------------------------------------------------------------------------


def test_catalogue_lists_every_named_query_with_parameters(client):
    page = Page(client.get("/queries").text)
    rows = page.tables["query-catalogue"]
    assert [row[0] for row in rows] == list(named_queries())
    workload = rows[list(named_queries()).index("unit-workload")]
    assert workload[1] == get_query("unit-workload").summary
    assert "year (integer, optional) Plan year, e.g. 2026" in workload[2]
    assert workload[3] == "unit, label, tasks, lead, collective"
    assert "/queries/unit-workload" in page.links


def test_catalogue_json_twin(client):
    body = client.get("/queries", headers={"Accept": "application/json"}).json
    expected = [{k: v for k, v in e.items() if k != "text"} for e in expected_examples()]
    assert [{k: v for k, v in q.items() if k != "url"} for q in body["queries"]] == expected
    entity = next(q for q in body["queries"] if q["name"] == "entity-properties")
    assert entity["params"] == [{"name": "entity", "type": "iri", "required": True, "help": "The entity's IRI", "choices": []}]
    assert entity["url"] == "http://localhost/queries/entity-properties"


# -- /queries/NAME ----------------------------------------------------------------------


def _three_ways(client, path, **params):
    """The rows of a named-query page as its HTML table, its JSON twin and its CSV twin show them."""
    html = client.get(path, query_string=params)
    assert html.status_code == 200, html.text
    table = Page(html.text).tables["query-result"]
    body = client.get(path, query_string={**params, "format": "json"}).json
    as_json = [[("" if v is None else str(v)) for v in row.values()] for row in body["rows"]]
    reply = client.get(path, query_string={**params, "format": "csv"})
    assert reply.mimetype == "text/csv"
    header, *as_csv = list(csv.reader(io.StringIO(reply.text)))
    assert header == body["columns"]
    return html, table, as_json, as_csv, body


def test_named_query_without_parameters(client):
    html, table, as_json, as_csv, body = _three_ways(client, "/queries/documents")
    assert table == as_json == as_csv == DOCUMENTS
    assert body["columns"] == ["doc", "title", "city", "year", "kind", "tasks"]
    assert body["rows"][0]["tasks"] == 2  # numbers stay numbers in JSON
    page = Page(html.text)
    assert "script" not in page.tags  # the title's markup stayed text
    assert "/id/doc/济源市/2021/key-tasks" in page.links  # entity IRIs link to their pages


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"city": "许昌市", "year": "2026"}, WORKLOAD_XUCHANG_2026),
        ({"city": "许昌市", "collectives": "exclude"}, WORKLOAD_XUCHANG_2026[:2]),
        ({"role": "lead", "city": "济源市"}, [[ID + "unit/济源市/发展改革和统计局", "发展改革和统计局", "1", "1", "no"]]),
        ({"city": "许昌市", "year": "2021"}, []),
    ],
    ids=["city-year", "choice", "role", "no-rows"],
)
def test_named_query_binds_parameters(client, params, expected):
    html, table, as_json, as_csv, body = _three_ways(client, "/queries/unit-workload", **params)
    assert table == as_json == as_csv == expected
    assert body["params"] == params
    page = Page(html.text)
    for name, value in params.items():
        field = page.attrs_by_id[f"param-{name}"]
        assert field.get("value", value) == value  # text inputs keep the value (selects mark an option)
    editor = page.attrs_by_id["open-in-editor"]["href"]
    assert query_of(editor) == get_query("unit-workload").bind(params)


def test_named_query_form_lists_parameters(client):
    page = Page(client.get("/queries/unit-workload", query_string={"year": "2026"}).text)
    assert [row[0] for row in page.tables["param-table"]] == ["city", "year", "role", "collectives"]
    assert page.tables["param-table"][2][2] == "{lead,responsible,cooperating}, optional"
    assert page.attrs_by_id["param-year"]["value"] == "2026"
    assert "required" not in page.attrs_by_id["param-city"]
    required = Page(client.get("/queries/entity-properties").text)
    assert "required" in required.attrs_by_id["param-entity"]


def test_required_parameter_asked_for_then_bound(client):
    waiting = client.get("/queries/entity-properties")
    assert waiting.status_code == 200
    assert "query-waiting" in Page(waiting.text).attrs_by_id
    assert "query-result" not in Page(waiting.text).tables
    asked = client.get("/queries/entity-properties", query_string={"format": "json"})
    assert asked.status_code == 400
    assert "needs parameter(s): entity" in asked.json["error"]
    _, table, as_json, as_csv, _ = _three_ways(client, "/queries/entity-properties", entity=ID + "unit/许昌市/财政局")
    assert table == as_json == as_csv
    assert [row[0] for row in table] == ["http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2004/02/skos/core#prefLabel"]


def test_construct_query_rows_are_its_triples(client):
    task = ID + "doc/许昌市/2026/key-tasks/task/3"
    _, table, as_json, as_csv, body = _three_ways(client, "/queries/entity-description", entity=task)
    assert body["columns"] == ["subject", "predicate", "object"]
    gov = "https://w3id.org/govkg/ontology#"
    expected = {
        (task, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", gov + "Task"),
        (task, gov + "inDocument", ID + "doc/许昌市/2026/key-tasks"),
        (task, gov + "number", "3"),
        (task, gov + "text", "全面推进乡村振兴。"),
        (task, gov + "assignment", task + "/lead/1"),
    }
    assert {tuple(row) for row in table} == expected
    assert table == as_json == as_csv


@pytest.mark.parametrize("name", list(named_queries()), ids=list(named_queries()))
def test_every_named_query_page_answers(client, name):
    response = client.get(f"/queries/{name}")
    assert response.status_code == 200
    page = Page(response.text)
    assert ("query-waiting" in page.attrs_by_id) == any(p.required for p in get_query(name).params)


@pytest.mark.parametrize(
    "name, params, message",
    [
        ("unit-workload", {"year": "abc"}, "parameter 'year' expects an integer, got 'abc'"),
        ("unit-workload", {"role": "boss"}, "parameter 'role' is one of lead, responsible, cooperating, got 'boss'"),
        ("entity-properties", {"entity": "not an iri"}, "parameter 'entity' expects an IRI, got 'not an iri'"),
    ],
    ids=["integer", "choice", "iri"],
)
def test_bad_parameter_is_400_with_the_message(client, name, params, message):
    html = client.get(f"/queries/{name}", query_string=params)
    assert html.status_code == 400
    page = Page(html.text)
    assert page.text("query-error") == message
    assert "query-result" not in page.tables
    for fmt in ("json", "csv"):
        reply = client.get(f"/queries/{name}", query_string={**params, "format": fmt}, headers={"Accept": "application/json"})
        assert reply.status_code == 400
        assert reply.json["error"] == message


def test_unknown_named_query_is_404(client):
    assert client.get("/queries/no-such-query").status_code == 404
    reply = client.get("/queries/no-such-query", headers={"Accept": "application/json"})
    assert reply.status_code == 404
    assert "no-such-query" in reply.json["error"]


@pytest.mark.parametrize("path, fmt", [("/queries/documents", "xlsx"), ("/queries", "csv"), ("/query", "csv")],
                         ids=["named-query", "catalogue", "editor"])
def test_unknown_format_is_406(client, path, fmt):
    assert client.get(path, query_string={"format": fmt}).status_code == 406


def test_rows_are_cut_at_the_row_cap_in_every_format(store):
    client = create_app({"TESTING": True, "STORE": store, "ROW_CAP": 1}).test_client()
    html = client.get("/queries/documents")
    page = Page(html.text)
    assert page.tables["query-result"] == DOCUMENTS[:1]
    assert page.text("row-count") == "1 row (cut at 1)"
    body = client.get("/queries/documents?format=json").json
    assert (len(body["rows"]), body["truncated"], body["row_cap"]) == (1, True, 1)
    reply = client.get("/queries/documents?format=csv")
    assert len(list(csv.reader(io.StringIO(reply.text)))) == 2
    assert reply.headers["Govkg-Truncated"] == "true"


# -- the page's JavaScript ----------------------------------------------------------------

NODE = shutil.which("node")
JS_FILES = ["js/query.js", "js/yasr-chart.js"]


@pytest.mark.skipif(NODE is None, reason="node is not installed: cannot check the syntax of the page's JavaScript")
@pytest.mark.parametrize("path", JS_FILES, ids=JS_FILES)
def test_javascript_parses(path):
    result = subprocess.run([NODE, "--check", str(STATIC / path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


CHART_CHECK = """
const Chart = require(process.argv[1]);
const xsd = "http://www.w3.org/2001/XMLSchema#";
const n = (v) => ({type: "literal", value: v, datatype: xsd + "integer"});
const s = (v) => ({type: "literal", value: v});
const iri = (v) => ({type: "uri", value: v});
const rows = [
  {unit: iri("https://w3id.org/govkg/id/unit/许昌市/发展和改革委员会"), label: s("市发展和改革委员会"), tasks: n("37"), lead: n("5"), collective: s("no")},
  {unit: iri("https://w3id.org/govkg/id/unit/许昌市/财政局"), label: s("市财政局"), tasks: n("20"), collective: s("no")},
];
const years = [{year: n("2020"), tasks: n("28")}];
console.log(JSON.stringify([
  Chart.analyse(["unit", "label", "tasks", "lead", "collective"], rows),
  Chart.analyse(["year", "tasks"], years),
  Chart.analyse(["unit"], rows),
  Chart.termLabel(rows[1].unit, {}),
  Chart.termLabel(iri("https://w3id.org/govkg/ontology#Task"), {gov: "https://w3id.org/govkg/ontology#"}),
]));
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed: cannot run the chart's column analysis")
def test_chart_picks_a_number_column_and_a_label_column():
    result = subprocess.run([NODE, "-e", CHART_CHECK, str(STATIC / "js" / "yasr-chart.js")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    workload, years, no_numbers, short, prefixed = json.loads(result.stdout)
    assert workload == {"numeric": ["tasks", "lead"], "labels": ["unit", "label", "collective"], "value": "tasks", "label": "label"}
    assert years == {"numeric": ["year", "tasks"], "labels": [], "value": "tasks", "label": "year"}
    assert no_numbers["value"] is None
    assert (short, prefixed) == ("财政局", "gov:Task")
