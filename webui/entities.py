"""``/id/…``: the page of any entity under the data base, with its RDF and JSON twins.

An IRI ``https://w3id.org/govkg/id/unit/许昌市/发展和改革委员会`` is served at
``/id/unit/许昌市/发展和改革委员会``: HTML for browsers; Turtle, N-Triples or JSON-LD
by ``Accept`` (``text/turtle``, ``application/n-triples``, ``application/ld+json``) or
``?format=turtle|ntriples|jsonld``; the JSON twin by ``application/json`` or
``?format=json``.  An IRI the store knows nothing of is a 404.  A unit's task list is
paged (the first ``kg.panels.unit.TASKS_SHOWN``; the JSON twin's ``tasks_paged`` and
``tasks_total`` say so); ``?tasks=all`` lists every task.

What a page shows (the entity and its panels) is the same for every request while the
store does not change, so each worker keeps the newest :data:`CACHE_SIZE` of them per
read-only snapshot (:func:`page_data`); a rebuild opens a new snapshot and so starts an
empty cache.  A store injected with ``STORE`` (tests, which may change it in place) is
never cached.
"""

from __future__ import annotations


from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from kg import iri
from kg.entity import describe, description
from kg.panels import render_data
from kg.panels.unit import unit_panel
from webui.db import SnapshotHolder, get_store, snapshot_cached
from webui.negotiate import accept

__all__ = ["bp", "local_path", "page_data", "CACHE_SIZE"]

bp = Blueprint("entities", __name__)

_RDF = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json"}
_ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld"}


CACHE_SIZE = 256  # entity pages kept per worker and snapshot


def _panels(store, target: str, types, all_tasks: bool) -> list[dict]:
    panels = render_data(store, target, types)
    if all_tasks:  # the unit panel with its whole task list
        panels = [{"name": p["name"], "data": unit_panel(store, target, all_tasks=True)} if p["name"] == "unit" else p
                  for p in panels]
    return panels


def page_data(store, target: str, with_panels: bool, all_tasks: bool = False):
    """``(describe(store, target), panels or [])``, from this worker's cache for the snapshot ``store`` when it has them.

    ``all_tasks``: the unit panel lists all of a unit's tasks, not the first page.  An
    injected store (tests) is not cached: it can change under the app.
    """
    if not isinstance(current_app.extensions["govkg.store"], SnapshotHolder):
        found = describe(store, target)
        return found, (_panels(store, target, found.types, all_tasks) if found is not None and with_panels else [])
    found = snapshot_cached(("entity", target), lambda: describe(store, target), cache="entities", size=CACHE_SIZE)
    if found is None or not with_panels:
        return found, []
    panels = snapshot_cached(("panels", target, all_tasks), lambda: _panels(store, target, found.types, all_tasks),
                             cache="entities", size=2 * CACHE_SIZE)
    return found, panels


def local_path(value: str) -> str | None:
    """The page path of a data IRI (``/id/…``), or None for an IRI outside the data base."""
    path = iri.path_of(value)
    return None if path is None else "/id/" + path


def _format() -> str:
    asked = request.args.get("format")
    if asked:
        asked = _ALIASES.get(asked.lower(), asked.lower())
        if asked not in (*_RDF, "json", "html"):
            abort(406, f"format {asked!r}: expected html, json, turtle, ntriples or jsonld")
        return asked
    best = accept().best_match(["text/html", "application/json", *_RDF.values()], default="text/html")
    return next((name for name, media in _RDF.items() if media == best), "json" if best == "application/json" else "html")


@bp.app_template_filter("local")
def _local_filter(value: str) -> str | None:
    return local_path(value)


@bp.route("/id/<path:rest>")
def entity(rest: str) -> Response:
    """An entity's page, or its RDF or JSON twin."""
    target = iri.from_path(rest).value
    store = get_store()
    found, _ = page_data(store, target, False)
    if found is None:
        abort(404, f"no entity {target} in the graph")
    fmt = _format()
    all_tasks = request.args.get("tasks") == "all"
    panels = page_data(store, target, True, all_tasks)[1] if fmt in ("json", "html") else []
    if fmt in _RDF:
        response = Response(description(store, target, fmt), content_type=f"{_RDF[fmt]}; charset=utf-8")
    elif fmt == "json":
        response = jsonify({
            "iri": found.iri, "label": found.label, "heading": found.heading, "types": list(found.types),
            "properties": [{"property": s.property, "property_label": s.property_label, "value": s.value.value,
                            "value_label": s.value_label, "kind": type(s.value).__name__} for s in found.statements],
            "links": [{"property": l.property, "property_label": l.property_label, "subjects": l.subjects,
                       "example": l.example, "example_label": l.example_label} for l in found.links],
            "panels": {p["name"]: p["data"] for p in panels},
        })
    else:
        response = Response(render_template("entity.html", entity=found, formats=_RDF, panels=panels), content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response
