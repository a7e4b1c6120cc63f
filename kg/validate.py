"""SHACL validation of the store with pySHACL against ``ontology/shapes.ttl``.

The data graph is the union of the document graphs; the ontology is given to pySHACL
as the ontology graph so class hierarchies are known.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.config import ONTOLOGY_DIR
from kg.store import Store

__all__ = ["ValidationReport", "validate", "validate_graph"]


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: int
    text: str


def validate_graph(data) -> ValidationReport:
    """Validate an rdflib Graph."""
    import pyshacl
    from rdflib import Graph

    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    ontology = Graph().parse(ONTOLOGY_DIR / "govkg.ttl", format="turtle")
    conforms, results_graph, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True, allow_warnings=True
    )
    from rdflib.namespace import SH

    violations = len(list(results_graph.subjects(SH.resultSeverity, SH.Violation)))
    return ValidationReport(bool(conforms), violations, text.strip())


def validate(store: Store) -> ValidationReport:
    """Validate the union of the store's document graphs."""
    from rdflib import Graph

    from kg.build import ONTOLOGY_GRAPH

    data = Graph()
    for graph in store.graphs():
        if graph != ONTOLOGY_GRAPH:
            data.parse(data=store.dump("ntriples", graph=graph).decode("utf-8"), format="nt")
    return validate_graph(data)
