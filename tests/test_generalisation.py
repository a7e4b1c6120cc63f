"""Generalisation: unit-mention F1 on hand-annotated notices of cities the bundled corpus does not have.

``tests/data/notices`` (ten Henan cities) was written blind and then used to improve
the loaders; ``tests/data/heldout`` (other provinces) was written blind afterwards
and is the honest measure.  ``python -m tests.generalisation`` prints the table.
"""

from __future__ import annotations


import pytest

from tests.generalisation import HELDOUT, NOTICES, Score, gold_files, score

FILES = gold_files(NOTICES) + gold_files(HELDOUT)


@pytest.fixture(scope="module")
def scores(cities):
    return {path: score(path, cities) for path in FILES}


def test_unit_f1_overall(scores):
    total = Score(0, 0, 0)
    for units, _mentions, _gold, _doc in scores.values():
        total += units
    assert total.f1 >= 0.97, f"unit F1 {total.f1:.3f} (P {total.precision:.3f}, R {total.recall:.3f})"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_notice(scores, path):
    units, mentions, gold, doc = scores[path]
    assert len(doc.tasks) == len(gold["tasks"])
    assert units.f1 >= 0.9 and mentions.f1 >= 0.9, f"unit F1 {units.f1:.3f}, mention F1 {mentions.f1:.3f}"
    expected = gold["document"]
    assert {k: getattr(doc, k) for k in expected} == expected
    deadlines = [t.get("deadline") for t in gold["tasks"]]
    assert [t.deadline for t in doc.tasks] == deadlines
