"""`kg.runner.QueryRunner`: user SPARQL in a child process that is killed at the time limit.

Runs against a small on-disk store (tests/data/webui-fixture.trig, 41 quads), and
through the web app with ``STORE_PATH`` (the path ``govkg serve`` takes).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kg.errors import QueryError, QueryTimeout, StoreError
from kg.runner import QueryJob, QueryRunner
from kg.store import open_store
from webui import create_app
from webui_support import Page, fixture_store, load_fixture

# 41 quads, six times over: 41**6 = 4.7e9 rows to count (> 12 s in memory, slower on disk).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }"
XUCHANG_2026 = "https://w3id.org/govkg/id/doc/许昌市/2026/key-tasks"
JIYUAN_2021 = "https://w3id.org/govkg/id/doc/济源市/2021/key-tasks"
TASK_NUMBERS = f"SELECT ?number WHERE {{ ?task gov:inDocument <{XUCHANG_2026}> ; gov:number ?number }} ORDER BY ?number"
DOCUMENTS = "SELECT ?doc WHERE { ?doc a gov:Document } ORDER BY ?doc"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return fixture_store(tmp_path_factory.mktemp("runner") / "store")


@pytest.fixture(scope="module")
def runner(store_path):
    runner = QueryRunner(store_path, timeout=1)
    yield runner
    runner.close()


def numbers(answer) -> list[str]:
    return [b["number"]["value"] for b in json.loads(answer.body)["results"]["bindings"]]


def test_a_query_is_answered_in_the_child(runner):
    answer = runner.run(QueryJob(TASK_NUMBERS, solution_format="json"))
    assert (answer.kind, answer.format, answer.truncated) == ("solutions", "json", False)
    assert numbers(answer) == ["1", "2", "3"]
    assert runner.child_pid not in (None, os.getpid())


@pytest.mark.parametrize(
    "job, kind, check",
    [
        (QueryJob(TASK_NUMBERS, solution_format="csv"), "solutions", lambda a: a.body.decode().split() == ["number", "1", "2", "3"]),
        (QueryJob(TASK_NUMBERS, solution_format="json", row_cap=2), "solutions", lambda a: a.truncated and numbers(a) == ["1", "2"]),
        (QueryJob(TASK_NUMBERS, solution_format="html"), "solutions", lambda a: [r[0]["text"] for r in a.rows] == ["1", "2", "3"]),
        (QueryJob("ASK { ?s a gov:Task }", solution_format="html"), "boolean", lambda a: a.boolean is True and a.body == b""),
        (QueryJob("CONSTRUCT { ?d a gov:Document } WHERE { ?d a gov:Document }", graph_format="ntriples"), "graph",
         lambda a: a.body.decode().count("\n") == 2),
        (QueryJob("ASK {}", solution_format=None), "boolean", lambda a: a.format is None and a.body == b""),
    ],
    ids=["csv", "row-cap", "html-rows", "ask-html", "construct", "not-acceptable"],
)
def test_answers_in_each_form(runner, job, kind, check):
    answer = runner.run(job)
    assert answer.kind == kind
    assert check(answer)


def test_syntax_error_is_a_query_error_with_the_parser_message(runner):
    with pytest.raises(QueryError, match=r"SPARQL syntax error: .*expected") as error:
        runner.run(QueryJob("SELECT ?x WHERE { ?x gov:text "))
    assert not isinstance(error.value, QueryTimeout)
    assert numbers(runner.run(QueryJob(TASK_NUMBERS))) == ["1", "2", "3"]  # the same child goes on


def test_runaway_query_times_out_then_the_next_query_is_answered(runner):
    runner.run(QueryJob("ASK {}"))  # a warm child: the limit is the query's alone
    before = runner.child_pid
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than the limit 1 s") as error:
        runner.run(QueryJob(RUNAWAY))
    assert time.monotonic() - started < 3
    assert error.value.status == 503
    assert runner.child_pid != before
    with pytest.raises(ProcessLookupError):
        os.kill(before, 0)  # killed and reaped
    assert numbers(runner.run(QueryJob(TASK_NUMBERS))) == ["1", "2", "3"]


def test_a_child_killed_between_queries_is_replaced_silently(runner):
    runner.run(QueryJob("ASK {}"))
    os.kill(runner.child_pid, signal.SIGKILL)
    time.sleep(0.05)
    assert numbers(runner.run(QueryJob(TASK_NUMBERS))) == ["1", "2", "3"]


def test_a_child_dying_during_a_query_is_an_error_and_is_replaced(store_path):
    runner = QueryRunner(store_path, timeout=10)
    try:
        runner.run(QueryJob("ASK {}"))
        doomed = runner.child_pid
        threading.Timer(0.2, os.kill, (doomed, signal.SIGKILL)).start()
        started = time.monotonic()
        with pytest.raises(StoreError, match="stopped while running this query"):
            runner.run(QueryJob(RUNAWAY))
        assert time.monotonic() - started < 3
        assert runner.child_pid != doomed
        assert numbers(runner.run(QueryJob(TASK_NUMBERS))) == ["1", "2", "3"]
    finally:
        runner.close()


def test_missing_store_is_a_store_error(tmp_path):
    runner = QueryRunner(tmp_path / "nowhere", timeout=5)
    try:
        with pytest.raises(StoreError, match="no store at"):
            runner.run(QueryJob("ASK {}"))
    finally:
        runner.close()


def test_the_child_sees_a_rebuild(tmp_path):
    path = tmp_path / "store"
    writer = open_store(path)
    load_fixture(writer)
    writer.close()
    runner = QueryRunner(path, timeout=5)
    try:
        assert runner.run(QueryJob(DOCUMENTS, solution_format="csv")).body.decode().count("key-tasks") == 2
        writer = open_store(path)  # a rebuild beside the child's read-only snapshot
        writer.drop_graph(NamedNode(JIYUAN_2021))
        writer.close()
        assert runner.run(QueryJob(DOCUMENTS, solution_format="csv")).body.decode().count("key-tasks") == 1
    finally:
        runner.close()


# -- through the web app, as `govkg serve` runs it (STORE_PATH, not an injected store) ----


@pytest.fixture(scope="module")
def client(store_path):
    app = create_app({"TESTING": True, "STORE_PATH": store_path, "QUERY_TIMEOUT": 1})
    yield app.test_client()
    for runner in app.extensions["govkg.query_runners"].values():
        runner.close()


def test_endpoint_answers_a_runaway_query_with_a_readable_503(client):
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200  # a warm query process
    started = time.monotonic()
    response = client.get("/sparql", query_string={"query": RUNAWAY}, headers={"Accept": "application/sparql-results+json"})
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json["ok"] is False
    assert response.json["error"].startswith("the query ran longer than the limit 1 s and was stopped")
    ok = client.get("/sparql", query_string={"query": TASK_NUMBERS}, headers={"Accept": "text/csv"})
    assert ok.status_code == 200 and ok.text.split() == ["number", "1", "2", "3"]


def test_endpoint_in_the_child_keeps_protocol_errors(client):
    syntax = client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"}, headers={"Accept": "application/json"})
    assert syntax.status_code == 400 and syntax.json["error"].startswith("SPARQL syntax error")
    refused = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    page = Page(client.get("/sparql", query_string={"query": TASK_NUMBERS}, headers={"Accept": "text/html"}).text)
    assert [row[0] for row in page.tables["results"]] == ["1", "2", "3"]
    assert Page(client.get("/sparql", query_string={"query": "ASK { ?s a gov:Task }"}, headers={"Accept": "text/html"}).text).text("boolean") == "true"


def test_the_child_dies_with_its_parent(store_path):
    """A worker killed outright (gunicorn's backstop) must not leave its query running."""
    script = (
        "import sys; from kg.runner import QueryJob, QueryRunner; "
        "r = QueryRunner(sys.argv[1], timeout=60); r.run(QueryJob('ASK {}')); print(r.child_pid, flush=True); "
        "r.run(QueryJob(sys.argv[2]))"
    )
    parent = subprocess.Popen([sys.executable, "-c", script, str(store_path), RUNAWAY], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        time.sleep(0.2)  # the runaway query is running in the child
        assert running(child)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 3
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(child)


def running(pid: int) -> bool:
    """Whether ``pid`` is alive (a zombie left to a non-reaping init counts as dead)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
