"""Shared fixtures: the bundled corpus built once per session into a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import DATA_DIR

TESTS = Path(__file__).parent
TEST_DATA = TESTS / "data"


@pytest.fixture(scope="session")
def cities():
    from kg.gazetteer import cities as gazetteer

    return [(c.name, c.short_names, c.abbreviation) for c in gazetteer()]


@pytest.fixture(scope="session")
def corpus(cities):
    """The five bundled documents, parsed, by file name."""
    from loaders import load

    return {p.name: load(p, cities=cities) for p in sorted(DATA_DIR.iterdir()) if p.is_file()}


@pytest.fixture(scope="session")
def built_store(tmp_path_factory, cities):
    """An on-disk store built from the bundled corpus (read it, don't write it)."""
    from kg.build import build
    from kg.store import open_store

    path = tmp_path_factory.mktemp("store") / "govkg-store"
    store = open_store(path)
    report = build(store, [DATA_DIR], cities=cities)
    assert not report.failed, report.failed
    yield store
    store.close()
