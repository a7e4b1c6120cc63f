"""Mentions -> canonical entities: which unit a name in a document denotes, which places a text names.

Resolution always happens inside the document's jurisdiction: 济源's units are written
without 市, and 许昌's 市财政局 is not 济源's 财政金融局.  A name is looked up among
the labels and aliases of the city's units in the authority data (``ontology/units-*.ttl``),
first as written (width folded, stray spaces removed), then by a lossy *match key* that
forgives the usual variations (市 prefix, 和, 委员会/委, 管理局/局, 监督管理/监管,
人民政府/政府).  A name that matches nothing, or more than one unit, becomes a unit of
its own, minted from :func:`unit_key`; ``govkg units --unresolved`` lists those.
Curated aliases belong in ontology/, never in this module.

>>> unit_key("许昌市", "市发展和改革委员会")
'发展和改革委员会'
>>> unit_key("济源市", "市场监督管理局"), unit_key("许昌市", "市市场监督管理局")
('市场监督管理局', '市场监督管理局')
>>> unit_key("许昌市", "各县〔市、区〕政府〔管委会〕")
'各县(市、区)政府(管委会)'
>>> unit_key("许昌市", "市 财政局"), unit_key("许昌市", "许昌市人民政府")
('财政局', '人民政府')
>>> match_key("许昌市", "市发展和改革委员会") == match_key("许昌市", "许昌市发展改革委")
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import NamedNode

from kg import iri
from loaders.text import fold

__all__ = ["unit_key", "unit_label", "match_key", "unit_iri", "city_iri", "Resolution", "Resolver", "default_resolver",
           "PlaceMatcher", "default_place_matcher", "UnitMatcher", "default_unit_matcher"]

# Prefixes where 市 is part of the name, not "the city's": 市场…, 市委…, 市政府…, 市直…
_KEEP_SHI = re.compile(r"^市(?:场|委|政府|直|属|人大|政协|中级|级)")


def _plain(name: str) -> str:
    return re.sub(r"\s+", "", fold(name))


def unit_key(city: str, name: str) -> str:
    """The IRI key of a unit named ``name`` in ``city``: folded, no spaces, no 'the city's' prefix."""
    key = _plain(name)
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


_MATCH_RULES = (
    (re.compile(r"^(?:中共|中国共产党)"), ""),
    (re.compile(r"监督管理"), "监管"),
    (re.compile(r"委员会$"), "委"),
    (re.compile(r"管理局$"), "局"),
    (re.compile(r"人民政府$"), "政府"),
    (re.compile(r"办公室$"), "办"),
    (re.compile(r"和"), ""),
    (re.compile(r"[“”\"'()]"), ""),
)


def match_key(city: str, name: str) -> str:
    """A lossy key under which spelling variants of one unit's name meet (for lookup only)."""
    key = unit_key(city, name)
    short = city[:-1] if city.endswith("市") else city
    if key.startswith(short) and len(key) > len(short) + 2:  # 许昌X / 济源X, once the 市 form is gone
        key = key[len(short):]
    for pattern, replacement in _MATCH_RULES:
        key = pattern.sub(replacement, key)
    return key


def unit_label(name: str) -> str:
    """The label a unit minted from a mention gets: folded width, no stray spaces.

    >>> unit_label("各县〔市、区〕政府〔管委会〕"), unit_label("市 财政局")
    ('各县(市、区)政府(管委会)', '市财政局')
    """
    return _plain(name)


def unit_iri(city: str, name: str) -> NamedNode:
    """The IRI minted for a unit name that the authority data does not know."""
    return iri.unit(city, unit_key(city, name))


def city_iri(city: str) -> NamedNode:
    return iri.place(city)


@dataclass(frozen=True)
class Resolution:
    unit: NamedNode
    known: bool  # described in the authority data
    label: str  # the unit's label: the authority prefLabel, or the name as written (folded)
    collective: bool


class Resolver:
    """Looks unit names up among one city's authority units.

    >>> from kg.authority import AuthorityUnit
    >>> r = Resolver([AuthorityUnit("https://w3id.org/govkg/id/unit/许昌市/科学技术局", "许昌市", "市科学技术局",
    ...                             ("市科学技术局", "市科技局"), False, None, None)])
    >>> r.resolve("许昌市", "市科技局").unit.value.rsplit("/", 1)[-1], r.resolve("济源市", "市科技局").known
    ('科学技术局', False)
    """

    def __init__(self, units: Iterable):
        self._exact: dict[tuple[str, str], set] = defaultdict(set)
        self._keyed: dict[tuple[str, str], set] = defaultdict(set)
        for u in units:
            for label in u.labels:
                self._exact[(u.city, _plain(label))].add(u)
                self._exact[(u.city, unit_key(u.city, label))].add(u)
                self._keyed[(u.city, match_key(u.city, label))].add(u)

    @lru_cache(maxsize=4096)
    def resolve(self, city: str, name: str, collective: bool = False) -> Resolution:
        for table, key in ((self._exact, _plain(name)), (self._exact, unit_key(city, name)), (self._keyed, match_key(city, name))):
            found = table.get((city, key), ())
            if len(found) == 1:
                (u,) = found
                return Resolution(NamedNode(u.iri), True, u.name, u.collective)
        return Resolution(unit_iri(city, name), False, unit_label(name), collective)


