"""The task panel: its units with role and position, its text with the units it names marked, what it is about.

Queries: ``queries/panel-task-*.rq``.  A notice's unit list (the ``(… 按职责分工负责)``
after a task) is not part of ``gov:text``; its mentions are listed with the units.
The text is marked where it names a unit of the task (assigned or ``gov:mentionsUnit``)
by any name the graph records for it: its labels and aliases, and the task's
mentions and expanded names.  The marks are data (text segments with offsets), never
markup, so the template escapes every segment.

>>> [(s["text"], s["unit"]) for s in highlight("支持许昌学院申硕", [("许昌学院", "u:1", "许昌学院", "mentioned")])]
[('支持', None), ('许昌学院', 'u:1'), ('申硕', None)]
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.namespaces import GOV
from kg.panels import panel
from kg.queries import rows
from kg.store import Store

__all__ = ["task_panel", "highlight"]

_HOW = {"assigned": 0, "mentioned": 1}


def highlight(text: str, names: Iterable[tuple[str, str, str | None, str]]) -> list[dict]:
    """``text`` cut into segments, those that are one of ``names`` marked with their unit.

    ``names`` are (name, unit IRI, unit label, how) with how ``assigned`` or
    ``mentioned``.  Where names overlap, the leftmost wins, then the longest, then an
    assigned unit over a mentioned one.  Each segment is ``{"text", "start", "unit",
    "label", "how"}`` (unit, label, how None for plain text); the segments' texts joined
    are ``text``, and ``text[start:start + len(segment text)]`` is the segment's text.
    """
    found = []
    for name, unit, label, how in names:
        if not name or len(name) < 2:
            continue
        at = text.find(name)
        while at >= 0:
            found.append((at, -len(name), _HOW.get(how, 2), name, unit, label, how))
            at = text.find(name, at + 1)
    found.sort(key=lambda f: f[:3] + (f[4],))
    segments, cursor = [], 0
    for at, negative_length, _, name, unit, label, how in found:
        if at < cursor:
            continue
        if at > cursor:
            segments.append({"text": text[cursor:at], "start": cursor, "unit": None, "label": None, "how": None})
        segments.append({"text": name, "start": at, "unit": unit, "label": label, "how": how})
        cursor = at - negative_length
    if cursor < len(text):
        segments.append({"text": text[cursor:], "start": cursor, "unit": None, "label": None, "how": None})
    return segments


def _link(iri: str | None, label: str | int | None, **extra) -> dict | None:
    return None if iri is None else {"iri": iri, "label": label, **extra}


@panel("task", GOV.Task.value)
def task_panel(store: Store, iri: str) -> dict | None:
    """Units, marked text, themes, places, projects, quantities, document, section and neighbours of task ``iri``."""
    about = rows(store, "panel-task-about", task=iri)
    if not about:
        return None
    a = about[0]
    text = a["text"] or ""
    units = rows(store, "panel-task-units", task=iri)
    names = rows(store, "panel-task-names", task=iri)
    segments = highlight(text, ((n["name"], n["unit"], n["label"], n["how"]) for n in names))
    mentioned = {n["unit"]: n["label"] for n in names if n["how"] == "mentioned"}
    subjects: dict[str, list[dict]] = {"theme": [], "place": [], "project": [], "enterprise": []}
    for s in rows(store, "panel-task-subjects", task=iri):
        subjects.setdefault(s["kind"], []).append({"iri": s["item"], "label": s["label"]})
    numbers = rows(store, "panel-task-quantities", task=iri)
    neighbours = {n["direction"]: _link(n["neighbour"], n["title"] or n["text"], number=n["number"])
                  for n in rows(store, "panel-task-neighbours", task=iri)}
    return {
        "number": a["number"],
        "title": a["title"],
        "text": text,
        "segments": segments,
        "deadline": a["deadline"],
        "order": a["order"],
        "document": _link(a["doc"], a["doc_title"], year=a["year"]),
        "city": _link(a["city"], a["city_label"]),
        "section": _link(a["section"], a["section_title"], number=a["section_number"]),
        "chapter": _link(a["chapter"], a["chapter_title"], number=a["chapter_number"]),
        "units": [{k: u[k] for k in ("unit", "label", "role", "role_label", "position", "mention", "expanded", "collective")}
                  for u in units],
        "mentioned_units": [{"iri": unit, "label": label} for unit, label in mentioned.items()],
        "themes": subjects["theme"],
        "places": subjects["place"],
        "projects": subjects["project"],
        "enterprises": subjects["enterprise"],
        "quantities": [{k: q[k] for k in ("item", "phrase", "value", "min", "max", "measure", "qualifier")}
                       for q in numbers if q["kind"] == "quantity"],
        "targets": [{k: q[k] for k in ("item", "phrase", "indicator", "indicator_label", "value", "measure", "qualifier")}
                    for q in numbers if q["kind"] == "target"],
        "previous": neighbours.get("previous"),
        "next": neighbours.get("next"),
    }
