"""Targets as Data Cube observations (kg.targets), the indicator scheme, and the `targets` query.

The done-means of the issue, computed from the real documents: 许昌 经济增长 2021 (the
summary) 7.5, 2023 (the report) 7, 2026 (the notice) 5.5; 济源 生产总值 2021 8.  The
query runs on a small in-memory store holding only the targets, the indicator scheme
and the places; its rows are golden.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from kg import iri
from kg.config import ONTOLOGY_DIR
from kg.namespaces import GOV, PREFIXES, PROV, QB, RDF, SCHEMA, SKOS
from kg.queries import get_query
from kg.targets import (
    INDICATORS_FILE,
    IndicatorResolver,
    indicator_resolver,
    quantity_triples,
    target_triples,
    task_quantity_triples,
)
from loaders.quantities import document_targets

FILES = {
    ("许昌市", 2021): "xuchang-2021-work-report-summary.md",
    ("许昌市", 2023): "xuchang-2023-work-report.txt",
    ("许昌市", 2026): "xuchang-2026-key-tasks.txt",
    ("济源市", 2021): "jiyuan-2021-key-tasks.txt",
}


def _doc_iri(doc):
    return iri.document(doc.city, doc.year, doc.kind)


# -- the done-means, through loaders.load and the resolver -----------------------------------


@pytest.mark.parametrize(
    ("city", "year", "indicator", "value", "qualifier"),
    [
        ("许昌市", 2021, "经济增长", "7.5", "以上"),
        ("许昌市", 2023, "经济增长", "7", None),
        ("许昌市", 2026, "经济增长", "5.5", "左右"),
        ("济源市", 2021, "经济增长", "8", None),
        ("济源市", 2021, "城镇调查失业率", "5.5", "以内"),
        ("许昌市", 2026, "粮食产量", "285", "以上"),
        ("许昌市", 2021, "城镇新增就业", "4.9", None),
    ],
    ids=["xuchang-2021-summary", "xuchang-2023-report", "xuchang-2026-notice", "jiyuan-2021-gdp",
         "jiyuan-2021-unemployment", "xuchang-2026-grain", "xuchang-2021-jobs"],
)
def test_target_value_from_the_real_document(corpus, city, year, indicator, value, qualifier):
    doc = corpus[FILES[city, year]]
    resolver = indicator_resolver()
    found = [s for _, s in document_targets(doc) if resolver.resolve(s.indicator).name == indicator]
    assert [(s.value, s.qualifier) for s in found] == [(Decimal(value), qualifier)]


def test_every_target_of_the_corpus_resolves_to_a_curated_indicator(corpus):
    resolver = indicator_resolver()
    written = {s.indicator for doc in corpus.values() for _, s in document_targets(doc)}
    assert len(written) > 20
    assert {w for w in written if resolver.resolve(w) is None} == set()


# -- the indicator scheme ------------------------------------------------------------------


@pytest.fixture(scope="module")
def scheme():
    store = ox.Store()
    store.load(path=str(INDICATORS_FILE), format=ox.RdfFormat.TURTLE)
    return store


def test_indicator_iris_are_minted_by_kg_iri(scheme, monkeypatch):
    monkeypatch.delenv("GOVKG_BASE", raising=False)
    scheme_iri = ox.NamedNode(iri.base() + "indicator")
    concepts = {q.subject for q in scheme.quads_for_pattern(None, RDF.type, GOV.Indicator)}
    assert len(concepts) >= 20
    assert {q.object for q in scheme.quads_for_pattern(scheme_iri, SKOS.hasTopConcept, None)} == concepts
    assert (scheme_iri, RDF.type, GOV.IndicatorScheme) in {(q.subject, q.predicate, q.object) for q in scheme}
    for concept in concepts:
        labels = {q.object.language: q.object.value for q in scheme.quads_for_pattern(concept, SKOS.prefLabel, None)}
        assert set(labels) == {"zh", "en"}, concept
        assert concept == iri.indicator(labels["zh"])
        assert list(scheme.quads_for_pattern(concept, SKOS.inScheme, scheme_iri))
        assert list(scheme.quads_for_pattern(concept, RDF.type, SKOS.Concept))
        assert all(q.object.language is None for q in scheme.quads_for_pattern(concept, SKOS.altLabel, None))


def test_no_label_names_two_indicators(scheme):
    owner = {}
    for q in scheme.quads_for_pattern(None, None, None):
        if q.predicate in (SKOS.prefLabel, SKOS.altLabel) and q.object.language != "en":
            assert owner.setdefault(q.object.value, q.subject) == q.subject, q.object.value


@pytest.mark.parametrize(
    ("written", "name"),
    [("生产总值增长", "经济增长"), ("地区生产总值增长", "经济增长"), ("ＧＤＰ增长", "经济增长"), ("全市生产总值增长", "经济增长"),
     ("生产总值", "经济增长"), ("规模以上工业增加值增长", "规上工业增加值增长"), ("全社会固定资产投资增长", "固定资产投资增长"),
     ("居民人均可支配收入增速", "居民收入增长"), ("居民收入", "居民收入增长"), ("城镇化率提高", "城镇化率"),
     ("常住人口城镇化率提高", "城镇化率"), ("单位国内生产总值能耗降低", "单位生产总值能耗降低"),
     ("单位生产总值能耗", "单位生产总值能耗降低"), ("主要污染物排放量", "主要污染物排放"), ("进出口总额", "进出口总值")],
)
def test_resolver(written, name):
    assert indicator_resolver().resolve(written).name == name


def test_unknown_indicator_is_minted_in_the_document_graph():
    from loaders import parse

    doc = parse("济源市人民政府关于2021年重点工作的通知\n一、主要预期目标\n1.蔬菜产量增长3%。(责任单位:农业农村局)", source="n.txt")
    d = _doc_iri(doc)
    triples = target_triples(doc, d, resolver=IndicatorResolver([]))
    concept = iri.indicator("蔬菜产量增长")
    assert (concept, RDF.type, GOV.Indicator) in triples
    assert (concept, SKOS.prefLabel, ox.Literal("蔬菜产量增长")) in triples
    assert (iri.target(d, "1"), GOV.indicator, concept) in triples


# -- triples -------------------------------------------------------------------------------


def _objects(triples, subject):
    out = {}
    for s, p, o in triples:
        if s == subject:
            out.setdefault(p, []).append(o)
    return out


@pytest.mark.parametrize(
    ("key", "count", "stated_in"),
    [(("许昌市", 2026), 12, "task/1"), (("济源市", 2021), 8, "task/1"), (("许昌市", 2023), 14, "sec/2"), (("许昌市", 2021), 14, None)],
    ids=["notice-task", "notice-tasks", "report-section", "summary-document"],
)
def test_target_observations(corpus, key, count, stated_in):
    doc = corpus[FILES[key]]
    d = _doc_iri(doc)
    triples = target_triples(doc, d)
    targets = [s for s, p, o in triples if p == RDF.type and o == GOV.Target]
    assert len(targets) == count
    first = _objects(triples, iri.target(d, "1"))
    assert first[RDF.type] == [GOV.Target, QB.Observation]
    assert first[QB.dataSet] == [iri.target_dataset(d)]
    assert first[GOV.statedIn] == [ox.NamedNode(f"{d.value}/{stated_in}") if stated_in else d]
    assert first[PROV.wasDerivedFrom] == [d]
    assert first[GOV.city] == [iri.place(doc.city)]
    assert first[GOV.indicator] == [iri.indicator("经济增长")]
    start, end = int(first[GOV.start][0].value), int(first[GOV.end][0].value)
    assert doc.text[start:end].replace("**", "") == first[GOV.phrase][0].value
    assert _objects(triples, iri.target_dataset(d))[QB.structure] == [GOV.TargetStructure]


def test_quantities_of_a_task_and_not_of_target_tasks(corpus):
    doc = corpus[FILES["许昌市", 2026]]
    d = _doc_iri(doc)
    triples = task_quantity_triples(doc, d)
    task1, task4 = iri.task(d, "1"), iri.task(d, "4")
    assert not [t for t in triples if t[0] == task1]
    q1, q2 = (o for s, p, o in triples if s == task4 and p == GOV.quantity)
    assert {p.value.rsplit("#", 1)[-1]: o.value for p, (o,) in _objects(triples, q2).items() if p != RDF.type} == {
        "value": "700", "measure": "亿元", "qualifier": "以上", "phrase": "完成投资700亿元以上",
        "start": str(doc.text.index("完成投资700")), "end": str(doc.text.index("完成投资700") + len("完成投资700亿元以上"))}


def test_a_range_has_min_and_max_instead_of_a_value():
    task = iri.task(iri.document("许昌市", 2026, "key-tasks"), "77")
    triples = quantity_triples(task, "培育3—5所省、市级特色高中", None)
    found = _objects(triples, iri.quantity(task, 1))
    assert GOV.value not in found and GOV.start not in found
    assert (found[SCHEMA.minValue][0].value, found[SCHEMA.maxValue][0].value, found[GOV.measure][0].value) == ("3", "5", "所")


# -- the named query ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def target_store(corpus):
    """Targets of the four documents, the indicator scheme and the places, in an in-memory store."""
    from kg.store import open_store

    store = open_store(None)
    authority = iri.graph("authority")
    quads = []
    for name in ("indicators.ttl", "places-henan.ttl", "places-xuchang.ttl", "places-jiyuan.ttl"):
        for t in ox.parse(path=str(ONTOLOGY_DIR / name), format=ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(t.subject, t.predicate, t.object, authority))
    store.replace_graph(authority, quads)
    for doc in corpus.values():
        d = _doc_iri(doc)
        store.replace_graph(d, [ox.Quad(s, p, o, d) for s, p, o in dict.fromkeys(target_triples(doc, d))])
    yield store
    store.close()


def _rows(store, **params):
    query = get_query("targets")
    columns = ("city", "year", "indicator", "value", "measure", "qualifier")
    result = store.select(query.bind({k: str(v) for k, v in params.items()}), prefixes=PREFIXES)
    return [tuple(row[c].value if row.get(c) is not None else None for c in columns) for row in result]


def test_query_header():
    query = get_query("targets")
    assert [p.name for p in query.params] == ["city", "indicator", "year"]
    assert query.columns[:6] == ("city", "year", "indicator", "value", "measure", "qualifier")
    assert set(query.columns) >= {"phrase", "document"}


def test_query_economic_growth_of_xuchang(target_store):
    assert _rows(target_store, city="许昌市", indicator="经济增长") == [
        ("许昌市", "2021", "经济增长", "7.5", "%", "以上"),
        ("许昌市", "2023", "经济增长", "7", "%", None),
        ("许昌市", "2026", "经济增长", "5.5", "%", "左右"),
    ]


def test_query_gdp_of_jiyuan_by_the_bare_quantity(target_store):
    # the column shows the indicator's preferred label, whatever alias was asked for
    assert _rows(target_store, city="济源市", indicator="生产总值") == [("济源市", "2021", "经济增长", "8", "%", None)]


@pytest.mark.parametrize("alias", ["生产总值增长", "地区生产总值增长", "GDP增长", "经济增长"])
def test_query_matches_any_alias(target_store, alias):
    assert [(r[0], r[1], r[3]) for r in _rows(target_store, indicator=alias)] == [
        ("济源市", "2021", "8"), ("许昌市", "2021", "7.5"), ("许昌市", "2023", "7"), ("许昌市", "2026", "5.5")]


def test_query_qualitative_and_year(target_store):
    assert _rows(target_store, city="许昌市", year=2026, indicator="进出口总值") == [
        ("许昌市", "2026", "进出口总值", None, None, "稳量提质")]


def test_query_without_parameters_has_one_row_per_target(target_store):
    rows = _rows(target_store)
    assert len(rows) == 12 + 8 + 14 + 14
    assert rows[0] == ("济源市", "2021", "经济增长", "8", "%", None)
    assert {r[2] for r in rows} >= {"经济增长", "城镇化率", "居民收入增长", "单位生产总值碳排放"}


def test_query_unknown_indicator_gives_no_rows(target_store):
    assert _rows(target_store, indicator="蔬菜产量") == []


# -- SHACL ------------------------------------------------------------------------------------


SMALL_NOTICE = (
    "济源市人民政府关于2021年重点工作的通知\n一、今年经济社会发展主要预期目标\n1.生产总值增长8%。(责任单位:发展改革和统计局)\n"
    "2.居民人均可支配收入增速与经济增长同步。(责任单位:发展改革和统计局)\n二、稳增长\n"
    "3.全年实施项目500个,完成投资300亿元,培育3—5所特色高中。(责任单位:发展改革和统计局)"
)


def test_targets_and_quantities_conform_and_a_broken_target_does_not():
    from rdflib import Graph

    from kg.build import document_quads
    from kg.resolve import Resolver
    from kg.validate import validate_graph
    from loaders import parse

    doc = parse(SMALL_NOTICE, source="small.txt")
    d, quads = document_quads(doc, resolver=Resolver([]))  # units described in the document graph
    extra = target_triples(doc, d) + task_quantity_triples(doc, d)
    assert len([t for t in extra if t[1] == GOV.quantity]) == 3
    data = Graph()
    for path in (INDICATORS_FILE, ONTOLOGY_DIR / "places-henan.ttl", ONTOLOGY_DIR / "places-jiyuan.ttl"):
        data.parse(path, format="turtle")
    nt = "\n".join(f"{s} {p} {o} ." for s, p, o in [(q.subject, q.predicate, q.object) for q in quads] + extra)
    data.parse(data=nt, format="nt")
    report = validate_graph(data)
    assert report.conforms, report.text[:2000]
    target = iri.target(d, "1")
    data.update(f"DELETE WHERE {{ <{target.value}> <{GOV.indicator.value}> ?i }}")
    broken = validate_graph(data)
    assert not broken.conforms and "A target has exactly one gov:indicator" in broken.text
