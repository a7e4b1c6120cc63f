"""Full-text search over task and report text and the names of units, projects, enterprises, themes, places and documents.

Texts are segmented by the project's jieba tokenizer (:mod:`kg.text`, with the user
dictionary of unit names, places and theme keywords), so 市发展改革委, 郑许一体化 and
胖东来 are single words, and stored in an SQLite FTS5 index as space-joined words (the
``words`` column, positions intact for phrases) plus the dictionary words inside each
longer word (the ``parts`` column: 发展改革委 inside 市发展改革委, 一体化 inside
郑许一体化), so a search for a shorter word still finds the longer one.  Results are
ranked by BM25 (a word counts more than a part), filtered by kind, city and year, paged,
and carry highlight offsets into the ORIGINAL text (each word's offsets are kept).

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> from kg.namespaces import GOV, RDF
>>> from kg.store import open_store
>>> store, g = open_store(None), NamedNode("https://w3id.org/govkg/id/doc/x")
>>> t = NamedNode(g.value + "/task/1")
>>> store.replace_graph(g, [Quad(t, RDF.type, GOV.Task, g), Quad(t, GOV.inDocument, g, g),
...                         Quad(t, GOV.text, Literal("支持胖东来等商贸企业做优做强。"), g)])
>>> hits = ensure_index(store).search("胖东来").hits
>>> [(h.kind, h.text[s:e]) for h in hits for s, e in h.highlights]
[('task', '胖东来')]

The index of an on-disk store is a file beside the store directory (RocksDB owns the
directory itself): ``<store>.search.sqlite``.  It records the store's stamp (the
identity of RocksDB's ``CURRENT`` and ``MANIFEST`` files, as the web UI's snapshot
holder reads them), a digest of the rows it was built from and the tokenizer's
signature.  :func:`ensure_index` rebuilds it when the stamp changed and the rows did
too, under an exclusive file lock (``<store>.search.lock``), into a temporary file
moved into place with ``os.replace``: concurrent builders never leave a torn index, and
readers keep the file they opened.  A rebuild re-segments only texts it has not seen
(the previous index is a cache of segmentations, by text digest).

Notes
-----
Building reads four named queries (``queries/search-*.rq``), kept flat (the joins
with a task's city and year are made here, in dictionaries).  jieba segments about
1 MB/s; a corpus of 100,000 tasks takes about a minute the first time, which is why
``govkg build`` refreshes the index at its end and ``govkg serve`` starts with it ready.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import multiprocessing
import os
import re
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import InputError, StoreError
from kg.namespaces import DCT, GOV, PREFIXES, SKOS
from kg.queries import get_query
from kg.snapshot import store_stamp
from kg.store import Store, open_store

__all__ = ["KINDS", "Term", "Segment", "Hit", "Results", "BuildReport", "SearchIndex", "parse_query", "segment",
           "index_path", "store_stamp", "ensure_index", "build_index", "format_text"]

SCHEME = 3  # bump when the layout of the index or the way texts are segmented changes
KINDS = {  # kind -> what it is, in the order results of equal rank are listed
    "task": "key task of a notice",
    "work-item": "paragraph of a work report",
    "document": "document title",
    "unit": "government unit (names and aliases)",
    "project": "project",
    "enterprise": "enterprise",
    "theme": "theme (labels and keywords)",
    "place": "place",
}
PER_PAGE = 20
MAX_PER_PAGE = 200
MAX_TERMS = 32
_MAX_PART = 8  # longest dictionary word looked for inside a longer word
_MAX_WORD = 24  # words longer than this (long English, digits) get no parts
_SNIPPET = 150  # characters of a long text shown around its first match
_OPEN, _CLOSE = "\x01", "\x02"  # highlight markers; never in indexed words

_TYPE_KIND = {  # first match wins: a city is a gov:Place and a gov:City
    GOV.Document.value: "document", GOV.Unit.value: "unit", GOV.Project.value: "project",
    GOV.Enterprise.value: "enterprise", GOV.Theme.value: "theme", GOV.City.value: "place", GOV.County.value: "place",
    GOV.Township.value: "place", GOV.Province.value: "place", GOV.Place.value: "place",
}
_ROLE_ORDER = {GOV.Lead.value: 0, GOV.Responsible.value: 1, GOV.Cooperating.value: 2}
_LABEL_ORDER = {SKOS.prefLabel.value: 0, DCT.title.value: 1, SKOS.altLabel.value: 2, SKOS.hiddenLabel.value: 3}


# -- segmentation -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Segmented:
    """A text as the index holds it: its words, the dictionary words inside them, and where each is in the text."""

    words: str  # space-joined
    parts: str  # space-joined
    spans: str  # JSON {"w": [start, end, …], "p": [start, end, …]}, offsets into the text


def segment(text: str) -> Segmented:
    """``text`` segmented for the index.

    >>> s = segment("由市发展改革委牵头")
    >>> s.words, s.parts
    ('由 市发展改革委 牵头', '发展 改革')
    >>> json.loads(s.spans)["w"]
    [0, 1, 1, 7, 7, 9]
    """
    from kg.text import tokenizer

    tok = tokenizer()
    freq = tok.FREQ
    words, wspans, parts, pspans = [], [], [], []
    for word, start, end in tok.tokenize(text, HMM=False):
        if not _indexable(word):
            continue
        words.append(word.replace(_OPEN, "").replace(_CLOSE, ""))
        wspans += (start, end)
        n = len(word)
        if 2 < n <= _MAX_WORD:
            for i in range(n - 1):
                for j in range(i + 2, min(n, i + _MAX_PART) + 1):
                    if j - i < n and freq.get(word[i:j]) and word[i:j].isalnum():
                        parts.append(word[i:j])
                        pspans += (start + i, start + j)
    return Segmented(" ".join(words), " ".join(parts), json.dumps({"w": wspans, "p": pspans}, separators=(",", ":")))


def _indexable(word: str) -> bool:
    return any(ch.isalnum() for ch in word) and not any(ch.isspace() for ch in word)


def _tokenizer_signature() -> str:
    from kg.text import user_words

    return _signature_of(user_words())


@lru_cache(maxsize=4)
def _signature_of(words: frozenset[str]) -> str:
    """A digest of the tokenizer's version and user words (computed once per word set, not per request)."""
    import jieba

    h = hashlib.sha256(f"{SCHEME} jieba {jieba.__version__}\n".encode())
    h.update("\n".join(sorted(words)).encode())
    return h.hexdigest()


