"""User SPARQL under a time limit: each query runs in a child process that can be killed.

pyoxigraph cannot cancel a query, and signals do not interrupt one (oxigraph issue
#1926), so a time limit cannot be kept inside the process that runs the query.  A
:class:`QueryRunner` (one per web worker process) therefore keeps ONE long-lived child,
``python -m kg.runner``, started on the first query.  The child opens the store
read-only itself (a :class:`kg.snapshot.SnapshotHolder`, so it reopens the snapshot after
a rebuild, as the worker does), receives a :class:`QueryJob` (query text, the chosen
result formats, the row cap) over a pipe, runs the query, writes the answer with the
endpoint's writers (:mod:`kg.results`) and sends back a :class:`QueryAnswer` or a
typed error.  The parent waits at most ``timeout`` seconds for the answer, counted
from a child that is ready (a child still starting gets :data:`STARTUP_LIMIT` more
seconds, so a slow start on a loaded machine is not charged to the query).  When the
time is up it
kills the child (``SIGKILL``), starts a fresh one at once (it starts while the error
answer goes out, so the next query does not wait for it) and raises
:class:`~kg.errors.QueryTimeout`.  A child found dead before a query is replaced
silently; one that dies during a query (out of memory, a crash) is replaced and the
query fails with :class:`~kg.errors.StoreError`.

Why a child and not a thread or a signal: the query holds no Python frame that a signal
or a flag could stop, and a process is the only thing the kernel stops for us.  Why
one long-lived child and not one per query: start-up (Python, pyoxigraph, the web
layer's writers, opening the store) costs about 0.3 s, while the round trip to a warm
child adds about 1 ms of CPU to a query (pipe, pickling; benchmarks/bench_serve.py).
Never ``fork``: a forked copy of a process that has
a RocksDB store open inherits broken state, so the child is a fresh interpreter.

The child dies with its parent (Linux ``PR_SET_PDEATHSIG``, checked again after it is
set), so a worker killed by gunicorn's own timeout leaves no query running behind it.
``PR_SET_PDEATHSIG`` fires when the *thread* that started the child ends: start
runners from long-lived threads (gunicorn's sync workers answer in their main thread).

Example (a store on disk; the first query also starts the child):

>>> import tempfile, pathlib
>>> from kg.store import open_store
>>> path = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> open_store(path).close()
>>> runner = QueryRunner(path, timeout=10)
>>> runner.run(QueryJob("ASK { ?s ?p ?o }", solution_format="json")).body
b'{"head":{},"boolean":false}'
>>> runner.close()
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from kg.config import PROJECT_ROOT
from kg.errors import GovkgError, InputError, QueryError, QueryTimeout, StoreError

__all__ = ["QueryJob", "QueryAnswer", "QueryRunner", "answer", "STARTUP_LIMIT"]

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
_REPLACED_QUIETLY = "query process %s exited (status %s) between queries; starting a new one"
_DIED = "the query process stopped while running this query (out of memory?); it has been restarted"
_FAILED_TO_START = "the query process failed to start; see the server log"

STARTUP_LIMIT = 3.0
"""Seconds a query waits for a query process that is still starting (about 0.3 s when idle); not part of the query's limit."""
# Errors the child may send back by name; anything else arrives as a bare GovkgError.
_ERRORS = {cls.__name__: cls for cls in (QueryError, StoreError, InputError)}


@dataclass(frozen=True)
class QueryJob:
    """A query to answer: its text, the formats chosen for each result kind, the row cap.

    Formats are names from :data:`kg.results.SOLUTION_FORMATS` (for SELECT and ASK)
    and :data:`kg.results.GRAPH_FORMATS` (CONSTRUCT, DESCRIBE); ``None`` means the
    client accepts no format of that kind (the answer then says so and carries no body).
    """

    text: str
    solution_format: str | None = "json"
    graph_format: str | None = "turtle"
    row_cap: int = 10_000


