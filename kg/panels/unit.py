"""The unit panel (placeholder registration, filled in by the unit-panel work)."""

from __future__ import annotations

from kg.namespaces import GOV
from kg.panels import panel
from kg.store import Store


@panel("unit", GOV.Unit.value)
def unit_panel(store: Store, iri: str) -> dict | None:
    """Nothing yet: the unit panel is being written."""
    return None
