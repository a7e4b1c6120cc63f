"""Unit-mention precision, recall and F1 of the loaders on the blind notices in tests/data/notices.

Each NAME.txt has NAME.gold.json, written by hand without looking at the parser.  An
assignment counts as found when (chapter, task number, role, name) match; mentions are
compared separately.  Run as a script for a per-file table:

    .venv/bin/python -m tests.generalisation
"""

from __future__ import annotations

from tests.scoring import Score

import json
from pathlib import Path

from loaders import load

NOTICES = Path(__file__).parent / "data" / "notices"
HELDOUT = Path(__file__).parent / "data" / "heldout"


def gold_files(folder: Path = NOTICES) -> list[Path]:
    return sorted(p for p in folder.glob("*.txt") if p.with_suffix(".gold.json").exists())


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
    return Score(hits, len(predicted) - hits, len(gold) - hits)


def main() -> None:
    from kg.gazetteer import cities

    known = [(c.name, c.short_names, c.abbreviation) for c in cities()]
    total_units = total_mentions = Score(0, 0, 0)
    print(f"{'file':<36} {'tasks':>9} {'P':>6} {'R':>6} {'F1':>6} {'mention F1':>10}")
    for path in gold_files(NOTICES) + gold_files(HELDOUT):
        try:
            units, mentions, gold, doc = score(path, known)
        except Exception as exc:  # a script: show every file
            print(f"{path.name:<36} ERROR {exc}")
            continue
        total_units += units
        total_mentions += mentions
        print(f"{path.name:<36} {len(doc.tasks):>4}/{len(gold['tasks']):<4} {units.precision:6.3f} {units.recall:6.3f} {units.f1:6.3f} {mentions.f1:10.3f}")
    print(f"{'all':<36} {'':>9} {total_units.precision:6.3f} {total_units.recall:6.3f} {total_units.f1:6.3f} {total_mentions.f1:10.3f}")



def diff(name: str) -> None:
    """Print what the loader got wrong on one notice."""
    from collections import Counter

    from kg.gazetteer import cities

    known = [(c.name, c.short_names, c.abbreviation) for c in cities()]
    path = NOTICES / name if (NOTICES / name).exists() else HELDOUT / name
    gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
    doc = load(path, cities=known)
    got = Counter((_chapter_of(doc, t), t.number, a.role, a.name, a.mention) for t in doc.tasks for a in t.assignments)
    want = Counter((t.get("chapter"), t["number"], a["role"], a["name"], a["mention"]) for t in gold["tasks"] for a in t["assignments"])
    for item in sorted((want - got).elements()):
        print("missing", item)
    for item in sorted((got - want).elements()):
        print("extra  ", item)
    print("document", {k: getattr(doc, k) for k in ("city", "year", "doc_number", "issued")}, "gold", gold["document"])
    for t in gold["tasks"]:
        mine = next((x for x in doc.tasks if x.number == t["number"] and _chapter_of(doc, x) == t.get("chapter")), None)
        if mine and mine.deadline != t.get("deadline"):
            print("deadline", t.get("chapter"), t["number"], repr(mine.deadline), "gold", repr(t.get("deadline")))


if __name__ == "__main__":
    import sys

    diff(sys.argv[1]) if len(sys.argv) > 1 else main()