# -- queries ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """One term of a search: a word, or a quoted phrase of words (all must occur, in order)."""

    words: tuple[str, ...]

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1

    def match(self) -> str:
        """The FTS5 expression: the words as one double-quoted string (quotes doubled), never bare syntax."""
        quoted = '"' + " ".join(w.replace('"', '""') for w in self.words) + '"'
        return f"{{words uwords}} : {quoted}" if self.phrase else f"{{words parts uwords uparts}} : {quoted}"


_QUERY = re.compile(r'"([^"]*)"?|“([^”]*)”?|(\S+)')


def parse_query(text: str) -> tuple[Term, ...]:
    """The terms of a search box's text: each word of unquoted text, each quoted phrase.

    Text is segmented as the index is, so 郑许一体化 stays one word; FTS5 operators,
    brackets and quotes are ordinary characters (dropped, or part of a phrase).

    >>> [t.words for t in parse_query('郑许一体化发展 "市发展改革委 牵头" OR (x*')]
    [('郑许一体化',), ('发展',), ('市发展改革委', '牵头'), ('or',), ('x',)]
    >>> parse_query('"" ** ^ : -')
    ()
    """
    from kg.text import words as segment_words

    terms: dict[Term, None] = {}
    for m in _QUERY.finditer(text or ""):
        quoted = m.group(1) if m.group(1) is not None else m.group(2)
        chunk = quoted if quoted is not None else m.group(3)
        found = [w.lower() for w in segment_words(chunk) if _indexable(w)]
        if quoted is not None and found:
            terms[Term(tuple(found))] = None
        else:
            terms.update((Term((w,)), None) for w in found)
    return tuple(terms)[:MAX_TERMS]


