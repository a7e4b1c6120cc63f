"""Search benchmarks: building the index and answering searches, on the bundled corpus and a synthetic one.

1. Index build from a built store: cold (every text segmented by jieba; in one
   process, and over every core when there are enough texts), the rebuild
   after a store change (segmentations of unchanged texts reused from the previous
   index), and the check a web request makes when the index is current.
2. Search latency (p50/p95 over many repetitions) for single words, words inside
   longer words, several words, a phrase, and filters.
3. The same on a synthetic corpus (the bundled notices re-issued for other years, from
   ``bench_build.synthetic_corpus``).

Run: ``.venv/bin/python benchmarks/bench_search.py --runs 5 --copies 40``.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SEARCHES = [
    ("word", "胖东来", {}), ("word", "郑许一体化", {}), ("unit alias", "市发展改革委", {}),
    ("part of a word", "一体化", {}), ("common word", "发展", {}), ("two words", "乡村振兴 产业", {}),
    ("phrase", '"推广 胖东来"', {}), ("kind filter", "发展", {"kind": "task"}),
    ("city+year filter", "发展", {"city": "许昌市", "year": 2026}), ("page 3", "发展", {"page": 3}),
]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def build_store(paths: list[Path], work: Path):
    from kg.build import build
    from kg.gazetteer import cities
    from kg.store import open_store

    store_path = work / "store"
    store = open_store(store_path)
    started = time.perf_counter()
    build(store, paths, cities=[(c.name, c.short_names, c.abbreviation) for c in cities()])
    seconds = time.perf_counter() - started
    store.close()
    return store_path, seconds


def measure(store_path: Path, runs: int, repeats: int) -> dict:
    from kg import search
    from kg.store import open_store
    from kg.text import tokenizer

    tokenizer()  # jieba's own start-up (0.5–2 s) is not the index's cost
    store = open_store(store_path, read_only=True)
    started = time.perf_counter()
    entries = search.read_entries(store)
    read_s = time.perf_counter() - started
    chars = sum(len(e.text) for e in entries)
    tasks = sum(1 for e in entries if e.kind in ("task", "work-item"))

    cold = []
    for _ in range(runs):
        db = sqlite3.connect(":memory:")
        started = time.perf_counter()
        search.build_index(db, entries)
        cold.append(time.perf_counter() - started)
        db.close()
    parallel = []
    for _ in range(runs):
        db = sqlite3.connect(":memory:")
        started = time.perf_counter()
        search.build_index(db, entries, workers=os.cpu_count() or 1)
        parallel.append(time.perf_counter() - started)
        db.close()
    # on disk, through ensure_index: the first build, then a rebuild reusing segmentations
    path = search.index_path(store_path)
    path.unlink(missing_ok=True)
    report: list = []
    started = time.perf_counter()
    search.ensure_index(store, report=report).close()
    first_s = time.perf_counter() - started
    with sqlite3.connect(path) as db:  # pretend the store changed: the stamp no longer matches, nor the content digest
        db.execute("UPDATE meta SET value = 'x' WHERE key IN ('stamp', 'content')")
    started = time.perf_counter()
    search.ensure_index(store, report=report).close()
    reuse_s = time.perf_counter() - started
    with sqlite3.connect(path) as db:  # the stamp moved but the rows are the same: verify and restamp
        db.execute("UPDATE meta SET value = 'x' WHERE key = 'stamp'")
    started = time.perf_counter()
    search.ensure_index(store, report=report).close()
    restamp_s = time.perf_counter() - started
    checks = []
    for _ in range(200):
        started = time.perf_counter()
        search.ensure_index(store).close()
        checks.append(time.perf_counter() - started)

    latency = {}
    with search.ensure_index(store) as index:
        for name, text, filters in SEARCHES:
            times, total = [], 0
            for _ in range(repeats):
                started = time.perf_counter()
                total = index.search(text, **filters).total
                times.append(time.perf_counter() - started)
            latency[f"{name}: {text} {filters or ''}".strip()] = {
                "results": total, "p50_ms": round(1000 * statistics.median(times), 2), "p95_ms": round(1000 * percentile(times, 0.95), 2)}
    return {
        "entries": len(entries), "tasks": tasks, "text_chars": chars, "index_bytes": path.stat().st_size,
        "read_rows_s": round(read_s, 3),
        "build_cold_median_s": round(statistics.median(cold), 3),
        "segment_rate_chars_per_s": round(chars / statistics.median(cold)),
        "build_cold_parallel_median_s": round(statistics.median(parallel), 3), "cpus": os.cpu_count(),
        "ensure_first_build_s": round(first_s, 3), "ensure_rebuild_reusing_s": round(reuse_s, 3),
        "rebuild_report": str(report[1]), "ensure_restamp_s": round(restamp_s, 3),
        "ensure_current_p50_ms": round(1000 * statistics.median(checks), 3),
        "search": latency,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold builds per corpus (median)")
    parser.add_argument("--repeats", type=int, default=200, help="repetitions of each search (p50, p95)")
    parser.add_argument("--copies", type=int, default=40, help="copies of the notices in the synthetic corpus (0: skip)")
    args = parser.parse_args()
    from bench_build import synthetic_corpus

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "bundled"
        work.mkdir()
        store_path, _ = build_store([ROOT / "data"], work)
        out["bundled"] = measure(store_path, args.runs, args.repeats)
        print(json.dumps({"bundled": out["bundled"]}, ensure_ascii=False, indent=2), flush=True)
        if args.copies:
            work = Path(tmp) / "synthetic"
            work.mkdir()
            corpus = synthetic_corpus(args.copies, work)
            store_path, seconds = build_store(sorted(corpus.iterdir()), work)
            out["synthetic"] = dict(measure(store_path, args.runs, args.repeats), copies=args.copies, store_build_s=round(seconds, 1))
            print(json.dumps({"synthetic": out["synthetic"]}, ensure_ascii=False, indent=2), flush=True)


if __name__ == "__main__":
    main()
