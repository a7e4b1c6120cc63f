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
    "plan",
    "target",
    "target_dataset",
    "quantity",
    "indicator",
    "theme",
    "project",
    "enterprise",
    "graph",
    "skolem",
    "centrality_result",
    "centrality_score",
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


def plan(city: str, year: int) -> NamedNode:
    """A city's plan for a year (the report and the notice of that year belong to it): ``id/plan/{city}/{year}``."""
    return _mint("plan", city, year)


def target(doc: NamedNode, key: str) -> NamedNode:
    """A target (a Data Cube observation) stated in a document: ``…/target/{key}``."""
    return _child(doc, "target", key)


def target_dataset(doc: NamedNode) -> NamedNode:
    """The Data Cube dataset (qb:DataSet) of a document's targets: ``…/targets``."""
    return _child(doc, "targets")


def quantity(task_iri: NamedNode, n: int) -> NamedNode:
    """The n-th quantity named in a task's text: ``…/task/{key}/quantity/{n}``."""
    return _child(task_iri, "quantity", n)


def indicator(name: str) -> NamedNode:
    """An indicator concept (经济增长, 城镇调查失业率 …): ``id/indicator/{name}``."""
    return _mint("indicator", name)


def theme(name: str) -> NamedNode:
    """A theme concept (郑许一体化, 胖东来 …): ``id/theme/{name}``."""
    return _mint("theme", name)


def project(city: str, name: str) -> NamedNode:
    """A named project in a city: ``id/project/{city}/{name}``."""
    return _mint("project", city, name)


def enterprise(name: str) -> NamedNode:
    """An enterprise, by its short name as the documents write it: ``id/enterprise/{name}``."""
    return _mint("enterprise", name)


def graph(name: str) -> NamedNode:
    """A named graph that is not a document's: ``id/graph/{name}`` (authority, centrality …)."""
    return _mint("graph", name)


def skolem(graph: NamedNode, label: str) -> NamedNode:
    """A skolem IRI for a blank node of curated data (RFC 7511 ``.well-known/genid``)."""
    return NamedNode(base() + ".well-known/genid/" + segment(graph.value.rsplit("/", 1)[-1]) + "-" + segment(label))


def is_data_iri(iri: str) -> bool:
    """Whether an IRI string lies under the data base."""
    return iri.startswith(base())


def from_path(path: str) -> NamedNode:
    """The data IRI of a path under the base (``unit/许昌市/财政局``), each segment encoded as when minted.

    >>> from_path("doc/许昌市/2026/key-tasks") == document("许昌市", 2026, "key-tasks")
    True
    """
    return _mint(*path.split("/"))


def path_of(iri: str) -> str | None:
    """The part of a data IRI after the base, or None for an IRI outside it (the inverse of :func:`from_path`).

    >>> path_of(document("许昌市", 2026, "key-tasks").value)
    'doc/许昌市/2026/key-tasks'
    """
    return iri[len(base()):] if is_data_iri(iri) else None


def centrality_result(city: str | None, year: int | None, kind: str, options: tuple[str, ...] = ()) -> NamedNode:
    """A stored centrality result, also the named graph that holds it.

    ``id/graph/centrality/{city}/{year}/{kind}[/{option}…]``: ``all`` stands for a city
    or year not given; options name the other parameters that differ from their
    defaults, as ``name=value`` (``theme=郑许一体化``, ``collectives=expand``).

    >>> centrality_result("许昌市", 2026, "co-assignment", ("role=lead",)).value
    'https://w3id.org/govkg/id/graph/centrality/许昌市/2026/co-assignment/role=lead'
    """
    return _mint("graph", "centrality", city or "all", "all" if year is None else year, kind, *options)


def centrality_score(result: NamedNode, metric: str, rank: int) -> NamedNode:
    """One unit's score in a stored centrality result: ``…/{metric}/{rank}``."""
    return _child(result, metric, rank)
