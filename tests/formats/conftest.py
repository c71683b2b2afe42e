"""Fixtures for the source readers: the shared edge corpus and peer files, read in place."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def edge(shared: Path) -> Path:
    return shared / "corpus" / "edge"


@pytest.fixture
def peers(shared: Path) -> Path:
    return shared / "peers"
