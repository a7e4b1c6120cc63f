"""The one door to storage: an embedded Oxigraph store on disk (read-write or read-only).

Each document lives in its own named graph, whose IRI is the document's IRI.  A graph
is replaced in one SPARQL Update transaction (``DROP SILENT GRAPH`` then ``INSERT
DATA``), so readers never see a document half-written or missing, and a failure leaves
the previous graph as it was.

>>> from pyoxigraph import NamedNode, Quad, Literal
>>> store = open_store(None)                       # in memory, for tests
>>> g = NamedNode("http://example.org/g")
>>> store.replace_graph(g, [Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal("许昌"), g)])
>>> store.quad_count()
1
>>> [row["o"].value for row in store.select("SELECT ?o WHERE { ?s ?p ?o }")]
['许昌']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError, StoreError

__all__ = ["Store", "open_store", "QUERY_RESULT_FORMATS", "RDF_FORMATS"]

QUERY_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}

_DATASET_CLAUSE = re.compile(r"\bFROM\s+(NAMED\s+)?<", re.IGNORECASE)


class Store:
    """A govkg store over one ``pyoxigraph.Store``.

    Queries see the union of all document graphs as their default graph, unless the
    query names its own dataset with ``FROM``.
    """

    def __init__(self, inner: ox.Store, *, path: Path | None, read_only: bool):
        self._inner = inner
        self.path = path
        self.read_only = read_only

    # -- writing -----------------------------------------------------------------
    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        """Make ``graph`` hold exactly ``quads``, in one transaction.

        An existing graph gets one SPARQL Update with only the differences (``DELETE
        DATA`` / ``INSERT DATA``): one transaction, so readers never see it empty or
        half-written, and an unchanged document costs one read.  A graph the store does
        not have yet is bulk-loaded (about twice as fast as a transaction); if that
        fails part-way, what it wrote is removed, so the document is there whole or not
        at all.  Quads must not contain blank nodes (they could not be deleted by value).
        """
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        new = dict.fromkeys(quads)
        try:
            if not self._inner.contains_named_graph(graph):
                try:
                    self._inner.bulk_extend(new)
                except BaseException:
                    self._inner.remove_graph(graph)
                    raise
                return
            old = set(self.quads(graph))
            removed = [q for q in old if q not in new]
            added = [q for q in new if q not in old]
            if not removed and not added:
                return
            # Terms are serialised by pyoxigraph (N-Triples syntax, escaped), not spliced text.
            parts = []
            if removed:
                parts.append(f"DELETE DATA {{ GRAPH {graph} {{\n{_triples(removed)}\n}} }}")
            if added:
                parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{_triples(added)}\n}} }}")
            self._inner.update(" ;\n".join(parts))
        except (SyntaxError, ValueError) as exc:  # a term that does not serialise: a bug, not input
            raise StoreError(f"could not write graph {graph.value}: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"could not write graph {graph.value} to {self.path}: {exc}") from exc

    def drop_graph(self, graph: ox.NamedNode) -> None:
        """Remove a graph and its quads."""
        self._inner.update(f"DROP SILENT GRAPH {graph}")

    def flush(self) -> None:
        if not self.read_only and self.path is not None:
            self._inner.flush()

    # -- reading -----------------------------------------------------------------
    def graphs(self) -> list[ox.NamedNode]:
        """Named graphs in the store, sorted by IRI."""
        return sorted((g for g in self._inner.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)

    def has_graph(self, graph: ox.NamedNode) -> bool:
        return self._inner.contains_named_graph(graph)

    def quads(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        """All quads, or those of one graph."""
        return self._inner.quads_for_pattern(None, None, None, graph)

    def quad_count(self, graph: ox.NamedNode | None = None) -> int:
        if graph is None:
            return len(self._inner)
        return sum(1 for _ in self.quads(graph))

    def query(self, sparql: str, *, prefixes: dict[str, str] | None = None):
        """Run any SPARQL query; returns pyoxigraph's result object (solutions, triples or bool)."""
        union = not _DATASET_CLAUSE.search(sparql)
        try:
            return self._inner.query(sparql, prefixes=prefixes, use_default_graph_as_union=union)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError, TypeError) as exc:
            raise QueryError(f"SPARQL evaluation failed: {exc}") from exc

    def select(self, sparql: str, **kwargs) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """Run a SELECT and return its rows as dicts of bound variables."""
        result = self.query(sparql, **kwargs)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def dump(self, fmt: str, *, graph: ox.NamedNode | None = None, prefixes: dict[str, str] | None = None) -> bytes:
        """Serialise one graph, or the whole store (datasets keep graphs, triple formats take the union)."""
        rdf_format = RDF_FORMATS[fmt]
        quads = self.quads(graph)
        if rdf_format.supports_datasets and graph is None:
            data = quads
        else:
            seen: dict[ox.Triple, None] = {}
            for q in quads:
                seen.setdefault(q.triple, None)
            data = sorted(seen, key=str)
        kwargs = {"prefixes": prefixes} if prefixes and fmt in ("turtle", "trig") else {}
        return ox.serialize(data, format=rdf_format, **kwargs)

    def dump_chunks(self, fmt: str, *, graph: ox.NamedNode | None = None,
                    prefixes: dict[str, str] | None = None) -> Iterator[bytes]:
        """Serialise one graph, or the whole store, one graph at a time (for streaming downloads).

        Unlike :meth:`dump`, a dataset format (TriG, N-Quads) keeps the graph's name for
        one graph too.  The whole store in a triple format is the union of its graphs,
        each triple once.  Each chunk is a complete document of the format (Turtle and
        TriG chunks repeat the prefixes), so their concatenation parses as one.

        >>> from pyoxigraph import Literal, NamedNode, Quad
        >>> store = open_store(None)
        >>> g = NamedNode("http://example.org/g")
        >>> store.replace_graph(g, [Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal("许昌"), g)])
        >>> b"".join(store.dump_chunks("nquads", graph=g)).decode()
        '<http://example.org/s> <http://example.org/p> "许昌" <http://example.org/g> .\\n'
        """
        rdf_format = RDF_FORMATS[fmt]
        kwargs = {"prefixes": prefixes} if prefixes and fmt in ("turtle", "trig") else {}
        graphs: list = [graph] if graph is not None else [ox.DefaultGraph(), *self.graphs()]
        seen: set[ox.Triple] = set()
        for g in graphs:
            quads = self._inner.quads_for_pattern(None, None, None, g)
            if rdf_format.supports_datasets:
                data = list(quads)
            elif graph is not None:
                data = [q.triple for q in quads]
            else:
                data = []
                for q in quads:
                    if q.triple not in seen:
                        seen.add(q.triple)
                        data.append(q.triple)
            if data:
                yield ox.serialize(data, format=rdf_format, **kwargs)

    def close(self) -> None:
        self.flush()
        self._inner = None  # pyoxigraph closes on drop


def _triples(quads: Iterable[ox.Quad]) -> str:
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def open_store(path: str | Path | None, *, read_only: bool = False, create: bool = True) -> Store:
    """Open the store at ``path`` (``None``: a fresh in-memory store)."""
    if path is None:
        return Store(ox.Store(), path=None, read_only=False)
    path = Path(path)
    if read_only or not create:
        if not (path / "CURRENT").exists():
            raise StoreError(f"no store at {path}: run `govkg build --store {path}` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        inner = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreError(f"store {path} is in use by another process (a running `govkg build` or `govkg serve`?)") from exc
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    return Store(inner, path=path, read_only=read_only)
