"""Curated authority data (``ontology/places-*.ttl``, ``ontology/units-*.ttl``), read once per process.

The Turtle files are the one place aliases, unit types, jurisdictions and places are
written down; this module only reads them (with pyoxigraph: fast to import, fast to
parse) into plain records for the resolver and the gazetteer.

>>> xuchang = next(p for p in places() if p.iri.endswith("/place/许昌市"))
>>> xuchang.name, "许昌" in xuchang.labels, xuchang.kind
('许昌市', True, 'City')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.config import ONTOLOGY_DIR
from kg.namespaces import DCT, GOV, ORG, RDF, SKOS

__all__ = ["AuthorityUnit", "AuthorityPlace", "units", "places", "authority_files", "graph"]

@dataclass(frozen=True)
class AuthorityUnit:
    iri: str
    city: str  # the jurisdiction's city, from the IRI path id/unit/{city}/…
    name: str  # skos:prefLabel
    labels: tuple[str, ...]  # prefLabel first, then altLabels
    collective: bool
    classification: str | None
    jurisdiction: str | None


@dataclass(frozen=True)
class AuthorityPlace:
    iri: str
    name: str
    labels: tuple[str, ...]  # prefLabel first, then altLabels
    kind: str  # Province, City, County, Township or Place
    contained_in: str | None
    abbreviation: str | None
    identifier: str | None
    place_type: str | None = None  # IRI of a gov:PlaceType (river, lake, …) for places that are not divisions


def authority_files(patterns: tuple[str, ...] = ("places-*.ttl", "units-*.ttl")) -> list[Path]:
    return sorted(f for pattern in patterns for f in ONTOLOGY_DIR.glob(pattern))


@lru_cache(maxsize=1)
def graph() -> ox.Store:
    """An in-memory store holding every authority file (default graph)."""
    store = ox.Store()
    for path in authority_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _values(store: ox.Store, subject, predicate) -> list[str]:
    return [q.object.value for q in store.quads_for_pattern(subject, predicate, None)]


def _labels(store: ox.Store, subject) -> tuple[str, tuple[str, ...]]:
    pref = sorted(_values(store, subject, SKOS.prefLabel))
    alt = sorted(set(_values(store, subject, SKOS.altLabel)) - set(pref))
    return (pref[0] if pref else ""), tuple(pref[:1] + alt)


@lru_cache(maxsize=1)
def units() -> tuple[AuthorityUnit, ...]:
    """Every ``gov:Unit`` of the authority files."""
    store = graph()
    out = []
    collectives = {q.subject for q in store.quads_for_pattern(None, RDF.type, GOV.CollectiveUnit)}
    for q in store.quads_for_pattern(None, RDF.type, GOV.Unit):
        subject = q.subject
        if not isinstance(subject, ox.NamedNode) or "/unit/" not in subject.value:
            continue
        name, labels = _labels(store, subject)
        if not name:
            continue
        city = subject.value.split("/unit/", 1)[1].split("/", 1)[0]
        classification = _values(store, subject, ORG.classification)
        jurisdiction = _values(store, subject, GOV.jurisdiction)
        out.append(AuthorityUnit(subject.value, _unquote(city), name, labels, subject in collectives,
                                 classification[0] if classification else None, jurisdiction[0] if jurisdiction else None))
    return tuple(sorted(out, key=lambda u: u.iri))


@lru_cache(maxsize=1)
def places() -> tuple[AuthorityPlace, ...]:
    """Every place of the authority files, with its most specific class."""
    store = graph()
    kinds: dict[ox.NamedNode, str] = {}
    for kind in ("Township", "County", "City", "Province", "Place"):  # most specific first
        for q in store.quads_for_pattern(None, RDF.type, getattr(GOV, kind)):
            if isinstance(q.subject, ox.NamedNode):
                kinds.setdefault(q.subject, kind)
    out = []
    for subject, kind in kinds.items():
        name, labels = _labels(store, subject)
        if not name:
            continue
        contained = _values(store, subject, GOV.containedIn)
        abbreviation = _values(store, subject, GOV.abbreviation)
        identifier = _values(store, subject, DCT.identifier)
        place_type = _values(store, subject, GOV.placeType)
        out.append(AuthorityPlace(subject.value, name, labels, kind, contained[0] if contained else None,
                                  abbreviation[0] if abbreviation else None, identifier[0] if identifier else None,
                                  place_type[0] if place_type else None))
    return tuple(sorted(out, key=lambda p: p.iri))


def _unquote(segment: str) -> str:
    from urllib.parse import unquote

    return unquote(segment)
