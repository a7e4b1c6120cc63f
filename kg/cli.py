"""The ``govkg`` command: build, extract, query, queries, export, stats, units, keywords, validate, centrality, serve, search.

Exit codes: 0 ok, 1 validation failed, 2 bad input or usage (one line naming the file
and line).  Library errors are ``kg.errors.GovkgError``; only this module turns them
into exit codes and messages.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from pathlib import Path

from kg.config import default_store, setting
from kg.errors import GovkgError, InputError
from kg.namespaces import PREFIXES

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line, exit 2
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="govkg", description="Knowledge graph of Chinese municipal government work plans.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def with_store(sp):
        sp.add_argument("--store", type=Path, default=None, help="store directory (default: $GOVKG_STORE or ./govkg-store)")
        return sp

    b = with_store(sub.add_parser("build", help="load or replace documents, print a summary"))
    b.add_argument("paths", nargs="*", help="files or directories (default: the bundled corpus)")

    e = sub.add_parser("extract", help="parse one document and print it")
    e.add_argument("file", type=Path)
    e.add_argument("--json", action="store_true", required=True, help="print the document as JSON")

    q = with_store(sub.add_parser("query", help="run a named query, a .rq file or SPARQL text"))
    q.add_argument("name", nargs="?", help="named query (see `govkg queries`) or a FILE.rq")
    q.add_argument("--sparql", help="SPARQL query text")
    q.add_argument("--param", action="append", default=[], metavar="K=V", help="bind a query parameter")
    q.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table")

    sub.add_parser("queries", help="list named queries with summary and params")

    x = with_store(sub.add_parser("export", help="serialise the store or one document's graph"))
    x.add_argument("--graph", help="a document id (许昌市/2026/key-tasks) or IRI")
    x.add_argument("--format", choices=("turtle", "trig", "nquads", "ntriples", "jsonld"), default="turtle")
    x.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    k = sub.add_parser("keywords", help="candidate terms of a document that no theme, unit or place names yet")
    k.add_argument("file", type=Path)
    k.add_argument("--top", type=int, default=20)
    k.add_argument("--method", choices=("tfidf", "textrank"), default="tfidf")
    k.add_argument("--format", choices=("table", "csv", "json"), default="table")

    with_store(sub.add_parser("stats", help="documents, tasks, assignments, units and quads in the store"))

    u = with_store(sub.add_parser("units", help="units with their aliases and counts"))
    u.add_argument("--city", help="only this city's units, e.g. 许昌市")
    u.add_argument("--unresolved", action="store_true", help="only units no authority data describes, with their documents")
    u.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table")
    c = with_store(sub.add_parser("centrality", help="rank units by centrality in the graph of who works with whom"))
    c.add_argument("--city", help="city as written, e.g. 许昌市")
    c.add_argument("--year", type=int, help="plan year, e.g. 2026")
    c.add_argument("--theme", help="only tasks tagged with this theme: name, alias (郑许) or IRI")
    c.add_argument("--role", choices=("lead", "responsible", "cooperating"), help="only assignments in this role")
    c.add_argument("--collectives", choices=("exclude", "include", "expand"), default="exclude",
                   help="collectives such as 各县(市、区)政府: left out (default), one node each, or replaced by their members")
    c.add_argument("--lead-weight", type=float, default=1.0, metavar="W",
                   help="a shared task led by either unit counts W (default 1)")
    c.add_argument("--graph", dest="graph_kind", choices=("co-assignment", "bipartite", "unit-theme"), default="co-assignment",
                   help="units sharing tasks (default), units and tasks, or units and themes")
    c.add_argument("--metric", choices=("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank"),
                   default="degree", help="the score that ranks the units (all are computed and exported)")
    c.add_argument("--seed", type=int, default=42, help="seed of the Louvain communities (default 42)")
    c.add_argument("--betweenness-sample", type=int, metavar="K", help="estimate betweenness from K sampled units (big graphs)")
    c.add_argument("--compare", nargs=2, type=int, metavar=("YEAR_A", "YEAR_B"), help="each unit's rank in two years and the change")
    c.add_argument("--format", choices=("table", "csv", "json"), default="table")
    c.add_argument("--top", type=int, metavar="N", help="table: only the first N rows")
    c.add_argument("--graphml", type=Path, metavar="F", help="write the graph with every score as GraphML (Gephi, yEd)")
    c.add_argument("--gexf", type=Path, metavar="F", help="write the graph with every score as GEXF (Gephi)")
    c.add_argument("--png", type=Path, metavar="F", help="draw the graph to F (.png, .svg or .pdf; needs matplotlib)")
    c.add_argument("--save", action="store_true", help="store the result as RDF in its own named graph (id/graph/centrality/…)")

    with_store(sub.add_parser("validate", help="SHACL-validate the store against ontology/shapes.ttl"))

    f = with_store(sub.add_parser("search", help="full-text search of tasks, report paragraphs and names (jieba words)"))
    f.add_argument("text", help='words to find, all of them; "quoted words" as a phrase, e.g. 郑许一体化 or "推广 胖东来"')
    f.add_argument("--kind", choices=("task", "work-item", "document", "unit", "project", "enterprise", "theme", "place"))
    f.add_argument("--city", help="only entries of this city, e.g. 许昌市")
    f.add_argument("--year", type=int, help="only entries of this plan year, e.g. 2026")
    f.add_argument("--limit", type=int, default=20, help="results per page (default 20)")
    f.add_argument("--page", type=int, default=1, help="page of results (default 1)")
    f.add_argument("--json", action="store_true", help="print the results as JSON")

    s = with_store(sub.add_parser("serve", help="web UI and SPARQL endpoint under gunicorn"))
    s.add_argument("--host", default=setting("host"))
    s.add_argument("--port", type=int, default=int(setting("port")))
    s.add_argument("--workers", type=int, default=int(setting("workers")))
    s.add_argument("--query-timeout", type=int, default=int(setting("query_timeout")))
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except GovkgError as exc:
        print(f"govkg: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _store_path(args) -> Path:
    return args.store or default_store()


def _open(args, *, read_only: bool = True):
    from kg.store import open_store

    if read_only:
        # A read-only snapshot can be opened beside a running writer or server.
        return open_store(_store_path(args), read_only=True)
    return open_store(_store_path(args))


def _cities():
    from kg.gazetteer import cities

    return [(c.name, c.short_names, c.abbreviation) for c in cities()]


class _Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, total: int):
        self.total, self.done, self.tty = total, 0, sys.stderr.isatty()

    def __call__(self, path: Path) -> None:
        self.done += 1
        if self.tty and self.total > 1:
            width = 30
            filled = width * self.done // self.total
            print(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {path.name[:40]:<40}", end="", file=sys.stderr, flush=True)
            if self.done == self.total:
                print(file=sys.stderr)


def cmd_build(args) -> int:
    from kg.build import build, corpus_files

    started = time.perf_counter()
    files = corpus_files(args.paths)
    store = _open(args, read_only=False)
    report = build(store, files, cities=_cities(), on_progress=_Progress(len(files)))
    for r in report.loaded:
        d = r.document
        assignments = sum(len(t.assignments) for t in d.tasks)
        print(f"loaded  {d.id:<32} {len(d.sections):>4} sections {len(d.tasks):>4} tasks {assignments:>5} assignments {r.quads:>6} quads  {Path(r.path).name}")
    for problem in report.problems:
        print(f"warning {problem}")
    for path, reason in report.failed:
        print(f"FAILED  {reason}")
    total = store.quad_count()
    print(f"{len(report.loaded)} loaded, {len(report.failed)} failed; store {_store_path(args)}: {total} quads in {len(store.graphs())} graphs ({time.perf_counter() - started:.2f} s)")
    store.close()
    return report.exit_code


def cmd_extract(args) -> int:
    from kg.resolve import default_resolver
    from loaders import load
    from loaders.quantities import document_targets

    doc = load(args.file, cities=_cities())
    resolver = default_resolver()
    out = {
        "document": {"id": doc.id, "title": doc.title, "city": doc.city, "year": doc.year, "kind": doc.kind,
                     "doc_number": doc.doc_number, "issued": doc.issued, "publisher": doc.publisher,
                     "source": str(args.file), "encoding": doc.encoding},
        "sections": [{"key": s.key, "number": s.number, "title": s.title, "level": s.level, "parent": s.parent, "line": s.line}
                     for s in doc.sections],
        "tasks": [{"number": t.number, "key": t.key, "title": t.title, "text": t.text, "section": t.section, "deadline": t.deadline,
                   "line": t.line, "start": t.start, "end": t.end,
                   "assignments": [{"mention": a.mention, "name": a.name, "role": a.role, "position": a.position,
                                    "unit": resolver.resolve(doc.city, a.name, a.collective).unit.value, "collective": a.collective,
                                    "start": a.start, "end": a.end} for a in t.assignments]}
                  for t in doc.tasks],
        "targets": [dict(statement.as_json(), task=paragraph.task) for paragraph, statement in document_targets(doc)],
        "problems": list(doc.problems),
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def _params(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"--param expects K=V, got {pair!r}")
        values[key.strip()] = value
    return values


def cmd_query(args) -> int:
    from kg.queries import get_query, load_query_file, NamedQuery

    if bool(args.name) == bool(args.sparql):
        raise InputError("give a query name, a FILE.rq or --sparql TEXT (exactly one)")
    if args.sparql:
        query = NamedQuery.parse("--sparql", args.sparql)
    elif args.name.endswith(".rq"):
        query = load_query_file(args.name)
    else:
        query = get_query(args.name)
    text = query.bind(_params(args.param))
    store = _open(args)
    result = store.query(text, prefixes=PREFIXES)
    _print_result(result, args.format)
    return 0


def _print_result(result, fmt: str) -> None:
    import pyoxigraph as ox

    from kg.store import QUERY_RESULT_FORMATS

    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            names = [v.value for v in result.variables]
            rows = [[_cell(row[n]) for n in names] for row in result]
            _print_table(names, rows)
            return
        sys.stdout.buffer.write(result.serialize(format=QUERY_RESULT_FORMATS[fmt]))
        sys.stdout.flush()
    elif isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            print("true" if bool(result) else "false")
        else:
            sys.stdout.buffer.write(result.serialize(format=QUERY_RESULT_FORMATS[fmt]))
    else:  # CONSTRUCT / DESCRIBE
        sys.stdout.buffer.write(ox.serialize(list(result), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))


def _cell(term) -> str:
    return "" if term is None else term.value


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _print_table(names: list[str], rows: list[list[str]]) -> None:
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    def line(cells):
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()
    print(line(names))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def cmd_queries(args) -> int:
    from kg.queries import named_queries

    for name, q in named_queries().items():
        print(f"{name}: {q.summary}")
        for p in q.params:
            print(f"    --param {p.name}=…  ({p.type}, {'required' if p.required else 'optional'}) {p.help}")
        print(f"    columns: {', '.join(q.columns)}")
    return 0


def _graph_iri(store, ref: str):

    from kg import iri

    candidates = [g for g in store.graphs() if g.value == ref or g.value == iri.base() + "doc/" + ref.strip("/")]
    if not candidates:
        known = ", ".join(g.value.removeprefix(iri.base() + "doc/") for g in store.graphs() if "/doc/" in g.value)
        raise InputError(f"no document graph {ref!r} in the store (documents: {known or 'none'})")
    return candidates[0]


def cmd_export(args) -> int:
    store = _open(args)
    graph = _graph_iri(store, args.graph) if args.graph else None
    data = store.dump(args.format, graph=graph, prefixes=PREFIXES)
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_stats(args) -> int:
    from kg.queries import get_query

    store = _open(args)
    rows = store.select(get_query("stats").text, prefixes=PREFIXES)
    names = get_query("stats").columns
    _print_table(list(names), [[_cell(r.get(n)) for n in names] for r in rows])
    print(f"store {_store_path(args)}: {store.quad_count()} quads in {len(store.graphs())} named graphs")
    return 0


def cmd_units(args) -> int:
    from kg.queries import get_query

    query = get_query("unresolved-units" if args.unresolved else "units")
    text = query.bind({"city": args.city} if args.city else {})
    _print_result(_open(args).query(text, prefixes=PREFIXES), args.format)
    return 0


def cmd_keywords(args) -> int:
    from kg.keywords import document_keywords
    from loaders import load

    found = document_keywords(load(args.file, cities=_cities()), top=args.top, method=args.method)
    if args.format == "json":
        json.dump([{"term": term, "weight": round(weight, 6)} for term, weight in found], sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "csv":
        print("term,weight")
        for term, weight in found:
            print(f"{term},{weight:.6f}")
    else:
        _print_table(["term", "weight"], [[term, f"{weight:.4f}"] for term, weight in found])
    return 0


def cmd_validate(args) -> int:
    from kg.validate import validate

    store = _open(args)
    report = validate(store)
    print(report.text)
    return 0 if report.conforms else 1


def cmd_centrality(args) -> int:
    from kg import centrality

    params = centrality.CentralityParams(
        city=args.city, year=args.year, theme=args.theme, role=args.role, collectives=args.collectives,
        lead_weight=args.lead_weight, graph_kind=args.graph_kind, metric=args.metric, seed=args.seed,
        betweenness_k=args.betweenness_sample)
    if args.compare and (args.year is not None or args.graphml or args.gexf or args.png or args.save):
        raise InputError("--compare YEAR_A YEAR_B takes the place of --year and prints a table; export or save one year at a time")
    store = _open(args, read_only=not args.save)
    if args.compare:
        result = centrality.compare(store, params, *args.compare)
    else:
        graph = centrality.build_graph(store, params)
        result = centrality.compute(graph, params)
        for path, write in ((args.graphml, centrality.to_graphml), (args.gexf, centrality.to_gexf), (args.png, centrality.to_png)):
            if path:
                write(graph, result, path)
        if args.save:
            print(f"saved {centrality.save_result(store, result).value}", file=sys.stderr)
            store.close()
    if args.format == "table":
        sys.stdout.write(centrality.format_table(result, limit=args.top))
    else:
        sys.stdout.write((centrality.format_csv if args.format == "csv" else centrality.format_json)(result))
    return 0


def cmd_search(args) -> int:
    import os

    from kg.search import ensure_index, format_text

    with ensure_index(_open(args), workers=os.cpu_count() or 1) as index:
        found = index.search(args.text, kind=args.kind, city=args.city, year=args.year, page=args.page, per_page=args.limit)
    sys.stdout.write(json.dumps(found.as_json(), ensure_ascii=False, indent=2) + "\n" if args.json else format_text(found))
    return 0


def cmd_serve(args) -> int:
    from kg.serve import serve

    return serve(store=_store_path(args), host=args.host, port=args.port, workers=args.workers, query_timeout=args.query_timeout)


_COMMANDS = {
    "build": cmd_build,
    "extract": cmd_extract,
    "query": cmd_query,
    "queries": cmd_queries,
    "export": cmd_export,
    "stats": cmd_stats,
    "units": cmd_units,
    "keywords": cmd_keywords,
    "validate": cmd_validate,
    "centrality": cmd_centrality,
    "serve": cmd_serve,
    "search": cmd_search,
}

if __name__ == "__main__":
    sys.exit(main())
