"""Entities by IRI: what an entity says of itself, what points at it, its RDF description.

The web UI's entity pages call these and only these; the SPARQL lives in
``queries/entity-*.rq``.

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> from kg.store import open_store
>>> store = open_store(None)
>>> g, e = NamedNode("http://example.org/g"), NamedNode("http://example.org/e")
>>> store.replace_graph(g, [Quad(e, NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("许昌"), g)])
>>> describe(store, e.value).label
'许昌'
>>> describe(store, "http://example.org/nothing") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.namespaces import GOV, PREFIXES
from kg.queries import get_query
from kg.store import Store

__all__ = ["Statement", "Link", "Entity", "describe", "description"]

_LABELS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://purl.org/dc/terms/title",
           "http://www.w3.org/2000/01/rdf-schema#label")
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NUMBER = GOV.number.value
_IN_DOCUMENT = GOV.inDocument.value


@dataclass(frozen=True)
class Statement:
    property: str
    property_label: str | None
    value: ox.NamedNode | ox.Literal | ox.BlankNode
    value_label: str | None


@dataclass(frozen=True)
class Link:
    property: str
    property_label: str | None
    subjects: int
    example: str | None
    example_label: str | None


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str | None
    types: tuple[str, ...]
    statements: tuple[Statement, ...] = field(default=())
    links: tuple[Link, ...] = field(default=())

    @property
    def heading(self) -> str:
        """What to call the entity: its label; for a numbered part of a document without one
        (a task, an assignment) its document, kind and number; else its IRI.

        >>> task = Entity("https://w3id.org/govkg/id/doc/x/2026/key-tasks/task/78", None, (), (
        ...     Statement(_TYPE, None, ox.NamedNode("https://w3id.org/govkg/ontology#Task"), "任务"),
        ...     Statement(_NUMBER, None, ox.Literal("78"), None),
        ...     Statement(_IN_DOCUMENT, None, ox.NamedNode("https://w3id.org/govkg/id/doc/x/2026/key-tasks"), "x 2026 任务分解")))
        >>> task.heading
        'x 2026 任务分解 · 任务 78'
        """
        if self.label:
            return self.label
        def first(prop: str, label: bool) -> str | None:
            return next(((st.value_label if label else st.value.value) for st in self.statements
                         if st.property == prop and (st.value_label if label else st.value.value)), None)
        number, document, kind = first(_NUMBER, False), first(_IN_DOCUMENT, True), first(_TYPE, True)
        if number and document:
            return f"{document} · {kind + ' ' if kind else ''}{number}"
        return self.iri


def _rows(store: Store, name: str, iri: str) -> list[dict]:
    return store.select(get_query(name).bind({"entity": iri}), prefixes=PREFIXES)


def describe(store: Store, iri: str) -> Entity | None:
    """The entity at ``iri``, or None if the store says nothing of it and nothing points at it."""
    statements = tuple(
        Statement(r["property"].value, _value(r.get("property_label")), r["value"], _value(r.get("value_label")))
        for r in _rows(store, "entity-properties", iri)
    )
    links = tuple(
        Link(r["property"].value, _value(r.get("property_label")), int(r["subjects"].value),
             _value(r.get("example")), _value(r.get("example_label")))
        for r in _rows(store, "entity-links", iri)
    )
    if not statements and not links:
        return None
    label = _label(statements)
    types = tuple(dict.fromkeys(s.value.value for s in statements if s.property == _TYPE))
    return Entity(iri, label, types, statements, links)


def description(store: Store, iri: str, fmt: str) -> bytes:
    """The triples of which ``iri`` is the subject, serialised (turtle, ntriples, jsonld)."""
    from kg.store import RDF_FORMATS

    triples = list(store.query(get_query("entity-description").bind({"entity": iri}), prefixes=PREFIXES))
    kwargs = {"prefixes": PREFIXES} if fmt == "turtle" else {}
    return ox.serialize(triples, format=RDF_FORMATS[fmt], **kwargs)


def _label(statements: tuple[Statement, ...]) -> str | None:
    """The entity's name: its first label property that has one, in Chinese if it has one in Chinese.

    >>> names = (Statement(_LABELS[0], None, ox.Literal("education", language="en"), None),
    ...          Statement(_LABELS[0], None, ox.Literal("教育", language="zh"), None))
    >>> _label(names)
    '教育'
    """
    def rank(literal: ox.Literal) -> int:
        language = (literal.language or "").lower()
        return 0 if language.startswith("zh") else 1 if not language else 2

    for prop in _LABELS:
        found = [s.value for s in statements if s.property == prop and isinstance(s.value, ox.Literal)]
        if found:
            return min(found, key=rank).value
    return None


def _value(term) -> str | None:
    return None if term is None else term.value
