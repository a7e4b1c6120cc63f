"""Rows of a panel's named query as plain JSON values (shared by the unit, task and document panels).

>>> from pyoxigraph import Literal, NamedNode
>>> from kg.namespaces import XSD
>>> plain(Literal("5", datatype=XSD.integer)), plain(NamedNode("http://example.org/a")), plain(None)
(5, 'http://example.org/a', None)
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.queries import get_query
from kg.store import Store

__all__ = ["rows", "plain"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}


def plain(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | int | None:
    """A term as a JSON value: IRIs and strings as text, integers as numbers, blank nodes as ``_:id``."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value in _INTEGERS:
        try:
            return int(term.value)
        except ValueError:
            return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def rows(store: Store, name: str, **params: str) -> list[dict[str, str | int | None]]:
    """The rows of ``queries/NAME.rq`` with ``params`` bound, every column present (None if unbound)."""
    query = get_query(name)
    return [{column: plain(row.get(column)) for column in query.columns}
            for row in store.select(query.bind(params), prefixes=PREFIXES)]
