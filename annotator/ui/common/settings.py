"""The user's settings file: theme, font, zoom, exact mode and where they left off.

A JSON file in the user config folder (`settings.json`), typed as `AppSettings`. People edit it
by hand, so reading it never fails: a file that cannot be read, or a value of the wrong kind,
gives one line naming the file and what is wrong, and the defaults stand in for what could not
be read. The file is then left as it is until settings are saved; saving first keeps it beside
the new one (`settings.json.broken`), so a hand edit is never lost without a word.

Window geometry and dock layout are Qt's own bytes and live in QSettings (see `layout`), not
here. This module does not import Qt.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal

import platformdirs

from annotator.assist.base import ENGINES
from annotator.services.database import APP_NAME

Theme = Literal["system", "light", "dark"]
THEMES: tuple[Theme, ...] = ("system", "light", "dark")
SETTINGS_NAME = "settings.json"
FONT_SIZES = range(0, 73)  # points; 0 is the default font's size
ZOOM_STEPS = range(-10, 31)


@dataclass(frozen=True)
class AppSettings:
    theme: Theme = "system"
    font_family: str = ""
    """The article's font family; empty for the default font."""
    font_size: int = 0
    """The article's font size in points; 0 for the default size."""
    zoom: int = 0
    """Zoom steps (one point each) on top of the font size."""
    exact_mode: bool = False
    last_database: str = ""
    last_document_id: int | None = None
    last_position: int = 0
    """The code-point offset at the top of the article view."""
    engines: tuple[str, ...] | None = None
    """The suggestion engines this user switched on (None: the database's choice, which
    the command line uses too)."""
    annotator_name: str = ""
    """Who annotates in the window, as chosen at the first start or by File > Switch
    annotator (empty: not chosen yet; the window asks)."""


def config_dir() -> Path:
    """The user config folder (XDG_CONFIG_HOME/annotator on Linux)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def settings_path() -> Path:
    return config_dir() / SETTINGS_NAME


def _check(name: str, value: Any) -> str | None:
    """Why `value` cannot be the setting `name`, or None if it can."""
    if name == "theme":
        return None if value in THEMES else f"must be one of {', '.join(THEMES)}"
    if name in ("font_family", "last_database", "annotator_name"):
        return None if isinstance(value, str) else "must be a string"
    if name == "engines":
        ok = value is None or (
            isinstance(value, list) and all(isinstance(e, str) and e in ENGINES for e in value)
        )
        return None if ok else f"must be null or a list of engines from {', '.join(ENGINES)}"
    if name == "exact_mode":
        return None if isinstance(value, bool) else "must be true or false"
    whole = isinstance(value, int) and not isinstance(value, bool)
    if name == "last_document_id":
        ok = value is None or (whole and value > 0)
        return None if ok else "must be a positive whole number or null"
    allowed = {"font_size": FONT_SIZES, "zoom": ZOOM_STEPS, "last_position": None}[name]
    if not whole:
        return "must be a whole number"
    if allowed is None:
        return None if value >= 0 else "must not be negative"
    if value not in allowed:
        return f"must be from {allowed.start} to {allowed.stop - 1}"
    return None


def parse_settings(text: str) -> tuple[AppSettings, list[str]]:
    """Settings from the file's text, and what was wrong with it (empty when nothing was).

    Each value that cannot be used keeps its default; the others are kept.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return AppSettings(), [f"not valid JSON (line {exc.lineno}, column {exc.colno})"]
    if not isinstance(data, dict):
        return AppSettings(), ["not a JSON object of settings"]
    known = {f.name for f in fields(AppSettings)}
    problems = [f"unknown setting {name!r}" for name in data if name not in known]
    values: dict[str, Any] = {}
    for name in known & data.keys():
        why = _check(name, data[name])
        if why is None:
            values[name] = tuple(data[name]) if isinstance(data[name], list) else data[name]
        else:
            problems.append(f"{name} {why} (found {json.dumps(data[name])})")
    return replace(AppSettings(), **values), sorted(problems)


def settings_json(settings: AppSettings) -> str:
    return json.dumps(asdict(settings), indent=2, ensure_ascii=False) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file beside `path` and rename it over: a reader sees the old
    file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class SettingsFile:
    """The settings as read from one file, and saving them back to it."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self.settings = AppSettings()
        self.problem: str | None = None
        """One line for the user when the file could not be used as it is; None when it could."""
        self._keep_old = False

    def load(self) -> AppSettings:
        self.problem, self._keep_old = None, False
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.settings = AppSettings()
            return self.settings
        except (OSError, UnicodeDecodeError) as exc:
            self.settings = AppSettings()
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.problem = f"Settings file {self.path} cannot be read ({reason}); using defaults"
            self._keep_old = True
            return self.settings
        self.settings, problems = parse_settings(text)
        if problems:
            self._keep_old = True
            self.problem = (
                f"Settings file {self.path}: {'; '.join(problems)}; using defaults for "
                f"{'those' if len(problems) > 1 else 'that'} (the file is kept as "
                f"{self.path.name}.broken when settings are saved)"
            )
        return self.settings

    def save(self, settings: AppSettings) -> None:
        """Write `settings`; raises OSError when the folder or file cannot be written."""
        if self._keep_old and self.path.exists():
            self.path.replace(self.path.with_name(self.path.name + ".broken"))
        self._keep_old = False
        write_atomically(self.path, settings_json(settings))
        self.settings = settings


def load_settings(path: Path | None = None) -> tuple[AppSettings, str | None]:
    """The settings in `path` (the user's file by default) and the problem with it, if any."""
    store = SettingsFile(path)
    return store.load(), store.problem


def theme_of(value: str) -> Theme:
    """The theme named `value`; ValueError for another name."""
    for theme in THEMES:
        if theme == value:
            return theme
    raise ValueError(f"unknown theme {value!r}")


__all__ = [
    "THEMES",
    "AppSettings",
    "SettingsFile",
    "Theme",
    "config_dir",
    "load_settings",
    "parse_settings",
    "settings_path",
    "write_atomically",
]
