"""Fixtures of the unit tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write a rulebook cache (random rulebooks would fill it)."""
    monkeypatch.setenv("HOLDTIGHT_NO_CACHE", "1")
