"""Units and places as entities on the bundled corpus: one unit across years, renames, collectives, places."""

from __future__ import annotations

import pytest

from kg.namespaces import PREFIXES
from kg.queries import get_query

BASE = "https://w3id.org/govkg/id/"


def rows(store, name, **params):
    query = get_query(name)
    return [{k: v.value for k, v in row.items()} for row in store.select(query.bind({k: str(v) for k, v in params.items()}), prefixes=PREFIXES)]


def by_year(store, unit):
    return {int(r["year"]): int(r["tasks"]) for r in rows(store, "unit-across-years", unit=unit)}


@pytest.mark.parametrize(
    "unit, expected",
    [
        ("市发展改革委", {2020: 28, 2026: 37}),
        ("市发展和改革委员会", {2020: 28, 2026: 37}),
        (BASE + "unit/许昌市/发展和改革委员会", {2020: 28, 2026: 37}),
        ("市科技局", {2020: 8, 2026: 14}),
        ("市科学技术局", {2020: 8, 2026: 14}),
    ],
    ids=["short-alias", "full-name", "iri", "keji-alias", "keji-full"],
)
def test_one_unit_across_years(built_store, unit, expected):
    assert by_year(built_store, unit) == expected


@pytest.mark.parametrize(
    "unit, years",
    [("人行许昌市中心支行", {2020, 2026}), ("人民银行许昌市分行", {2020, 2026}), ("许昌银保监分局", {2020, 2026}),
     ("国家金融监督管理总局许昌监管分局", {2020, 2026})],
    ids=["pboc-old", "pboc-new", "cbirc-old", "nfra-new"],
)
def test_renamed_units_are_followed_through_time(built_store, unit, years):
    assert set(by_year(built_store, unit)) == years


def test_jiyuan_workload(built_store):
    top = {r["label"]: r for r in rows(built_store, "unit-workload", city="济源市", year=2021)}
    assert (top["发展改革和统计局"]["tasks"], top["发展改革和统计局"]["lead"]) == ("42", "12")


def test_collectives_counted_once_excluded_or_expanded(built_store):
    include = {r["label"]: int(r["tasks"]) for r in rows(built_store, "unit-workload", city="许昌市", year=2026)}
    exclude = {r["label"]: int(r["tasks"]) for r in rows(built_store, "unit-workload", city="许昌市", year=2026, collectives="exclude")}
    expand = {r["label"]: int(r["tasks"]) for r in rows(built_store, "unit-workload", city="许昌市", year=2026, collectives="expand")}
    collective = next(label for label in include if label.startswith("各县"))
    assert include[collective] == 83
    assert collective not in exclude and collective not in expand
    assert include["市发展和改革委员会"] == exclude["市发展和改革委员会"] == expand["市发展和改革委员会"] == 37
    changge = next(label for label in expand if label.startswith("长葛市"))
    assert expand[changge] >= 83 > include.get(changge, 0)


def test_unresolved_units_are_few_and_listed_with_documents(built_store):
    unresolved = rows(built_store, "unresolved-units")
    assert len(unresolved) <= 10, [r["label"] for r in unresolved]
    for r in unresolved:
        assert r["documents"].endswith(".txt")


def test_units_are_typed_and_have_jurisdictions(built_store):
    units = rows(built_store, "units")
    resolved = [u for u in units if u["resolved"] == "yes" and int(u["tasks"]) > 0]
    assert len(resolved) >= 150
    assert all(u.get("type") for u in resolved), [u["label"] for u in resolved if not u.get("type")]


@pytest.mark.parametrize(
    "task, place",
    [("许昌市/2026/key-tasks/task/2", "place/新郑机场"), ("许昌市/2026/key-tasks/task/9", "place/许昌市/长葛市"),
     ("许昌市/2026/key-tasks/task/43", "place/贾鲁河")],
    ids=["airport", "county", "river"],
)
def test_tasks_link_to_places_they_name(built_store, task, place):
    from kg.namespaces import GOV

    doc = BASE + "doc/" + task.split("/task/")[0]
    named = {q.object.value for q in built_store.quads(_node(doc)) if q.subject.value == BASE + "doc/" + task and q.predicate == GOV.mentionsPlace}
    assert BASE + place in named, named


def _node(value):
    from pyoxigraph import NamedNode

    return NamedNode(value)


def test_report_items_link_the_units_they_name(built_store):
    from kg.namespaces import GOV

    doc = BASE + "doc/许昌市/2023/work-report"
    named = {(q.subject.value.rsplit("/", 1)[-1], q.object.value.rsplit("/", 1)[-1])
             for q in built_store.quads(_node(doc)) if q.predicate == GOV.mentionsUnit}
    assert ("3.7.4", "河南农业大学许昌校区") in named  # written 河南农大许昌校区: an alias
    assert ("3.7.4", "许昌职业技术学院") in named
