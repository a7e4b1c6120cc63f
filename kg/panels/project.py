"""The project panel, also shown for enterprises: the tasks naming it, their units, themes and places,
the investment stated for it, and its developer (or, for an enterprise, its projects).

Queries: ``panel-project-tasks``, ``panel-project-units``, ``panel-project-themes``,
``panel-project-places``, ``panel-project-investments``, ``panel-project-related``.
"""

from __future__ import annotations

from kg.namespaces import GOV
from kg.panels import panel
from kg.panels.place import by_document
from kg.panels.tasklist import tasks
from kg.queries import rows
from kg.store import Store

__all__ = ["project_panel", "enterprise_panel"]


def _panel(store: Store, iri: str, kind: str) -> dict:
    params = {"entity": iri}
    task_rows = tasks(store, "panel-project-tasks", params)
    related = rows(store, "panel-project-related", **params)
    places = rows(store, "panel-project-places", **params)
    return {
        "kind": kind,
        "tasks": len(task_rows),
        "by_document": by_document(task_rows),
        "units": rows(store, "panel-project-units", **params),
        "themes": rows(store, "panel-project-themes", **params),
        "located_in": [p for p in places if p["relation"] == "located"],
        "places_named": [p for p in places if p["relation"] == "mentioned"],
        "investments": rows(store, "panel-project-investments", **params) if kind == "project" else [],
        "developers": [r for r in related if r["relation"] == "developer"],
        "projects": [r for r in related if r["relation"] == "project"],
    }


@panel("project", GOV.Project.value)
def project_panel(store: Store, iri: str) -> dict | None:
    """A project: tasks naming it by document, units, themes, places, investments, developer."""
    return _panel(store, iri, "project")


@panel("project", GOV.Enterprise.value)
def enterprise_panel(store: Store, iri: str) -> dict | None:
    """An enterprise: tasks naming it (or its projects' developer role) by document, units, themes, places, projects."""
    return _panel(store, iri, "enterprise")
