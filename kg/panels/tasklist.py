"""What the theme, place, project and indicator panels share: named-query rows as plain values, task lists.

>>> from pyoxigraph import Literal, NamedNode
>>> plain(Literal("2026", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
2026
>>> excerpt("一二三四五", 3)
'一二三…'
>>> per_city_year([{"city": "许昌市", "year": 2026}, {"city": "许昌市", "year": 2026}])
{('许昌市', 2026): 2}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.queries import get_query
from kg.store import Store

__all__ = ["plain", "select", "excerpt", "tasks", "per_city_year", "EXCERPT"]

EXCERPT = 80  # characters of a task's text shown in a panel's list

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger", "gYear")}


def plain(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | int | None:
    """A term as a JSON value: an IRI or a literal's lexical form, integers as ``int``."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value in _INTEGERS:
        try:
            return int(term.value)
        except ValueError:
            return term.value
    return term.value


def select(store: Store, name: str, params: dict[str, str]) -> list[dict]:
    """The rows of named query ``name`` bound with ``params``, every column present (None if unbound)."""
    query = get_query(name)
    return [{c: plain(row.get(c)) for c in query.columns} for row in store.select(query.bind(params), prefixes=PREFIXES)]


def excerpt(text: str, length: int = EXCERPT) -> str:
    """``text`` cut to ``length`` characters, with an ellipsis if it was longer."""
    return text if len(text) <= length else text[:length] + "…"


def tasks(store: Store, name: str, params: dict[str, str]) -> list[dict]:
    """A ``panel-*-tasks`` query's rows: task, doc, doc_title, city, year, kind, number, title, excerpt."""
    out = []
    for row in select(store, name, params):
        text = row.pop("text") or ""
        row["excerpt"] = excerpt(row.get("title") or text)
        out.append(row)
    return out


def per_city_year(rows: Iterable[dict]) -> dict[tuple[str, int], int]:
    """How many rows each (city, year) has."""
    return dict(Counter((r["city"], r["year"]) for r in rows))
