"""Panels of entity pages: what a page shows beyond properties and links, by the entity's type.

A panel is a function ``(store, iri) -> dict | None`` registered for one ``rdf:type``
with :func:`panel`.  The dict must be JSON-serialisable (it is the panel's part of the
page's JSON twin, under ``"panels"``) and is rendered by the template
``webui/templates/panels/<name>.html`` (``panel`` holds the dict there).  A panel that
has nothing to show returns ``None``.  Panels run named queries only (``queries/panel-*.rq``).

>>> from kg.namespaces import GOV
>>> sorted(name for name, _ in panels_for([GOV.Unit.value]))[:1]
['unit']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.store import Store

__all__ = ["Panel", "panel", "panels_for", "render_data"]

PanelFunction = Callable[[Store, str], "dict | None"]


@dataclass(frozen=True)
class Panel:
    name: str
    type_iri: str
    function: PanelFunction


_REGISTRY: list[Panel] = []


def panel(name: str, type_iri: str) -> Callable[[PanelFunction], PanelFunction]:
    """Register the decorated function as panel ``name`` for entities of type ``type_iri``."""

    def register(function: PanelFunction) -> PanelFunction:
        _REGISTRY.append(Panel(name, type_iri, function))
        return function

    return register


def panels_for(types: Iterable[str]) -> list[tuple[str, PanelFunction]]:
    """The (name, function) of each panel registered for any of ``types``, in registration order, once each."""
    wanted = set(types)
    seen: dict[str, PanelFunction] = {}
    for p in _REGISTRY:
        if p.type_iri in wanted and p.name not in seen:
            seen[p.name] = p.function
    return list(seen.items())


def render_data(store: Store, iri: str, types: Iterable[str]) -> list[dict]:
    """``[{"name": …, "data": {…}}]`` for each panel of ``types`` that has something to show."""
    out = []
    for name, function in panels_for(types):
        data = function(store, iri)
        if data is not None:
            out.append({"name": name, "data": data})
    return out


# Each panel module registers itself on import; one line per module.
from kg.panels import unit  # noqa: E402,F401
from kg.panels import theme  # noqa: E402,F401
from kg.panels import place  # noqa: E402,F401
from kg.panels import project  # noqa: E402,F401
from kg.panels import indicator  # noqa: E402,F401
from kg.panels import task  # noqa: E402,F401
from kg.panels import document  # noqa: E402,F401
