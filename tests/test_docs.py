"""The README documents every setting and shows the two set-up commands."""

from __future__ import annotations

import pytest

from kg.config import PROJECT_ROOT, SETTINGS

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_setting_is_documented(setting):
    assert f"`{setting.env}`" in README and f"`{setting.default}`" in README


@pytest.mark.parametrize("command", ["make run", "make test"])
def test_setup_commands_are_shown(command):
    assert command in README
