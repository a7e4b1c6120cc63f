"""Precision and recall of project and enterprise extraction on the hand-annotated sample.

``tests/data/projects/sample.json`` holds passages (task texts) of the bundled corpus with
every named project and enterprise annotated by hand, before the extractor was written
(its ``guidelines`` say what counts).  The extractor reads each document's passages
together, as ``kg.projects`` reads a document's tasks, and its output is compared per
passage:

- strict: the normalised names are equal (``project_key`` / ``enterprise_key``);
- lenient: one name contains the other (the same mention, bounds off: 中南科技 ~ 中南).

Matching is one-to-one within a passage.  Run ``python -m tests.projects_eval`` (add
``--errors`` to list what was missed and what was wrong, ``--split NAME`` for one split).
The splits, how each was made and the scores measured on them, blind and now, are in
``tests/data/projects/README.md``.
"""

from __future__ import annotations

from tests.scoring import Score

import argparse
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SAMPLE = Path(__file__).parent / "data" / "projects" / "sample.json"
SPLITS = ("dev", "held-out", "held-out-2", "held-out-3")

__all__ = ["Outcome", "Score", "evaluate", "load_sample", "main"]


@dataclass(frozen=True)
class Outcome:
    """Scores of one split: kind (projects|enterprises) x match (strict|lenient)."""

    scores: dict
    investments: tuple[int, int]  # (stated right, gold investments among strict project matches)
    errors: tuple[str, ...]


@lru_cache(maxsize=1)
def load_sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _strict(a: str, b: str) -> bool:
    return a == b


def _lenient(a: str, b: str) -> bool:
    return a in b or b in a


def _match(gold: list[str], found: list[str], same: Callable[[str, str], bool]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """One-to-one matching: exact pairs first, then by ``same``; returns (pairs, missed, wrong)."""
    gold, found = list(gold), list(found)
    pairs = []
    for rule in (_strict, same):
        for g in list(gold):
            for f in found:
                if rule(g, f):
                    pairs.append((g, f))
                    gold.remove(g)
                    found.remove(f)
                    break
    return pairs, gold, found


def _extract(passages: list[dict]) -> list[tuple[list, list]]:
    """Run the extractor over the passages, each source document's passages together."""
    from kg.projects import place_test
    from kg.resolve import default_place_matcher
    from loaders.projects import document_mentions

    sample = load_sample()
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(passages):
        by_source[p["source"]].append(i)
    out: list = [None] * len(passages)
    for source, indices in by_source.items():
        is_place = place_test(sample["cities"][source], default_place_matcher())
        results = document_mentions([passages[i]["text"] for i in indices], is_place=is_place)
        for i, result in zip(indices, results):
            out[i] = result
    return out


def evaluate(split: str | None = None) -> Outcome:
    """Score the extractor on the sample (one split, or all of it)."""
    from loaders.projects import enterprise_key, project_key

    passages = [p for p in load_sample()["passages"] if split in (None, p["split"])]
    counts = {(k, m): [0, 0, 0] for k in ("projects", "enterprises") for m in ("strict", "lenient")}
    right = stated = 0
    errors = []
    for passage, (projects, enterprises) in zip(passages, _extract(passages)):
        where = f"{passage['source']} {passage['task']}"
        gold_projects = {project_key(p["name"]): p for p in passage["projects"]}
        found_projects = {p.name: p for p in projects}
        gold = {
            "projects": [project_key(p["name"]) for p in passage["projects"]],
            "enterprises": sorted({enterprise_key(e) for e in passage["enterprises"]}),
        }
        found = {"projects": [p.name for p in projects], "enterprises": sorted({e.name for e in enterprises})}
        for kind in ("projects", "enterprises"):
            for match, rule in (("strict", _strict), ("lenient", _lenient)):
                pairs, missed, wrong = _match(gold[kind], found[kind], rule)
                c = counts[(kind, match)]
                c[0] += len(pairs)
                c[1] += len(wrong)
                c[2] += len(missed)
                if match == "lenient":
                    errors += [f"{where}: {kind[:-1]} missed   {g}" for g in missed]
                    errors += [f"{where}: {kind[:-1]} wrong    {f}" for f in wrong]
                elif match == "strict":
                    pairs_strict = pairs
            if kind == "projects":
                for g, f in pairs_strict:
                    want = gold_projects[g]
                    if "investment" in want:
                        stated += 1
                        got = found_projects[f]
                        if got.investment == want["investment"] and got.measure == want["measure"]:
                            right += 1
                        else:
                            errors.append(f"{where}: investment {g} {got.investment}{got.measure or ''} != {want['investment']}{want['measure']}")
    scores = {key: Score(*c) for key, c in counts.items()}
    return Outcome(scores, (right, stated), tuple(errors))


def _table(outcomes: Iterable[tuple[str, Outcome]]) -> str:
    lines = [f"{'split':<10} {'kind':<12} {'match':<8} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for name, outcome in outcomes:
        for (kind, match), s in outcome.scores.items():
            lines.append(f"{name:<10} {kind:<12} {match:<8} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  {s.tp:3d} {s.fp:3d} {s.fn:3d}")
        right, stated = outcome.investments
        lines.append(f"{name:<10} investment stated right: {right}/{stated}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.projects_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, help="only this split (default: each, and all)")
    parser.add_argument("--errors", action="store_true", help="list misses and false positives (lenient match)")
    args = parser.parse_args(argv)
    splits = [args.split] if args.split else [*SPLITS, None]
    outcomes = [(s or "all", evaluate(s)) for s in splits]
    print(_table(outcomes))
    if args.errors:
        for line in outcomes[-1][1].errors:
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
