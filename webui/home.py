"""``/``: the documents in the store with their task counts, and the way to the SPARQL endpoint."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, url_for

from webui.db import named_rows
from webui.negotiate import wants_json

__all__ = ["bp"]

bp = Blueprint("home", __name__)


@bp.route("/")
def index() -> Response:
    """The home page, or its JSON twin (``?format=json`` or ``Accept: application/json``)."""
    documents = named_rows("documents")
    if wants_json():
        response = jsonify({"documents": documents, "sparql": url_for("sparql.endpoint", _external=True)})
    else:
        response = Response(render_template("home.html", documents=documents), content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response
