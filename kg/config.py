"""Settings and project paths: one table of (name, default, help), environment overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PROJECT_ROOT", "ONTOLOGY_DIR", "QUERIES_DIR", "DATA_DIR", "SETTINGS", "Setting", "setting", "default_store"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
QUERIES_DIR = PROJECT_ROOT / "queries"
DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS = (
    Setting("store", "GOVKG_STORE", "govkg-store", "Directory of the embedded Oxigraph store."),
    Setting("base", "GOVKG_BASE", "https://w3id.org/govkg/id/", "Base IRI under which data IRIs are minted."),
    Setting("host", "GOVKG_HOST", "127.0.0.1", "Address `govkg serve` listens on."),
    Setting("port", "GOVKG_PORT", "8000", "Port `govkg serve` listens on."),
    Setting("workers", "GOVKG_WORKERS", "2", "gunicorn worker processes for `govkg serve`."),
    Setting("query_timeout", "GOVKG_QUERY_TIMEOUT", "30", "Seconds a SPARQL request may run before it is answered with an error."),
    Setting("row_cap", "GOVKG_ROW_CAP", "10000", "Most rows a SELECT on the web endpoint returns."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> str:
    """The value of a setting: its environment variable if set, else its default.

    >>> setting("host")
    '127.0.0.1'
    """
    s = _BY_NAME[name]
    return os.environ.get(s.env) or s.default


def default_store() -> Path:
    """The store directory used when ``--store`` is not given."""
    return Path(setting("store"))
