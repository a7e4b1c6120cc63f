"""The place panel: what a place is, where it lies and what lies in it, the tasks naming it, its units.

Queries: ``panel-place-context``, ``panel-place-contained``, ``panel-place-tasks``,
``panel-place-units``, ``panel-place-unit-tasks`` (or, for a place with more than
:data:`MANY_UNITS` units, ``panel-place-unit-tasks-all``: the same rows, read by hash
joins rather than one lookup per assignment), ``panel-place-documents`` and
``panel-years``.
"""

from __future__ import annotations

from collections import Counter

from kg.namespaces import GOV
from kg.panels import panel
from kg.panels.tasklist import tasks
from kg.queries import rows
from kg.store import Store

__all__ = ["place_panel", "by_document", "per_year", "PLACE_TYPES"]

PLACE_TYPES = (GOV.Place, GOV.Province, GOV.City, GOV.County, GOV.Township)
TOP = 30  # units listed at most
MANY_UNITS = 20  # above this many units, their tasks are counted by panel-place-unit-tasks-all


def by_document(task_rows: list[dict]) -> list[dict]:
    """The tasks grouped by their document, in the order given (year, city, document).

    >>> [(d["doc"], len(d["tasks"])) for d in by_document([{"doc": "a", "doc_title": "A", "year": 1, "city": "c"},
    ...                                                     {"doc": "a", "doc_title": "A", "year": 1, "city": "c"}])]
    [('a', 2)]
    """
    groups: dict[str, dict] = {}
    for task in task_rows:
        group = groups.setdefault(task["doc"], {key: task[key] for key in ("doc", "doc_title", "year", "city", "kind")
                                                if key in task} | {"tasks": []})
        group["tasks"].append(task)
    return list(groups.values())


def per_year(task_rows: list[dict], years: list[int]) -> dict:
    """Tasks naming the place per plan year, for every year the store has a document of (0 if none names it).

    >>> per_year([{"year": 2026}], [2021, 2026])["rows"]
    [{'year': 2021, 'tasks': 0}, {'year': 2026, 'tasks': 1}]
    """
    counts = Counter(t["year"] for t in task_rows)
    labels = sorted(set(years) | set(counts))
    return {"rows": [{"year": y, "tasks": counts.get(y, 0)} for y in labels],
            "chart": {"kind": "bar", "labels": labels, "x": "年份 year", "y": "任务 tasks",
                      "datasets": [{"label": "提及的任务 tasks naming it", "data": [counts.get(y, 0) for y in labels]}]}}


def place_panel(store: Store, iri: str) -> dict | None:
    """Type, containing and contained places, tasks naming it by document and year, units of its jurisdiction."""
    params = {"place": iri}
    context: dict[str, list[dict]] = {"type": [], "placeType": [], "containedIn": []}
    for row in rows(store, "panel-place-context", **params):
        context[row["relation"]].append({"value": row["value"], "label": row["label"]})
    task_rows = tasks(store, "panel-place-tasks", params)
    listed = rows(store, "panel-place-units", **params)
    counting = "panel-place-unit-tasks-all" if len(listed) > MANY_UNITS else "panel-place-unit-tasks"
    counts = {row["unit"]: row for row in rows(store, counting, **params)}
    units = [{"unit": u["unit"], "label": u["label"], "tasks": counts.get(u["unit"], {}).get("tasks", 0),
              "lead": counts.get(u["unit"], {}).get("lead", 0)} for u in listed]
    units.sort(key=lambda u: (-u["tasks"], u["label"]))  # as unit-workload: most tasks first
    years = sorted({d["year"] for d in rows(store, "panel-years")})
    return {
        "types": context["type"],
        "place_types": context["placeType"],
        "contained_in": context["containedIn"],
        "contains": rows(store, "panel-place-contained", **params),
        "documents": rows(store, "panel-place-documents", **params),
        "units": units[:TOP],
        "units_total": len(units),
        "tasks": len(task_rows),
        "by_document": by_document(task_rows),
        "per_year": per_year(task_rows, years),
    }


for _type in PLACE_TYPES:
    panel("place", _type.value)(place_panel)
