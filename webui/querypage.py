"""``/query``, ``/queries`` and ``/queries/<name>``: the SPARQL editor page and the named queries.

``/query`` is the editor (YASGUI, vendored under ``static/vendor/yasgui``) talking to this
server's ``/sparql``; ``/query?query=TEXT`` opens it with TEXT (a shareable link), and the
named queries of ``queries/*.rq`` are offered as examples.  Without JavaScript the page is
a plain form that runs the query on ``/sparql``.

``/queries`` lists the named queries with their parameters and columns;
``/queries/NAME`` is a form for the parameters of one of them and its result, run here
with the values bound by ``NamedQuery.bind`` (never spliced into the text), as an HTML
table, JSON (``{"columns", "rows"}``) or CSV (``?format=csv``) of the same rows (at most
``ROW_CAP``; a CONSTRUCT query's rows are its triples: subject, predicate, object).
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import NotAcceptable

from kg.errors import GovkgError
from kg.namespaces import PREFIXES, XSD
from kg.queries import NamedQuery, named_queries
from webui.db import get_store, plain
from webui.negotiate import accept

__all__ = ["bp", "query_summary", "example"]

bp = Blueprint("querypage", __name__)

_DEFAULT_QUERY = "documents"  # what an empty editor starts with
_FORMATS = {"html": "text/html", "json": "application/json", "csv": "text/csv"}
_GROUP_AT_LEAST = 5  # names sharing their first word with this many (panel-…) form a folded group


def query_summary(query: NamedQuery) -> dict:
    r"""A named query's header as JSON: name, summary, parameters and columns.

    >>> q = NamedQuery.parse("demo", "#+ summary: Demo.\n#+ param: year integer optional  Plan year\n"
    ...                      "#+ columns: x\nSELECT ?x WHERE { ?x ?p ?year }")
    >>> query_summary(q)  # doctest: +NORMALIZE_WHITESPACE
    {'name': 'demo', 'summary': 'Demo.',
     'params': [{'name': 'year', 'type': 'integer', 'required': False, 'help': 'Plan year', 'choices': []}],
     'columns': ['x']}
    """
    return {
        "name": query.name,
        "summary": query.summary,
        "params": [
            {"name": p.name, "type": p.type, "required": p.required, "help": p.help, "choices": list(p.choices)}
            for p in query.params
        ],
        "columns": list(query.columns),
    }


def example(query: NamedQuery) -> dict:
    """A named query as an example of the editor page: its header and its text."""
    return {**query_summary(query), "text": query.text}


def _groups(queries: list[NamedQuery]) -> list[tuple[str, list[NamedQuery]]]:
    """The queries grouped by the first word of their names when several share it; the rest first."""
    first_words = Counter(q.name.split("-", 1)[0] for q in queries)
    groups: dict[str, list[NamedQuery]] = {"": []}
    for q in queries:
        word = q.name.split("-", 1)[0]
        groups.setdefault(word if first_words[word] >= _GROUP_AT_LEAST and "-" in q.name else "", []).append(q)
    return [(word, members) for word, members in groups.items() if members]


def _editor_link(text: str) -> str:
    return url_for("querypage.query_page", query=text)


def _format(offered: tuple[str, ...] = ("html", "json")) -> str:
    """One of ``offered`` (``html``, ``json``, ``csv``): ``?format=`` first, then the Accept header."""
    asked = request.args.get("format")
    if asked:
        if asked.lower() not in offered:
            raise NotAcceptable(f"format {asked!r}: expected {' or '.join(offered)}")
        return asked.lower()
    best = accept().best_match([_FORMATS[name] for name in offered], default="text/html")
    return next(name for name in offered if _FORMATS[name] == best)


@bp.route("/query")
def query_page() -> Response:
    """The SPARQL editor, opened with ``?query=`` if given, or its JSON twin."""
    given = request.args.get("query")
    text = given if given is not None else named_queries()[_DEFAULT_QUERY].text
    queries = list(named_queries().values())
    config = {
        "endpoint": url_for("sparql.endpoint"),
        "page": url_for("querypage.query_page"),
        "query": text,
        "from_url": given is not None,
        "default_query": named_queries()[_DEFAULT_QUERY].text,
        "prefixes": PREFIXES,
    }
    if _format() == "json":
        response = jsonify({**config, "endpoint": url_for("sparql.endpoint", _external=True),
                            "permalink": url_for("querypage.query_page", query=text, _external=True),
                            "queries": [example(q) for q in queries]})
    else:
        response = Response(
            render_template(
                "query.html",
                config=config,
                query=text,
                permalink=_editor_link(text),
                examples=[example(q) for q in queries],
                groups=_groups(queries),
                editor_link=_editor_link,
                row_cap=current_app.config["ROW_CAP"],
            ),
            content_type="text/html; charset=utf-8",
        )
    response.vary.add("Accept")
    return response


@bp.route("/queries")
def catalogue() -> Response:
    """Every named query with its summary, parameters and columns, or the JSON twin."""
    queries = list(named_queries().values())
    if _format() == "json":
        response = jsonify({"queries": [{**query_summary(q), "url": url_for("querypage.named_query", name=q.name, _external=True)}
                                        for q in queries]})
    else:
        response = Response(render_template("queries.html", queries=queries), content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


@bp.route("/queries/<name>")
def named_query(name: str) -> Response:
    """One named query: a form for its parameters and its rows as HTML, JSON or CSV."""
    query = named_queries().get(name)
    if query is None:
        abort(404, f"no named query {name!r}; /queries lists them")
    fmt = _format(("html", "json", "csv"))
    values = {p.name: request.args[p.name] for p in query.params if request.args.get(p.name, "") != ""}
    row_cap = current_app.config["ROW_CAP"]
    waiting = fmt == "html" and not values and any(p.required for p in query.params)
    columns: list[str] = list(query.columns)
    rows: list[dict] = []
    truncated = False
    error = None
    bound = query.text
    if not waiting:
        try:
            bound = query.bind(values)
            found = _rows(bound)
        except GovkgError as exc:
            if fmt != "html":
                raise
            error = str(exc)
        else:
            for row in found:
                columns.extend(c for c in row if c not in columns)
            truncated = len(found) > row_cap
            rows = found[:row_cap]
    if fmt == "json":
        response = jsonify({
            "name": name, "params": values, "columns": columns,
            "rows": [{c: plain(row.get(c)) for c in columns} for row in rows],
            "truncated": truncated, "row_cap": row_cap, "query": bound,
        })
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([_csv_value(row.get(c)) for c in columns] for row in rows)
        response = Response(out.getvalue(), content_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'inline; filename="{name}.csv"'})
        if truncated:
            response.headers["Govkg-Truncated"] = "true"
    else:
        response = Response(
            render_template(
                "named_query.html", query=query, values=values, columns=columns,
                rows=[[_cell(row.get(c)) for c in columns] for row in rows], ran=not waiting and error is None,
                truncated=truncated, row_cap=row_cap, error=error, editor_link=_editor_link(bound),
                json_link=url_for("querypage.named_query", name=name, format="json", **values),
                csv_link=url_for("querypage.named_query", name=name, format="csv", **values),
            ),
            status=400 if error else 200,
            content_type="text/html; charset=utf-8",
        )
    response.vary.add("Accept")
    return response


def _rows(bound: str) -> list[dict]:
    """The rows of a bound named query: its solutions, or its triples as subject, predicate, object."""
    result = get_store().query(bound)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]
    if isinstance(result, ox.QueryBoolean):
        return [{"boolean": ox.Literal(str(bool(result)).lower(), datatype=XSD.boolean)}]
    return [{"subject": t.subject, "predicate": t.predicate, "object": t.object} for t in result]


def _csv_value(term) -> str:
    value = plain(term)
    return "" if value is None else str(value)


def _cell(term) -> dict:
    """A term for an HTML cell: its text, whether it is an IRI (so it can be linked) or a number."""
    return {"text": _csv_value(term), "iri": isinstance(term, ox.NamedNode), "number": isinstance(plain(term), int)}
