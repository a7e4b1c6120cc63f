"""Test helpers: which ``gov:`` terms the ontology defines, and which terms data uses but it does not.

A term is *defined* when ``ontology/govkg.ttl`` types it as ``owl:Class``,
``owl:ObjectProperty``, ``owl:DatatypeProperty``, ``skos:Concept`` or
``skos:ConceptScheme``.

>>> from rdflib import Graph
>>> data = Graph().parse(format="turtle", data='''
...     @prefix gov: <https://w3id.org/govkg/ontology#> .
...     <t> a gov:Task ; gov:inDocumnt <d> ; gov:assignment [ a gov:Assignment ] .''')
>>> sorted(undefined_terms(data))
['https://w3id.org/govkg/ontology#inDocumnt']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from pyoxigraph import NamedNode
from rdflib import OWL, RDF, SKOS, Dataset, Graph, URIRef
from rdflib.graph import ConjunctiveGraph

from kg.config import ONTOLOGY_DIR
from kg.namespaces import GOV

__all__ = ["DEFINING_TYPES", "ontology", "defined_terms", "undefined_terms", "gov_terms_used"]

DEFINING_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme)
"""An ``rdf:type`` of one of these in ``govkg.ttl`` defines its subject."""


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """``ontology/govkg.ttl``, parsed once."""
    return Graph().parse(ONTOLOGY_DIR / "govkg.ttl", format="turtle")


@lru_cache(maxsize=1)
def defined_terms() -> frozenset[str]:
    """IRIs of the ``gov:`` terms ``govkg.ttl`` defines."""
    graph = ontology()
    return frozenset(
        str(subject)
        for kind in DEFINING_TYPES
        for subject in graph.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and str(subject).startswith(GOV.base)
    )


def _triples(data) -> Iterator[tuple]:
    """Triples of an rdflib Graph, of every graph of a Dataset, or (s, p, o) of pyoxigraph quads."""
    if isinstance(data, (Dataset, ConjunctiveGraph)):
        for subject, predicate, obj, _ in data.quads((None, None, None, None)):
            yield subject, predicate, obj
    elif isinstance(data, Graph):
        yield from data
    else:  # a pyoxigraph Store, or any iterable of quads/triples with .subject/.predicate/.object
        for quad in data:
            yield quad.subject, quad.predicate, quad.object


def gov_terms_used(data: Graph | Dataset | Iterable) -> set[str]:
    """IRIs in the ``gov:`` namespace that ``data`` uses, in any position.

    Predicates and ``rdf:type`` objects are the classes and properties of the data;
    other positions catch a misspelt individual (``prov:hadRole gov:Leed``).
    """
    used = set()
    for triple in _triples(data):
        for term in triple:
            if isinstance(term, URIRef):
                iri = str(term)
            elif isinstance(term, NamedNode):
                iri = term.value
            else:
                continue
            if iri.startswith(GOV.base):
                used.add(iri)
    return used


def undefined_terms(data: Graph | Dataset | Iterable) -> set[str]:
    """IRIs of ``gov:`` terms ``data`` uses that ``ontology/govkg.ttl`` does not define.

    Parameters
    ----------
    data
        An rdflib ``Graph`` or ``Dataset`` (all its graphs are read), or a
        ``pyoxigraph.Store`` / any iterable of pyoxigraph quads or triples.

    Returns
    -------
    set[str]
        Full IRIs, e.g. ``{'https://w3id.org/govkg/ontology#inDocumnt'}``; empty when
        every term is defined.
    """
    return gov_terms_used(data) - defined_terms()
