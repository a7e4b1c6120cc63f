"""Helpers shared by the web tests: the fixture graph and an HTML reader built on html.parser."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox

from kg.store import Store

__all__ = ["FIXTURE", "load_fixture", "Page"]

FIXTURE = Path(__file__).parent / "data" / "webui-fixture.trig"


def load_fixture(store: Store, path: Path = FIXTURE) -> None:
    """Write each named graph of the TriG file ``path`` into ``store``."""
    graphs: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(path=str(path)):
        graphs[quad.graph_name].append(quad)
    for graph, quads in graphs.items():
        store.replace_graph(graph, quads)


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
