"""Suite-wide set-up: offscreen Qt, data and settings folders redirected per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.store import Database

# Set before any Qt import; tests that need a real window start Xvfb themselves. The screen is
# a common desktop's (offscreen Qt's own is 800x800, and the window fits itself to the screen).
os.environ["QT_QPA_PLATFORM"] = (
    f"offscreen:configfile={Path(__file__).resolve().parent / 'data' / 'offscreen-screen.json'}"
)

# The throwaway PostgreSQL server fixture lives in tests/postgres_server.py; the bundle build
# and the Label Studio server start early, in the background, by tests/early_setups.py.
pytest_plugins = ["postgres_server", "early_setups"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads or writes the real user's data, config or database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    monkeypatch.setenv("ANNOTATOR_NAME", "tester")
    return home


@pytest.fixture
def shared() -> Path:
    """The shared corpus and peer files beside the repository (never copied into it)."""
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the suite needs the shared corpus beside the repo")
    return SHARED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An opened (migrated) database: a file in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        target: str | Path = tmp_path / "store.sqlite3"
    else:
        target = request.getfixturevalue("pg_database_url")
    db = Database(target)
    try:
        yield db
    finally:
        db.dispose()
