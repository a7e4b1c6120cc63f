"""Entity pages made fast: a unit's task list paged, pages cached per snapshot, a place's unit counts by either query.

The paged list is checked against the unit's assignments and mentions read from the
quads; the cache against a store served by path (``STORE_PATH``), as ``govkg serve`` does.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

import kg.panels.unit as unit_module
from kg.namespaces import GOV, PROV
from kg.queries import rows
from webui import create_app
from webui_support import Page

BASE = "https://w3id.org/govkg/id/"
NDRC = BASE + "unit/许昌市/发展和改革委员会"


def _path(iri: str, query: str = "") -> str:
    return "/id/" + quote(iri[len(BASE):]) + query


@pytest.fixture(scope="module")
def ndrc_tasks(built_store):
    """The tasks NDRC is assigned or named in, from the quads alone."""
    assignments = {q.subject.value for q in built_store._inner.quads_for_pattern(None, PROV.agent, None) if q.object.value == NDRC}
    assigned = {q.subject.value for q in built_store._inner.quads_for_pattern(None, GOV.assignment, None)
                if q.object.value in assignments}
    mentioned = {q.subject.value for q in built_store._inner.quads_for_pattern(None, GOV.mentionsUnit, None)
                 if q.object.value == NDRC}
    return assigned | mentioned


@pytest.fixture()
def client(built_store, monkeypatch):
    monkeypatch.setattr(unit_module, "TASKS_SHOWN", 10)
    return create_app({"TESTING": True, "STORE": built_store}).test_client()


def test_a_long_task_list_is_paged_and_says_so(client, ndrc_tasks):
    assert len(ndrc_tasks) > 10
    twin = client.get(_path(NDRC, "?format=json")).get_json()["panels"]["unit"]
    assert len(twin["tasks"]) == 10 and twin["tasks_paged"] is True
    assert twin["tasks_total"] >= len(ndrc_tasks)  # a row per task and role: a task held in two roles is two rows
    page = Page(client.get(_path(NDRC)).get_data(as_text=True))
    assert len(page.tables["unit-tasks"]) == 10
    assert page.attrs_by_id["unit-tasks-all"]["href"] == "?tasks=all"
    assert str(twin["tasks_total"]) in page.text("unit-tasks-paging")


def test_all_tasks_through_the_paging_parameter(client, ndrc_tasks):
    paged = client.get(_path(NDRC, "?format=json")).get_json()["panels"]["unit"]
    whole = client.get(_path(NDRC, "?tasks=all&format=json")).get_json()["panels"]["unit"]
    assert whole["tasks_paged"] is False and len(whole["tasks"]) == whole["tasks_total"] == paged["tasks_total"]
    assert {t["task"] for t in whole["tasks"]} == ndrc_tasks
    assert whole["tasks"][:10] == paged["tasks"]  # the first page is the head of the whole list
    assert whole["workload"] == paged["workload"]  # the workload counts every task either way
    page = Page(client.get(_path(NDRC, "?tasks=all")).get_data(as_text=True))
    assert len(page.tables["unit-tasks"]) == len(ndrc_tasks) and "unit-tasks-all" not in page.attrs_by_id


def test_a_short_task_list_is_not_paged(built_store):
    client = create_app({"TESTING": True, "STORE": built_store}).test_client()
    twin = client.get(_path(NDRC, "?format=json")).get_json()["panels"]["unit"]
    assert twin["tasks_paged"] is False and len(twin["tasks"]) == twin["tasks_total"]


def test_pages_are_cached_per_snapshot(built_store):
    app = create_app({"TESTING": True, "STORE_PATH": built_store.path})
    client = app.test_client()
    first = client.get(_path(NDRC, "?format=json"))
    cache = app.extensions["govkg.snapshot-caches"]["entities"][0]
    (entries,) = cache.values()
    assert ("entity", NDRC) in entries and ("panels", NDRC, False) in entries
    again = client.get(_path(NDRC, "?format=json"))
    assert json.loads(again.data) == json.loads(first.data)
    assert client.get(_path(BASE + "unit/许昌市/没有这个单位")).status_code == 404


@pytest.mark.parametrize("place", ["place/许昌市", "place/济源市", "place/许昌市/长葛市"], ids=["xuchang", "jiyuan", "county"])
def test_both_unit_count_queries_of_a_place_agree(built_store, place):
    params = {"place": BASE + place}
    by_lookup = {r["unit"]: r for r in rows(built_store, "panel-place-unit-tasks", **params)}
    by_hash = {r["unit"]: r for r in rows(built_store, "panel-place-unit-tasks-all", **params)}
    assert by_lookup == by_hash and by_lookup