# -- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Segment:
    """A piece of a snippet: text, and whether it matched the search."""

    text: str
    match: bool


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    label: str
    text: str
    document: str | None
    document_title: str | None
    city: str | None
    year: int | None
    number: str | None
    score: float
    highlights: tuple[tuple[int, int], ...]  # [start, end) offsets into text
    snippet: tuple[Segment, ...]
    snippet_start: bool = False  # the snippet starts inside the text (show …)
    snippet_end: bool = False  # the snippet stops before the text ends
    units: str = ""  # a task's units as the document names them, joined by 、
    unit_highlights: tuple[tuple[int, int], ...] = ()  # offsets into units
    unit_snippet: tuple[Segment, ...] = ()

    def as_json(self) -> dict:
        return {"iri": self.iri, "kind": self.kind, "label": self.label, "document": self.document,
                "document_title": self.document_title, "city": self.city, "year": self.year, "number": self.number,
                "score": round(self.score, 4), "text": self.text, "highlights": [list(h) for h in self.highlights],
                "snippet": [{"text": s.text, "match": s.match} for s in self.snippet],
                "snippet_truncated": [self.snippet_start, self.snippet_end], "units": self.units,
                "unit_highlights": [list(h) for h in self.unit_highlights]}


@dataclass(frozen=True)
class Results:
    query: str
    terms: tuple[Term, ...]
    kind: str | None
    city: str | None
    year: int | None
    page: int
    per_page: int
    total: int
    kinds: dict[str, int]  # matches per kind (city and year filters applied, kind not)
    hits: tuple[Hit, ...]
    stale: bool = False  # the store changed and another process is still rebuilding the index

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_json(self) -> dict:
        return {"query": self.query, "terms": [list(t.words) for t in self.terms], "kind": self.kind, "city": self.city,
                "year": self.year, "page": self.page, "per_page": self.per_page, "pages": self.pages, "total": self.total,
                "kinds": self.kinds, "stale": self.stale, "results": [h.as_json() for h in self.hits]}


# -- the index --------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entry (
    id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, label TEXT NOT NULL, text TEXT NOT NULL,
    doc TEXT, doc_title TEXT, city TEXT, year INTEGER, number TEXT, units TEXT NOT NULL, digest TEXT NOT NULL,
    spans TEXT NOT NULL, unit_spans TEXT NOT NULL);
