"""Full-text search (kg/search.py, /search, `govkg search`): segmentation, matching, ranking, highlights, filters, safety, freshness."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import search
from kg.cli import main
from kg.errors import InputError
from kg.namespaces import GOV, RDF
from kg.store import open_store
from tests.webui_support import Page, load_fixture

DATA = "https://w3id.org/govkg/id/"


# -- fixtures ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def index(built_store):
    with search.ensure_index(built_store) as idx:
        yield idx


@pytest.fixture(scope="module")
def task_texts(built_store):
    """Every task's and report paragraph's text, read straight from the quads (not through the index's queries)."""
    texts: dict[str, str] = {}
    tasks = {q.subject.value for q in built_store.quads() if q.predicate == RDF.type and q.object == GOV.Task}
    for q in built_store.quads():
        if q.predicate == GOV.text and q.subject.value in tasks:
            texts[q.subject.value] = q.object.value
    return texts


@pytest.fixture(scope="module")
def task_units(built_store):
    """Each task's unit mentions as written, read straight from the quads."""
    mentions = {q.subject.value: q.object.value for q in built_store.quads() if q.predicate == GOV.mention}
    units: dict[str, list[str]] = defaultdict(list)
    for q in built_store.quads():
        if q.predicate == GOV.assignment and q.object.value in mentions:
            units[q.subject.value].append(mentions[q.object.value])
    return units


@pytest.fixture(scope="module")
def task_years(built_store):
    rows = built_store.select(
        "PREFIX gov: <https://w3id.org/govkg/ontology#> SELECT ?t ?y ?c WHERE { ?t gov:inDocument ?d . ?d gov:year ?y ; gov:city ?p }")
    return {r["t"].value: int(r["y"].value) for r in rows}


def _all_hits(idx, text, **filters):
    found = idx.search(text, per_page=search.MAX_PER_PAGE, **filters)
    assert found.total <= search.MAX_PER_PAGE
    return found.hits


def _task_hits(idx, text, **filters):
    return {h.iri for h in _all_hits(idx, text, **filters) if h.kind in ("task", "work-item")}


def _task(graph: str, number: int, text: str) -> list[ox.Quad]:
    g = ox.NamedNode(DATA + graph)
    t = ox.NamedNode(f"{g.value}/task/{number}")
    return [ox.Quad(t, RDF.type, GOV.Task, g), ox.Quad(t, GOV.inDocument, g, g), ox.Quad(t, GOV.number, ox.Literal(str(number)), g),
            ox.Quad(t, GOV.text, ox.Literal(text), g)]


# -- segmentation ------------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["郑许一体化", "胖东来", "市发展改革委", "乡村振兴"])
def test_segment_keeps_user_words_whole(word):
    seg = search.segment(f"推进{word}发展")
    assert word in seg.words.split(" ")
    spans = json.loads(seg.spans)["w"]
    text = f"推进{word}发展"
    assert [text[spans[i]:spans[i + 1]] for i in range(0, len(spans), 2)] == seg.words.split(" ")


def test_segment_parts_are_dictionary_words_inside_longer_words():
    seg = search.segment("深化郑许一体化发展")
    spans = json.loads(seg.spans)["p"]
    parts = seg.parts.split(" ")
    assert "一体化" in parts
    assert [("深化郑许一体化发展")[spans[i]:spans[i + 1]] for i in range(0, len(spans), 2)] == parts


@pytest.mark.parametrize("query, expected", [
    ("郑许一体化发展", [("郑许一体化",), ("发展",)]),
    ('"推广 胖东来"', [("推广", "胖东来")]),
    ("“推广胖东来”", [("推广", "胖东来")]),
    ("胖东来 胖东来", [("胖东来",)]),
    ("", []),
    ('AND OR NOT "" * ^ : ( ) {words}', [("and",), ("or",), ("not",), ("words",)]),
], ids=["words", "quoted-phrase", "chinese-quotes", "duplicate", "empty", "operators"])
def test_parse_query(query, expected):
    assert [t.words for t in search.parse_query(query)] == expected


# -- matching ------------------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["胖东来", "郑许一体化", "一体化", "乡村振兴", "职业技术学院", "市委党校", "市发展改革委", "市财政局"],
                         ids=["enterprise", "theme", "part-of-word", "theme-2", "unit-in-text", "unit-in-text-2", "unit-alias",
                              "unit"])
