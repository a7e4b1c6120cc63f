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

from kg import authority

__all__ = ["City", "cities"]


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
        Read on the first call (through :mod:`kg.authority`), cached afterwards.

    Notes
    -----
    The order is that of the administrative division code (``dct:identifier``,
    GB/T 2260) where the file gives one, which groups cities by province; cities
    without a code come last, by name.
    """
    found = [p for p in authority.places() if p.kind == "City"]
    found.sort(key=lambda p: (p.identifier or "\uffff", p.name))
    return tuple(City(p.iri, p.name, tuple(l for l in p.labels if l != p.name), p.abbreviation) for p in found)
