"""The web UI and the /sparql endpoint, on an in-memory store holding tests/data/webui-fixture.trig."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import rdflib
from pyoxigraph import NamedNode

from kg.store import open_store
from webui import create_app
from webui_support import Page, load_fixture

XUCHANG_2026 = "https://w3id.org/govkg/id/doc/许昌市/2026/key-tasks"
JIYUAN_2021 = "https://w3id.org/govkg/id/doc/济源市/2021/key-tasks"
SCRIPT_TITLE = "济源市2021年重点工作<script>alert('x')</script>"
ROW_CAP = 4

TASKS_OF_XUCHANG = f"""SELECT ?number ?text WHERE {{
  ?task gov:inDocument <{XUCHANG_2026}> ; gov:number ?number ; gov:text ?text .
}} ORDER BY ?number"""
EXPECTED_TASKS = [("1", "深入推进郑许一体化发展。"), ("2", "支持胖东来等商贸企业做优做强。"), ("3", "全面推进乡村振兴。")]
ALL_TASK_TEXTS = "SELECT ?text WHERE { ?task a gov:Task ; gov:text ?text } ORDER BY ?text"
CONSTRUCT_TASKS = "CONSTRUCT { ?task gov:text ?text } WHERE { ?task a gov:Task ; gov:text ?text }"


@pytest.fixture(scope="session")
def store():
    store = open_store(None)
    load_fixture(store)
    return store


@pytest.fixture(scope="session")
def app(store):
    return create_app({"TESTING": True, "STORE": store, "ROW_CAP": ROW_CAP, "QUERY_TIMEOUT": 7})


@pytest.fixture(scope="session")
def client(app):
    return app.test_client()


def sparql(client, query, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


# -- home page and its JSON twin ------------------------------------------------------


def test_home_lists_documents_with_task_counts(client):
    response = client.get("/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = Page(response.text)
    assert page.tables["documents"] == [
        [SCRIPT_TITLE, "济源市", "2021", "key-tasks", "2"],
        ["许昌市2026年政府工作报告重点工作任务分解", "许昌市", "2026", "key-tasks", "3"],
    ]
    assert "/sparql" in page.links
    assert "/?format=json" in page.links


def test_home_escapes_markup_in_literals(client):
    page = Page(client.get("/").text)
    assert "script" not in page.tags  # the title's <script> stayed text
    assert page.tables["documents"][0][0] == SCRIPT_TITLE


@pytest.mark.parametrize(
    "path, headers",
    [("/?format=json", {}), ("/", {"Accept": "application/json"})],
    ids=["format-parameter", "accept-header"],
)
def test_home_json_twin(client, path, headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "Accept" in response.vary
    assert response.json == {
        "documents": [
            {"doc": JIYUAN_2021, "title": SCRIPT_TITLE, "city": "济源市", "year": 2021, "kind": "key-tasks", "tasks": 2},
            {"doc": XUCHANG_2026, "title": "许昌市2026年政府工作报告重点工作任务分解", "city": "许昌市", "year": 2026, "kind": "key-tasks", "tasks": 3},
        ],
        "sparql": "http://localhost/sparql",
    }


def test_home_on_an_empty_store_says_how_to_fill_it():
    client = create_app({"TESTING": True, "STORE": open_store(None)}).test_client()
    page = Page(client.get("/").text)
    assert "govkg build" in page.text("empty")
    assert "documents" not in page.tables


def test_missing_store_is_a_503_naming_the_directory(tmp_path):
    client = create_app({"TESTING": True, "STORE_PATH": tmp_path / "nowhere"}).test_client()
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.json["error"].startswith(f"no store at {tmp_path / 'nowhere'}")


def test_a_rebuild_becomes_visible_without_restart(tmp_path):
    path = tmp_path / "store"
    writer = open_store(path)
    load_fixture(writer)
    writer.close()
    client = create_app({"TESTING": True, "STORE_PATH": path}).test_client()
    assert len(client.get("/?format=json").json["documents"]) == 2

    writer = open_store(path)  # a rebuild beside the read-only snapshot
    writer.drop_graph(NamedNode(JIYUAN_2021))
    writer.close()
    assert [d["city"] for d in client.get("/?format=json").json["documents"]] == ["许昌市"]


# -- /sparql: the form ------------------------------------------------------------------


def test_sparql_form(client):
    response = client.get("/sparql")
    assert response.status_code == 200
    page = Page(response.text)
    assert "form" in page.tags and "textarea" in page.tags and "button" in page.tags
    assert "answer" not in page.text_by_id
    assert "#+ summary: Documents in the store" in response.text  # prefilled with a named query, escaped
    assert "Access-Control-Allow-Origin" in response.headers


def test_sparql_form_json_twin(client):
    description = client.get("/sparql", headers={"Accept": "application/json"}).json
    assert description["read_only"] is True
    assert description["row_cap"] == ROW_CAP
    assert description["query_timeout"] == 7
    assert "text/tab-separated-values" in description["select_formats"]


# -- /sparql: SELECT in every format ----------------------------------------------------


def rows_from(body: bytes, fmt: str) -> list[tuple[str, ...]]:
    """(number, text) rows read back from a SELECT answer in ``fmt``."""
    if fmt == "json":
        data = json.loads(body)
        assert data["head"]["vars"] == ["number", "text"]
        return [(b["number"]["value"], b["text"]["value"]) for b in data["results"]["bindings"]]
    if fmt == "xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(body)
        return [tuple(r.find(f"r:binding[@name='{v}']/r:literal", ns).text for v in ("number", "text")) for r in root.iterfind("r:results/r:result", ns)]
    if fmt == "csv":
        header, *rows = csv.reader(io.StringIO(body.decode("utf-8")))
        assert header == ["number", "text"]
        return [tuple(r) for r in rows]
    header, *lines = body.decode("utf-8").splitlines()
    assert header == "?number\t?text"
    return [tuple(cell.strip('"') for cell in line.split("\t")) for line in lines]


@pytest.mark.parametrize(
    "accept, mimetype, fmt",
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("text/csv; charset=utf-8", "text/csv", "csv"),
        ("application/json", "application/sparql-results+json", "json"),
        ("*/*", "application/sparql-results+json", "json"),
        (None, "application/sparql-results+json", "json"),
    ],
    ids=["json", "xml", "csv", "tsv", "csv-with-charset", "plain-json", "any", "no-accept"],
)
def test_select_format_by_accept(client, accept, mimetype, fmt):
    response = sparql(client, TASKS_OF_XUCHANG, accept)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert rows_from(response.data, fmt) == EXPECTED_TASKS


@pytest.mark.parametrize(
    "params, fmt",
    [
        ({"format": "csv"}, "csv"),
        ({"output": "xml"}, "xml"),
        ({"format": ["tsv", "text/tab-separated-values"], "output": "tsv", "results": "tsv"}, "tsv"),  # as SPARQLWrapper sends it
    ],
    ids=["format", "output", "sparqlwrapper-style"],
)
def test_select_format_by_parameter(client, params, fmt):
    response = sparql(client, TASKS_OF_XUCHANG, "application/sparql-results+json", **params)
    assert response.status_code == 200
    assert rows_from(response.data, fmt) == EXPECTED_TASKS


def test_post_form_and_direct_body_answer_like_get(client):
    form = client.post("/sparql", data={"query": TASKS_OF_XUCHANG}, headers={"Accept": "text/csv"})
    direct = client.post(
        "/sparql", data=TASKS_OF_XUCHANG.encode("utf-8"), content_type="application/sparql-query", headers={"Accept": "text/csv"}
    )
    assert form.status_code == direct.status_code == 200
    assert rows_from(form.data, "csv") == rows_from(direct.data, "csv") == EXPECTED_TASKS
    assert "Access-Control-Allow-Origin" not in form.headers


def test_get_answers_carry_cors_header(client):
    response = sparql(client, TASKS_OF_XUCHANG)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Govkg-Truncated" in response.headers["Access-Control-Expose-Headers"]


def test_select_is_cut_at_the_row_cap_and_says_so(client):
    cut = sparql(client, ALL_TASK_TEXTS, "application/sparql-results+json")
    assert len(cut.json["results"]["bindings"]) == ROW_CAP
    assert cut.headers["Govkg-Truncated"] == "true"
    assert cut.headers["Govkg-Row-Cap"] == str(ROW_CAP)
    whole = sparql(client, TASKS_OF_XUCHANG, "application/sparql-results+json")
    assert "Govkg-Truncated" not in whole.headers


def test_unbound_and_typed_values_survive_the_cap(client):
    query = 'SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) { (1 UNDEF "x"@zh) (<http://example.org/i> "t\\u0009ab" UNDEF) } }'
    bindings = sparql(client, query, "application/sparql-results+json").json["results"]["bindings"]
    assert bindings == [
        {"a": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}, "c": {"type": "literal", "value": "x", "xml:lang": "zh"}},
        {"a": {"type": "uri", "value": "http://example.org/i"}, "b": {"type": "literal", "value": "t\tab"}},
    ]


# -- /sparql: ASK, CONSTRUCT ------------------------------------------------------------


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"], ids=["json", "xml"])
def test_ask(client, accept):
    response = sparql(client, f"ASK {{ <{XUCHANG_2026}> a gov:Document }}", accept)
    assert response.status_code == 200
    if accept.endswith("json"):
        assert response.json == {"head": {}, "boolean": True}
    else:
        assert ET.fromstring(response.data).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


@pytest.mark.parametrize(
    "accept, rdflib_format",
    [(None, "turtle"), ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
    ids=["default", "turtle", "ntriples", "jsonld", "rdfxml"],
)
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib's JSON-LD parser
def test_construct_parses_with_rdflib(client, accept, rdflib_format):
    response = sparql(client, CONSTRUCT_TASKS, accept)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.data, format=rdflib_format)
    assert len(graph) == 5
    task = rdflib.URIRef(XUCHANG_2026 + "/task/2")
    assert graph.value(task, rdflib.URIRef("https://w3id.org/govkg/ontology#text")) == rdflib.Literal("支持胖东来等商贸企业做优做强。")


def test_construct_turtle_uses_govkg_prefixes(client):
    response = sparql(client, CONSTRUCT_TASKS, "text/turtle")
    assert response.mimetype == "text/turtle"
    assert "@prefix gov: <https://w3id.org/govkg/ontology#> ." in response.text


# -- /sparql: HTML answers --------------------------------------------------------------


def test_html_results_table_escapes_literals(client):
    response = sparql(client, ALL_TASK_TEXTS, "text/html")
    assert response.status_code == 200
    page = Page(response.text)
    assert "b" not in page.tags and "script" not in page.tags  # 推进<b>黄河流域</b>… stayed text
    cells = [row[0] for row in page.tables["results"]]
    assert "推进<b>黄河流域</b>生态保护。" in cells
    assert len(cells) == ROW_CAP
    assert f"cut at {ROW_CAP}" in page.text("row-count")


def test_html_answer_for_ask_and_construct(client):
    ask = Page(sparql(client, "ASK { ?s a gov:Task }", "text/html").text)
    assert ask.text("boolean") == "true"
    graph = Page(sparql(client, CONSTRUCT_TASKS, "text/html").text)
    assert "gov:text" in graph.text("graph")


# -- /sparql: refusals and errors -------------------------------------------------------


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get("/sparql", query_string={"update": "DROP ALL"}),
        lambda c: c.post("/sparql", data={"update": "DROP ALL"}),
        lambda c: c.post("/sparql", data=b"DROP ALL", content_type="application/sparql-update"),
        lambda c: c.post("/sparql", data=b"CLEAR DEFAULT", content_type="application/sparql-update; charset=utf-8"),
    ],
    ids=["get-update", "form-update", "direct-update", "direct-update-charset"],
)
def test_update_is_forbidden_and_changes_nothing(client, store, send):
    before = sorted(map(str, store.quads()))
    response = send(client)
    assert response.status_code == 403
    assert "read-only" in Page(response.text).text("error-message")
    assert sorted(map(str, store.quads())) == before


def test_update_sent_as_a_query_is_a_syntax_error(client, store):
    count = store.quad_count()
    response = sparql(client, "DROP ALL", "application/sparql-results+json")
    assert response.status_code == 400
    assert store.quad_count() == count


def test_malformed_query_is_400_with_the_parser_message(client):
    response = sparql(client, "SELECT ?x WHERE { ?x gov:text ", "application/sparql-results+json")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.json["error"].startswith("SPARQL syntax error: error at 1:")
    html = sparql(client, "SELECT ?x WHERE { ?x gov:text ", "text/html")
    assert html.status_code == 400
    assert Page(html.text).text("error-message").startswith("SPARQL syntax error: error at 1:")
    assert "Traceback" not in html.text


def test_error_for_csv_clients_is_plain_text(client):
    response = sparql(client, "SELECT", "text/csv")
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.text.startswith("400 Bad Request: SPARQL syntax error")


@pytest.mark.parametrize(
    "send, status",
    [
        (lambda c: c.post("/sparql", data=b"SELECT * {}", content_type="text/plain"), 415),
        (lambda c: c.post("/sparql", data={}), 400),
        (lambda c: c.get("/sparql", query_string=[("query", "ASK {}"), ("query", "ASK {}")]), 400),
        (lambda c: c.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": "http://example.org/g"}), 400),
        (lambda c: c.get("/sparql", query_string={"query": "ASK {}", "format": "pdf"}), 406),
        (lambda c: c.delete("/sparql"), 405),
        (lambda c: c.get("/no-such-page"), 404),
    ],
    ids=["unsupported-media-type", "post-without-query", "two-queries", "dataset-parameter", "unknown-format", "method", "not-found"],
)
def test_protocol_errors_are_json_for_json_clients(client, send, status):
    response = send(_JsonClient(client))
    assert response.status_code == status
    assert response.json["ok"] is False
    assert response.json["status"] == status
    assert response.json["error"]


class _JsonClient:
    """The test client, asking for JSON unless a test says otherwise."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, method):
        def call(*args, headers=None, **kwargs):
            return getattr(self._client, method)(*args, headers={"Accept": "application/json", **(headers or {})}, **kwargs)

        return call


def test_not_acceptable_lists_what_is_available(client):
    response = sparql(client, "ASK {}", "image/png")
    assert response.status_code == 406
    assert response.mimetype == "text/plain"
    assert "application/sparql-results+json" in response.text


def test_format_parameter_wins_over_accept(client):
    response = sparql(client, "ASK {}", "image/png", format="json")
    assert response.status_code == 200
    assert response.json == {"head": {}, "boolean": True}


def test_unexpected_errors_are_500_without_details():
    app = create_app({"TESTING": True, "STORE": open_store(None)})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert "secret detail" not in response.text and "Traceback" not in response.text
