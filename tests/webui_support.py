"""Helpers shared by the web tests: the fixture graph and an HTML reader built on html.parser."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import Store

__all__ = ["FIXTURE", "load_fixture", "fixture_store", "free_port", "running", "Page"]

FIXTURE = Path(__file__).parent / "data" / "webui-fixture.trig"


def load_fixture(store: Store, path: Path = FIXTURE) -> None:
    """Write each named graph of the TriG file ``path`` into ``store``."""
    graphs: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(path=str(path)):
        graphs[quad.graph_name].append(quad)
    for graph, quads in graphs.items():
        store.replace_graph(graph, quads)


def fixture_store(path: Path) -> Path:
    """An on-disk store at ``path`` holding the fixture graph, closed (for servers to open)."""
    from kg.store import open_store

    store = open_store(path)
    load_fixture(store)
    store.close()
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(argv: list[str], *, ready: str, log: Path, start_within: float = 20) -> Iterator[subprocess.Popen]:
    """Run ``argv`` (a server) in its own session until the block ends; ``ready`` is a URL that answers once it serves.

    The server's output goes to ``log``; a server that exits or does not answer within
    ``start_within`` seconds fails the test with that output.  On the way out the server
    gets SIGTERM (gunicorn's master stops its workers), then SIGKILL for its whole session.
    """
    from kg.config import PROJECT_ROOT

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    with log.open("w+b") as out:
        process = subprocess.Popen(argv, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + start_within
            while True:
                try:
                    urllib.request.urlopen(ready, timeout=5).read()
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    if process.poll() is not None or time.monotonic() > deadline:
                        out.seek(0)
                        pytest.fail(f"{' '.join(argv[:4])} … did not start:\n{out.read().decode(errors='replace')}")
                    time.sleep(0.1)
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """An HTML page read with html.parser: tags seen, text by element id, tables, links.

    Text is unescaped (``&lt;`` becomes ``<``), so a literal containing markup reads back
    as written while ``tags`` shows that no element was made from it.
    """

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text_by_id: dict[str, str] = {}
        self.attrs_by_id: dict[str, dict[str, str]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, id)
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_head = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if "id" in attrs:
            self.attrs_by_id[attrs["id"]] = attrs
            self.text_by_id[attrs["id"]] = ""
        if tag == "table":
            self._table = attrs.get("id", "")
            self.tables[self._table] = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._table is not None and not self._in_head:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        if tag not in _VOID:
            self._open.append((tag, attrs.get("id")))

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "table":
            self._table = None
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        for _, element_id in self._open:
            if element_id is not None:
                self.text_by_id[element_id] += data

    def text(self, element_id: str) -> str:
        return self.text_by_id[element_id].strip()
