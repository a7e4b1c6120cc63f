"""`kg.serve.serve` under gunicorn, driven by real SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore)."""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode, Quad, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from kg.errors import StoreError
from kg.serve import serve
from kg.store import open_store
from webui_support import Page, fixture_store, free_port, running

pytestmark = pytest.mark.server

QUERY_TIMEOUT = 3  # seconds; a query still running then is stopped and answered with 503
XUCHANG_2026 = "https://w3id.org/govkg/id/doc/许昌市/2026/key-tasks"
TASKS = f"""PREFIX gov: <https://w3id.org/govkg/ontology#>
SELECT ?number ?text WHERE {{ ?task gov:inDocument <{XUCHANG_2026}> ; gov:number ?number ; gov:text ?text }} ORDER BY ?number"""
EXPECTED = [("1", "深入推进郑许一体化发展。"), ("2", "支持胖东来等商贸企业做优做强。"), ("3", "全面推进乡村振兴。")]
# 41 fixture quads six times over: 4.7e9 rows to count, far longer than any limit here.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }"
SERVE = (
    "import sys; from pathlib import Path; from kg.serve import serve; "
    "sys.exit(serve(store=Path(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), workers=2, query_timeout=int(sys.argv[3])))"
)


def get(url: str, accept: str | None = None, timeout: float = 10) -> tuple[str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.headers.get_content_type(), response.read()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return fixture_store(tmp_path_factory.mktemp("serve") / "store")


@pytest.fixture(scope="module")
def server(store_path, tmp_path_factory):
    """The base URL of `serve` running in a subprocess; stopped (always) after the module."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve-log") / "gunicorn.log"
    base = f"http://127.0.0.1:{port}"
    # the ready check goes through /sparql: the worker's query process may still be starting
    with running([sys.executable, "-c", SERVE, str(store_path), str(port), str(QUERY_TIMEOUT)],
                 ready=base + "/sparql?query=ASK%7B%7D", log=log, start_within=15):
        yield base
    output = log.read_text(errors="replace")
    assert "SIGSEGV" not in output, output  # workers must exit cleanly
    deadline = time.monotonic() + 5
    while query_processes(store_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not query_processes(store_path), "query processes outlived the server"


def query_processes(store_path: Path) -> list[int]:
    """Process ids of `python -m kg.runner` children serving ``store_path``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"kg.runner" in argv and str(store_path).encode() in argv:
            found.append(int(entry.name))
    return found


# -- results by Accept ------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
)
def test_select_by_accept(server, accept):
    content_type, body = get(server + "/sparql?" + urllib.parse.urlencode({"query": TASKS}), accept)
    assert content_type == accept
    if accept.endswith("json"):
        rows = [(b["number"]["value"], b["text"]["value"]) for b in json.loads(body)["results"]["bindings"]]
    elif accept.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        rows = [
            tuple(r.find(f"r:binding[@name='{v}']/r:literal", ns).text for v in ("number", "text"))
            for r in ET.fromstring(body).iterfind("r:results/r:result", ns)
        ]
    elif accept == "text/csv":
        rows = [tuple(r) for r in list(csv.reader(io.StringIO(body.decode())))[1:]]
    else:
        rows = [tuple(c.strip('"') for c in line.split("\t")) for line in body.decode().splitlines()[1:]]
    assert rows == EXPECTED


# -- SPARQLWrapper ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("return_format", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(server, method, return_format):
    client = SPARQLWrapper(server + "/sparql")
    client.setMethod(method)
    client.setQuery(TASKS)
    client.setReturnFormat(return_format)
    converted = client.query().convert()
    if return_format == JSON:
        rows = [(b["number"]["value"], b["text"]["value"]) for b in converted["results"]["bindings"]]
    elif return_format == XML:
        rows = [
            tuple(r.getElementsByTagName("literal")[i].firstChild.data for i in (0, 1))
            for r in converted.getElementsByTagName("result")
        ]
    else:
        delimiter = "," if return_format == CSV else "\t"
        lines = converted.decode().splitlines()[1:]
        rows = [tuple(c.strip('"') for c in line.split(delimiter)) for line in lines]
    assert rows == EXPECTED