CREATE INDEX entry_digest ON entry (digest);
CREATE TABLE facet (entry INTEGER NOT NULL, city TEXT, year INTEGER);
CREATE INDEX facet_entry ON facet (entry, city, year);
CREATE VIRTUAL TABLE fts USING fts5 (words, parts, uwords, uparts, kind UNINDEXED);
"""
_WEIGHTS = (1.0, 0.4, 0.5, 0.2)  # bm25 weights: words, parts of words; the same in the names of a task's units


class SearchIndex:
    """An open search index (an SQLite database) and its searches."""

    def __init__(self, connection: sqlite3.Connection, *, path: Path | None = None, stale: bool = False):
        self._db = connection
        self.path = path
        self.stale = stale
        self.meta = dict(connection.execute("SELECT key, value FROM meta"))

    @classmethod
    def open(cls, path: Path, *, stale: bool = False) -> "SearchIndex":
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        try:
            return cls(db, path=path, stale=stale)
        except sqlite3.Error:
            db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def entries(self) -> int:
        return int(self.meta.get("entries", 0))

    def facets(self) -> dict[str, list]:
        """The cities and years the filters offer: those of the documents."""
        cities = [r[0] for r in self._db.execute(
            "SELECT DISTINCT city FROM entry WHERE kind = 'document' AND city IS NOT NULL ORDER BY city")]
        years = [r[0] for r in self._db.execute("SELECT DISTINCT year FROM facet WHERE year IS NOT NULL ORDER BY year")]
        return {"kinds": list(KINDS), "cities": cities, "years": years}

    def search(self, text: str, *, kind: str | None = None, city: str | None = None, year: int | str | None = None,
               page: int | str = 1, per_page: int | str = PER_PAGE) -> Results:
        """The entries matching every term of ``text``, best first, one page of them.

        Raises ``InputError`` for an unknown kind or a malformed year, page or page size.
        An empty search (or one of operators only) has no results.
        """
        kind = kind or None
        if kind is not None and kind not in KINDS:
            raise InputError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
        year = _positive("year", year) if year not in (None, "") else None
        page = _positive("page", page)
        per_page = _positive("per_page", per_page)
        if per_page > MAX_PER_PAGE:
            raise InputError(f"per_page is at most {MAX_PER_PAGE}, got {per_page}")
        city = city or None
        terms = parse_query(text)
        if not terms:
            return Results(text or "", terms, kind, city, year, page, per_page, 0, {}, (), self.stale)
        match = " AND ".join(t.match() for t in terms)
        where = "fts MATCH :match"
        params: dict = {"match": match, "city": city, "year": year, "kind": kind}
        if city is not None or year is not None:
            where += (" AND EXISTS (SELECT 1 FROM facet f WHERE f.entry = fts.rowid"
                      " AND (:city IS NULL OR f.city = :city) AND (:year IS NULL OR f.year = :year))")
        kinds = {k: n for k, n in self._db.execute(f"SELECT kind, COUNT(*) FROM fts WHERE {where} GROUP BY kind", params)}
        kinds = {k: kinds[k] for k in KINDS if k in kinds}
        total = kinds.get(kind, 0) if kind else sum(kinds.values())
        params.update(limit=per_page, offset=(page - 1) * per_page)
        ranked = self._db.execute(
            f"SELECT rowid, rank FROM fts WHERE {where} AND (:kind IS NULL OR kind = :kind)"
            " ORDER BY rank, rowid LIMIT :limit OFFSET :offset",
            params).fetchall()
        hits = self._hits(ranked, match)
        return Results(text, terms, kind, city, year, page, per_page, total, kinds, hits, self.stale)

    def _hits(self, ranked: list[tuple[int, float]], match: str) -> tuple[Hit, ...]:
        if not ranked:
            return ()
        ids = json.dumps([rowid for rowid, _ in ranked])
        columns = ", ".join(f"highlight(fts, {i}, '{_OPEN}', '{_CLOSE}')" for i in range(4))
        marked = {r[0]: r[1:] for r in self._db.execute(
            f"SELECT rowid, {columns} FROM fts WHERE fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))", (match, ids))}
        rows = {r[0]: r for r in self._db.execute(
            "SELECT id, iri, kind, label, text, doc, doc_title, city, year, number, spans, units, unit_spans FROM entry"
            " WHERE id IN (SELECT value FROM json_each(?))", (ids,))}
        hits = []
        for rowid, score in ranked:
            _, iri, kind, label, text, doc, doc_title, city, year, number, spans, units, unit_spans = rows[rowid]
            spans, unit_spans = json.loads(spans), json.loads(unit_spans)
            hw, hp, uw, up = marked.get(rowid, ("", "", "", ""))
            highlights = _merge(_marked(hw, spans["w"]) + _marked(hp, spans["p"]))
            unit_highlights = _merge(_marked(uw, unit_spans["w"]) + _marked(up, unit_spans["p"]))
            snippet, cut_start, cut_end = _snippet(text, highlights)
            unit_snippet = _snippet(units, unit_highlights, window=False)[0]
            hits.append(Hit(iri, kind, label, text, doc, doc_title, city, year, number, -score, tuple(highlights),
                            snippet, cut_start, cut_end, units, tuple(unit_highlights), unit_snippet))
        return tuple(hits)


def _positive(name: str, value) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InputError(f"{name} must be a positive whole number, got {value!r}") from None
    if number < 1:
        raise InputError(f"{name} must be a positive whole number, got {value!r}")
    return number


def _marked(highlighted: str, spans: list[int]) -> list[tuple[int, int]]:
    """The text offsets of the words FTS5's ``highlight()`` marked in a space-joined column."""
    pieces = highlighted.split(" ") if highlighted else []
    if len(pieces) * 2 != len(spans):
        return []
    found, inside = [], False
    for i, piece in enumerate(pieces):
        hit = inside or _OPEN in piece or _CLOSE in piece
        for ch in piece:
            if ch == _OPEN:
                inside = True
            elif ch == _CLOSE:
                inside = False
        if hit:
            found.append((spans[2 * i], spans[2 * i + 1]))
    return found


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _snippet(text: str, highlights: list[tuple[int, int]], *, window: bool = True) -> tuple[tuple[Segment, ...], bool, bool]:
    """The text, or a window of it around the first match, cut into matched and unmatched pieces."""
    start, end = 0, len(text)
    if window and len(text) > _SNIPPET + 30:
        first = highlights[0][0] if highlights else 0
        start = max(0, min(first - 30, len(text) - _SNIPPET))
        end = min(len(text), start + _SNIPPET)
    segments, at = [], start
    for s, e in highlights:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        if s > at:
            segments.append(Segment(text[at:s], False))
        segments.append(Segment(text[s:e], True))
        at = e
    if at < end:
        segments.append(Segment(text[at:end], False))
    return tuple(segments), start > 0, end < len(text)