def test_finds_exactly_the_tasks_whose_text_or_units_contain_the_word(index, task_texts, task_units, word):
    expected = {iri for iri, text in task_texts.items() if word in text or any(word in m for m in task_units.get(iri, ()))}
    assert expected, f"the corpus should mention {word}"
    assert _task_hits(index, word) == expected


def test_unit_matches_are_highlighted_in_the_units(index, task_units):
    hits = [h for h in _all_hits(index, "市发展改革委") if h.kind == "task"]
    assert hits
    for h in hits:
        assert all(m in h.units for m in task_units[h.iri]) and len(h.units) <= sum(len(m) + 1 for m in task_units[h.iri])
        assert h.unit_highlights and all(h.units[s:e] == "市发展改革委" for s, e in h.unit_highlights)


def test_names_are_found_with_their_aliases(index, built_store):
    hits = _all_hits(index, "市发展改革委", kind="unit")
    assert [h.iri for h in hits] == [DATA + "unit/许昌市/发展和改革委员会"]
    assert "市发展改革委" in hits[0].text.split("、")


def test_several_words_must_all_occur(index, task_texts):
    expected = {iri for iri, text in task_texts.items() if "胖东来" in text and "经验" in text}
    assert _task_hits(index, "胖东来 经验") == expected and len(expected) == 1
    assert _task_hits(index, "市发展改革委 郑许一体化") == {DATA + "doc/许昌市/2020/key-tasks/task/41"}  # units and text


def test_a_quoted_phrase_must_occur_in_order(index, task_texts):
    both = {iri for iri, text in task_texts.items() if "推广" in text and "胖东来" in text}
    together = {iri for iri, text in task_texts.items() if "推广胖东来" in text}
    assert _task_hits(index, "推广 胖东来") == both
    assert _task_hits(index, '"推广 胖东来"') == together
    assert together < both or together == both and together


def test_ranking_puts_more_occurrences_first(index, task_texts):
    tasks = [h for h in index.search("胖东来", kind="task").hits]
    counts = [task_texts[h.iri].count("胖东来") for h in tasks]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert all(a.score >= b.score for a, b in zip(tasks, tasks[1:]))


def test_a_name_equal_to_the_query_ranks_above_running_text(index):
    hits = index.search("胖东来").hits
    top = hits[0]
    assert top.kind in ("enterprise", "theme") and top.label == "胖东来"
    assert min(i for i, h in enumerate(hits) if h.kind == "task") > 0


@pytest.mark.parametrize("word", ["郑许一体化", "一体化", "胖东来"])
def test_highlights_are_the_matched_words_at_their_offsets(index, word):
    hits = _all_hits(index, word)
    assert hits
    for h in hits:
        assert h.highlights or h.unit_highlights, h.iri  # the word is in the text, or in the names of the task's units
        assert all(h.text[s:e] == word for s, e in h.highlights), (h.iri, [h.text[s:e] for s, e in h.highlights])
        assert all(h.units[s:e] == word for s, e in h.unit_highlights)
        marked = [s.text for s in h.snippet + h.unit_snippet if s.match]
        assert marked and all(m == word for m in marked)
        shown = "".join(s.text for s in h.snippet)
        assert shown in h.text and (h.snippet_start or h.text.startswith(shown)) and (h.snippet_end or h.text.endswith(shown))


def test_phrase_highlights_cover_the_phrase(index):
    hit = next(h for h in index.search('"推广 胖东来"').hits if h.kind == "task")
    assert ["推广", "胖东来"] == [hit.text[s:e] for s, e in hit.highlights]


