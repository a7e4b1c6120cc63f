"""The govkg web UI and SPARQL endpoint: a Flask app factory with one blueprint per area.

>>> from kg.store import open_store
>>> client = create_app({"TESTING": True, "STORE": open_store(None)}).test_client()
>>> client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).json
{'head': {}, 'boolean': False}
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from kg.config import default_store, setting

__all__ = ["create_app"]


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; ``test_config`` overrides settings (``STORE`` injects a ready ``kg.store.Store``).

    Settings: ``STORE_PATH`` (directory of the store, opened read-only), ``QUERY_TIMEOUT``
    (seconds a ``/sparql`` query may run in the worker's query process before it is
    stopped and answered with 503; see :mod:`kg.runner`), ``ROW_CAP`` (most rows a SELECT
    on ``/sparql`` returns) and ``STORE`` (a store object to use instead of opening
    ``STORE_PATH``; for tests: its queries run in-process, with no time limit).
    """
    app = Flask(__name__)
    app.config.from_mapping(
        STORE_PATH=default_store(),
        QUERY_TIMEOUT=int(setting("query_timeout")),
        ROW_CAP=int(setting("row_cap")),
        STORE=None,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["STORE_PATH"] = Path(app.config["STORE_PATH"])
    app.json.ensure_ascii = False  # Chinese stays readable in the JSON twins
    app.json.sort_keys = False  # keep the column order of the query

    from webui import db, entities, errors, home, sparql

    db.init_app(app)
    errors.init_app(app)
    app.register_blueprint(home.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(entities.bp)
    from webui import querypage; app.register_blueprint(querypage.bp)  # noqa: E702
    from webui import network, workload; app.register_blueprint(workload.bp); app.register_blueprint(network.bp)  # noqa: E702
    from webui import downloads; app.register_blueprint(downloads.bp)  # noqa: E702
    from webui import search; app.register_blueprint(search.bp)  # noqa: E702
    return app
