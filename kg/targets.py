"""Targets and quantities as RDF: the 主要预期目标 of a document as RDF Data Cube observations.

Every target statement of a document (:func:`loaders.quantities.document_targets`)
becomes a ``gov:Target`` (a ``qb:Observation``) in the document's dataset
``<doc>/targets`` (a ``qb:DataSet`` of structure ``gov:TargetStructure``)::

    <doc/许昌市/2026/key-tasks/target/1> a gov:Target , qb:Observation ;
        qb:dataSet <doc/许昌市/2026/key-tasks/targets> ;
        gov:indicator <indicator/经济增长> ;                  # dimension
        gov:city <place/许昌市> ; sdmx-dimension:refArea <place/许昌市> ;
        gov:year 2026 ; sdmx-dimension:refPeriod "2026"^^xsd:gYear ;
        gov:value 5.5 ;                                        # measure (xsd:decimal)
        gov:measure "%" ; gov:qualifier "左右" ;               # attributes
        gov:phrase "经济增长5.5%左右" ; gov:start 72 ; gov:end 82 ;
        gov:statedIn <doc/许昌市/2026/key-tasks/task/1> ;
        prov:wasDerivedFrom <doc/许昌市/2026/key-tasks> .

The indicator as written (生产总值增长, 规模以上工业增加值增长 …) is resolved to a
concept of ``ontology/indicators.ttl`` by :class:`IndicatorResolver`; one it does not
know is minted (``id/indicator/{name}``) and described in the document's graph.

The numbers of the other tasks' texts (实施重大项目210个) become ``gov:Quantity``
nodes linked from their task with ``gov:quantity`` (:func:`quantity_triples`).  A
range (1—2个) has ``schema:minValue``/``schema:maxValue`` instead of ``gov:value``.

>>> r = indicator_resolver()
>>> [r.resolve(text).name for text in ("生产总值增长", "规模以上工业增加值增长", "居民人均可支配收入增速", "城镇化率提高")]
['经济增长', '规上工业增加值增长', '居民收入增长', '城镇化率']
>>> r.resolve("蔬菜产量") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode

from kg import iri
from kg.config import ONTOLOGY_DIR
from kg.namespaces import DCT, GOV, PROV, QB, RDF, SCHEMA, SDMX_DIMENSION, SKOS, XSD
from kg.resolve import city_iri
from loaders.model import Document
from loaders.quantities import Quantity, TargetStatement, document_targets, quantities, task_span
from loaders.text import fold, squeeze

__all__ = [
    "INDICATORS_FILE",
    "Indicator",
    "IndicatorResolver",
    "indicator_resolver",
    "target_triples",
    "quantity_triples",
    "task_quantity_triples",
    "document_triples",
]

INDICATORS_FILE = ONTOLOGY_DIR / "indicators.ttl"

# Endings removed from both a written indicator and the labels when no label matches exactly.
_ENDINGS = re.compile(r"(?:增长率|增长|增速|增幅|提高|提升|降低|下降|减少)$")
_LEADING = re.compile(r"^(?:\d{4}年)?(?:全年|今年|全市|我市|年度)?")


@dataclass(frozen=True)
class Indicator:
    """An indicator concept of the scheme."""

    iri: str
    name: str  # the zh skos:prefLabel
    labels: tuple[str, ...]  # prefLabel first, then the other labels


def _key(text: str) -> str:
    return _LEADING.sub("", squeeze(fold(text)).replace(" ", "").upper())


class IndicatorResolver:
    """Finds the indicator concept of an indicator as written.

    An exact label (prefLabel or altLabel, after width folding) wins; otherwise the
    text and the labels are compared with their ending 增长/增速/提高/降低/下降 …
    removed (居民收入 and 居民收入增长 match).  A key two concepts share is dropped.

    >>> r = IndicatorResolver([Indicator("https://example.org/gdp", "经济增长", ("经济增长", "生产总值增长"))])
    >>> r.resolve("全市生产总值增长").iri, r.resolve("生产总值").iri, r.resolve("ＧＤＰ增长")
    ('https://example.org/gdp', 'https://example.org/gdp', None)
    """

    def __init__(self, indicators: Iterable[Indicator]):
        self._exact: dict[str, Indicator] = {}
        stems: dict[str, set[Indicator]] = {}
        for indicator in indicators:
            for label in indicator.labels:
                self._exact.setdefault(_key(label), indicator)
                stems.setdefault(_ENDINGS.sub("", _key(label)), set()).add(indicator)
        self._stems = {stem: next(iter(found)) for stem, found in stems.items() if len(found) == 1 and stem}

    def resolve(self, text: str) -> Indicator | None:
        key = _key(text)
        return self._exact.get(key) or self._stems.get(_ENDINGS.sub("", key))

    @classmethod
    def from_turtle(cls, path: str | Path) -> "IndicatorResolver":
        """The gov:Indicator concepts of a Turtle file."""
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        found = []
        for q in store.quads_for_pattern(None, RDF.type, GOV.Indicator):
            concept = q.subject
            pref = sorted(o.object.value for o in store.quads_for_pattern(concept, SKOS.prefLabel, None)
                          if o.object.language in (None, "zh"))
            alt = sorted(o.object.value for o in store.quads_for_pattern(concept, SKOS.altLabel, None))
            if pref:
                found.append(Indicator(concept.value, pref[0], tuple(pref[:1] + alt)))
        return cls(sorted(found, key=lambda i: i.iri))


@lru_cache(maxsize=1)
def indicator_resolver() -> IndicatorResolver:
    """The resolver over ``ontology/indicators.ttl``, read once."""
    return IndicatorResolver.from_turtle(INDICATORS_FILE)


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def _decimal(value: Decimal) -> Literal:
    return Literal(str(value), datatype=XSD.decimal)


def _values(add, node: NamedNode, statement: TargetStatement | Quantity) -> None:
    """gov:value, or schema:minValue/maxValue for a range, and the attributes."""
    if statement.value is not None:
        if statement.high is None:
            add((node, GOV.value, _decimal(statement.value)))
        else:
            add((node, SCHEMA.minValue, _decimal(statement.value)))
            add((node, SCHEMA.maxValue, _decimal(statement.high)))
    if statement.measure:
        add((node, GOV.measure, Literal(statement.measure)))
    if statement.qualifier:
        add((node, GOV.qualifier, Literal(statement.qualifier)))
    add((node, GOV.phrase, Literal(statement.phrase)))


def target_triples(doc: Document, doc_iri: NamedNode, *, resolver: IndicatorResolver | None = None) -> list[tuple]:
    """The triples of the targets of ``doc`` (its Data Cube dataset and observations).

    Parameters
    ----------
    doc
        A parsed document; its targets are found by :func:`loaders.quantities.target_paragraphs`.
    doc_iri
        The document's IRI (``kg.iri.document``), also its graph.
    resolver
        Indicator resolver; :func:`indicator_resolver` by default.

    Returns
    -------
    list[tuple]
        ``(subject, predicate, object)`` of pyoxigraph terms; empty when the document
        states no targets.  Targets are numbered ``…/target/1``, ``…/target/2`` … in
        document order.  ``gov:statedIn`` is the task that states a target, else the
        section (the last heading before it), else the document.

    Examples
    --------
    >>> from loaders import parse
    >>> doc = parse("济源市人民政府关于2021年重点工作的通知\\n一、主要预期目标\\n1.生产总值增长8%。(责任单位:发展改革和统计局)", source="n.txt")
    >>> d = iri.document(doc.city, doc.year, doc.kind)
    >>> t = {p.value.rsplit("#", 1)[-1]: o.value for s, p, o in target_triples(doc, d) if s.value.endswith("/target/1")}
    >>> t["indicator"].rsplit("/", 1)[-1], t["value"], t["measure"], t["year"], t["statedIn"].rsplit("/", 2)[-2:]
    ('经济增长', '8', '%', '2021', ['task', '1'])
    """
    resolver = resolver or indicator_resolver()
    found = document_targets(doc)
    if not found:
        return []
    triples: list[tuple] = []
    add = triples.append
    city = city_iri(doc.city)
    dataset = iri.target_dataset(doc_iri)
    add((dataset, RDF.type, QB.DataSet))
    add((dataset, QB.structure, GOV.TargetStructure))
    add((dataset, DCT.title, Literal(f"{doc.city}{doc.year}年主要预期目标")))
    add((dataset, PROV.wasDerivedFrom, doc_iri))
    minted: set[str] = set()
    for n, (paragraph, statement) in enumerate(found, 1):
        target = iri.target(doc_iri, str(n))
        indicator = resolver.resolve(statement.indicator)
        if indicator:
            concept = NamedNode(indicator.iri)
        else:
            name = squeeze(fold(statement.indicator))
            concept = iri.indicator(name)
            if name not in minted:
                minted.add(name)
                add((concept, RDF.type, GOV.Indicator))
                add((concept, RDF.type, SKOS.Concept))
                add((concept, SKOS.prefLabel, Literal(name)))
                add((concept, PROV.wasDerivedFrom, doc_iri))
        if paragraph.task is not None:
            stated_in = iri.task(doc_iri, paragraph.task)
        elif paragraph.section is not None:
            stated_in = iri.section(doc_iri, paragraph.section)
        else:
            stated_in = doc_iri
        add((target, RDF.type, GOV.Target))
        add((target, RDF.type, QB.Observation))
        add((target, QB.dataSet, dataset))
        add((target, GOV.indicator, concept))
        add((target, GOV.city, city))
        add((target, SDMX_DIMENSION.refArea, city))
        add((target, GOV.year, _int(doc.year)))
        add((target, SDMX_DIMENSION.refPeriod, Literal(str(doc.year), datatype=XSD.gYear)))
        _values(add, target, statement)
        add((target, GOV.start, _int(statement.start)))
        add((target, GOV.end, _int(statement.end)))
        add((target, GOV.statedIn, stated_in))
        add((target, PROV.wasDerivedFrom, doc_iri))
    return triples


def quantity_triples(task_iri: NamedNode, text: str, start_offset: int | None) -> list[tuple]:
    """The quantities of one task's text: ``task gov:quantity …/quantity/n``, each a ``gov:Quantity``.

    Parameters
    ----------
    task_iri
        The task (``kg.iri.task``).
    text
        The task's text: ideally the source as written, ``doc.text[start:end]`` of
        :func:`loaders.quantities.task_span` (markdown ``**`` inside is fine).
    start_offset
        The offset of ``text`` in the document; ``gov:start``/``gov:end`` are left out when None.

    >>> t = iri.task(iri.document("许昌市", 2026, "key-tasks"), "4")
    >>> rows = quantity_triples(t, "实施重大项目210个,完成投资700亿元以上。", 300)
    >>> sorted((s.value.rsplit("/", 1)[-1], p.value.rsplit("#", 1)[-1], o.value) for s, p, o in rows if p.value.endswith(("value", "measure", "qualifier", "start")))
    [('1', 'measure', '个'), ('1', 'start', '300'), ('1', 'value', '210'), ('2', 'measure', '亿元'), ('2', 'qualifier', '以上'), ('2', 'start', '311'), ('2', 'value', '700')]
    """
    triples: list[tuple] = []
    add = triples.append
    for n, q in enumerate(quantities(text, start_offset or 0), 1):
        node = iri.quantity(task_iri, n)
        add((task_iri, GOV.quantity, node))
        add((node, RDF.type, GOV.Quantity))
        _values(add, node, q)
        if start_offset is not None:
            add((node, GOV.start, _int(q.start)))
            add((node, GOV.end, _int(q.end)))
    return triples


def task_quantity_triples(doc: Document, doc_iri: NamedNode) -> list[tuple]:
    """The quantities of every task of ``doc`` except its target tasks (their numbers are targets)."""
    target_tasks = {p.task for p, _ in document_targets(doc) if p.task is not None}
    triples: list[tuple] = []
    for task in doc.tasks:
        if task.key in target_tasks:
            continue
        span = task_span(doc, task)
        text, offset = (doc.text[span[0]: span[1]], span[0]) if span else (task.text, None)
        triples += quantity_triples(iri.task(doc_iri, task.key), text, offset)
    return triples


def document_triples(doc: Document, doc_iri: NamedNode, *, resolver: IndicatorResolver | None = None) -> list[tuple]:
    """:func:`target_triples` and :func:`task_quantity_triples` of a document: what ``kg.build`` adds."""
    return target_triples(doc, doc_iri, resolver=resolver) + task_quantity_triples(doc, doc_iri)
