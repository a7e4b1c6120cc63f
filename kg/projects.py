"""Projects and enterprises of a document -> triples of its graph.

Each task's text is read with :func:`loaders.projects.document_mentions`; a project
becomes a ``gov:Project`` minted per city from its normalised name (the same name in
the notice and the report of a city, or in two years, is one node), an enterprise a
``gov:Enterprise`` minted from its normalised short name (one node across cities)::

    <id/project/许昌市/胖东来梦之城> a gov:Project ; skos:prefLabel "胖东来梦之城" ;
        gov:investment 50.0 ; gov:investmentMeasure "亿元" ; gov:developedBy <id/enterprise/胖东来> .
    <id/doc/许昌市/2026/key-tasks/task/16> gov:mentionsProject <id/project/许昌市/胖东来梦之城> ;
        gov:mentionsEnterprise <id/enterprise/胖东来> .

The label is the normalised name (one ``skos:prefLabel`` whatever document describes
the node); a different spelling as written (``人民医院东院区项目``) is a ``skos:altLabel``.
An investment is stated by a document, so it lives in that document's graph only.

>>> from loaders.model import Document, Task
>>> task = Task("16", "16", "大力推进总投资50亿元的胖东来梦之城等418个重点项目", None, (), 0, 30, 1)
>>> doc = Document("x.txt", task.text, "utf-8", "key-tasks", "许昌市", 2026, "t", tasks=(task,))
>>> d = iri.document("许昌市", 2026, "key-tasks")
>>> def local(term):
...     return term.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
>>> for s, p, o in project_triples(doc, d, places=PlaceMatcher([])):
...     print(local(s), local(p), local(o))
胖东来梦之城 type Project
胖东来梦之城 prefLabel 胖东来梦之城
胖东来梦之城 investment 50
胖东来梦之城 investmentMeasure 亿元
16 mentionsProject 胖东来梦之城
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import Literal, NamedNode

from kg import iri
from kg.namespaces import GOV, RDF, SKOS, XSD
from kg.resolve import PlaceMatcher, city_iri, default_place_matcher
from loaders.model import Document, Task
from loaders.projects import document_mentions

__all__ = ["place_test", "project_triples"]


def place_test(city: str, places: PlaceMatcher) -> Callable[[str], bool]:
    """Whether a short name is a place of ``city``'s documents: the city itself, or one the gazetteer finds.

    >>> test = place_test("许昌市", PlaceMatcher([]))
    >>> test("许昌"), test("胖东来")
    (True, False)
    """
    city_node = city_iri(city).value
    own = {city, city.removesuffix("市")}

    def is_place(name: str) -> bool:
        return name in own or bool(places.find(name, city_node))

    return is_place


def project_triples(
    doc: Document,
    doc_iri: NamedNode,
    task_iri_of: Callable[[Task], NamedNode] | None = None,
    places: PlaceMatcher | None = None,
) -> list[tuple]:
    """Triples (subject, predicate, object) of the projects and enterprises ``doc``'s tasks mention.

    Parameters
    ----------
    doc
        The parsed document.
    doc_iri
        Its IRI (``iri.document(...)``), also the named graph the triples go into.
    task_iri_of
        The IRI of one of its tasks; default ``iri.task(doc_iri, task.key)``, as ``kg.build`` mints them.
    places
        The place matcher (default: the gazetteer's), for gov:locatedIn and to tell places from developers.

    Returns
    -------
    list of (NamedNode, NamedNode, term) triples, without repeats, in a deterministic order.
    """
    places = places or default_place_matcher()
    task_iri_of = task_iri_of or (lambda task: iri.task(doc_iri, task.key))
    city_node = city_iri(doc.city).value
    is_place = place_test(doc.city, places)
    triples: dict[tuple, None] = {}

    def add(s, p, o) -> None:
        triples.setdefault((s, p, o), None)

    mentions = document_mentions([t.text for t in doc.tasks], is_place=is_place)
    for task, (projects, enterprises) in zip(doc.tasks, mentions):
        t = task_iri_of(task)
        task_places = places.find(task.text, city_node)
        for e in enterprises:
            node = _enterprise(add, e.name, e.mention)
            add(t, GOV.mentionsEnterprise, node)
        for p in projects:
            node = iri.project(doc.city, p.name)
            add(node, RDF.type, GOV.Project)
            add(node, SKOS.prefLabel, Literal(p.name))
            written = "".join(p.mention.split())
            if written != p.name and not p.name.startswith(written):
                add(node, SKOS.altLabel, Literal(written))
            if p.investment is not None:
                add(node, GOV.investment, Literal(p.investment, datatype=XSD.decimal))
                add(node, GOV.investmentMeasure, Literal(p.measure or "亿元"))
            located = places.find(p.name, city_node) or (task_places if len(task_places) == 1 else [])
            for place in located:
                add(node, GOV.locatedIn, NamedNode(place))
            if p.developer:
                add(node, GOV.developedBy, _enterprise(add, p.developer, p.developer))
                add(t, GOV.mentionsEnterprise, iri.enterprise(p.developer))
            add(t, GOV.mentionsProject, node)
    return list(triples)


def _enterprise(add: Callable, name: str, written: str) -> NamedNode:
    node = iri.enterprise(name)
    add(node, RDF.type, GOV.Enterprise)
    add(node, SKOS.prefLabel, Literal(name))
    written = "".join(written.split())
    if written != name:
        add(node, SKOS.altLabel, Literal(written))
    return node
