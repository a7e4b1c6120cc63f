"""Named SPARQL queries: one ``queries/NAME.rq`` file each, loaded and bound by name.

A query file starts with a comment header (``var=NAME`` binds a parameter to a variable
of another name, when the parameter's name is also a column's)::

    #+ summary: Tasks per unit for a city and year, with how many it leads.
    #+ param: city literal optional   City as written, e.g. 许昌市
    #+ param: year integer optional   Plan year, e.g. 2026
    #+ columns: unit, label, tasks, lead

Parameters are bound as RDF terms in a ``VALUES`` block inserted at the start of the
query's outermost ``WHERE`` group, never by formatting text into the query.  An
optional parameter that is not given stays unbound, which the query reads as "any".

>>> q = NamedQuery.parse("demo", '''#+ summary: Demo.
... #+ param: city literal required  A city
... #+ columns: x
... SELECT ?x WHERE { ?x ?p ?city }''')
>>> print(q.bind({"city": 'x" } DROP ALL #'}))
#+ summary: Demo.
#+ param: city literal required  A city
#+ columns: x
SELECT ?x WHERE { VALUES (?city) { ("x\\" } DROP ALL #") }
 ?x ?p ?city }
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode

from kg.config import QUERIES_DIR
from kg.errors import InputError, QueryError
from kg.namespaces import XSD

__all__ = ["Param", "NamedQuery", "named_queries", "get_query", "load_query_file", "plain", "rows"]

_PARAM_TYPES = ("literal", "integer", "iri", "literal-or-iri")  # or a choice: {a,b,c}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    help: str
    variable: str = ""  # the SPARQL variable it binds: its name, or var=NAME in the header

    @property
    def var(self) -> str:
        return self.variable or self.name

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.type[1:-1].split(",")) if self.type.startswith("{") else ()

    def term(self, raw: str) -> Literal | NamedNode:
        """Turn a command-line or URL value into the RDF term this parameter binds."""
        if self.choices and raw not in self.choices:
            raise InputError(f"parameter {self.name!r} is one of {', '.join(self.choices)}, got {raw!r}")
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", raw.strip()):
                raise InputError(f"parameter {self.name!r} expects an integer, got {raw!r}")
            return Literal(str(int(raw)), datatype=XSD.integer)
        if self.type == "iri" or (self.type == "literal-or-iri" and re.match(r"https?://", raw)):
            if not re.fullmatch(r"[^\s<>\"{}|^`\\]+", raw):
                raise InputError(f"parameter {self.name!r} expects an IRI, got {raw!r}")
            return NamedNode(raw)
        return Literal(raw)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    summary: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    path: Path | None = None

    @classmethod
    def parse(cls, name: str, text: str, path: Path | None = None) -> "NamedQuery":
        summary, columns, params = "", (), []
        where = str(path or name)
        for lineno, line in enumerate(text.splitlines(), 1):
            m = re.match(r"#\+\s*(\w+)\s*:\s*(.*)$", line)
            if not m:
                continue
            key, value = m.group(1), m.group(2).strip()
            if key == "summary":
                summary = value
            elif key == "columns":
                columns = tuple(c.strip() for c in value.split(",") if c.strip())
            elif key == "param":
                pm = re.match(r"(\w+)\s+([\w-]+|\{[\w,-]+\})\s+(required|optional)(?:\s+var=(\w+))?\s*(.*)$", value)
                if not pm or not (pm.group(2) in _PARAM_TYPES or pm.group(2).startswith("{")):
                    raise QueryError(f"{where}:{lineno}: expected '#+ param: NAME TYPE required|optional [var=VARIABLE] HELP' with TYPE in {_PARAM_TYPES} or {{a,b,c}}")
                params.append(Param(pm.group(1), pm.group(2), pm.group(3) == "required", pm.group(5), pm.group(4) or ""))
        return cls(name, text, summary, tuple(params), columns, path)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise InputError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def bind(self, values: dict[str, str]) -> str:
        """The query text with ``values`` bound in a VALUES block (terms serialised by pyoxigraph)."""
        terms = {name: self.param(name).term(raw) for name, raw in values.items()}
        missing = [p.name for p in self.params if p.required and p.name not in terms]
        if missing:
            raise InputError(f"query {self.name!r} needs parameter(s): {', '.join(missing)}")
        if not terms:
            return self.text
        names = sorted(terms)
        variables = " ".join("?" + self.param(n).var for n in names)
        block = "VALUES ({}) {{ ({}) }}\n".format(variables, " ".join(str(terms[n]) for n in names))
        m = _outer_where(self.text)
        if m is None:
            raise QueryError(f"query {self.name!r} has parameters but no WHERE {{ … }} group to bind them in")
        return self.text[: m] + " " + block + self.text[m:]


def _outer_where(text: str) -> int | None:
    """Offset just after the ``{`` opening the outermost WHERE group, skipping comments."""
    code = re.sub(r"#[^\n]*", lambda m: " " * len(m.group(0)), text)
    m = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    return m.end() if m else None


def load_query_file(path: str | Path) -> NamedQuery:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read query file: {exc.strerror}") from exc
    return NamedQuery.parse(path.stem, text, path)


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """Every ``queries/*.rq``, by name."""
    return {p.stem: load_query_file(p) for p in sorted(QUERIES_DIR.glob("*.rq"))}


def get_query(name: str) -> NamedQuery:
    try:
        return named_queries()[name]
    except KeyError:
        raise InputError(f"no named query {name!r}; `govkg queries` lists them") from None


# -- rows as plain values -------------------------------------------------------------------------

_INTEGERS = {XSD.base + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "gYear")}


def plain(term: NamedNode | Literal | BlankNode | None) -> str | int | None:
    """A term as a JSON value: IRIs and strings as text, integers (and years) as numbers, blank nodes as ``_:id``.

    >>> plain(Literal("5", datatype=XSD.integer)), plain(NamedNode("http://example.org/a")), plain(None)
    (5, 'http://example.org/a', None)
    """
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype.value in _INTEGERS:
        try:
            return int(term.value)
        except ValueError:
            return term.value
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return term.value


def rows(store, name: str, **params: str) -> list[dict[str, str | int | None]]:
    """The rows of ``queries/NAME.rq`` with ``params`` bound, as plain values, every column present (None if unbound)."""
    from kg.namespaces import PREFIXES

    query = get_query(name)
    return [{column: plain(row.get(column)) for column in query.columns}
            for row in store.select(query.bind(params), prefixes=PREFIXES)]