@lru_cache(maxsize=1)
def default_resolver() -> Resolver:
    """The resolver over the authority data in ontology/."""
    from kg.authority import units

    return Resolver(units())


_RIVER = "https://w3id.org/govkg/ontology#River"
_NAMES_AN_ORGANISATION = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,6}(?:集团|公司|大学|学院|农大|研究院|股份|银行)|(?:、[^、,;。]{1,8})*等(?:龙头|骨干|重点)?企业)"
)
_RIVER_CONTEXT = re.compile(
    r"^(?:[^\u4e00-\u9fff]|$|流域|沿线|沿岸|两岸|干流|支流|湿地|生态|岸|段|河道|河段|治理|水系|通航|滩|故道|文化|国家文化|保护|廊道|及|和|水|等|、)"
)


class PlaceMatcher:
    """Finds the places a text names: the gazetteer's labels, longest first, inside the document's city.

    Divisions of another city (its counties, townships) are not matched, so 许昌's 东城区
    is never found in another city's text; cities, provinces and landmarks are.
    """

    def __init__(self, places: Iterable):
        by_label: dict[str, list] = defaultdict(list)
        self._city_of: dict[str, str | None] = {}
        places = list(places)
        parents = {p.iri: p.contained_in for p in places}
        kinds = {p.iri: p.kind for p in places}
        for p in places:
            self._city_of[p.iri] = self._enclosing_city(p.iri, parents, kinds)
            for label in p.labels:
                if len(label) >= 2:
                    by_label[_plain(label)].append(p)
        self._by_label = dict(by_label)
        self._kinds = kinds
        labels = sorted(self._by_label, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, labels))) if labels else None

    @staticmethod
    def _enclosing_city(place: str, parents: dict, kinds: dict) -> str | None:
        seen = set()
        while place and place not in seen:
            seen.add(place)
            if kinds.get(place) == "City":
                return place
            place = parents.get(place)
        return None

    def knows(self, place: str) -> bool:
        """Whether a place IRI is described in the gazetteer."""
        return place in self._kinds

    def find(self, text: str, city_iri: str) -> list[str]:
        """IRIs of the places named in ``text`` (a document of ``city_iri``), in order, without repeats.

        A name that is part of an organisation's or brand's name is not a mention of the
        place: 郑州大学, 河南农大, 黄河集团, 许继、远东、黄河等龙头企业; a river's name must be
        followed by words that talk about a river (黄河流域, 黄河湿地, 黄河及其支流), so
        黄河旋风 (a company) and 黄河大道 (a road) are not the river.
        """
        if self._pattern is None:
            return []
        folded = fold(text)
        found: dict[str, None] = {}
        for m in self._pattern.finditer(folded):
            after = folded[m.end(): m.end() + 24]
            if _NAMES_AN_ORGANISATION.match(after):
                continue
            candidates = [p for p in self._by_label[m.group(0)] if not (p.place_type == _RIVER and not _RIVER_CONTEXT.match(after))]
            local = [p for p in candidates if self._city_of.get(p.iri) == city_iri]
            allowed = local or [p for p in candidates if self._kinds[p.iri] not in ("County", "Township")]
            for p in allowed[:1]:
                if p.iri != city_iri:
                    found.setdefault(p.iri, None)
        return list(found)


@lru_cache(maxsize=1)
def default_place_matcher() -> PlaceMatcher:
    from kg.authority import places

    return PlaceMatcher(places())


class UnitMatcher:
    """Finds the units a running text names (a report's paragraph): labels and aliases of the
    city's authority units, longest first; collectives and names shorter than four
    characters (市委, 团市委) are left out, as they are words of prose more often than names.

    >>> from kg.authority import AuthorityUnit
    >>> m = UnitMatcher([AuthorityUnit("https://w3id.org/govkg/id/unit/许昌市/科学技术局", "许昌市", "市科学技术局",
    ...                                ("市科学技术局", "市科技局"), False, None, None)])
    >>> m.find("落细落实市科学技术局各项部署", "许昌市"), m.find("落细落实市科学技术局各项部署", "济源市")
    (['https://w3id.org/govkg/id/unit/许昌市/科学技术局'], [])
    """

    def __init__(self, units: Iterable):
        by_city: dict[str, dict[str, str]] = defaultdict(dict)
        for u in units:
            if u.collective:
                continue
            for label in u.labels:
                plain = _plain(label)
                if len(plain) >= 4:
                    by_city[u.city].setdefault(plain, u.iri)
        self._labels = dict(by_city)
        self._patterns = {city: re.compile("|".join(map(re.escape, sorted(labels, key=len, reverse=True))))
                          for city, labels in by_city.items() if labels}

    def find(self, text: str, city: str) -> list[str]:
        pattern = self._patterns.get(city)
        if pattern is None:
            return []
        labels = self._labels[city]
        return list(dict.fromkeys(labels[m.group(0)] for m in pattern.finditer(_plain(text))))


@lru_cache(maxsize=1)
def default_unit_matcher() -> UnitMatcher:
    from kg.authority import units

    return UnitMatcher(units())
