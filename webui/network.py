"""``/themes`` and ``/centrality``: networks drawn with cytoscape, with their tables, JSON, CSV and graph files.

``/themes`` links the themes (郑许一体化, 胖东来, 乡村振兴 …) that tag the same tasks:
a node per theme sized by its tasks (``queries/network-themes.rq``), an edge per pair
weighted by the tasks tagged with both (``queries/network-theme-links.rq``, the
``shared_tasks`` of ``theme-links`` for every pair at once); ``units=1`` adds the units
joined to the themes of their tasks (``queries/network-theme-units.rq``), sized by all
their tasks (``queries/workload-units.rq``).  Filters: ``city`` and ``year`` (all if not
given).  Twins: ``?format=json`` (``{"nodes": […], "edges": […]}``) and ``?format=csv``
(the edges).

``/centrality`` ranks the units of a city and year by a metric of :mod:`kg.centrality`
(``metric``, ``graph``, ``collectives``, ``theme``, ``role`` as ``govkg centrality`` takes them): the network
coloured by Louvain community and sized by the metric, the ranked table, and
``?format=json|csv|graphml|gexf``.  Building and scoring a graph takes 0.1–0.5 s on the
bundled corpus, so results are kept per worker process, keyed by the store snapshot
(the ``kg.store.Store`` object, which :mod:`webui.db` replaces when the store changes on
disk) and the parameters (:func:`webui.db.snapshot_cached`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
from dataclasses import fields
from pathlib import Path

import networkx as nx
from flask import Blueprint, Response, jsonify, render_template, request, url_for

from kg import centrality
from kg.errors import InputError
from webui.db import get_store, named_rows, plain, select_named
from webui.entities import local_path
from webui.db import snapshot_cached
from webui.workload import (Filters, city_and_year, city_years, one_of, page_format, parse_year,
                            themes as theme_rows, workload_rows)

__all__ = ["bp", "theme_network", "centrality_result"]

bp = Blueprint("network", __name__)

_THEME_COLOUR, _UNIT_COLOUR, _COLLECTIVE_COLOUR = "#e15759", "#4e79a7", "#9c9c9c"


# -- shared --------------------------------------------------------------------------


def _size(value: float, top: float, *, smallest: float = 14.0, largest: float = 64.0) -> float:
    """A node's diameter in pixels: area proportional to ``value``."""
    if top <= 0 or value <= 0:
        return smallest
    return round(smallest + (largest - smallest) * math.sqrt(value / top), 1)


def _csv(columns, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[r[c] for c in columns] for r in rows])
    return buffer.getvalue()


# -- /themes ---------------------------------------------------------------------------


def theme_network(city: str | None, year: int | None, *, with_units: bool) -> dict:
    """Nodes and edges of the theme network for a city and year (``None``: any).

    Nodes: ``id`` (IRI), ``label``, ``kind`` (``theme`` or ``unit``), ``tasks``,
    ``collective`` (units), ``href`` (its ``/id/…`` page), ``size`` and ``colour``.
    Edges: ``source``, ``target``, ``source_label``, ``target_label``, ``weight`` (tasks
    tagged with both themes, or the unit's tasks of the theme) and ``kind``
    (``theme-theme`` or ``unit-theme``).
    """
    values = {k: v for k, v in (("city", city), ("year", None if year is None else str(year))) if v is not None}
    nodes = [{"id": t["theme"], "label": t["label"], "kind": "theme", "tasks": t["tasks"], "collective": None}
             for t in theme_rows(**values)]
    labels = {n["id"]: n["label"] for n in nodes}
    edges = [{"source": plain(r["theme_a"]), "target": plain(r["theme_b"]), "source_label": plain(r["label_a"]),
              "target_label": plain(r["label_b"]), "weight": plain(r["shared_tasks"]), "kind": "theme-theme"}
             for r in select_named("network-theme-links", **values)]
    if with_units:
        rows = select_named("network-theme-units", **values)
        totals = {r["unit"]: r["tasks"] for r in workload_rows(Filters(city=city, year=year))}
        units: dict[str, dict] = {}
        for r in rows:
            unit, theme = plain(r["unit"]), plain(r["theme"])
            if theme not in labels:
                continue
            units.setdefault(unit, {"id": unit, "label": plain(r["label"]), "kind": "unit", "tasks": totals.get(unit, 0),
                                    "collective": plain(r["collective"])})
            edges.append({"source": unit, "target": theme, "source_label": units[unit]["label"],
                          "target_label": labels[theme], "weight": plain(r["tasks"]), "kind": "unit-theme"})
        nodes += sorted(units.values(), key=lambda n: (-n["tasks"], n["label"], n["id"]))
    top = {kind: max((n["tasks"] for n in nodes if n["kind"] == kind), default=0) for kind in ("theme", "unit")}
    for n in nodes:
        n["href"] = local_path(n["id"])
        n["size"] = _size(n["tasks"], top[n["kind"]], largest=64.0 if n["kind"] == "theme" else 40.0)
        n["colour"] = _THEME_COLOUR if n["kind"] == "theme" else (_COLLECTIVE_COLOUR if n["collective"] == "yes" else _UNIT_COLOUR)
    return {"nodes": nodes, "edges": edges}


