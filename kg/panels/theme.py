"""The theme panel: a theme's tasks by city and year (a timeline), its units, projects and linked themes.

Queries: ``panel-theme-tasks``, ``panel-theme-units``, ``panel-theme-projects``,
``panel-theme-concepts``, ``panel-theme-links-{tasks,units,projects}`` (the figures of the
public ``theme-links`` query, three faster parts) and ``panel-years`` (the city
and year of each row of the public ``documents``, without its task counts).
"""

from __future__ import annotations

from kg.namespaces import GOV
from kg.panels import panel
from kg.panels.tasklist import per_city_year, tasks
from kg.queries import rows
from kg.store import Store

__all__ = ["theme_panel", "timeline", "linked_themes", "TOP"]

TOP = 20  # units and linked themes listed at most (the JSON twin says how many there are)


def timeline(task_rows: list[dict], documents: list[dict]) -> dict:
    """Tasks per city and year, for every city and year the store has a document of.

    ``rows`` (the table) has one entry per city and plan year with a document, in order,
    with its count and tasks; ``chart`` holds the same counts as a Chart.js bar chart's
    data: one dataset per city, ``None`` where that city has no document for the year.

    >>> t = timeline([{"city": "许昌市", "year": 2026, "task": "t1"}],
    ...              [{"city": "许昌市", "year": 2026}, {"city": "济源市", "year": 2021}])
    >>> [(r["city"], r["year"], r["count"]) for r in t["rows"]]
    [('济源市', 2021, 0), ('许昌市', 2026, 1)]
    >>> t["chart"]["labels"], [d["data"] for d in t["chart"]["datasets"]]
    ([2021, 2026], [[0, None], [None, 1]])
    """
    planned = sorted({(d["city"], d["year"]) for d in documents} | set(per_city_year(task_rows)))
    years = sorted({year for _, year in planned})
    cities = sorted({city for city, _ in planned})
    rows = [{"city": city, "year": year, "count": 0, "tasks": []} for city, year in planned]
    by_key = {(r["city"], r["year"]): r for r in rows}
    for task in task_rows:
        entry = by_key[task["city"], task["year"]]
        entry["count"] += 1
        entry["tasks"].append(task)
    datasets = [{"label": city, "data": [by_key[city, y]["count"] if (city, y) in by_key else None for y in years]}
                for city in cities]
    return {"rows": rows, "chart": {"kind": "bar", "labels": years, "datasets": datasets,
                                    "x": "年份 year", "y": "任务 tasks", "stacked": True,
                                    "anchor": "timeline-"}}


def linked_themes(store: Store, iri: str) -> list[dict]:
    """The rows of the ``theme-links`` query for the theme ``iri``, in its order, from its three parts.

    A theme shares tasks, units or projects with the theme: ``shared_tasks``,
    ``shared_units`` and ``shared_projects`` count them (0 where it shares none of a kind).
    """
    merged: dict[str, dict] = {}
    for kind in ("tasks", "units", "projects"):
        for row in rows(store, f"panel-theme-links-{kind}", theme=iri):
            entry = merged.setdefault(row["theme"], {"theme": row["theme"], "label": row["label"], "shared_tasks": 0,
                                                     "shared_units": 0, "shared_projects": 0})
            entry[f"shared_{kind}"] = row["shared"]
    return sorted(merged.values(), key=lambda r: (-r["shared_tasks"], -r["shared_projects"], -r["shared_units"], r["label"] or ""))


@panel("theme", GOV.Theme.value)
def theme_panel(store: Store, iri: str) -> dict | None:
    """Tasks by year (timeline), units most often assigned, projects, linked themes, neighbouring concepts."""
    params = {"theme": iri}
    task_rows = tasks(store, "panel-theme-tasks", params)
    units = rows(store, "panel-theme-units", **params)
    links = linked_themes(store, iri)
    concepts: dict[str, list[dict]] = {"broader": [], "narrower": [], "related": [], "scheme": []}
    for row in rows(store, "panel-theme-concepts", **params):
        concepts[row["relation"]].append({"concept": row["concept"], "label": row["label"]})
    return {
        "tasks": len(task_rows),
        "timeline": timeline(task_rows, rows(store, "panel-years")),
        "units": units[:TOP],
        "units_total": len(units),
        "projects": rows(store, "panel-theme-projects", **params),
        "linked_themes": links[:TOP],
        "linked_themes_total": len(links),
        "concepts": concepts,
    }
