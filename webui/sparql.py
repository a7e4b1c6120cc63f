"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint over the store.

Queries come as ``GET ?query=``, ``POST`` of ``application/x-www-form-urlencoded``
(``query=``) or ``POST`` of ``application/sparql-query`` (the query as the body).
SPARQL Update (``update=`` or ``application/sparql-update``) is refused with 403: the
graph changes only through ``govkg build``.  The default graph is the union of the
document graphs unless the query names its own with ``FROM``; the govkg prefixes
(``gov:``, ``skos:``, ``dct:`` …) are predeclared.  Result formats: :mod:`kg.results`,
chosen by :mod:`webui.results`.  A SELECT returns at most ``ROW_CAP`` rows; a cut result carries
``Govkg-Truncated: true`` and ``Govkg-Row-Cap``.  GET answers carry
``Access-Control-Allow-Origin: *``.

Time limit: pyoxigraph cannot cancel a running query, and signals do not interrupt
one, so the query runs in the worker's query process (:mod:`kg.runner`, reached through
:func:`webui.db.answer_query`), which also writes the answer.  A query that outlives
``QUERY_TIMEOUT`` seconds has its process killed and replaced and is answered with 503
and a message saying so, in JSON, HTML or text as the client asked
(:class:`kg.errors.QueryTimeout`); the worker goes on answering.  gunicorn's own
timeout stays as a backstop (:mod:`kg.serve`).  A store injected with ``STORE`` (tests)
is queried in-process, without a limit.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from werkzeug.exceptions import NotAcceptable, UnsupportedMediaType

from kg.namespaces import PREFIXES
from kg.queries import get_query
from kg.runner import QueryJob
from webui import results
from webui.db import answer_query
from webui.negotiate import accept, wants_json

__all__ = ["bp"]

bp = Blueprint("sparql", __name__)

_FORMAT_PARAMETERS = ("format", "output", "results")  # Virtuoso, Joseki, others; SPARQLWrapper sends all three
_QUERY_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded")
_READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted (the graph changes only through `govkg build`)"
_NO_QUERY = "no query: send query= (GET or form POST) or an application/sparql-query body"
_TRUNCATION_HEADERS = "Govkg-Truncated, Govkg-Row-Cap"


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer a SPARQL query, or show the query form when there is none."""
    text = _query_text()
    if text is None:
        return _form()
    requested = [value for name in _FORMAT_PARAMETERS for value in request.values.getlist(name)]
    row_cap = current_app.config["ROW_CAP"]
    chosen: dict[str, results.ResultFormat | NotAcceptable] = {}
    for kind, table in (("solutions", results.SOLUTION_FORMATS), ("graph", results.GRAPH_FORMATS)):
        try:
            chosen[kind] = results.choose_format(table, requested, accept())
        except NotAcceptable as refusal:  # raised only if the query turns out to be of this kind
            chosen[kind] = refusal
    names = {kind: None if isinstance(fmt, NotAcceptable) else fmt.name for kind, fmt in chosen.items()}
    job = QueryJob(text, solution_format=names["solutions"], graph_format=names["graph"], row_cap=row_cap)
    answer = answer_query(job)  # in the worker's query process, within QUERY_TIMEOUT (webui.db)
    fmt = chosen["graph" if answer.kind == "graph" else "solutions"]
    if isinstance(fmt, NotAcceptable):
        raise fmt
    headers: dict[str, str] = {}
    if answer.truncated:
        headers = {"Govkg-Truncated": "true", "Govkg-Row-Cap": str(row_cap)}
    if fmt.writer is not None:
        body = answer.body
    elif answer.kind == "solutions":
        body = _page(text, variables=answer.variables, rows=answer.rows, truncated=answer.truncated)
    elif answer.kind == "boolean":
        body = _page(text, boolean=answer.boolean)
    else:
        body = _page(text, graph=answer.graph)
    return Response(body, content_type=fmt.content_type, headers=headers)


@bp.after_request
def _headers(response: Response) -> Response:
    response.vary.add("Accept")
    if request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = _TRUNCATION_HEADERS
    return response


def _query_text() -> str | None:
    """The query of this request (``None``: a GET without one), after refusing updates and oddities."""
    if "update" in request.values or request.mimetype == "application/sparql-update":
        abort(403, _READ_ONLY)
    if "default-graph-uri" in request.values or "named-graph-uri" in request.values:
        abort(400, "default-graph-uri and named-graph-uri are not supported yet; name the dataset with FROM / FROM NAMED in the query")
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        if "query" in request.args:
            abort(400, "send the query either as the body or as query=, not both")
        charset = request.mimetype_params.get("charset", "utf-8")
        try:
            return request.get_data().decode(charset)
        except (LookupError, UnicodeDecodeError):
            abort(400, f"the query body is not valid {charset}")
    if request.method == "POST" and not request.mimetype:
        abort(400, _NO_QUERY)
    if request.method == "POST" and request.mimetype != "application/x-www-form-urlencoded":
        raise UnsupportedMediaType(f"send the query as {' or '.join(_QUERY_TYPES)}, not {request.mimetype}")
    queries = request.values.getlist("query")
    if len(queries) > 1:
        abort(400, "exactly one query= parameter, please")
    if not queries:
        if request.method == "POST":
            abort(400, _NO_QUERY)
        return None
    return queries[0]


def _form() -> Response:
    """The query form (or, for JSON clients, a description of the endpoint)."""
    if wants_json():
        return jsonify(
            {
                "endpoint": request.base_url,
                "methods": ["GET ?query=", "POST application/x-www-form-urlencoded", "POST application/sparql-query"],
                "read_only": True,
                "prefixes": PREFIXES,
                "select_formats": [f.content_type.split(";")[0] for f in results.SOLUTION_FORMATS],
                "graph_formats": [f.content_type.split(";")[0] for f in results.GRAPH_FORMATS],
                "row_cap": current_app.config["ROW_CAP"],
                "query_timeout": current_app.config["QUERY_TIMEOUT"],
            }
        )
    return Response(_page(get_query("documents").text), content_type="text/html; charset=utf-8")


def _page(query: str, **answer) -> str:
    """The HTML page: the form with ``query``, and the answer below it if there is one."""
    return render_template(
        "sparql.html",
        query=query,
        answered=bool(answer),
        prefixes=PREFIXES,
        row_cap=current_app.config["ROW_CAP"],
        query_timeout=current_app.config["QUERY_TIMEOUT"],
        **answer,
    )
