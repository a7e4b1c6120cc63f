"""The gazetteer: cities known to govkg, read from the curated ``ontology/places-*.ttl``.

A city is a ``gov:City`` of those files: its IRI, its full name (``skos:prefLabel``),
the short names it is also written as (``skos:altLabel``: 许昌 for 许昌市), and the
one-character 简称 its government uses in document numbers (``gov:abbreviation``:
许 in 许政〔2020〕20号, 宛 for 南阳市).  The files are read once per process.

>>> xuchang = next(city for city in cities() if city.name == "许昌市")
>>> xuchang.short_names, xuchang.abbreviation
(('许昌',), '许')
>>> xuchang.iri
'https://w3id.org/govkg/id/place/许昌市'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from kg.config import ONTOLOGY_DIR
from kg.namespaces import GOV as _GOV

__all__ = ["City", "cities"]

_gov = Namespace(_GOV.base)


@dataclass(frozen=True)
class City:
    """A city of the gazetteer (a ``gov:City``)."""

    iri: str
    name: str  # full name, e.g. 许昌市
    short_names: tuple[str, ...]  # other names it is written as, e.g. ("许昌",)
    abbreviation: str | None  # 简称 in document numbers, e.g. 许; None if unknown


@lru_cache(maxsize=1)
def cities() -> tuple[City, ...]:
    """Every ``gov:City`` in ``ontology/places-*.ttl``, ordered by division code, then name.

    Returns
    -------
    tuple[City, ...]
        Cities with their Chinese names; read on the first call, cached afterwards.

    Notes
    -----
    Names are the ``@zh`` (or untagged) labels.  The order is that of the
    administrative division code (``dct:identifier``, GB/T 2260) where the file gives
    one, which groups cities by province; cities without a code come last, by name.
    """
    graph = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("places-*.ttl")):
        graph.parse(path, format="turtle")
    found = []
    for iri in set(graph.subjects(RDF.type, _gov.City)):
        names = _chinese(graph.objects(iri, SKOS.prefLabel))
        if not isinstance(iri, URIRef) or not names:
            continue  # a blank node or a nameless city cannot be looked up; shapes.ttl flags it
        abbreviation = _chinese(graph.objects(iri, _gov.abbreviation))
        codes = sorted(str(code) for code in graph.objects(iri, DCTERMS.identifier))
        city = City(
            iri=str(iri),
            name=names[0],
            short_names=tuple(name for name in _chinese(graph.objects(iri, SKOS.altLabel)) if name != names[0]),
            abbreviation=abbreviation[0] if abbreviation else None,
        )
        found.append(((codes[0] if codes else "\uffff"), city.name, city))
    return tuple(city for _, _, city in sorted(found, key=lambda entry: entry[:2]))


def _chinese(labels) -> list[str]:
    """The values of ``labels`` tagged ``zh`` (any ``zh-*``) or untagged, sorted."""
    return sorted(
        str(label)
        for label in labels
        if isinstance(label, Literal) and (label.language is None or label.language.lower().split("-")[0] == "zh")
    )
