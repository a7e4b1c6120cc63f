"""Every ``>>>`` example in the package docstrings runs as a test."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import kg
import loaders
import webui

MODULES = sorted(
    name
    for package in (kg, loaders, webui)
    for name in [package.__name__] + [m.name for m in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + ".")]
    if not name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
