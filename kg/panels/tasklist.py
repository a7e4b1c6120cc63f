"""What the theme, place, project and indicator panels share: task lists (rows come from :func:`kg.queries.rows`).

>>> excerpt("一二三四五", 3)
'一二三…'
>>> per_city_year([{"city": "许昌市", "year": 2026}, {"city": "许昌市", "year": 2026}])
{('许昌市', 2026): 2}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kg.queries import rows
from kg.store import Store

__all__ = ["excerpt", "tasks", "per_city_year", "EXCERPT"]

EXCERPT = 80  # characters of a task's text shown in a panel's list

def excerpt(text: str, length: int = EXCERPT) -> str:
    """``text`` cut to ``length`` characters, with an ellipsis if it was longer."""
    return text if len(text) <= length else text[:length] + "…"


def tasks(store: Store, name: str, params: dict[str, str]) -> list[dict]:
    """A ``panel-*-tasks`` query's rows: task, doc, doc_title, city, year, kind, number, title, excerpt."""
    out = []
    for row in rows(store, name, **params):
        text = row.pop("text") or ""
        row["excerpt"] = excerpt(row.get("title") or text)
        out.append(row)
    return out


def per_city_year(rows: Iterable[dict]) -> dict[tuple[str, int], int]:
    """How many rows each (city, year) has."""
    return dict(Counter((r["city"], r["year"]) for r in rows))
