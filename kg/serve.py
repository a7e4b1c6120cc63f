"""``govkg serve``: the web UI and SPARQL endpoint under gunicorn, started from Python (no shell).

The app (:func:`webui.create_app`) is built once in the gunicorn master with the store
path; each worker process opens the store read-only on its first request and reopens
it when a rebuild changes it (see :mod:`webui.db`).

Concurrency: gunicorn *sync* workers (``workers``, default 2), each answering one
request at a time, each with its own read-only snapshot of the store for pages (home,
entity pages), whose named queries are bounded and run in the worker.  User SPARQL
from ``/sparql`` is unbounded, and pyoxigraph cannot cancel a query (signals do not
interrupt one), so each worker sends it to its own long-lived query process
(:mod:`kg.runner`, started when the worker starts, opening the store read-only
itself).  The worker waits ``query_timeout`` seconds; then it kills that process,
answers 503 with a message (:class:`kg.errors.QueryTimeout`) and starts a fresh one,
so a runaway query costs its client an error and nobody else anything.  Both the
worker and its query process reopen their snapshot when a rebuild changes the store
(:mod:`webui.db`).

gunicorn's own ``--timeout`` stays as a backstop at ``query_timeout`` +
:data:`TIMEOUT_MARGIN` seconds: should a worker hang anyway, the gunicorn master kills
it (its query process dies with it) and starts another.

>>> gunicorn_options(host="127.0.0.1", port=8000, workers=2, query_timeout=30)["timeout"]
35
"""

from __future__ import annotations

import errno
import socket
import subprocess
import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication

from kg.errors import InputError, StoreError
from kg.runner import STARTUP_LIMIT

__all__ = ["serve", "gunicorn_options", "TIMEOUT_MARGIN"]

TIMEOUT_MARGIN = int(STARTUP_LIMIT) + 2
"""Seconds gunicorn allows a request beyond the query timeout: waiting for a query process
still starting (:data:`kg.runner.STARTUP_LIMIT`), reading the request, killing the query
process, writing the answer."""


def serve(*, store: Path, host: str, port: int, workers: int, query_timeout: int) -> int:
    """Serve the store at ``store`` on ``host:port`` until stopped; returns the exit status.

    Parameters
    ----------
    store : the store directory (built by ``govkg build``), opened read-only.
    host, port : where to listen.
    workers : gunicorn sync worker processes (each answers one request at a time and
        has one query process).
    query_timeout : seconds a SPARQL query may run before it is stopped and answered
        with 503; gunicorn kills a worker busy for :data:`TIMEOUT_MARGIN` more.

    Raises
    ------
    StoreError : there is no readable store at ``store``.
    InputError : ``workers`` or ``query_timeout`` below 1, or ``host:port`` cannot be bound.
    """
    store = Path(store)
    if workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    if query_timeout < 1:
        raise InputError(f"--query-timeout must be at least 1 second, got {query_timeout}")
    if not (store / "CURRENT").is_file():
        raise StoreError(f"no store at {store}: run `govkg build --store {store}` first")
    # Not opened here: RocksDB state left in the master would be inherited, broken, by
    # every forked worker (they crash on exit); each worker opens its own snapshot.
    _check_bindable(host, port)
    _refresh_search_index(store)

    from webui import create_app  # imported here: `govkg` commands that do not serve need no Flask

    app = create_app({"STORE_PATH": store, "QUERY_TIMEOUT": query_timeout})
    try:
        _GunicornApplication(app, gunicorn_options(host=host, port=port, workers=workers, query_timeout=query_timeout)).run()
    except SystemExit as stop:  # gunicorn's arbiter leaves through sys.exit
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return 0


def gunicorn_options(*, host: str, port: int, workers: int, query_timeout: int) -> dict[str, object]:
    """The gunicorn settings ``serve`` runs with."""
    limit = query_timeout + TIMEOUT_MARGIN
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "sync",
        "timeout": limit,
        "graceful_timeout": limit,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "govkg-serve",
        "control_socket_disable": True,  # gunicorn >= 25: no shared ~/.gunicorn/gunicorn.ctl between instances
        "when_ready": _announce,
        "post_worker_init": _start_query_process,
    }


def _announce(server) -> None:
    timeout = server.cfg.timeout - TIMEOUT_MARGIN
    for address in server.cfg.bind:
        server.log.info("govkg: serving http://%s/ (SPARQL at /sparql; queries stopped after %s s)", address, timeout)


def _start_query_process(worker) -> None:
    """Each worker starts its query process and loads the jieba tokenizer at once, so its first requests do not wait."""
    from kg.text import tokenizer
    from webui.db import start_query_runner

    start_query_runner(worker.wsgi)
    tokenizer()  # 0.6–1 s: the dictionary and the user words searches are segmented with


def _refresh_search_index(store: Path) -> None:
    """Bring the search index up to date before the workers start (in a child: the master never opens the store).

    ``govkg build`` does not build the index (it would cost the build about a second on
    the bundled corpus); a stale index is rebuilt here, or by the first search.
    """
    done = subprocess.run([sys.executable, "-m", "kg.search", str(store)], capture_output=True, text=True)
    message = (done.stdout or done.stderr).strip().splitlines()
    if done.returncode == 0:
        print(message[-1] if message else "search index: ready", flush=True)
    else:  # search catches up on first use; serving matters more
        print(f"warning search index not refreshed: {message[-1] if message else done.returncode}", file=sys.stderr, flush=True)


def _check_bindable(host: str, port: int) -> None:
    """Fail at once, with a one-line reason, if ``host:port`` is taken (gunicorn would retry for 5 s)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            reason = "address already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            raise InputError(f"cannot listen on {host}:{port}: {reason}") from exc


class _GunicornApplication(BaseApplication):
    """gunicorn driven from Python: fixed settings, a ready WSGI app."""

    def __init__(self, app, options: dict[str, object]):
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._options.items():
            if name in self.cfg.settings:  # control_socket_disable exists only from gunicorn 25
                self.cfg.set(name, value)

    def load(self):
        return self._app