@dataclass(frozen=True)
class QueryAnswer:
    """The answer to a :class:`QueryJob`.

    ``kind`` is ``"solutions"``, ``"boolean"`` or ``"graph"``; ``format`` the name of the
    format used (``None``: none acceptable).  For a written format ``body`` holds the
    bytes to send; for ``"html"`` the page is rendered by the caller from ``variables``
    and ``rows`` (cells as :func:`kg.results.display_term` dicts), ``boolean`` or
    ``graph`` (Turtle text).
    """

    kind: str
    format: str | None
    body: bytes = b""
    truncated: bool = False
    variables: list[str] = field(default_factory=list)
    rows: list[list[dict[str, str]]] = field(default_factory=list)
    boolean: bool | None = None
    graph: str | None = None


def answer(store, job: QueryJob) -> QueryAnswer:
    """Run ``job`` on ``store`` (a :class:`kg.store.Store`) and write its answer; no time limit.

    This is what the child runs; in-memory stores injected into the web app in tests
    are answered by calling it directly.  Raises ``QueryError`` for a query that does
    not parse or fails while running.
    """
    import pyoxigraph as ox

    from kg.namespaces import PREFIXES
    from kg import results

    result = store.query(job.text, prefixes=PREFIXES)
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        kind = "solutions" if isinstance(result, ox.QuerySolutions) else "boolean"
        fmt = _named(results.SOLUTION_FORMATS, job.solution_format)
    else:
        kind = "graph"
        fmt = _named(results.GRAPH_FORMATS, job.graph_format)
    if fmt is None:
        return QueryAnswer(kind, None)
    if kind == "solutions" and fmt.writer is None:
        variables, rows, truncated = results.read_solutions(result, row_cap=job.row_cap)
        cells = [[results.display_term(row[v]) for v in variables] for row in rows]
        return QueryAnswer(kind, fmt.name, variables=variables, rows=cells, truncated=truncated)
    if kind == "solutions":
        body, truncated = results.write_solutions(result, fmt, row_cap=job.row_cap)
        return QueryAnswer(kind, fmt.name, body=body, truncated=truncated)
    if kind == "boolean":
        if fmt.writer is None:
            return QueryAnswer(kind, fmt.name, boolean=bool(result))
        return QueryAnswer(kind, fmt.name, body=results.write_boolean(result, fmt))
    if fmt.writer is None:
        return QueryAnswer(kind, fmt.name, graph=results.write_graph(result, results.GRAPH_FORMATS[0]).decode("utf-8"))
    return QueryAnswer(kind, fmt.name, body=results.write_graph(result, fmt))


def _named(table, name: str | None):
    return None if name is None else next(fmt for fmt in table if fmt.name == name)


class _Child:
    """One running ``python -m kg.runner`` and the two pipe ends the parent holds."""

    def __init__(self, store_path: Path):
        job_read, job_write = os.pipe()
        reply_read, reply_write = os.pipe()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kg.runner", str(store_path), str(job_read), str(reply_write), str(os.getpid())],
                pass_fds=(job_read, reply_write),
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # Ctrl-C on the terminal stops the server, which stops us
            )
        finally:
            os.close(job_read)
            os.close(reply_write)
        self.jobs = Connection(job_write, readable=False)
        self.replies = Connection(reply_read, writable=False)
        self.ready = False  # set once the child has said it is ready

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
            log.error("query process %s did not stop after SIGKILL", self.process.pid)
        self.jobs.close()
        self.replies.close()


