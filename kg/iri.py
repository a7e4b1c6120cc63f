"""The ONE place data IRIs are minted.

IRIs are readable and deterministic: the same document always gives the same IRIs.
Chinese characters stay as they are (IRIs allow them); ASCII characters that are not
allowed in a path segment, and ``/``, are percent-encoded.

>>> str(unit("许昌市", "发展和改革委员会"))
'<https://w3id.org/govkg/id/unit/许昌市/发展和改革委员会>'
>>> str(task(document("许昌市", 2026, "key-tasks"), "16"))
'<https://w3id.org/govkg/id/doc/许昌市/2026/key-tasks/task/16>'
>>> segment("a b/c")
'a%20b%2Fc'
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from kg.config import setting

__all__ = [
    "base",
    "segment",
    "document",
    "section",
    "task",
    "assignment",
    "unit",
    "place",
    "graph",
    "skolem",
    "is_data_iri",
]

# RFC 3987 ipchar minus '/': unreserved ASCII, sub-delims, ':' and '@'; everything
# non-ASCII is kept (ucschar), other ASCII is percent-encoded.
_SAFE_ASCII = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@")


def base() -> str:
    """The base IRI of data (setting ``base``), always ending with ``/``."""
    b = setting("base")
    return b if b.endswith("/") else b + "/"


def segment(text: str) -> str:
    """Encode one path segment of an IRI."""
    out = []
    for ch in text:
        if ord(ch) > 127:
            out.append(ch if ch.isprintable() and not ch.isspace() else "".join(f"%{b:02X}" for b in ch.encode()))
        elif ch in _SAFE_ASCII:
            out.append(ch)
        else:
            out.append(f"%{ord(ch):02X}")
    return "".join(out)


def _mint(*parts: str | int) -> NamedNode:
    return NamedNode(base() + "/".join(segment(str(p)) for p in parts))


def document(city: str, year: int, kind: str) -> NamedNode:
    """A document: ``id/doc/{city}/{year}/{kind}``; also the IRI of its named graph."""
    return _mint("doc", city, year, kind)


def _child(parent: NamedNode, *parts: str | int) -> NamedNode:
    return NamedNode(parent.value + "/" + "/".join(segment(str(p)) for p in parts))


def section(doc: NamedNode, key: str) -> NamedNode:
    """A chapter or section of a document: ``…/sec/{key}`` (key like ``2`` or ``2.1``)."""
    return _child(doc, "sec", key)


def task(doc: NamedNode, key: str) -> NamedNode:
    """A numbered task or work item: ``…/task/{key}`` (the number as written, qualified if numbering restarts)."""
    return _child(doc, "task", key)


def assignment(task_iri: NamedNode, role: str, position: int) -> NamedNode:
    """One unit's assignment to a task: ``…/task/{key}/{role}/{position}``."""
    return _child(task_iri, role, position)


def unit(city: str, name: str) -> NamedNode:
    """A government unit inside a city's jurisdiction: ``id/unit/{city}/{name}``."""
    return _mint("unit", city, name)


def place(*path: str) -> NamedNode:
    """A place: ``id/place/{name}`` or ``id/place/{city}/{county}`` …"""
    return _mint("place", *path)


def graph(name: str) -> NamedNode:
    """A named graph that is not a document's: ``id/graph/{name}`` (authority, centrality …)."""
    return _mint("graph", name)


def skolem(graph: NamedNode, label: str) -> NamedNode:
    """A skolem IRI for a blank node of curated data (RFC 7511 ``.well-known/genid``)."""
    return NamedNode(base() + ".well-known/genid/" + segment(graph.value.rsplit("/", 1)[-1]) + "-" + segment(label))


def is_data_iri(iri: str) -> bool:
    """Whether an IRI string lies under the data base."""
    return iri.startswith(base())
