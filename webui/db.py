"""The store behind the web UI: opened read-only once per worker process, reopened after a rebuild.

Each request asks a :class:`kg.snapshot.SnapshotHolder` for the store: a read-only
snapshot, reopened when a writer has committed since (see that class).  The holder
lives in ``app.extensions`` and remembers the process that opened its snapshot, so a
store opened before gunicorn forks is never shared with a worker.

Two ways of querying, on purpose.  Pages (home, entity pages, …) run our own named
queries (``select_named``) in the worker itself: they are bounded by design (a
resource's properties, one unit's tasks), answer in milliseconds, and a pipe round
trip per query would only slow them down.  User SPARQL from ``/sparql`` is unbounded,
so it goes through :func:`answer_query` to the worker's :class:`kg.runner.QueryRunner`,
whose child process is killed when a query outlives ``QUERY_TIMEOUT``.  A store
injected with ``STORE`` (an in-memory store in tests) cannot be opened by another
process, so its queries run in-process with no time limit.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import pyoxigraph as ox
from flask import Flask, current_app

from kg.queries import get_query, plain, rows
from kg.runner import QueryAnswer, QueryJob, QueryRunner, answer
from kg.snapshot import SnapshotHolder
from kg.store import Store

__all__ = ["init_app", "get_store", "answer_query", "start_query_runner", "select_named", "named_rows", "plain", "SnapshotHolder", "snapshot_cached"]


def init_app(app: Flask) -> None:
    """Attach the store (injected, or a snapshot holder for ``STORE_PATH``) to ``app``."""
    injected = app.config.get("STORE")
    app.extensions["govkg.store"] = injected if injected is not None else SnapshotHolder(app.config["STORE_PATH"])
    app.extensions["govkg.query_runners"] = {}  # process id -> QueryRunner


def answer_query(job: QueryJob) -> QueryAnswer:
    """The answer to a user's SPARQL query, within ``QUERY_TIMEOUT`` seconds (see the module docstring).

    Raises ``QueryTimeout`` (503), ``QueryError`` (400) or ``StoreError`` (503).
    """
    source = current_app.extensions["govkg.store"]
    if not isinstance(source, SnapshotHolder):
        return answer(source, job)
    return _query_runner(current_app).run(job)


def start_query_runner(app: Flask) -> None:
    """Start this process's query process now rather than on the first query (``govkg serve`` does, per worker)."""
    if isinstance(app.extensions["govkg.store"], SnapshotHolder):
        _query_runner(app).start()


def _query_runner(app: Flask) -> QueryRunner:
    runners = app.extensions["govkg.query_runners"]
    runner = runners.get(os.getpid())
    if runner is None:  # a runner inherited across fork belongs to the parent: make our own
        holder = app.extensions["govkg.store"]
        runner = runners.setdefault(os.getpid(), QueryRunner(holder.path, timeout=app.config["QUERY_TIMEOUT"]))
    return runner


def get_store() -> Store:
    """The store for the current request."""
    source = current_app.extensions["govkg.store"]
    return source.get() if isinstance(source, SnapshotHolder) else source


def named_rows(name: str, **params: str) -> list[dict[str, str | int | None]]:
    """Rows of the named query ``queries/NAME.rq`` with ``params`` bound, as plain values (:func:`kg.queries.rows`)."""
    return rows(get_store(), name, **params)


def select_named(name: str, **params: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
    """Rows of the named query ``queries/NAME.rq`` with ``params`` bound."""
    return get_store().select(get_query(name).bind(params))


T = TypeVar("T")
CACHE_SIZE = 64


def snapshot_cached(key: Hashable, compute: Callable[[], T], *, cache: str = "pages", size: int = CACHE_SIZE) -> T:
    """``compute()``, kept per worker process for the current store snapshot and ``key``.

    Each named ``cache`` keeps the newest ``size`` values of each snapshot.  This module
    opens a new ``Store`` object when the store changes on disk, so keying by that object
    (weakly: an old snapshot's entries go with it) never serves a value computed from
    older data.  Callers must not change what they get back.
    """
    store = get_store()
    caches = current_app.extensions.setdefault("govkg.snapshot-caches", {})
    by_store, lock = caches.setdefault(cache, (weakref.WeakKeyDictionary(), threading.Lock()))
    with lock:
        entries = by_store.setdefault(store, OrderedDict())
        if key in entries:
            entries.move_to_end(key)
            return entries[key]
    value = compute()
    with lock:
        entries[key] = value
        entries.move_to_end(key)
        while len(entries) > size:
            entries.popitem(last=False)
    return value