class QueryRunner:
    """Answers :class:`QueryJob` s in a child process, within ``timeout`` seconds each.

    One runner per process (it is not shared across ``fork``); calls are serialised by
    a lock, as the child answers one query at a time.
    """

    def __init__(self, store_path: str | Path, *, timeout: float):
        self.store_path = Path(store_path)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._child: _Child | None = None
        self._pid = os.getpid()
        atexit.register(self.close)

    @property
    def child_pid(self) -> int | None:
        """The process id of the current child (``None`` before the first query)."""
        return self._child.process.pid if self._child is not None else None

    def run(self, job: QueryJob) -> QueryAnswer:
        """The answer to ``job``.

        Raises
        ------
        QueryTimeout : no answer within ``timeout`` seconds (the child is killed and replaced).
        QueryError : the query does not parse or fails (the parser's message).
        StoreError : the store cannot be opened, the child died during the query, or it
            is still starting after :data:`STARTUP_LIMIT` seconds.
        """
        if os.getpid() != self._pid:
            raise RuntimeError("a QueryRunner cannot be used across fork; make one per process")
        with self._lock:
            child = self._started_child()
            try:
                child.jobs.send(vars(job))
            except OSError:  # it died after the check: start another and try once more
                child = self._started_child(replace=True)
                child.jobs.send(vars(job))
            if not child.replies.poll(self.timeout):
                self._replace()
                raise QueryTimeout(self.timeout)
            status, payload = self._receive(child, _DIED)
        if status == "ok":
            return QueryAnswer(**payload)
        name, message = payload
        raise _ERRORS.get(name, GovkgError)(message)

    def start(self) -> None:
        """Start the child now if there is none (it comes up in the background)."""
        with self._lock:
            if self._child is None or not self._child.alive:
                self._replace()

    def close(self) -> None:
        """Stop the child (also done at exit)."""
        if self._child is not None and os.getpid() == self._pid:
            self._child.kill()
            self._child = None

    def _started_child(self, *, replace: bool = False) -> _Child:
        """A child that has finished starting (waits up to ``STARTUP_LIMIT`` seconds for it)."""
        if replace or self._child is None:
            self._replace()
        elif not self._child.alive:
            log.warning(_REPLACED_QUIETLY, self._child.process.pid, self._child.process.returncode)
            self._replace()
        child = self._child
        if not child.ready:
            if not child.replies.poll(STARTUP_LIMIT):  # left starting: the next query may find it ready
                raise StoreError(f"the query process is still starting after {STARTUP_LIMIT:g} s (a loaded machine?); try again")
            self._receive(child, _FAILED_TO_START)
            child.ready = True
        return child

    def _receive(self, child: _Child, died: str) -> tuple:
        try:
            return child.replies.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            log.error("query process %s died (status %s)", child.process.pid, child.process.poll())
            self._replace()
            raise StoreError(died) from None

    def _replace(self) -> _Child:
        if self._child is not None:
            self._child.kill()
        self._child = _Child(self.store_path)
        return self._child


# -- the child ------------------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill us when the parent goes; leave now if it already has."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pipe's EOF still ends the loop
        pass
    if os.getppid() != parent:
        os._exit(0)


def _serve(store_path: Path, jobs: Connection, replies: Connection) -> int:
    """Answer jobs until the parent closes the pipe.

    Jobs and answers cross the pipe as plain dicts (pickled), so both sides agree on
    them whatever name this module was imported under.
    """
    from kg.snapshot import SnapshotHolder

    holder = SnapshotHolder(store_path)
    try:
        holder.get()  # open the snapshot now, not during the first query
    except GovkgError:
        pass  # no store yet: each job will say so
    replies.send(("ready", None))
    while True:
        try:
            job = QueryJob(**jobs.recv())
        except EOFError:
            return 0
        try:
            reply = ("ok", vars(answer(holder.get(), job)))
        except GovkgError as exc:
            reply = ("error", (type(exc).__name__, str(exc)))
        except Exception:  # an unexpected failure: logged here (stderr), no details to the client
            log.exception("query failed unexpectedly")
            reply = ("error", ("GovkgError", "the query failed unexpectedly; the error has been logged"))
        replies.send(reply)


def main(argv: list[str]) -> int:
    store_path, job_fd, reply_fd, parent = argv
    _die_with_parent(int(parent))
    logging.basicConfig(level=logging.WARNING, format="govkg query process %(process)d: %(levelname)s %(message)s")
    return _serve(Path(store_path), Connection(int(job_fd), writable=False), Connection(int(reply_fd), readable=False))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
