"""Mentions -> canonical entities: which unit IRI a unit name in a document denotes.

Resolution always happens inside the document's jurisdiction: 济源's units are written
without 市, and 许昌's 市财政局 is not 济源's 财政金融局.  This module holds the
normalisation rules; curated aliases belong in ontology/ (authority data), not here.

>>> unit_key("许昌市", "市发展和改革委员会")
'发展和改革委员会'
>>> unit_key("济源市", "市场监督管理局"), unit_key("许昌市", "市市场监督管理局")
('市场监督管理局', '市场监督管理局')
>>> unit_key("许昌市", "各县〔市、区〕政府〔管委会〕")
'各县(市、区)政府(管委会)'
>>> unit_key("许昌市", "市 财政局"), unit_key("许昌市", "许昌市人民政府")
('财政局', '人民政府')
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from kg import iri
from loaders.text import fold

__all__ = ["unit_key", "unit_label", "unit_iri", "city_iri"]

# Prefixes where 市 is part of the name, not "the city's": 市场…, 市委…, 市政府…, 市直…
_KEEP_SHI = re.compile(r"^市(?:场|委|政府|直|属|人大|政协|中级|级)")


def unit_key(city: str, name: str) -> str:
    """The IRI key of a unit named ``name`` in ``city``: folded, no spaces, no 'the city's' prefix."""
    key = re.sub(r"\s+", "", fold(name))
    short = city[:-1] if city.endswith("市") else city
    for prefix in (city, short + "市"):
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            key = key[len(prefix):]
            break
    if key.startswith("市市"):
        key = key[1:]
    elif key.startswith("市") and not _KEEP_SHI.match(key) and len(key) > 2:
        key = key[1:]
    return key


def unit_label(name: str) -> str:
    """The label a unit minted from a mention gets: folded width, no stray spaces.

    >>> unit_label("各县〔市、区〕政府〔管委会〕"), unit_label("市 财政局")
    ('各县(市、区)政府(管委会)', '市财政局')
    """
    return re.sub(r"\s+", "", fold(name))


def unit_iri(city: str, name: str) -> NamedNode:
    """The unit IRI for a name as written in a document of ``city``."""
    return iri.unit(city, unit_key(city, name))


def city_iri(city: str) -> NamedNode:
    return iri.place(city)
