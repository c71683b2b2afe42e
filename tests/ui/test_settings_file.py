"""The settings file: typed, validated, written atomically, never lost without a word."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.ui.common import settings as settings_module
from annotator.ui.common.settings import (
    AppSettings,
    SettingsFile,
    load_settings,
    parse_settings,
    settings_path,
)


def test_the_file_lives_in_the_user_config_folder(_isolated_home: Path) -> None:
    assert settings_path() == _isolated_home / "config" / "annotator" / "settings.json"


def test_no_file_gives_the_defaults_without_a_message(tmp_path: Path) -> None:
    settings, problem = load_settings(tmp_path / "settings.json")
    assert settings == AppSettings()
    assert problem is None
    assert not (tmp_path / "settings.json").exists()


def test_saved_settings_read_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "new-folder" / "settings.json"
    chosen = AppSettings(
        theme="dark",
        font_family="DejaVu Serif",
        font_size=14,
        zoom=-2,
        exact_mode=True,
        last_database="/data/corpus.sqlite3",
        last_document_id=42,
        last_position=1234,
    )
    SettingsFile(path).save(chosen)
    assert load_settings(path) == (chosen, None)
    assert json.loads(path.read_text(encoding="utf-8"))["theme"] == "dark"
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temporary left


def test_invalid_json_names_the_file_and_line_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    text = '{\n  "theme": "dark",\n  "font_size": 14,,\n}\n'
    path.write_text(text, encoding="utf-8")
    store = SettingsFile(path)
    assert store.load() == AppSettings()
    assert store.problem is not None
    assert "\n" not in store.problem
    assert str(path) in store.problem and "line 3" in store.problem
    assert path.read_text(encoding="utf-8") == text  # reading never rewrites it

    store.save(AppSettings(theme="light"))
    assert (tmp_path / "settings.json.broken").read_text(encoding="utf-8") == text
    assert load_settings(path) == (AppSettings(theme="light"), None)


def test_a_wrong_value_falls_back_alone_and_is_named() -> None:
    text = json.dumps(
        {
            "theme": "purple",
            "font_size": True,
            "zoom": 3,
            "exact_mode": 1,
            "last_document_id": -4,
            "font_family": "Noto Serif",
            "fontsize": 12,
        }
    )
    settings, problems = parse_settings(text)
    assert settings == AppSettings(zoom=3, font_family="Noto Serif")
    named = " ".join(problems)
    for name in ("theme", "font_size", "exact_mode", "last_document_id", "'fontsize'"):
        assert name in named
    assert "zoom" not in named


@pytest.mark.parametrize("text", ["[]", '"dark"', "null", ""])
def test_a_file_that_is_not_an_object_gives_defaults(text: str) -> None:
    settings, problems = parse_settings(text)
    assert settings == AppSettings()
    assert len(problems) == 1


def test_unreadable_bytes_give_defaults_and_a_message(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b'{"theme": "\xff"}')
    settings, problem = load_settings(path)
    assert settings == AppSettings()
    assert problem is not None and str(path) in problem


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    SettingsFile(path).save(AppSettings(font_size=15))
    before = path.read_text(encoding="utf-8")

    def full_disk(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        SettingsFile(path).save(AppSettings(font_size=20))
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
    assert settings_module.load_settings(path)[0].font_size == 15
