"""``/download/…``: the graph as files to take away, Turtle and TriG, whole or one document at a time.

Routes (every file is sent with ``Content-Disposition: attachment`` and a filename)::

    /download/                          the list of downloads (HTML, or JSON by ?format=json / Accept)
    /download/govkg.trig                every named graph (documents, ontology, authority data, results), TriG
    /download/govkg.ttl                 the union of all graphs as Turtle, each triple once
    /download/doc/{city}/{year}/{kind}.trig   one document's named graph, TriG (the graph keeps its name)
    /download/doc/{city}/{year}/{kind}.ttl    one document's named graph, Turtle (its triples)

A document's path is its IRI's after ``id/doc/``: the document
``https://w3id.org/govkg/id/doc/许昌市/2026/key-tasks`` is served at
``/download/doc/许昌市/2026/key-tasks.ttl``.  Files are streamed a graph at a time
(``kg.store.Store.dump_chunks``); an unknown document is a 404.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Blueprint, Response, abort, jsonify, render_template, url_for

from kg import iri
from kg.namespaces import PREFIXES
from webui.db import get_store, named_rows
from webui.negotiate import wants_json

__all__ = ["bp", "document_download"]

bp = Blueprint("downloads", __name__, url_prefix="/download")

FORMATS = {  # file extension -> (kg.store format name, media type, label)
    "trig": ("trig", "application/trig", "TriG"),
    "ttl": ("turtle", "text/turtle", "Turtle"),
}


def document_download(doc_iri: str, ext: str) -> str | None:
    """The download path of a document's graph in format ``ext`` (ttl or trig), or None for an IRI that is no document's."""
    path = iri.path_of(doc_iri)
    if path is None or not path.startswith("doc/") or ext not in FORMATS:
        return None
    return url_for("downloads.document", rest=path[len("doc/"):] + "." + ext)


@bp.app_template_global("document_download")
def _document_download_global(doc_iri: str, ext: str) -> str | None:
    return document_download(doc_iri, ext)


def _attachment(chunks, ext: str, filename: str) -> Response:
    _, media_type, _ = FORMATS[ext]
    ascii_name = re.sub(r"-+", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", filename)).replace("govkg-.", "govkg.")
    response = Response(chunks, content_type=f"{media_type}; charset=utf-8")
    response.headers["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


@bp.route("/govkg.<ext>")
def whole(ext: str) -> Response:
    """The whole graph as TriG (named graphs kept) or Turtle (their union)."""
    if ext not in FORMATS:
        abort(404, f"no download govkg.{ext}: expected govkg.trig or govkg.ttl")
    store = get_store()
    return _attachment(store.dump_chunks(FORMATS[ext][0], prefixes=PREFIXES), ext, f"govkg.{ext}")


@bp.route("/doc/<path:rest>")
def document(rest: str) -> Response:
    """One document's named graph as TriG or Turtle."""
    stem, dot, ext = rest.rpartition(".")
    if not dot or ext not in FORMATS:
        abort(404, f"no download {rest}: expected a document path ending in .trig or .ttl")
    graph = iri.from_path("doc/" + stem)
    store = get_store()
    if not store.has_graph(graph):
        abort(404, f"no document graph {graph.value} in the store")
    filename = "govkg-" + stem.replace("/", "-") + "." + ext
    return _attachment(store.dump_chunks(FORMATS[ext][0], graph=graph, prefixes=PREFIXES), ext, filename)


@bp.route("/")
def index() -> Response:
    """The downloads: the whole graph, and each document's graph with its quad count."""
    sizes = {row["graph"]: row["quads"] for row in named_rows("download-graphs")}
    documents = []
    for row in named_rows("documents"):
        doc = row["doc"]
        if doc not in sizes:
            continue
        documents.append({
            "doc": doc, "title": row["title"], "city": row["city"], "year": row["year"],
            "quads": sizes[doc],
            "downloads": {FORMATS[ext][2]: document_download(doc, ext) for ext in FORMATS},
        })
    whole_graph = {FORMATS[ext][2]: url_for("downloads.whole", ext=ext) for ext in FORMATS}
    if wants_json():
        response = jsonify({"whole": whole_graph, "graphs": len(sizes), "quads": sum(sizes.values()), "documents": documents})
    else:
        response = Response(render_template("downloads.html", whole=whole_graph, graphs=len(sizes), quads=sum(sizes.values()),
                                            documents=documents),
                            content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response
