"""The built graph against the ontology: every term defined, SHACL conforms, a broken graph does not."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from kg import iri
from kg.namespaces import GOV
from kg.validate import validate
from tests.ontology_utils import undefined_terms


def test_every_term_used_in_data_is_defined(built_store):
    assert undefined_terms(built_store._inner) == set()


def test_bundled_corpus_conforms(built_store):
    report = validate(built_store)
    assert report.conforms, report.text[:2000]


def test_broken_graph_does_not_conform(built_store, tmp_path):
    from kg.store import open_store

    broken = open_store(None)
    doc = iri.document("济源市", 2021, "key-tasks")
    documents = {d.value for d in built_store.graphs() if "/doc/" in d.value}
    for graph in built_store.graphs():  # this document, the ontology and the authority data
        if graph.value not in documents or graph == doc:
            broken.replace_graph(graph, built_store.quads(graph))
    task = iri.task(doc, "9")
    # An assignment without a unit, and a second, contradictory position.
    removed = [q for q in broken.quads(doc) if q.predicate.value.endswith("#agent") and q.subject.value.startswith(task.value + "/lead/")]
    assert removed
    kept = [q for q in broken.quads(doc) if q not in removed]
    kept.append(Quad(removed[0].subject, GOV.position, Literal("7", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")), doc))
    broken.replace_graph(doc, kept)
    report = validate(broken)
    assert not report.conforms
    assert report.violations >= 2
    assert removed[0].subject.value in report.text