_EDGE_COLUMNS = ("source", "source_label", "target", "target_label", "weight", "kind")


@bp.route("/themes")
def themes() -> Response:
    """The theme network, or its JSON twin or CSV of edges."""
    fmt = page_format({"html": "text/html", "json": "application/json", "csv": "text/csv"})
    documents = snapshot_cached("document-years", lambda: named_rows("panel-years"))  # no task counts: cheap
    cities, years = sorted({d["city"] for d in documents}), sorted({d["year"] for d in documents}, reverse=True)
    city = one_of("city", request.args["city"], cities) if request.args.get("city") else None
    year = parse_year(request.args.get("year", ""), years)
    with_units = one_of("units", request.args.get("units") or "0", ("0", "1")) == "1"
    network = snapshot_cached(("themes", city, year, with_units), lambda: theme_network(city, year, with_units=with_units))
    filters = {"city": city, "year": year, "units": with_units}
    here = {"city": city or "", "year": year or "", **({"units": "1"} if with_units else {})}
    if fmt == "csv":
        response = Response(_csv(_EDGE_COLUMNS, network["edges"]), content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'inline; filename="theme-links-{year or "all"}.csv"'
    elif fmt == "json":
        response = jsonify({"filters": filters, **network})
    else:
        response = Response(render_template(
            "network.html", network=network, filters=filters, cities=cities, years=years,
            json_link=url_for("network.themes", **here, format="json"), csv_link=url_for("network.themes", **here, format="csv"),
        ), content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


# -- /centrality -------------------------------------------------------------------------


def centrality_result(params: centrality.CentralityParams) -> tuple[nx.Graph, centrality.CentralityResult]:
    """The graph and scores for ``params`` (:func:`kg.centrality.build_graph` and ``compute``), cached per snapshot.

    Raises ``InputError`` when no assignment matches the filters.
    """
    return snapshot_cached(("centrality", params), lambda: _computed(params))


def _computed(params: centrality.CentralityParams) -> tuple[nx.Graph, centrality.CentralityResult]:
    graph = centrality.build_graph(get_store(), params)
    return graph, centrality.compute(graph, params)


def _centrality_params(choices: list[dict], theme_choices: list[dict]) -> centrality.CentralityParams:
    args = request.args
    city, year = city_and_year(choices)
    theme = args.get("theme") or None
    if theme is not None:
        known = {t["label"] for t in theme_choices} | {t["theme"] for t in theme_choices}
        one_of("theme", theme, known, [t["label"] for t in theme_choices])
    role = one_of("role", args["role"], centrality.ROLES) if args.get("role") else None
    return centrality.CentralityParams(
        city=city, year=year, theme=theme, role=role,
        metric=one_of("metric", args.get("metric") or "degree", centrality.METRICS),
        graph_kind=one_of("graph", args.get("graph") or "co-assignment", centrality.GRAPH_KINDS),
        collectives=one_of("collectives", args.get("collectives") or "exclude", centrality.COLLECTIVES))


def _centrality_network(graph: nx.Graph, result: centrality.CentralityResult) -> dict:
    """Nodes (units sized by the metric, coloured by community; tasks and themes small and grey) and edges."""
    data = centrality.to_node_link(graph, result)
    top = max((abs(r.score) for r in result.rows), default=0)
    nodes = []
    for n in data["nodes"]:
        unit = n.get("kind") == "unit"
        nodes.append({"id": n["id"], "label": n.get("label", n["id"]), "kind": n.get("kind"),
                      "community": n.get("community"), "rank": n.get("rank"), "score": n.get("score"),
                      "href": local_path(n["id"]),
                      "size": _size(abs(n["score"]), top, smallest=10.0, largest=60.0) if unit and "score" in n else 8.0,
                      "colour": n["colour"] if unit else "#cccccc"})
    edges = [{"source": e["source"], "target": e["target"], "weight": e.get("weight"), "shared_tasks": e.get("shared_tasks")}
             for e in data["links"]]
    return {"nodes": nodes, "edges": edges}


_GRAPH_FILES = {"graphml": ("application/graphml+xml", centrality.to_graphml), "gexf": ("application/gexf+xml", centrality.to_gexf)}


def _graph_bytes(kind: str, graph: nx.Graph, result: centrality.CentralityResult) -> bytes:
    """The graph as a GraphML or GEXF file, written by :mod:`kg.centrality` (which writes to a path)."""
    with tempfile.TemporaryDirectory(prefix="govkg-") as tmp:
        path = Path(tmp) / f"graph.{kind}"
        _GRAPH_FILES[kind][1](graph, result, path)
        return path.read_bytes()


def _graph_file(kind: str, graph: nx.Graph, result: centrality.CentralityResult, name: str) -> Response:
    media = _GRAPH_FILES[kind][0]
    body = snapshot_cached((kind, result.params), lambda: _graph_bytes(kind, graph, result))
    response = Response(body, content_type=f"{media}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@bp.route("/centrality")
def centrality_page() -> Response:
    """Units ranked by centrality, the network, and the downloads."""
    fmt = page_format({"html": "text/html", "json": "application/json", "csv": "text/csv",
                       "graphml": "application/graphml+xml", "gexf": "application/gexf+xml"})
    choices = city_years()
    theme_choices = theme_rows()
    params = _centrality_params(choices, theme_choices)
    try:
        graph, result = centrality_result(params)
    except InputError as exc:
        if fmt not in ("html", "json"):
            raise
        graph, result, message = None, None, str(exc)
    else:
        message = None
    name = "centrality-{}-{}-{}".format(params.year or "all", params.graph_kind, params.metric)
    chosen = {"city": params.city or "", "year": params.year or "", "theme": params.theme or "", "role": params.role or "",
              "metric": params.metric, "graph": params.graph_kind, "collectives": params.collectives}
    if fmt in _GRAPH_FILES:
        response = _graph_file(fmt, graph, result, name)
    elif fmt == "csv":
        response = Response(centrality.format_csv(result), content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
    else:
        network = _centrality_network(graph, result) if result else {"nodes": [], "edges": []}
        if fmt == "json":
            body = {"graph": {f.name: getattr(params, f.name) for f in fields(params)}, "message": message, "rows": [], **network}
            if result is not None:
                body.update(json.loads(centrality.format_json(result)))
            response = jsonify(body)
        else:
            links = {kind: url_for("network.centrality_page", **chosen, format=kind) for kind in ("json", "csv", "graphml", "gexf")}
            response = Response(render_template(
                "centrality.html", result=result, params=params, message=message, network=network, links=links,
                cities=sorted({c["city"] for c in choices}), years=sorted({c["year"] for c in choices}, reverse=True),
                metrics=centrality.METRICS, graph_kinds=centrality.GRAPH_KINDS, collectives=centrality.COLLECTIVES,
                themes=theme_choices, roles=centrality.ROLES,
            ), content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response