# -- building ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    iri: str
    kind: str
    label: str
    text: str
    doc: str | None = None
    doc_title: str | None = None
    city: str | None = None
    year: int | None = None
    number: str | None = None
    order: int = 0
    facets: tuple[tuple[str | None, int | None], ...] = field(default=())
    units: str = ""

    def key(self) -> tuple:
        return (list(KINDS).index(self.kind), self.city or "", -(self.year or 0), self.doc or "", self.order, self.iri)


@dataclass(frozen=True)
class BuildReport:
    entries: int
    segmented: int  # texts segmented by jieba
    reused: int  # segmentations taken from the previous index
    seconds: float
    rebuilt: bool  # False when the index was already current

    def __str__(self) -> str:
        if not self.rebuilt:
            return f"search index: current ({self.entries} entries)"
        return (f"search index: {self.entries} entries, {self.segmented} texts segmented, "
                f"{self.reused} reused ({self.seconds:.2f} s)")


def _value(term) -> str | None:
    return None if term is None else term.value


def _int(term) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def read_entries(store: Store) -> list[Entry]:
    """Every searchable entry in ``store``, sorted (the named queries ``search-texts``, ``-names``, ``-facets``, ``-assignments``).

    The queries are flat; joins (a task's document title, city and year; the cities and
    years of the units, projects and enterprises its tasks name) are made here.
    """
    def select(name: str) -> list[dict]:
        return store.select(get_query(name).text, prefixes=PREFIXES)

    texts: dict[str, list[dict]] = defaultdict(list)
    for row in select("search-texts"):
        texts[row["entity"].value].append(row)
    for rows in texts.values():  # one row per task, the same one whatever order the store returned them in
        rows.sort(key=lambda r: tuple(str(r.get(c, "")) for c in ("kind", "text", "number", "title", "doc", "order")))
    names: dict[str, list[dict]] = defaultdict(list)
    for row in select("search-names"):
        names[row["entity"].value].append(row)
    facet_rows = select("search-facets")

    doc_title: dict[str, str] = {}
    for iri, rows in names.items():
        titles = sorted((r["label"].language not in (None, "zh"), r["label"].value) for r in rows
                        if r["type"].value == GOV.Document.value and r["property"].value == DCT.title.value)
        if titles:
            doc_title[iri] = titles[0][1]
    doc_place: dict[str, tuple] = {}
    for row in sorted(facet_rows, key=lambda r: (str(r.get("city", "")), str(r.get("year", "")))):
        if "task" not in row and row["entity"].value in doc_title and "year" in row:
            doc_place.setdefault(row["entity"].value, (_value(row.get("city")), _int(row.get("year"))))
    where = {iri: doc_place.get(rows[0]["doc"].value, (None, None)) for iri, rows in texts.items()}  # a task's city, year

    facets: dict[str, set] = defaultdict(set)
    for row in facet_rows:
        task = _value(row.get("task"))
        facets[row["entity"].value].add(where.get(task, (None, None)) if task else (_value(row.get("city")), _int(row.get("year"))))
    assigned: dict[str, list[tuple]] = defaultdict(list)
    for row in select("search-assignments"):
        task = row["task"].value
        role = _ROLE_ORDER.get(_value(row.get("role")), len(_ROLE_ORDER))
        assigned[task].append((role, _int(row.get("position")) or 0, row["mention"].value))
        if "unit" in row and task in where:
            facets[row["unit"].value].add(where[task])

    entries = []
    for iri, rows in texts.items():
        row = rows[0]
        number, title, doc = _value(row.get("number")), _value(row.get("title")), row["doc"].value
        city, year = where[iri]
        text = row["text"].value
        label = title or f"{number or ''} {text[:24]}{'…' if len(text) > 24 else ''}".strip()
        units = "、".join(dict.fromkeys(mention for *_, mention in sorted(assigned.get(iri, ()))))
        entries.append(Entry(iri, row["kind"].value, label, text, doc, doc_title.get(doc),
                             city, year, number, _int(row.get("order")) or 0, ((city, year),), units))
    kinds = list(_TYPE_KIND)
    for iri, rows in names.items():
        if iri in texts:
            continue
        kind = _TYPE_KIND[min((r["type"].value for r in rows), key=kinds.index)]
        labels = sorted(((_LABEL_ORDER[r["property"].value], r["label"].language not in (None, "zh"), r["label"].value)
                         for r in rows), key=lambda x: x)
        unique = list(dict.fromkeys(label for *_, label in labels))
        places = sorted(facets.get(iri, ()), key=lambda f: (f[0] or "", f[1] or 0))
        cities = sorted({c for c, _ in places if c})
        years = sorted({y for _, y in places if y})
        entries.append(Entry(iri, kind, unique[0], "、".join(unique), None, None,
                             cities[0] if len(cities) == 1 else None, years[0] if len(years) == 1 else None,
                             facets=tuple(places)))
    entries.sort(key=Entry.key)
    return entries


