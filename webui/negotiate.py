"""Content negotiation for pages: the HTML page or its JSON twin, and how to phrase an error."""

from __future__ import annotations

from flask import request
from werkzeug.datastructures import MIMEAccept

__all__ = ["accept", "wants_json", "error_format"]


def accept() -> MIMEAccept:
    """The request's Accept header with media type parameters dropped.

    werkzeug matches ``text/csv; charset=utf-8`` only against an offer with the same
    parameters; clients add ``charset`` freely, so only type and quality count here.
    """
    return MIMEAccept([(value.split(";", 1)[0].strip(), quality) for value, quality in request.accept_mimetypes])


def wants_json() -> bool:
    """Whether a page should answer with its JSON twin (``?format=json`` or ``Accept: application/json``)."""
    fmt = request.args.get("format")
    if fmt is not None:
        return fmt.lower() == "json"
    return accept().best_match(["text/html", "application/json"]) == "application/json"


def error_format() -> str:
    """``"json"``, ``"html"`` or ``"text"``: what an error response should be written in.

    JSON for clients that asked for any JSON type (SPARQL clients ask for
    ``application/sparql-results+json``), HTML for browsers and ``*/*``, plain text for
    the rest (a client that asked for XML or CSV results).
    """
    if request.values.get("format", "").lower() == "json":
        return "json"
    offered = accept()
    best = offered.best_match(["text/html", "application/json"])
    if best == "application/json" or any("json" in value and quality > 0 for value, quality in offered):
        return "json"
    if best == "text/html" or not offered:
        return "html"
    return "text"
