"""Build benchmarks: medians, and ratios against Oxigraph's own bulk load measured in the same run.

1. Cold ``govkg build`` of the bundled corpus (a new process and an empty store each run),
   beside the baseline of a new process that only bulk-loads the same quads into an empty
   store: the difference is what parsing and quad-making cost.
2. Throughput on a synthetic corpus (the bundled notices re-issued for many cities and
   years): quads per second of ``kg.build.build`` against ``Store.bulk_load`` of the same
   quads (the ceiling).

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_build.py --runs 7 --copies 40``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GOVKG = str(Path(PY).parent / "govkg")


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def cold_build(runs: int, work: Path) -> dict:
    build, baseline = [], []
    nquads = work / "corpus.nq"
    for i in range(runs):
        store = work / f"build-{i}"
        build.append(timed([GOVKG, "build", "--store", str(store)]))
        if i == 0:
            subprocess.run([GOVKG, "export", "--format", "nquads", "--store", str(store), "-o", str(nquads)], check=True)
        shutil.rmtree(store)
        target = work / f"bulk-{i}"
        baseline.append(timed([PY, "-c", f"import pyoxigraph as o; s=o.Store({str(target)!r}); s.bulk_load(path={str(nquads)!r}, format=o.RdfFormat.N_QUADS); s.flush()"]))
        shutil.rmtree(target)
    quads = sum(1 for _ in open(nquads, encoding="utf-8"))
    return {"runs": runs, "quads": quads, "build_median_s": statistics.median(build), "bulk_load_median_s": statistics.median(baseline)}


def synthetic_corpus(copies: int, work: Path) -> Path:
    """The three bundled notices re-issued under other plan years: same shapes, more data.

    Each copy of each notice gets its own year (2000–2099), so every file is a document
    of its own (one graph per city, year and kind); at most 100 files per city.
    """
    out = work / "synthetic"
    out.mkdir()
    sources = [ROOT / "data" / n for n in ("xuchang-2026-key-tasks.txt", "xuchang-2020-key-tasks.txt", "jiyuan-2021-key-tasks.txt")]
    for copy in range(copies):
        for index, src in enumerate(sources):
            text = src.read_text(encoding="utf-8")
            year = 2000 + (copy * 2 + min(index, 1)) % 100 if index < 2 else 2000 + copy % 100
            for old in ("2026", "2020", "2021"):
                text = text.replace(old + "年", f"{year}年").replace(f"〔{old}〕", f"〔{year}〕").replace(f"[{old}]", f"[{year}]")
            (out / f"{src.stem}-{copy}.txt").write_text(text, encoding="utf-8")
    return out


def throughput(copies: int, runs: int, work: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    import pyoxigraph as ox

    from kg.build import build
    from kg.gazetteer import cities
    from kg.store import open_store

    corpus = synthetic_corpus(copies, work)
    known = [(c.name, c.short_names, c.abbreviation) for c in cities()]
    ours, ceiling, quads = [], [], 0
    for i in range(runs):
        store = open_store(work / f"syn-{i}")
        started = time.perf_counter()
        report = build(store, [corpus], cities=known)
        assert not report.failed, report.failed[:3]
        ours.append(time.perf_counter() - started)
        quads = store.quad_count()
        nq = work / "syn.nq"
        nq.write_bytes(store.dump("nquads"))
        store.close()
        del store
        shutil.rmtree(work / f"syn-{i}")
        bulk = ox.Store(str(work / f"bulk-syn-{i}"))
        started = time.perf_counter()
        bulk.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        bulk.flush()
        ceiling.append(time.perf_counter() - started)
        del bulk
        shutil.rmtree(work / f"bulk-syn-{i}")
    return {"documents": copies * 3, "quads": quads, "build_median_s": statistics.median(ours),
            "bulk_load_median_s": statistics.median(ceiling)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--copies", type=int, default=30, help="synthetic corpus: copies of the three notices (at most 50)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cold = cold_build(args.runs, work)
        print(f"cold build, bundled corpus ({cold['quads']} quads, {cold['runs']} runs): "
              f"govkg build median {cold['build_median_s']:.2f} s; bulk_load of the same quads in a new process "
              f"median {cold['bulk_load_median_s']:.2f} s; ratio {cold['build_median_s'] / cold['bulk_load_median_s']:.1f}x")
        syn = throughput(args.copies, max(1, args.runs // 2), work)
        ours = syn["quads"] / syn["build_median_s"]
        ceiling = syn["quads"] / syn["bulk_load_median_s"]
        print(f"throughput, synthetic corpus ({syn['documents']} documents, {syn['quads']} quads): "
              f"build {ours:,.0f} quads/s; Oxigraph bulk_load {ceiling:,.0f} quads/s; build/ceiling {ours / ceiling:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
