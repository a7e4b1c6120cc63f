"""SPARQL result formats and their writers (choosing one by Accept is :mod:`webui.results`).

SELECT and ASK answer in SPARQL Results JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE
in Turtle, N-Triples, JSON-LD or RDF/XML; both also as an HTML page for browsers.
Without an Accept header (or with ``*/*``) the first format of each table is used.

A SELECT is cut at ``row_cap`` rows: the first ``row_cap + 1`` solutions are read
(so the cut is known), written as SPARQL TSV (each term in its N-Triples form, which
pyoxigraph prints), and that TSV is parsed back by pyoxigraph and written in the
requested format, so every format comes from pyoxigraph's own writers.

>>> import pyoxigraph as ox
>>> rows = ox.Store().query("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")
>>> body, truncated = write_solutions(rows, SOLUTION_FORMATS[0], row_cap=2)
>>> body.decode(), truncated
('{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"1","datatype":"http://www.w3.org/2001/XMLSchema#integer"}},{"n":{"type":"literal","value":"2","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from kg.errors import QueryError
from kg.namespaces import PREFIXES

__all__ = [
    "ResultFormat",
    "SOLUTION_FORMATS",
    "GRAPH_FORMATS",
    "read_solutions",
    "write_solutions",
    "write_boolean",
    "write_graph",
    "display_term",
]


@dataclass(frozen=True)
class ResultFormat:
    """One answer format: its name, the Content-Type it is sent with, and what asks for it."""

    name: str
    content_type: str
    accepts: tuple[str, ...]  # media types in Accept that this format answers
    aliases: tuple[str, ...]  # values of format=, output=, results= (media types work too)
    writer: ox.QueryResultsFormat | ox.RdfFormat | None  # None: the HTML page

    def answers(self, value: str) -> bool:
        value = value.split(";", 1)[0].strip().lower()
        return value in self.aliases or value in self.accepts


_HTML_ACCEPTS = ("text/html", "application/xhtml+xml")

SOLUTION_FORMATS = (
    ResultFormat(
        "json",
        "application/sparql-results+json",
        ("application/sparql-results+json", "application/json", "text/javascript", "application/javascript"),
        ("json", "srj"),
        ox.QueryResultsFormat.JSON,
    ),
    ResultFormat(
        "xml",
        "application/sparql-results+xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        ("xml", "srx"),
        ox.QueryResultsFormat.XML,
    ),
    ResultFormat("csv", "text/csv; charset=utf-8", ("text/csv",), ("csv",), ox.QueryResultsFormat.CSV),
    ResultFormat(
        "tsv", "text/tab-separated-values; charset=utf-8", ("text/tab-separated-values",), ("tsv",), ox.QueryResultsFormat.TSV
    ),
    ResultFormat("html", "text/html; charset=utf-8", _HTML_ACCEPTS, ("html",), None),
)

GRAPH_FORMATS = (
    ResultFormat(
        "turtle",
        "text/turtle; charset=utf-8",
        ("text/turtle", "application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3", "application/n3"),
        ("turtle", "ttl", "n3"),
        ox.RdfFormat.TURTLE,
    ),
    ResultFormat(
        "ntriples", "application/n-triples", ("application/n-triples",), ("nt", "ntriples", "n-triples"), ox.RdfFormat.N_TRIPLES
    ),
    ResultFormat(
        "jsonld",
        "application/ld+json",
        ("application/ld+json", "application/x-json+ld", "application/json"),
        ("json-ld", "jsonld", "json"),
        ox.RdfFormat.JSON_LD,
    ),
    ResultFormat(
        "rdfxml",
        "application/rdf+xml",
        ("application/rdf+xml", "application/xml", "text/xml"),
        ("rdf", "rdf+xml", "rdfxml", "xml"),
        ox.RdfFormat.RDF_XML,
    ),
    ResultFormat("html", "text/html; charset=utf-8", _HTML_ACCEPTS, ("html",), None),
)


def read_solutions(solutions: ox.QuerySolutions, *, row_cap: int) -> tuple[list[str], list[ox.QuerySolution], bool]:
    """The variables, the first ``row_cap`` rows and whether there were more."""
    variables = [v.value for v in solutions.variables]
    try:
        rows = list(islice(solutions, row_cap + 1))
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(f"SPARQL evaluation failed: {exc}") from exc
    return variables, rows[:row_cap], len(rows) > row_cap


def write_solutions(solutions: ox.QuerySolutions, fmt: ResultFormat, *, row_cap: int) -> tuple[bytes, bool]:
    """SELECT results (at most ``row_cap`` rows) in ``fmt``, and whether rows were cut."""
    variables, rows, truncated = read_solutions(solutions, row_cap=row_cap)
    lines = ["\t".join("?" + v for v in variables)]
    lines.extend("\t".join(_tsv_term(row[v]) for v in variables) for row in rows)
    tsv = "\n".join(lines) + "\n"
    capped = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    return capped.serialize(format=fmt.writer), truncated


def write_boolean(answer: ox.QueryBoolean, fmt: ResultFormat) -> bytes:
    """An ASK result in ``fmt``."""
    return answer.serialize(format=fmt.writer)


def write_graph(triples: ox.QueryTriples, fmt: ResultFormat) -> bytes:
    """CONSTRUCT/DESCRIBE triples in ``fmt`` (Turtle with the govkg prefixes)."""
    try:
        if fmt.writer is ox.RdfFormat.TURTLE:
            return ox.serialize(triples, format=fmt.writer, prefixes=PREFIXES)
        return triples.serialize(format=fmt.writer)
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(f"SPARQL evaluation failed: {exc}") from exc


def _tsv_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return f"<<( {_tsv_term(term.subject)} {_tsv_term(term.predicate)} {_tsv_term(term.object)} )>>"
    return str(term)


_XSD = "http://www.w3.org/2001/XMLSchema#"


def display_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> dict[str, str]:
    """A term for an HTML cell: its text, a note (language or datatype) and its N-Triples form."""
    if term is None:
        return {"kind": "unbound", "text": "", "note": "", "ntriples": ""}
    if isinstance(term, ox.Literal):
        if term.language:
            note = "@" + term.language
        elif term.datatype.value == _XSD + "string":
            note = ""
        elif term.datatype.value.startswith(_XSD):
            note = "xsd:" + term.datatype.value[len(_XSD) :]
        else:
            note = term.datatype.value
        return {"kind": "literal", "text": term.value, "note": note, "ntriples": str(term)}
    if isinstance(term, ox.NamedNode):
        return {"kind": "iri", "text": term.value, "note": "", "ntriples": str(term)}
    return {"kind": "other", "text": _tsv_term(term), "note": "", "ntriples": _tsv_term(term)}
