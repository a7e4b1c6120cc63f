"""``/search``: full-text search over tasks, report paragraphs and names, with its JSON twin.

``/search?q=…&kind=&city=&year=&page=`` lists the entries matching every term (quoted
text is a phrase), best first, each linked to its entity page with a snippet in which
the matched words are marked.  The index is :mod:`kg.search`'s, refreshed when the
store changed; an empty query shows the form and no results.
"""

from __future__ import annotations

import threading

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from kg import search as kg_search
from kg.store import Store
from webui.db import get_store
from webui.entities import local_path
from webui.negotiate import wants_json

__all__ = ["bp"]

bp = Blueprint("search", __name__)

_LOCK = threading.Lock()


def _index(store: Store) -> kg_search.SearchIndex:
    """The search index of the request's store: the file beside an on-disk store, or one in memory kept per store."""
    if store.path is not None:
        return kg_search.ensure_index(store, wait=False)
    cache = current_app.extensions.setdefault("govkg.search", {})
    key = (id(store), store.quad_count())
    with _LOCK:
        if cache.get("key") != key:
            cache["key"], cache["index"] = key, kg_search.ensure_index(store)
        return cache["index"]


@bp.route("/search")
def results() -> Response:
    """The search page, or its JSON twin (``?format=json`` or ``Accept: application/json``)."""
    args = request.args
    store = get_store()
    index = _index(store)
    try:
        found = index.search(args.get("q", ""), kind=args.get("kind") or None, city=args.get("city") or None,
                             year=args.get("year") or None, page=args.get("page") or 1)
        facets = index.facets()
    finally:
        if store.path is not None:
            index.close()
    if wants_json():
        body = dict(found.as_json(), facets=facets)
        for hit in body["results"]:
            hit["page"] = local_path(hit["iri"])
        response = jsonify(body)
    else:
        pages = {}
        if found.page > 1:
            pages["previous"] = _page_url(found.page - 1)
        if found.page < found.pages:
            pages["next"] = _page_url(found.page + 1)
        response = Response(render_template("search.html", found=found, facets=facets, kinds=kg_search.KINDS, pages=pages,
                                            json_url=_page_url(found.page, format="json")),
                            content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def _page_url(page: int, **extra: str) -> str:
    params = {k: v for k, v in request.args.items() if k in ("q", "kind", "city", "year") and v}
    return url_for("search.results", **params, page=page, **extra)
