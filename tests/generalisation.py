"""Unit-mention precision, recall and F1 of the loaders on the blind notices in tests/data/notices.

Each NAME.txt has NAME.gold.json, written by hand without looking at the parser.  An
assignment counts as found when (chapter, task number, role, name) match; mentions are
compared separately.  Run as a script for a per-file table:

    .venv/bin/python -m tests.generalisation
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from loaders import load

NOTICES = Path(__file__).parent / "data" / "notices"


@dataclass(frozen=True)
class Score:
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.true_positives + other.true_positives, self.predicted + other.predicted, self.gold + other.gold)


def gold_files() -> list[Path]:
    return sorted(NOTICES.glob("*.txt"))


def _chapter_of(doc, task) -> str | None:
    if task.section is None:
        return None
    chapter_key = task.section.split(".")[0]
    return next((s.number for s in doc.sections if s.key == chapter_key and s.level == 1), None)


def score(path: Path, cities=()) -> tuple[Score, Score, dict, object]:
    """(unit score, mention score, gold, document) for one notice."""
    gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
    doc = load(path, cities=cities)
    predicted_units, predicted_mentions = [], []
    for task in doc.tasks:
        chapter = _chapter_of(doc, task)
        for a in task.assignments:
            predicted_units.append((chapter, task.number, a.role, a.name))
            predicted_mentions.append((chapter, task.number, a.role, a.mention))
    gold_units, gold_mentions = [], []
    for task in gold["tasks"]:
        for a in task["assignments"]:
            gold_units.append((task.get("chapter"), task["number"], a["role"], a["name"]))
            gold_mentions.append((task.get("chapter"), task["number"], a["role"], a["mention"]))
    return _match(predicted_units, gold_units), _match(predicted_mentions, gold_mentions), gold, doc


def _match(predicted: list, gold: list) -> Score:
    remaining = list(gold)
    hits = 0
    for item in predicted:
        if item in remaining:
            remaining.remove(item)
            hits += 1
    return Score(hits, len(predicted), len(gold))


def main() -> None:
    from kg.gazetteer import cities

    known = [(c.name, c.short_names, c.abbreviation) for c in cities()]
    total_units = total_mentions = Score(0, 0, 0)
    print(f"{'file':<36} {'tasks':>9} {'P':>6} {'R':>6} {'F1':>6} {'mention F1':>10}")
    for path in gold_files():
        units, mentions, gold, doc = score(path, known)
        total_units += units
        total_mentions += mentions
        print(f"{path.name:<36} {len(doc.tasks):>4}/{len(gold['tasks']):<4} {units.precision:6.3f} {units.recall:6.3f} {units.f1:6.3f} {mentions.f1:10.3f}")
    print(f"{'all':<36} {'':>9} {total_units.precision:6.3f} {total_units.recall:6.3f} {total_units.f1:6.3f} {total_mentions.f1:10.3f}")


if __name__ == "__main__":
    main()
