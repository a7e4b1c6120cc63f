"""Precision and recall of theme tagging (kg.themes.tag) on the annotated sample.

``tests/data/themes/sample.json`` holds 65 tasks and report paragraphs drawn at random
(seeded) from the five bundled documents, each with the themes a person judged right
against the definitions in ``ontology/themes.ttl``.  Run::

    python -m tests.themes_eval            # micro P/R/F1, per theme, and each error
    python -m tests.themes_eval --rules    # the heading rule compared with its alternatives

Scores are micro-averaged over (item, theme) pairs.
"""

from __future__ import annotations

from tests.scoring import Score

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SAMPLE = Path(__file__).parent / "data" / "themes" / "sample.json"


@dataclass(frozen=True)
class Item:
    id: str
    split: str  # dev (labels the keywords were corrected on) or heldout
    headings: tuple[str, ...]
    text: str
    themes: frozenset[str]  # theme names (zh prefLabels)

    @property
    def heading(self) -> str | None:
        return "\n".join(self.headings) or None


def load_sample(path: Path = SAMPLE) -> list[Item]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Item(d["id"], d["split"], tuple(d["headings"]), d["text"], frozenset(d["themes"])) for d in data["items"]]


def _name(iri: str) -> str:
    from urllib.parse import unquote

    return unquote(iri.rsplit("/", 1)[-1])


def predictions(items: list[Item], tagger: Callable[[Item], list[str]]) -> dict[str, frozenset[str]]:
    """Theme names predicted per item id; ``tagger`` maps an item to theme IRIs."""
    return {item.id: frozenset(_name(i) for i in tagger(item)) for item in items}


def score(items: list[Item], predicted: dict[str, frozenset[str]]) -> Score:
    tp = sum(len(item.themes & predicted[item.id]) for item in items)
    fp = sum(len(predicted[item.id] - item.themes) for item in items)
    fn = sum(len(item.themes - predicted[item.id]) for item in items)
    return Score(tp, fp, fn)


def per_theme(items: list[Item], predicted: dict[str, frozenset[str]]) -> dict[str, Score]:
    counts: dict[str, Counter] = {}
    for item in items:
        guess = predicted[item.id]
        for name in item.themes | guess:
            c = counts.setdefault(name, Counter())
            c["tp" if name in item.themes and name in guess else "fp" if name in guess else "fn"] += 1
    return {name: Score(c["tp"], c["fp"], c["fn"]) for name, c in sorted(counts.items())}


def evaluate(items: list[Item] | None = None) -> Score:
    """Micro P/R/F1 of ``kg.themes.tag`` (text and enclosing headings) on the sample."""
    from kg.themes import tag

    items = items if items is not None else load_sample()
    return score(items, predictions(items, lambda item: tag(item.text, item.heading)))


def rules(items: list[Item]) -> dict[str, Score]:
    """The heading rule of kg.themes against its alternatives."""
    from kg.themes import default_tagger

    tagger = default_tagger()

    def always(item: Item) -> list[str]:  # the heading's themes without asking the text
        own = set(tagger.tag(item.text))
        return sorted(own | set(tagger.tag(item.heading or "")))

    def fallback(item: Item) -> list[str]:  # the heading's themes only when the text has none
        return tagger.tag(item.text) or tagger.tag(item.heading or "")

    from kg.themes import Tagger, themes

    def substrings(text: str) -> list[str]:  # every 1-2 character substring, as if not segmented
        return [text[i:i + n] for n in (1, 2) for i in range(len(text) - n + 1)]

    unsegmented = Tagger(themes(), words=substrings)
    variants = {
        "short keywords as substrings (no jieba)": lambda item: unsegmented.tag(item.text, item.heading),
        "text only (no heading)": lambda item: tagger.tag(item.text),
        "heading = innermost title, with support": lambda item: tagger.tag(item.text, (item.headings or (None,))[-1]),
        "heading = all titles, with support (kg.themes)": lambda item: tagger.tag(item.text, item.heading),
        "heading themes always added": always,
        "heading themes only when the text has none": fallback,
    }
    return {name: score(items, predictions(items, fn)) for name, fn in variants.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", action="store_true", help="compare the heading rule with its alternatives")
    args = parser.parse_args(argv)
    from kg.text import tokenizer
    from kg.themes import tag

    items = load_sample()
    started = time.perf_counter()
    tokenizer()
    built = time.perf_counter() - started
    started = time.perf_counter()
    predicted = predictions(items, lambda item: tag(item.text, item.heading))
    tagged = time.perf_counter() - started
    print(f"{len(items)} items, {sum(len(i.themes) for i in items)} gold themes "
          f"(tokenizer built in {built:.2f} s, sample tagged in {tagged * 1000:.0f} ms)")
    print(f"micro   all      {score(items, predicted)}")
    for split in sorted({item.split for item in items}):
        part = [item for item in items if item.split == split]
        print(f"        {split:8s} {score(part, predicted)}  [{len(part)} items]")
    if args.rules:
        print()
        for name, s in rules(items).items():
            print(f"{name:48s} {s}")
        return 0
    print()
    for name, s in per_theme(items, predicted).items():
        print(f"  {name:8s} {s}")
    print()
    for item in items:
        guess = predicted[item.id]
        if guess != item.themes:
            missed = ", ".join(sorted(item.themes - guess)) or "-"
            extra = ", ".join(sorted(guess - item.themes)) or "-"
            print(f"{item.id}: missed {missed}; extra {extra}\n    {item.text[:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