def _digest(entries: list[Entry]) -> str:
    h = hashlib.sha256()
    for e in entries:
        h.update(json.dumps([e.iri, e.kind, e.label, e.text, e.doc, e.doc_title, e.city, e.year, e.number, e.order,
                             e.facets, e.units], ensure_ascii=False).encode())
        h.update(b"\n")
    return h.hexdigest()


_PARALLEL_FROM = 2_000  # texts to segment before a build spreads them over processes


def _segment_pair(texts: tuple[str, str]) -> tuple[Segmented, Segmented]:
    return segment(texts[0]), segment(texts[1])


def _segmentations(jobs: list[tuple[str, str]], workers: int) -> Iterator[tuple[Segmented, Segmented]]:
    """Each (text, units) segmented, in order; over ``workers`` forked processes when there are many.

    jieba is pure Python (about 1 MB/s), so a big first build is CPU-bound: children forked
    after the tokenizer is built share its dictionary and segment in parallel.
    """
    if workers > 1 and len(jobs) >= _PARALLEL_FROM:
        from kg.text import tokenizer

        tokenizer()  # built once, before the fork
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_segment_pair, jobs, chunksize=128)
    else:
        yield from map(_segment_pair, jobs)


def build_index(db: sqlite3.Connection, entries: list[Entry], *, previous: SearchIndex | None = None,
                meta: dict[str, str] | None = None, workers: int = 1) -> BuildReport:
    """Fill the empty database ``db`` with ``entries``, reusing ``previous``'s segmentations of the same texts.

    ``workers`` > 1 segments new texts in that many processes (when there are at least a
    few thousand); only for a caller that may fork (the command line, not a web worker).
    """
    started = time.perf_counter()
    signature = _tokenizer_signature()
    cache = previous if previous is not None and previous.meta.get("tokenizer") == signature else None
    digests = [hashlib.sha1(f"{e.text}\x00{e.units}".encode()).hexdigest() for e in entries]

    def cached(digest: str):
        if cache is None:
            return None
        return cache._db.execute(
            "SELECT f.words, f.parts, e.spans, f.uwords, f.uparts, e.unit_spans FROM entry e JOIN fts f ON f.rowid = e.id"
            " WHERE e.digest = ? LIMIT 1", (digest,)).fetchone()

    known = {d for d in digests if cached(d) is not None} if cache is not None else set()
    fresh = _segmentations([(e.text, e.units) for e, d in zip(entries, digests) if d not in known], workers)
    db.executescript(_SCHEMA)
    weights = ", ".join(map(str, _WEIGHTS))
    db.execute(f"INSERT INTO fts (fts, rank) VALUES ('rank', 'bm25({weights}, 0.0)')")  # kept in the index's config
    segmented = reused = 0
    with db:
        for rowid, (e, digest) in enumerate(zip(entries, digests), 1):
            if digest in known:
                old = cached(digest)
                seg, useg = Segmented(*old[:3]), Segmented(*old[3:])
                reused += 1
            else:
                seg, useg = next(fresh)
                segmented += 1
            db.execute("INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (rowid, e.iri, e.kind, e.label, e.text, e.doc, e.doc_title, e.city, e.year, e.number, e.units, digest,
                        seg.spans, useg.spans))
            db.execute("INSERT INTO fts (rowid, words, parts, uwords, uparts, kind) VALUES (?, ?, ?, ?, ?, ?)",
                       (rowid, seg.words, seg.parts, useg.words, useg.parts, e.kind))
            db.executemany("INSERT INTO facet VALUES (?, ?, ?)", [(rowid, c, y) for c, y in e.facets])
        values = {"scheme": str(SCHEME), "tokenizer": signature, "entries": str(len(entries)),
                  "content": _digest(entries), "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        values.update(meta or {})
        db.executemany("INSERT INTO meta VALUES (?, ?)", values.items())
    fresh.close()
    db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    db.commit()
    return BuildReport(len(entries), segmented, reused, time.perf_counter() - started, True)


# -- where the index lives and when it is rebuilt ---------------------------------------------

def index_path(store_path: str | Path) -> Path:
    """The index file of the store at ``store_path``: ``<store>.search.sqlite`` beside it."""
    store_path = Path(store_path).absolute()
    return store_path.with_name(store_path.name + ".search.sqlite")


@contextlib.contextmanager
def _locked(lock_path: Path, *, wait: bool) -> Iterator[bool]:
    """Hold an exclusive lock on ``lock_path``; yields False (without waiting) if another holds it and ``wait`` is off."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open_current(path: Path, stamp: str | None, signature: str) -> SearchIndex | None:
    """The index at ``path`` if it exists, is readable and was built for this stamp and tokenizer; else None."""
    try:
        index = SearchIndex.open(path)
    except sqlite3.Error:
        return None
    if stamp is not None and index.meta.get("stamp") == stamp and index.meta.get("tokenizer") == signature \
            and index.meta.get("scheme") == str(SCHEME):
        return index
    index.close()
    return None


def _open_any(path: Path) -> SearchIndex | None:
    try:
        return SearchIndex.open(path) if path.exists() else None
    except sqlite3.Error:
        return None


def ensure_index(store: Store, *, wait: bool = True, report: list | None = None, workers: int = 1) -> SearchIndex:
    """The search index of ``store``, built or rebuilt first if the store changed since it was built.

    An in-memory store gets an in-memory index, built now.  For a store on disk the index
    is ``index_path(store.path)``; a rebuild reads a read-only snapshot opened after the
    store's stamp was taken (never older than the stamp it records).  With ``wait`` off,
    when another process is rebuilding, the previous index is returned marked ``stale``.
    ``report``, if given, receives the ``BuildReport``; ``workers`` is passed to :func:`build_index`.
    """
    signature = _tokenizer_signature()
    if store.path is None:
        db = sqlite3.connect(":memory:", check_same_thread=False)
        result = build_index(db, read_entries(store))
        if report is not None:
            report.append(result)
        return SearchIndex(db)
    path = index_path(store.path)
    stamp = store_stamp(store.path)
    index = _open_current(path, stamp, signature)
    if index is not None:
        if report is not None:
            report.append(BuildReport(index.entries, 0, 0, 0.0, False))
        return index
    lock_path = path.with_suffix(".lock")  # <store>.search.lock
    try:
        with _locked(lock_path, wait=wait or not path.exists()) as held:
            if held:
                return _refresh(store, path, signature, report, workers)
        previous = _open_any(path)
        if previous is not None:  # another process is rebuilding: answer from the index it replaces
            previous.stale = True
            return previous
        with _locked(lock_path, wait=True):
            return _refresh(store, path, signature, report, workers)
    except PermissionError:  # nowhere to write beside the store: an index in memory, for this process
        db = sqlite3.connect(":memory:", check_same_thread=False)
        result = build_index(db, read_entries(open_store(store.path, read_only=True)))
        if report is not None:
            report.append(result)
        return SearchIndex(db)


def _snapshot(store: Store) -> tuple[Store, bool]:
    """A store whose content is at least as new as the stamp just taken, and whether it is.

    A writer's own store is current.  A read-only store is a snapshot from when it was
    opened, so a fresh one is opened; RocksDB can refuse that while the writer compacts,
    and then the given snapshot is used and the index is not stamped (checked again next time).
    """
    if not store.read_only:
        return store, True
    for attempt in range(3):
        try:
            return open_store(store.path, read_only=True), True
        except (StoreError, OSError, RuntimeError):
            time.sleep(0.05 * (attempt + 1))
    return store, False


def _refresh(store: Store, path: Path, signature: str, report: list | None, workers: int) -> SearchIndex:
    """With the lock held: rebuild the index at ``path`` unless it is current, or its rows are unchanged."""
    store_path = store.path
    stamp = store_stamp(store_path)
    index = _open_current(path, stamp, signature)  # another process may have just built it
    if index is not None:
        if report is not None:
            report.append(BuildReport(index.entries, 0, 0, 0.0, False))
        return index
    snapshot, fresh = _snapshot(store)
    if not fresh:
        stamp = None
    entries = read_entries(snapshot)
    previous = _open_any(path)
    if previous is not None and previous.meta.get("content") == _digest(entries) \
            and previous.meta.get("tokenizer") == signature and previous.meta.get("scheme") == str(SCHEME):
        previous.close()
        with contextlib.closing(sqlite3.connect(path)) as db, db:  # same rows: only the stamp is new
            db.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (stamp or "",))
        if report is not None:
            report.append(BuildReport(len(entries), 0, 0, 0.0, False))
        return SearchIndex.open(path)
    for orphan in path.parent.glob(path.name + ".*.tmp"):  # left by a builder that was killed; none runs now (lock)
        with contextlib.suppress(OSError):
            orphan.unlink()
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(tmp)) as db:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            result = build_index(db, entries, previous=previous, meta={"stamp": stamp or "", "store": str(store_path)},
                                 workers=workers)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the server may run as another user
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        if previous is not None:
            previous.close()
    if report is not None:
        report.append(result)
    return SearchIndex.open(path)


# -- text output ------------------------------------------------------------------------------

def format_text(results: Results, *, mark: tuple[str, str] = ("【", "】")) -> str:
    """Results as lines for a terminal: kind, city, year, label, IRI, the snippet with matches in 【】, matched units."""
    if not results.terms:
        return "no search terms\n"
    lines = []
    for h in results.hits:
        snippet = "".join(f"{mark[0]}{s.text}{mark[1]}" if s.match else s.text for s in h.snippet)
        snippet = ("…" if h.snippet_start else "") + snippet.replace("\n", " ") + ("…" if h.snippet_end else "")
        where = " ".join(str(x) for x in (h.city, h.year) if x)
        lines.append(f"{h.kind:<10} {where:<12} {h.label}\n           {h.iri}\n           {snippet}")
        if h.unit_highlights:
            lines.append("           units: " + "".join(f"{mark[0]}{s.text}{mark[1]}" if s.match else s.text for s in h.unit_snippet))
    shown = f"{(results.page - 1) * results.per_page + 1}–{(results.page - 1) * results.per_page + len(results.hits)}" \
        if results.hits else "0"
    kinds = ", ".join(f"{k} {n}" for k, n in results.kinds.items())
    lines.append(f"({shown} of {results.total} results{'; ' + kinds if kinds else ''})")
    return "\n".join(lines) + "\n"


# -- python -m kg.search STORE ------------------------------------------------------------------

def refresh(store_path: str | Path) -> BuildReport:
    """Bring the index of the store at ``store_path`` up to date (rebuilding only if it changed); what was done.

    ``govkg serve`` runs this in a child process before its workers start, so the
    gunicorn master never opens the store and the first search finds the index ready.
    """
    import os

    built: list[BuildReport] = []
    ensure_index(open_store(Path(store_path), read_only=True), report=built, workers=os.cpu_count() or 1).close()
    return built[0]


if __name__ == "__main__":
    import sys

    print(refresh(sys.argv[1]))
