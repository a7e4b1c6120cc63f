"""The one error handler: every error becomes JSON, an ``error.html`` page or plain text, never a traceback.

``kg.errors.GovkgError`` carries its HTTP status (``QueryError`` 400, ``StoreError``
503, …); werkzeug's HTTP exceptions (``abort(403, "…")``) keep theirs; anything else
is logged with its traceback and answered with a bare 500.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from kg.errors import GovkgError
from webui.negotiate import error_format

__all__ = ["init_app", "error_response"]


def init_app(app: Flask) -> None:
    app.register_error_handler(GovkgError, _govkg_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error answer in the format the client asked for."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    kind = error_format()
    if kind == "json":
        response = jsonify({"ok": False, "status": status, "title": title, "error": message})
    elif kind == "html":
        response = Response(render_template("error.html", status=status, title=title, message=message), mimetype="text/html")
    else:
        response = Response(f"{status} {title}: {message}\n", mimetype="text/plain")
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _govkg_error(exc: GovkgError) -> Response:
    return error_response(exc.status, str(exc))


def _http_error(exc: HTTPException) -> Response:
    headers = {name: value for name, value in exc.get_headers() if name.lower() not in ("content-type", "content-length")}
    return error_response(exc.code or 500, exc.description or "", headers)


def _unexpected_error(exc: Exception) -> Response:
    current_app.logger.error("unexpected error", exc_info=exc)
    return error_response(500, "The server met an unexpected error; it has been logged.")
