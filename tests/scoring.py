"""Precision, recall and F1 from counts: the one Score the evaluation scripts share.

>>> s = Score(8, 2, 0) + Score(1, 0, 1)
>>> (s.tp, s.fp, s.fn), round(s.precision, 3), round(s.recall, 3)
((9, 2, 1), 0.818, 0.9)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Score"]


@dataclass(frozen=True)
class Score:
    tp: int  # found and right
    fp: int  # found but wrong
    fn: int  # missed

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def __str__(self) -> str:
        return f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})"
