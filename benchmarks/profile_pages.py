"""Where an entity page's time goes: each named query it runs, timed, for a unit, task, theme, document and place.

The store (``--store DIR``; default: the bundled corpus built into a temporary store)
is opened read-only, as the web UI opens it.  The pages profiled are those of
bench_serve.py's unit (the unit leading most tasks of 许昌市 in 2026, or in the
store's latest 许昌 plan year), of that unit's first task, the task's document, the
unit's most frequent theme and its city.  For each page the script runs
``kg.entity.describe`` and the page's panels ``--repeat`` times, records every named
query they run (recognised by its text) with its time, and prints, per page, the
median time of each query, the median of the describe + panels total, and the
time of the whole HTML page through the Flask test client (rendering included), served
by path as ``govkg serve`` serves it: the first request (every query run) and the
median of the next ones (the page from the worker's cache for the snapshot).  The ``unit-workload`` and ``workload-units`` named queries for the city
and year are timed too.

Run: ``.venv/bin/python benchmarks/profile_pages.py [--store DIR] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.queries import _outer_where, get_query, named_queries  # noqa: E402

CITY, YEAR = "许昌市", "2026"


def _query_names() -> list[tuple[str, str]]:
    """(text before the outer WHERE's binding point, name) of every named query, longest first."""
    out = []
    for name, query in named_queries().items():
        cut = _outer_where(query.text)
        out.append((query.text[:cut] if cut else query.text, name))
    return sorted(out, key=lambda pair: -len(pair[0]))


class Recorder:
    """Wraps a store's ``select`` so that each named query's time (rows read to the end) is recorded under its name."""

    def __init__(self, store):
        self.store = store
        self.names = _query_names()
        self.times: dict[str, list[float]] = defaultdict(list)
        select = store.select

        def timed(sparql, *args, **kwargs):
            started = time.perf_counter()
            result = select(sparql, *args, **kwargs)
            self.times[self.name_of(sparql)].append(time.perf_counter() - started)
            return result

        store.select = timed

    def name_of(self, sparql: str) -> str:
        return next((name for head, name in self.names if sparql.startswith(head)), "(ad hoc)")


def targets(store) -> dict[str, str]:
    """IRIs of one unit, task, document, theme and place to profile (found by named queries)."""
    from kg.namespaces import PREFIXES

    docs = store.select(get_query("documents").text, prefixes=PREFIXES)
    years = [r["year"].value for r in docs if r["city"].value == CITY and r["kind"].value == "key-tasks"]
    year = YEAR if YEAR in years else max(years)
    rows = store.select(get_query("unit-workload").bind({"city": CITY, "year": year}), prefixes=PREFIXES)
    units = [r for r in rows if r["collective"].value == "no"]
    unit = max(units, key=lambda r: (int(r["lead"].value), int(r["tasks"].value)))["unit"].value
    task_rows = store.select(get_query("panel-unit-tasks").bind({"unit": unit}), prefixes=PREFIXES)
    task = next(r for r in task_rows if r["year"].value == year)
    themes = store.select(get_query("panel-unit-themes").bind({"unit": unit}), prefixes=PREFIXES)
    about = store.select(get_query("panel-unit-about").bind({"unit": unit}), prefixes=PREFIXES)
    city = next(r["value"].value for r in about if r["kind"].value == "city")
    return {"year": year, "unit": unit, "task": task["task"].value, "document": task["doc"].value,
            "theme": themes[0]["theme"].value, "place": city}


def profile(store_dir: Path, repeat: int) -> None:
    from kg.entity import describe
    from kg.namespaces import PREFIXES
    from kg.panels import render_data
    from kg.store import open_store
    from webui import create_app
    from webui.entities import local_path

    store = open_store(store_dir, read_only=True)
    t = targets(store)
    print(f"store {store_dir}: {store.quad_count():,} quads; year {t['year']}; {repeat} runs, medians in ms\n")
    recorder = Recorder(store)
    app = create_app({"STORE_PATH": store_dir, "QUERY_TIMEOUT": 120})
    client = app.test_client()
    for kind in ("unit", "task", "theme", "document", "place"):
        target = t[kind]
        totals, pages = [], []
        recorder.times.clear()
        for _ in range(repeat):
            started = time.perf_counter()
            entity = describe(store, target)
            render_data(store, target, entity.types)
            totals.append(time.perf_counter() - started)
            started = time.perf_counter()
            response = client.get(urllib.parse.quote(local_path(target)), headers={"Accept": "text/html"})
            pages.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        print(f"## {kind} {target}")
        print(f"   whole HTML page, first request {pages[0] * 1000:8.1f}; again (cached) p50 "
              f"{statistics.median(pages[1:] or pages) * 1000:8.1f}")
        print(f"   describe + panels   {statistics.median(totals) * 1000:8.1f}")
        per_query = {name: statistics.median(ts) * len(ts) / repeat for name, ts in recorder.times.items()}
        for name, ms in sorted(per_query.items(), key=lambda kv: -kv[1]):
            print(f"   {name:32s} {ms * 1000:8.1f}")
        print()
    print("## named queries")
    for name, params in (("unit-workload", {"city": CITY, "year": t["year"]}),
                         ("workload-units", {"city": CITY, "year": t["year"]}),
                         ("unit-workload", {})):
        text = get_query(name).bind(params)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            store.select(text, prefixes=PREFIXES)
            times.append(time.perf_counter() - started)
        print(f"   {name:16s} {str(params):40s} p50 {statistics.median(times) * 1000:8.1f}  max {max(times) * 1000:8.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, help="a built store (default: the bundled corpus, built into a temporary store)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if args.store:
        profile(args.store, args.repeat)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bundled"
        subprocess.run([str(Path(sys.executable).parent / "govkg"), "build", "--store", str(store)], check=True,
                       stdout=subprocess.DEVNULL)
        profile(store, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