def test_sparqlwrapper_construct_turtle(server):
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery("PREFIX gov: <https://w3id.org/govkg/ontology#> CONSTRUCT { ?t gov:text ?x } WHERE { ?t a gov:Task ; gov:text ?x }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 5


def test_sparqlwrapper_ask(server):
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(f"ASK {{ <{XUCHANG_2026}> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_update_is_refused(server):
    client = SPARQLWrapper(server + "/sparql")
    client.setMethod("POST")
    client.setQuery("DROP ALL")  # SPARQLWrapper sends it as update=
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    assert get(server + "/?format=json")[1].count(b'"doc"') == 2


# -- rdflib's SPARQLStore ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(server, method):
    graph = rdflib.Graph(store=SPARQLStore(server + "/sparql", method=method))
    rows = [(str(number), str(text)) for number, text in graph.query(TASKS)]
    assert rows == EXPECTED
    assert graph.query(f"ASK {{ <{XUCHANG_2026}> ?p ?o }}").askAnswer is True


# -- rebuilds, time limit, start-up errors ----------------------------------------------


def test_rebuild_is_visible_to_running_workers(server, store_path):
    before = json.loads(get(server + "/?format=json")[1])["documents"]
    doc = NamedNode("https://w3id.org/govkg/id/doc/许昌市/2020/key-tasks")
    writer = open_store(store_path)  # beside the workers' read-only snapshots
    try:
        gov = "https://w3id.org/govkg/ontology#"
        writer.replace_graph(
            doc,
            [
                Quad(doc, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NamedNode(gov + "Document"), doc),
                Quad(doc, NamedNode("http://purl.org/dc/terms/title"), Literal("许政〔2020〕20号"), doc),
                Quad(doc, NamedNode(gov + "city"), NamedNode("https://w3id.org/govkg/id/place/许昌市"), doc),
                Quad(doc, NamedNode(gov + "year"), Literal(2020), doc),
                Quad(doc, NamedNode(gov + "kind"), Literal("key-tasks"), doc),
            ],
        )
    finally:
        writer.close()
    for _ in range(4):  # whichever worker answers
        after = json.loads(get(server + "/?format=json")[1])["documents"]
        assert len(after) == len(before) + 1
    writer = open_store(store_path)
    writer.drop_graph(doc)
    writer.close()


def test_search_index_is_ready_when_serving_starts(server, store_path):
    """`govkg serve` builds the search index before its workers start; the first search finds it current."""
    from kg.search import index_path

    assert index_path(store_path).is_file()
    found = json.loads(get(server + "/search?" + urllib.parse.urlencode({"q": "郑许一体化", "format": "json"}))[1])
    assert not found.get("stale") and found["total"] >= 1


def runaway(server: str, accept: str) -> tuple[int, str, float]:
    """Send RUNAWAY; the status, the body and the seconds it took."""
    started = time.monotonic()
    try:
        get(server + "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}), accept, timeout=30)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started
    pytest.fail("the runaway query was answered with 200")


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/html"], ids=["json", "html"])
def test_runaway_query_is_answered_with_an_error_and_the_next_query_succeeds(server, accept):
    status, body, seconds = runaway(server, accept)
    assert status == 503
    assert QUERY_TIMEOUT <= seconds < 10
    message = json.loads(body)["error"] if accept.endswith("json") else Page(body).text("error-message")
    assert message.startswith(f"the query ran longer than the limit {QUERY_TIMEOUT} s and was stopped")
    assert get(server + "/sparql?" + urllib.parse.urlencode({"query": TASKS}), "text/csv")[1].decode().count("\n") == 4


def test_other_queries_are_answered_while_a_runaway_runs(server, store_path):
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        stopped = pool.submit(runaway, server, "application/sparql-results+json")
        time.sleep(0.5)  # one worker is now waiting on the runaway query
        started = time.monotonic()
        for _ in range(5):
            content_type, body = get(server + "/sparql?" + urllib.parse.urlencode({"query": TASKS}), "application/sparql-results+json")
            assert [b["number"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["1", "2", "3"]
        assert time.monotonic() - started < QUERY_TIMEOUT  # answered by the other worker, not after the runaway
        assert not stopped.done()
        assert len(query_processes(store_path)) == 2  # one per worker; the teardown checks they stop with the server
        assert stopped.result()[0] == 503


def test_serve_refuses_a_missing_store(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        serve(store=tmp_path / "nowhere", host="127.0.0.1", port=free_port(), workers=1, query_timeout=5)