# -- filters and pages ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["task", "work-item", "unit", "theme", "project"])
def test_kind_filter(index, kind):
    found = index.search("许昌", kind=kind, per_page=search.MAX_PER_PAGE)
    assert found.hits and {h.kind for h in found.hits} == {kind}
    assert found.total == found.kinds[kind] == len(found.hits)


@pytest.mark.parametrize("city, year", [("许昌市", 2026), ("济源市", None), (None, 2020), ("许昌市", 2021)])
def test_city_and_year_filters_on_tasks(index, task_texts, task_years, built_store, city, year):
    word = "发展"
    rows = built_store.select("PREFIX gov: <https://w3id.org/govkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                              "SELECT ?t ?c WHERE { ?t gov:inDocument ?d . ?d gov:city ?p . ?p skos:prefLabel ?c }")
    cities = defaultdict(set)
    for r in rows:
        cities[r["t"].value].add(r["c"].value)
    expected = {iri for iri, text in task_texts.items() if word in text
                and (city is None or city in cities[iri]) and (year is None or task_years[iri] == year)}
    found = index.search(word, city=city, year=year, per_page=search.MAX_PER_PAGE)
    tasks = {h.iri for h in found.hits if h.kind in ("task", "work-item")}
    assert found.total <= search.MAX_PER_PAGE
    # every expected task is found (words inside longer words count too) and every one found is of that city and year
    assert expected <= tasks
    assert all((city is None or city in cities[i]) and (year is None or task_years[i] == year) for i in tasks)


def test_year_filter_on_units_uses_the_years_they_have_tasks(index):
    units_2026 = {h.iri for h in index.search("市", kind="unit", year=2026, per_page=200).hits}
    units_any = {h.iri for h in index.search("市", kind="unit", per_page=200).hits}
    assert units_2026 and units_2026 < units_any


def test_pages_partition_the_results(index):
    first = index.search("许昌", per_page=7)
    assert first.total > 14 and first.pages == -(-first.total // 7)
    seen = [h.iri for page in range(1, first.pages + 1) for h in index.search("许昌", per_page=7, page=page).hits]
    assert len(seen) == len(set(seen)) == first.total
    assert index.search("许昌", per_page=7, page=first.pages + 1).hits == ()


@pytest.mark.parametrize("filters, message", [
    ({"kind": "person"}, "unknown kind"), ({"year": "二〇二六"}, "year"), ({"page": 0}, "page"),
    ({"per_page": 10_000}, "per_page"), ({"page": "x"}, "page"),
], ids=["kind", "year", "page-zero", "page-size", "page-text"])
def test_bad_filters_are_input_errors(index, filters, message):
    with pytest.raises(InputError, match=message):
        index.search("许昌", **filters)


@pytest.mark.parametrize("query", [
    '"', '""', "'", "AND", "OR NOT", "NEAR(许昌 发展, 3)", "许昌*", "^许昌", "words: 许昌", "{words parts}: 许昌", "(许昌",
    "-许昌", "+", '"许昌', 'a"b"c', "\\", "\x01许昌\x02", "許昌 %_", "许昌 " * 50, "🙂",
], ids=lambda q: repr(q)[:20])
def test_fts5_syntax_in_the_query_is_text_not_syntax(index, query):
    found = index.search(query)
    assert found.total >= len(found.hits)
    if [t.words for t in found.terms] == [("许昌",)]:  # the operators were dropped, the word kept
        assert found.total == len(_all_hits(index, "许昌")) > 0


def test_empty_query_has_no_results(index):
    found = index.search("   ")
    assert (found.terms, found.hits, found.total) == ((), (), 0)


# -- the web page ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(built_store):
    from webui import create_app

    return create_app({"TESTING": True, "STORE": built_store}).test_client()


def test_page_lists_hits_linked_to_entity_pages(client, index):
    response = client.get("/search", query_string={"q": "郑许一体化"})
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    expected = index.search("郑许一体化")
    links = [link for link in page.links if link.startswith("/id/")]
    for hit in expected.hits:
        assert "/id/" + hit.iri[len(DATA):] in links
    assert page.attrs_by_id["search-q"]["value"] == "郑许一体化"
    assert page.tags.count("mark") == sum(1 for h in expected.hits for s in h.snippet + h.unit_snippet if s.match)
    entity = client.get("/id/" + expected.hits[0].iri[len(DATA):])
    assert entity.status_code == 200


def test_json_twin_matches_the_index(client, index):
    body = client.get("/search", query_string={"q": "胖东来", "kind": "task", "format": "json"}).get_json()
    expected = index.search("胖东来", kind="task")
    assert [r["iri"] for r in body["results"]] == [h.iri for h in expected.hits]
    assert body["total"] == expected.total and body["kinds"] == expected.kinds
    assert all(r["page"] == "/id/" + r["iri"][len(DATA):] for r in body["results"])
    for r in body["results"]:
        assert all(r["text"][s:e] == "胖东来" for s, e in r["highlights"])
    by_accept = client.get("/search", query_string={"q": "胖东来", "kind": "task"}, headers={"Accept": "application/json"})
    assert by_accept.get_json()["results"] == body["results"]


def test_empty_query_page(client):
    response = client.get("/search")
    page = Page(response.get_data(as_text=True))
    assert response.status_code == 200 and "search-form" in page.attrs_by_id and "search-results" not in page.attrs_by_id
    assert client.get("/search?format=json").get_json()["total"] == 0


def test_page_links_to_the_next_page(client):
    page = Page(client.get("/search", query_string={"q": "许昌"}).get_data(as_text=True))
    nxt = [link for link in page.links if "page=2" in link]
    assert nxt
    second = Page(client.get(nxt[0]).get_data(as_text=True))
    assert second.attrs_by_id["search-results"]["start"] == str(search.PER_PAGE + 1)


@pytest.mark.parametrize("args", [{"q": "许昌", "kind": "person"}, {"q": "许昌", "year": "x"}, {"q": "许昌", "page": "-1"}],
                         ids=["kind", "year", "page"])
def test_bad_parameters_are_400(client, args):
    response = client.get("/search", query_string={**args, "format": "json"})
    assert response.status_code == 400 and response.get_json()["ok"] is False


@pytest.mark.parametrize("query", ['"', "NEAR(", "许昌*", "<script>"], ids=["quote", "near", "star", "script"])
def test_page_survives_fts5_syntax(client, query):
    assert client.get("/search", query_string={"q": query}).status_code == 200


def test_markup_in_a_task_text_is_escaped():
    from webui import create_app

    store = open_store(None)
    load_fixture(store)
    g = ox.NamedNode(DATA + "doc/许昌市/2026/key-tasks")
    store.replace_graph(g, list(store.quads(g)) + _task("doc/许昌市/2026/key-tasks", 9, "支持胖东来<script>alert('x')</script>做优。"))
    client = create_app({"TESTING": True, "STORE": store}).test_client()
    html = client.get("/search", query_string={"q": "胖东来"}).get_data(as_text=True)
    page = Page(html)
    assert "script" not in page.tags and "b" not in page.tags
    assert "<script>alert('x')</script>" in page.text_by_id["search-results"]
    html = client.get("/search", query_string={"q": "黄河流域"}).get_data(as_text=True)
    page = Page(html)
    assert "b" not in page.tags and "<b>" in page.text_by_id["search-results"]


# -- freshness and concurrency -------------------------------------------------------------------

def _fixture_store(path: Path):
    store = open_store(path)
    load_fixture(store)
    store.close()


def test_stale_index_is_rebuilt_after_the_store_changes(tmp_path):
    path = tmp_path / "store"
    _fixture_store(path)
    built = []
    with search.ensure_index(open_store(path, read_only=True), report=built) as idx:
        assert built[-1].rebuilt and len(idx.search("胖东来").hits) == 1
    assert search.index_path(path).exists() and not any(path.glob("*.search.*"))  # beside the store, not in it
    with search.ensure_index(open_store(path, read_only=True), report=built) as idx:
        assert not built[-1].rebuilt
    store = open_store(path)
    store.replace_graph(ox.NamedNode(DATA + "doc/x"), _task("doc/x", 1, "推广胖东来经验。"))
    store.close()
    with search.ensure_index(open_store(path, read_only=True), report=built) as idx:
        assert built[-1].rebuilt and built[-1].segmented == 1 and built[-1].reused == built[-1].entries - 1
        assert {h.iri for h in idx.search("胖东来", kind="task").hits} == {
            DATA + "doc/x/task/1", DATA + "doc/许昌市/2026/key-tasks/task/2"}


def test_reopening_an_unchanged_store_only_restamps(tmp_path):
    path = tmp_path / "store"
    _fixture_store(path)
    built = []
    search.ensure_index(open_store(path, read_only=True), report=built).close()
    open_store(path).close()  # a writer opens and closes: the stamp moves, the rows do not
    search.ensure_index(open_store(path, read_only=True), report=built).close()
    assert [b.rebuilt for b in built] == [True, False]


def test_a_killed_builder_leaves_nothing_behind_the_next_build(tmp_path):
    path = tmp_path / "store"
    _fixture_store(path)
    orphan = tmp_path / "store.search.sqlite.abc123.tmp"
    orphan.write_bytes(b"half an index")
    search.ensure_index(open_store(path, read_only=True)).close()
    assert not orphan.exists()


def test_concurrent_builders_leave_one_valid_index(tmp_path):
    path = tmp_path / "store"
    _fixture_store(path)
    reports: list = []
    errors: list = []
    barrier = threading.Barrier(4)

    def build():
        try:
            barrier.wait()
            with search.ensure_index(open_store(path, read_only=True), report=reports) as idx:
                assert len(idx.search("郑许一体化").hits) == 1
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(r.rebuilt for r in reports) == [False, False, False, True]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "store.search.lock", "store.search.sqlite"]


def test_parallel_segmentation_builds_the_same_index(built_store, monkeypatch):
    import sqlite3

    entries = search.read_entries(built_store)[:300]
    monkeypatch.setattr(search, "_PARALLEL_FROM", 1)
    dumps = []
    for workers in (1, 2):
        db = sqlite3.connect(":memory:")
        search.build_index(db, entries, workers=workers)
        dumps.append(db.execute("SELECT e.*, f.words, f.parts, f.uwords, f.uparts FROM entry e JOIN fts f ON f.rowid = e.id"
                                " ORDER BY e.id").fetchall())
    assert dumps[0] == dumps[1] and len(dumps[0]) == 300


# -- the command line --------------------------------------------------------------------------

def test_cli_search_json(built_store, capsys, index):
    assert main(["search", "郑许一体化", "--store", str(built_store.path), "--json", "--kind", "task"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert [r["iri"] for r in body["results"]] == [h.iri for h in index.search("郑许一体化", kind="task").hits]


def test_cli_search_text_marks_matches(built_store, capsys):
    assert main(["search", "胖东来", "--store", str(built_store.path), "--city", "许昌市", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "【胖东来】" in out and out.rstrip().endswith("results; task 2, project 2, enterprise 1)")


@pytest.mark.parametrize("argv, message", [
    (["search", "x", "--kind", "person"], "invalid choice"),
    (["search", "x", "--year", "abc"], "invalid int value"),
    (["search", "x", "--limit", "0"], "per_page must be a positive"),
    (["search"], "required"),
], ids=["kind", "year", "limit", "no-text"])
def test_cli_bad_arguments_exit_2(built_store, capsys, argv, message):
    try:
        code = main(argv + ["--store", str(built_store.path)])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_missing_store_exits_2(tmp_path, capsys):
    assert main(["search", "x", "--store", str(tmp_path / "nothing")]) == 2
    assert "no store" in capsys.readouterr().err
