"""Themes (``ontology/themes.ttl``) and the tagger that gives a task its themes.

A text gets a theme when it contains one of the theme's keywords: the Chinese
prefLabel or an altLabel.  A keyword of three or more characters matches anywhere in
the text; a shorter one only as a whole word of the text's segmentation
(:func:`kg.text.words`), so 低保 does not fire inside 降低保费, and not as an item of a
list (教育 in 提高教育、医疗、养老等公共服务支出效率).  The section heading above a text counts too, but
only with support: a theme the heading names is added when the text itself contains
one of that theme's keywords or context words (skos:hiddenLabel), e.g. the heading
扎实推进乡村全面振兴 gives 乡村振兴 to 持续开展农村沟渠连通整治 (农村) but not to a task
under it about roads.  Pass the titles of all enclosing sections, outermost first,
joined by newlines.

>>> [t.rsplit("/", 1)[-1] for t in tag("围绕打造品质消费标杆之城,推广胖东来经验")]
['胖东来']
>>> [t.rsplit("/", 1)[-1] for t in tag("持续开展农村沟渠连通整治", heading="扎实推进乡村全面振兴")]
['乡村振兴']
>>> tag("持续开展农村沟渠连通整治")
[]

Notes
-----
Tagging is linear in the text: one segmentation (jieba, HMM off) and one pass over
the characters, looking keywords up by their first two characters.  The bundled
corpus (437 texts, 33,000 characters) tags in about 0.1 s once the tokenizer is built.
Precision and recall on an annotated sample: ``python -m tests.themes_eval``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.config import ONTOLOGY_DIR
from kg.namespaces import DCT, GOV, RDF, SKOS
from loaders.text import fold

__all__ = ["Theme", "THEMES_FILE", "read_themes", "themes", "find_theme", "Tagger", "default_tagger", "tag", "task_heading",
           "theme_triples"]

THEMES_FILE = ONTOLOGY_DIR / "themes.ttl"


@dataclass(frozen=True)
class Theme:
    """One theme of the scheme, as ``ontology/themes.ttl`` describes it."""

    iri: str
    name: str  # the zh prefLabel, also the last segment of the IRI
    labels: tuple[str, ...]  # every name of the theme: zh and en prefLabels, then altLabels
    keywords: tuple[str, ...]  # words that tag a text: the zh prefLabel and the altLabels, width-folded
    context: tuple[str, ...] = ()  # skos:hiddenLabel: words that confirm a theme the heading names
    english: str = ""  # the en prefLabel
    definition: str = ""  # the en skos:definition
    related: tuple[str, ...] = ()  # IRIs of skos:related themes


def read_themes(path: Path = THEMES_FILE) -> tuple[Theme, ...]:
    """The themes of a Turtle file, in the order the file describes them."""
    values: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    kinds: dict[str, None] = {}
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode):
            continue
        if triple.predicate == RDF.type and triple.object == GOV.Theme:
            kinds.setdefault(subject.value, None)
        values[subject.value][triple.predicate.value].append(triple.object)
    out = []
    for iri in kinds:
        v = values[iri]

        def literals(predicate, language=None):
            return [o.value for o in v[predicate.value]
                    if isinstance(o, ox.Literal) and (language is None or o.language == language)]

        zh = (literals(SKOS.prefLabel, "zh") or literals(SKOS.prefLabel))[:1]
        en = literals(SKOS.prefLabel, "en")[:1]
        if not zh:
            continue
        alt = literals(SKOS.altLabel)
        keywords = tuple(dict.fromkeys(fold(k) for k in zh + alt))
        out.append(Theme(
            iri=iri,
            name=zh[0],
            labels=tuple(dict.fromkeys(zh + en + alt)),
            keywords=keywords,
            context=tuple(dict.fromkeys(fold(k) for k in literals(SKOS.hiddenLabel))),
            english=en[0] if en else "",
            definition=(literals(SKOS.definition, "en") or [""])[0],
            related=tuple(o.value for o in v[SKOS.related.value] if isinstance(o, ox.NamedNode)),
        ))
    return tuple(out)


@lru_cache(maxsize=1)
def themes() -> tuple[Theme, ...]:
    """Every theme of ``ontology/themes.ttl`` (read once per process)."""
    return read_themes()


def find_theme(name: str) -> Theme | None:
    """The theme with this IRI, name, English name or alias (any case); None if there is none.

    >>> find_theme("郑许").name, find_theme("Zheng–Xu integration").name
    ('郑许一体化', '郑许一体化')
    """
    wanted = fold(name).strip().casefold()
    for theme in themes():
        if wanted == theme.iri.casefold() or any(wanted == fold(label).casefold() for label in theme.labels):
            return theme
    return None


class Tagger:
    """Tags texts with themes; see the module docstring for the rules.

    ``words`` segments a text into words (default: :func:`kg.text.words`).
    """

    def __init__(self, theme_list: tuple[Theme, ...], words=None):
        self.themes = theme_list
        self._words = words
        self._short: dict[str, set[int]] = defaultdict(set)  # 1-2 character keyword -> themes
        self._long: dict[str, list[tuple[str, int]]] = defaultdict(list)  # first 2 characters -> (keyword, theme)
        for i, theme in enumerate(theme_list):
            for keyword in theme.keywords:
                if len(keyword) <= 2:
                    self._short[keyword].add(i)
                else:
                    self._long[keyword[:2]].append((keyword, i))

    def _segment(self, text: str) -> list[str]:
        if self._words is None:
            from kg.text import words

            self._words = words
        return self._words(text)

    def _named(self, text: str) -> set[int]:
        """Indexes of the themes whose keywords ``text`` (folded) contains."""
        found: set[int] = set()
        short, long = self._short, self._long
        segmented = self._segment(text)
        last = len(segmented) - 1
        for n, word in enumerate(segmented):
            hit = short.get(word)
            if hit and not ((n > 0 and segmented[n - 1] == "、") or (n < last and segmented[n + 1] == "、")):
                found |= hit  # a short keyword in a list (教育、医疗、养老) names a sector, not a theme
        for start in range(len(text) - 2):
            candidates = long.get(text[start:start + 2])
            if candidates:
                for keyword, i in candidates:
                    if i not in found and text.startswith(keyword, start):
                        found.add(i)
        return found

    def _supports(self, text: str, i: int) -> bool:
        theme = self.themes[i]
        return any(word in text for word in theme.context) or any(word in text for word in theme.keywords)

    def _heading_themes(self, heading: str) -> frozenset[int]:
        """Themes a heading names; cached, since every task of a section shares its heading."""
        cache = self.__dict__.setdefault("_headings", {})
        if heading not in cache:
            cache[heading] = frozenset(self._named(fold(heading)))
        return cache[heading]

    def tag_indexes(self, text: str, heading: str | None = None) -> list[int]:
        text = fold(text)
        found = self._named(text)
        if heading:
            for i in self._heading_themes(heading) - found:
                if self._supports(text, i):
                    found.add(i)
        return sorted(found)

    def tag(self, text: str, heading: str | None = None) -> list[str]:
        """IRIs of the themes of ``text``, in scheme order; ``heading`` are the enclosing section titles."""
        return [self.themes[i].iri for i in self.tag_indexes(text, heading)]


@lru_cache(maxsize=1)
def default_tagger() -> Tagger:
    """The tagger over :func:`themes`, segmenting with :func:`kg.text.words`."""
    return Tagger(themes())


def tag(text: str, heading: str | None = None) -> list[str]:
    """IRIs of the themes of a task or paragraph; ``heading``: its section titles, outermost first."""
    return default_tagger().tag(text, heading)


def theme_triples(task: ox.NamedNode, text: str, heading: str | None = None) -> list[tuple]:
    """``(task, dct:subject, theme)`` for each theme of the task's text.

    >>> task = ox.NamedNode("https://w3id.org/govkg/id/doc/许昌市/2026/key-tasks/task/21")
    >>> [str(o) for _, _, o in theme_triples(task, "推广胖东来经验")]
    ['<https://w3id.org/govkg/id/theme/胖东来>']
    """
    return [(task, DCT.subject, ox.NamedNode(iri)) for iri in tag(text, heading)]


def task_heading(document, task) -> str | None:
    """The titles of the sections enclosing a task of a parsed document, outermost first, one per line.

    ``document`` and ``task`` are ``loaders.Document`` and one of its ``Task`` s; None when
    the task lies in no section.
    """
    sections = {section.key: section for section in document.sections}
    titles: list[str] = []
    key = task.section
    while key in sections and len(titles) < len(sections):
        titles.append(sections[key].title)
        key = sections[key].parent
    return "\n".join(reversed(titles)) or None
