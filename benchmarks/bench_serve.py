"""Serving benchmark: latency and throughput of ``govkg serve`` under load, beside ``oxigraph serve-read-only``.

The bundled corpus is built into a temporary store; ``govkg serve`` (gunicorn, 2 sync
workers, as shipped: access log on) and Oxigraph's own Rust server (``oxigraph
serve-read-only --union-default-graph`` on the same store directory) are started
side by side, and wrk (2 threads, 10 connections, ``--duration`` seconds per run)
measures requests per second, p50/p95/p99 latency (and p50/p95 with a single
connection, i.e. without queueing for a worker) and the server's CPU time per
request (its whole process tree, from /proc: the figure that a busy machine disturbs
least) of:

- ``entity``: the HTML entity page of the unit that leads most tasks in 许昌市 2026 (in a
  synthetic store: its latest plan year);
- ``named``: the ``unit-workload`` named query (city 许昌市, the same year) as JSON, at
  ``/queries/unit-workload`` when that route exists (run in the worker) and always
  through ``/sparql`` (run in the worker's query process, :mod:`kg.runner`);
- ``lookup``: a one-pattern SELECT (the unit's label) through ``/sparql`` as SPARQL
  JSON, and the same request to Oxigraph's ``/query``: the baseline.  DESIGN.md's
  budget: govkg at least half of Oxigraph's requests per second;
- ``static``: a static file from govkg serve, what gunicorn and Flask cost before any
  query (the floor of every govkg figure).

Runs alternate between the two servers so that both see the same machine noise; each
figure is the median of ``--runs`` runs.  With ``--large-copies N`` the same entity and
named-query figures are taken on a synthetic store (benchmarks/bench_build.py's
corpus, N copies of the three notices; 50 copies ≈ 0.85M quads; DESIGN.md's budget:
p95 under 50 ms at 1M triples; ``--large-store DIR`` keeps that store for the next
run).  A request slower than wrk's timeout is not loaded: its single time is reported.
Results go to ``benchmarks/results/serve.json`` and
``serve.md`` and are printed as a Markdown table.

Needs wrk (``apt-get install wrk``; exit 2 without it) and the ``oxigraph`` command
from PyPI (``--oxigraph PATH``, else found beside this Python or on PATH, else
``pip install oxigraph==<pyoxigraph's version>`` into this Python's environment; it
is not a runtime dependency of govkg).

Run: ``make bench-serve`` (or ``.venv/bin/python benchmarks/bench_serve.py --runs 3 --duration 10 --large-copies 50``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

PY = sys.executable
GOVKG = str(Path(PY).parent / "govkg")
RESULTS = ROOT / "benchmarks" / "results"
SPARQL_JSON = "application/sparql-results+json"
CITY, YEAR = "许昌市", "2026"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
WRK_TIMEOUT = 10  # seconds; wrk counts a slower answer as a timeout error
SLOW_LIMIT = 120  # seconds one probing request may take

# wrk prints the figures we need as one JSON line when a run is done (latencies in µs).
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "non_2xx": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, accept: str | None = None, timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def running(cmd: list[str], ready_url: str, log: Path):
    """Run a server until the block ends; wait until ``ready_url`` answers 200."""
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if fetch(ready_url, timeout=5)[0] == 200:
                        break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server did not start: {' '.join(cmd)}\n{log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.2)
            yield process.pid
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def cpu_seconds(root: int) -> float:
    """User + system CPU seconds used so far by the live process ``root`` and its descendants.

    Descendants, not a session: the query processes of ``govkg serve`` run in sessions of their own.
    """
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = int(fields[11]) + int(fields[12])
    total = 0
    for pid, ticks in used.items():
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == root:
            total += ticks
    return total / tick


def wrk(url: str, accept: str, *, duration: int, script: Path, server: int, connections: int = 10) -> dict:
    """One wrk run (2 threads, 10 connections, or 1 and 1): requests/s, latency percentiles in ms, server CPU ms per request."""
    cpu_before = cpu_seconds(server)
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", f"{WRK_TIMEOUT}s", "-s", str(script), "-H", f"Accept: {accept}", url],
        check=True, capture_output=True, text=True,
    ).stdout
    report = json.loads(next(line for line in reversed(out.splitlines()) if line.startswith("{")))
    cpu = cpu_seconds(server) - cpu_before
    seconds = report["duration_us"] / 1e6
    return {
        "cpu_ms_per_request": cpu * 1000 / max(1, report["requests"]),
        "rps": report["requests"] / seconds,
        "p50_ms": report["p50_us"] / 1000,
        "p95_ms": report["p95_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "errors": report["non_2xx"] + report["socket_errors"],
    }


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]} | {"errors": sum(r["errors"] for r in runs)}


def build(store: Path, paths: list[Path]) -> float:
    started = time.perf_counter()
    subprocess.run([GOVKG, "build", "--store", str(store), *map(str, paths)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def targets(store: Path) -> dict:
    """The unit, its entity path, the bound named query and the lookup query, read from the store."""
    from kg.queries import get_query
    from kg.store import open_store
    from webui.entities import local_path

    reader = open_store(store, read_only=True)
    try:
        years = [r["year"].value for r in reader.select(get_query("documents").text) if r["city"].value == CITY and r["kind"].value == "key-tasks"]
        year = YEAR if YEAR in years else max(years)  # a synthetic store has its own plan years
        rows = reader.select(get_query("unit-workload").bind({"city": CITY, "year": year}))
        units = [r for r in rows if r["collective"].value == "no"]
        unit = max(units, key=lambda r: (int(r["lead"].value), int(r["tasks"].value)))["unit"].value
        quads = reader.quad_count()
    finally:
        reader.close()
    return {
        "unit": unit,
        "entity_path": urllib.parse.quote(local_path(unit), safe="/"),
        "year": year,
        "named_text": get_query("unit-workload").bind({"city": CITY, "year": year}),
        "lookup": f"SELECT ?label WHERE {{ <{unit}> <{SKOS_PREF_LABEL}> ?label }}",
        "quads": quads,
    }


def oxigraph_command(given: str | None) -> str:
    if given:
        return given
    for candidate in (Path(PY).parent / "oxigraph", shutil.which("oxigraph")):
        if candidate and Path(candidate).exists():
            return str(candidate)
    import pyoxigraph

    print(f"oxigraph not found: pip install oxigraph=={pyoxigraph.__version__} (for the benchmark only)", file=sys.stderr)
    subprocess.run([PY, "-m", "pip", "install", "--quiet", f"oxigraph=={pyoxigraph.__version__}"], check=True)
    return str(Path(PY).parent / "oxigraph")


def sparql_url(base: str, path: str, query: str, **params: str) -> str:
    return f"{base}{path}?" + urllib.parse.urlencode({"query": query, **params})


def single(url: str, accept: str) -> float:
    """Seconds one request takes (it must answer 200 within SLOW_LIMIT s, else +inf)."""
    started = time.perf_counter()
    try:
        status, body = fetch(url, accept, timeout=SLOW_LIMIT)
    except TimeoutError:
        return float("inf")
    if status != 200:
        raise SystemExit(f"{url} answered {status}: {body[:300]!r}")
    return time.perf_counter() - started


def same_answer(ours: str, theirs: str) -> None:
    """Both servers must give the same rows (the same data, the same default graph)."""
    rows = [json.loads(fetch(url, SPARQL_JSON)[1])["results"]["bindings"] for url in (ours, theirs)]
    if rows[0] != rows[1] or not rows[0]:
        raise SystemExit(f"the two servers disagree on the lookup: {rows}")


def measure(cases: dict[str, tuple[str, str, int]], *, runs: int, duration: int, script: Path) -> dict[str, dict]:
    """Median figures per case; the cases are run in turn, ``runs`` rounds.

    A case whose single request takes longer than wrk's timeout (``WRK_TIMEOUT`` s) is
    not loaded: its figures are that one request's time, marked ``too_slow``.
    """
    loaded = {}
    results: dict[str, dict] = {}
    for name, (url, accept, server) in cases.items():
        seconds = single(url, accept)
        if seconds > WRK_TIMEOUT / 2:
            results[name] = {"too_slow": True, "single_request_s": seconds}
            print(f"{name}: one request took {seconds:.1f} s; not loaded", flush=True)
            continue
        wrk(url, accept, duration=1, script=script, server=server)  # warm-up: caches, the query processes
        loaded[name] = (url, accept, server)
    collected: dict[str, list[dict]] = {name: [] for name in loaded}
    alone: dict[str, list[dict]] = {name: [] for name in loaded}
    for _ in range(runs):
        for name, (url, accept, server) in loaded.items():
            collected[name].append(wrk(url, accept, duration=duration, script=script, server=server))
            alone[name].append(wrk(url, accept, duration=max(1, duration // 2), script=script, server=server, connections=1))
    for name in loaded:
        one = median_of(alone[name])
        results[name] = median_of(collected[name]) | {"p50_ms_1conn": one["p50_ms"], "p95_ms_1conn": one["p95_ms"]}
    return {name: results[name] for name in cases}


def serve_cases(base: str, t: dict, server: int) -> dict[str, tuple[str, str, int]]:
    cases = {"entity page (HTML)": (base + t["entity_path"], "text/html", server)}
    named = f"{base}/queries/unit-workload?" + urllib.parse.urlencode({"city": CITY, "year": t["year"], "format": "json"})
    if fetch(named, "application/json")[0] == 200:
        cases["named query unit-workload, /queries (JSON)"] = (named, "application/json", server)
    cases["named query unit-workload, /sparql (JSON)"] = (sparql_url(base, "/sparql", t["named_text"]), SPARQL_JSON, server)
    cases["lookup SELECT, /sparql"] = (sparql_url(base, "/sparql", t["lookup"]), SPARQL_JSON, server)
    return cases


def govkg_server(store: Path, port: int, log: Path):
    cmd = [GOVKG, "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--query-timeout", "30"]
    return running(cmd, f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", log)


def table(results: dict) -> str:
    lines = [
        "| store | request | req/s (10 conn.) | p50 ms | p95 ms | p99 ms | p50 ms, 1 conn. | p95 ms, 1 conn. | server CPU ms/req | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for store_name, cases in results["stores"].items():
        for name, f in cases.items():
            if f.get("too_slow"):
                lines.append(f"| {store_name} | {name} | – | one request: {f['single_request_s'] * 1000:,.0f} ms (too slow to load) | | | | | | |")
                continue
            lines.append(f"| {store_name} | {name} | {f['rps']:,.0f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | {f['p99_ms']:.1f} | {f['p50_ms_1conn']:.1f} | {f['p95_ms_1conn']:.1f} | {f['cpu_ms_per_request']:.2f} | {f['errors']} |")
    ratio = results.get("lookup_ratio")
    if ratio is not None:
        lines.append("")
        lines.append(f"govkg/oxigraph requests per second on the lookup SELECT: **{ratio:.2f}** (budget: at least 0.5); "
                     f"oxigraph/govkg server CPU per request: {results['lookup_cpu_ratio']:.2f}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    ap.add_argument("--large-copies", type=int, default=0, help="also measure a synthetic store of N copies of the notices (≤ 50)")
    ap.add_argument("--large-store", type=Path, help="directory of the synthetic store: built there if absent, reused if present")
    ap.add_argument("--oxigraph", help="path of the `oxigraph` command (PyPI package oxigraph)")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        print("wrk not found: apt-get install wrk", file=sys.stderr)
        return 2
    oxigraph = oxigraph_command(args.oxigraph)
    results: dict = {"load_average_before": os.getloadavg()[0], "runs": args.runs, "duration_s": args.duration, "threads": 2, "connections": 10, "cpus": os.cpu_count(), "stores": {}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        script = work / "report.lua"
        script.write_text(WRK_REPORT, encoding="utf-8")

        store = work / "bundled"
        build(store, [])
        t = targets(store)
        bundled = f"bundled corpus ({t['quads']:,} quads)"
        results["unit"] = t["unit"]
        gport, oport = free_port(), free_port()
        gbase, obase = f"http://127.0.0.1:{gport}", f"http://127.0.0.1:{oport}"
        with govkg_server(store, gport, work / "govkg.log") as govkg, running(
            [oxigraph, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{oport}", "--union-default-graph"],
            sparql_url(obase, "/query", "ASK {}"), work / "oxigraph.log",
        ) as oxigraph_server:
            cases = serve_cases(gbase, t, govkg)
            cases["static file /static/govkg.css (the floor of any govkg request)"] = (gbase + "/static/govkg.css", "text/css", govkg)
            cases["lookup SELECT, oxigraph serve-read-only /query"] = (sparql_url(obase, "/query", t["lookup"]), SPARQL_JSON, oxigraph_server)
            same_answer(cases["lookup SELECT, /sparql"][0], cases["lookup SELECT, oxigraph serve-read-only /query"][0])
            results["stores"][bundled] = measure(cases, runs=args.runs, duration=args.duration, script=script)
        figures = results["stores"][bundled]
        ours, theirs = figures["lookup SELECT, /sparql"], figures["lookup SELECT, oxigraph serve-read-only /query"]
        results["lookup_ratio"] = ours["rps"] / theirs["rps"]
        results["lookup_cpu_ratio"] = theirs["cpu_ms_per_request"] / ours["cpu_ms_per_request"]
        print(table(results), flush=True)

        if args.large_copies:
            from bench_build import synthetic_corpus

            large = args.large_store or work / "large"
            if not (large / "CURRENT").exists():
                seconds = build(large, [synthetic_corpus(args.large_copies, work)])
                print(f"built the synthetic store in {seconds:.0f} s", flush=True)
            t = targets(large)
            name = f"synthetic store ({t['quads']:,} quads)"
            port = free_port()
            with govkg_server(large, port, work / "govkg-large.log") as govkg:
                cases = {k: v for k, v in serve_cases(f"http://127.0.0.1:{port}", t, govkg).items() if not k.startswith("lookup")}
                results["stores"][name] = measure(cases, runs=args.runs, duration=args.duration, script=script)

    results["load_average_after"] = os.getloadavg()[0]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "serve.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    markdown = table(results)
    (RESULTS / "serve.md").write_text(
        f"wrk, 2 threads, 10 connections, {args.duration} s per run, median of {args.runs} runs, "
        f"{os.cpu_count()} CPUs shared by the servers and wrk (1-minute load average {results['load_average_before']:.1f} "
        f"before, {results['load_average_after']:.1f} after); unit {results['unit']}\n\n{markdown}\n",
        encoding="utf-8",
    )
    print()
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
