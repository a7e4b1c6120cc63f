"""Centrality benchmark: every metric of kg.centrality on a synthetic 5,000-unit co-assignment graph.

The graph: 5,000 units and 5,000 tasks of 2–8 units each (fixed seed).  The first tasks
deal out a shuffled list of all units, so every unit has a task; the rest draw their
units with Zipf-like popularity, so that a few units sit on many tasks, as 发改委 does
in real notices.  The first unit of a task leads it.

Each step's median of ``--runs`` runs is printed beside the baseline measured in the
same run: building the graph from the assignments (``graph_from_assignments``), i.e.
what it costs to have the graph at all.  Exact betweenness and closeness are O(n m),
minutes in pure Python at this size, so they run ``--slow-runs`` times (default 1);
sampled betweenness (``betweenness_k``) is what the UI would use on graphs this big.
If SciPy is installed, networkx's own ``pagerank`` is timed too, for comparison.

Run: ``.venv/bin/python benchmarks/bench_centrality.py [--units 5000 --tasks 5000 --runs 5 --slow-runs 1]``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx

from kg.centrality import (
    Assignment,
    CentralityParams,
    compute,
    graph_from_assignments,
    metric_scores,
)

SEED = 20260301


def synthetic_assignments(units: int, tasks: int, seed: int = SEED) -> list[Assignment]:
    """``tasks`` tasks of 2–8 distinct units among ``units``; every unit on at least one task."""
    rng = random.Random(seed)
    names = [f"https://example.org/unit/{i}" for i in range(units)]
    popularity = [1.0 / (rank + 1) ** 0.8 for rank in range(units)]
    dealt = names[:]
    rng.shuffle(dealt)
    members: list[list[str]] = []
    while dealt and len(members) < tasks:
        size = rng.randint(2, 8)
        members.append(dealt[:size])
        dealt = dealt[size:]
    if dealt:  # fewer tasks than it takes to deal every unit: the last one takes the rest
        members[-1].extend(dealt)
    while len(members) < tasks:
        size = rng.randint(2, 8)
        chosen: dict[str, None] = {}
        while len(chosen) < size:
            chosen.update(dict.fromkeys(rng.choices(names, weights=popularity, k=size - len(chosen))))
        members.append(list(chosen))
    return [Assignment(f"https://example.org/task/{t}", "https://example.org/doc", unit, unit.rsplit("/", 1)[1],
                       "lead" if position == 0 else "responsible", False)
            for t, units_of_task in enumerate(members) for position, unit in enumerate(units_of_task)]


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=5000)
    ap.add_argument("--tasks", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5, help="runs of each fast step (median reported)")
    ap.add_argument("--slow-runs", type=int, default=1, help="runs of exact betweenness and closeness")
    ap.add_argument("--sample", type=int, default=500, help="source nodes of sampled betweenness")
    args = ap.parse_args(argv)

    found = synthetic_assignments(args.units, args.tasks)
    params = CentralityParams(lead_weight=2.0)
    sampled = CentralityParams(lead_weight=2.0, betweenness_k=args.sample)
    graph = graph_from_assignments(found, params)
    print(f"synthetic co-assignment graph: {graph.number_of_nodes()} units, {args.tasks} tasks of 2-8 units, "
          f"{len(found)} assignments, {graph.number_of_edges()} edges (seed {SEED}); networkx {nx.__version__}, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

    steps = [
        ("graph build (baseline)", lambda: graph_from_assignments(found, params), args.runs),
        ("degree", lambda: metric_scores(graph, "degree"), args.runs),
        ("weighted degree", lambda: metric_scores(graph, "weighted_degree"), args.runs),
        ("PageRank", lambda: metric_scores(graph, "pagerank"), args.runs),
        ("eigenvector", lambda: metric_scores(graph, "eigenvector"), args.runs),
        ("Louvain communities", lambda: nx.community.louvain_communities(graph, weight="weight", seed=params.seed), args.runs),
        (f"betweenness, sampled k={args.sample}", lambda: metric_scores(graph, "betweenness", betweenness_k=args.sample),
         args.runs),
        (f"compute(), all metrics, betweenness k={args.sample}", lambda: compute(graph, sampled), max(1, args.runs // 2)),
        ("betweenness, exact", lambda: metric_scores(graph, "betweenness"), args.slow_runs),
        ("closeness, exact", lambda: metric_scores(graph, "closeness"), args.slow_runs),
    ]
    try:
        import scipy  # noqa: F401

        steps.insert(4, ("networkx pagerank (SciPy)", lambda: nx.pagerank(graph, weight="weight", tol=1e-12), args.runs))
    except ImportError:
        pass

    results = {}
    print(f"{'step':<48} {'runs':>4} {'median s':>10} {'x build':>9}")
    for name, fn, runs in steps:
        results[name] = median_time(fn, runs)
        ratio = results[name] / results["graph build (baseline)"]
        print(f"{name:<48} {runs:>4} {results[name]:>10.3f} {ratio:>9.2f}", flush=True)

    build = results["graph build (baseline)"]

    def show(name: str) -> str:
        return f"{results[name]:.3g} s ({results[name] / build:.2g}x)"

    exact = dict(itertools.islice(((n, t) for n, t in results.items() if "exact" in n), 2))
    print()
    print(f"README: on a synthetic co-assignment graph of {graph.number_of_nodes():,} units and "
          f"{graph.number_of_edges():,} edges ({args.tasks:,} tasks of 2-8 units), building the graph takes "
          f"{build:.3g} s (median of {args.runs}); relative to that, degree takes {show('degree')}, "
          f"weighted degree {show('weighted degree')}, PageRank {show('PageRank')}, eigenvector {show('eigenvector')}, "
          f"Louvain {show('Louvain communities')}, betweenness sampled from {args.sample} sources "
          f"{show(f'betweenness, sampled k={args.sample}')}; exact betweenness and closeness, O(n m) in pure Python, "
          f"take {exact['betweenness, exact']:.3g} s and {exact['closeness, exact']:.3g} s "
          f"({args.slow_runs} run{'s' if args.slow_runs != 1 else ''}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
