"""The window's frame: fitting the screen, the last place, Settings and Help, driven as a user
would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from demo_helpers import add_plain_demo
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDockWidget,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from annotator import __version__
from annotator.domain.model import DocumentMeta
from annotator.services.database import open_database
from annotator.services.documents import add_document
from annotator.ui.app import application, create_main_window
from annotator.ui.common import layout
from annotator.ui.common.actions import ACTIONS
from annotator.ui.common.help import ShortcutsDialog, UserGuideDialog
from annotator.ui.common.settings import AppSettings, SettingsFile, settings_path
from annotator.ui.main_window import MainWindow
from annotator.ui.shell import scroll_to_top, top_offset

REPO = Path(__file__).resolve().parents[2]
LONG_TEXT = "\n\n".join(
    f"Paragraph {n}: the council met again and argued about the barrier for a while."
    for n in range(200)
)


@pytest.fixture
def two_documents(db_path: Path) -> tuple[int, int]:
    first = add_plain_demo(db_path)
    db = open_database(db_path)
    try:
        second = add_document(db, text=LONG_TEXT, meta=DocumentMeta(title="A long one")).id
    finally:
        db.dispose()
    return first, second


@pytest.fixture
def start(qtbot) -> Iterator[Callable[[Path], MainWindow]]:
    """Start the window on a database file as the app does; each is closed at the end."""
    application()
    started: list[MainWindow] = []

    def start_window(path: Path) -> MainWindow:
        win = create_main_window(str(path), "tester")
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        started.append(win)
        return win

    yield start_window
    for win in started:
        win.db.dispose()


def _on_modal(qtbot, handle: Callable[[QWidget], None]) -> list[str]:
    """Run `handle` on the next modal dialog once it shows; returns a list that gets its class
    name (empty if none showed)."""
    seen: list[str] = []

    def check() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, check)
            return
        seen.append(type(modal).__name__)
        handle(modal)

    QTimer.singleShot(0, check)
    return seen


def _status_bar_on_screen(win: MainWindow) -> bool:
    area = win.screen().availableGeometry()
    bar = win.statusBar()
    top_left = bar.mapToGlobal(QPoint(0, 0))
    bottom_right = bar.mapToGlobal(QPoint(bar.width() - 1, bar.height() - 1))
    return bar.isVisible() and area.contains(top_left) and area.contains(bottom_right)


# Fitting the screen ------------------------------------------------------------------------
def test_a_window_moved_partly_off_screen_is_brought_back(window: MainWindow, qtbot) -> None:
    # As after a restart on a smaller screen than the one the window was saved on.
    area = window.screen().availableGeometry()
    window.move(area.right() - 300, area.bottom() - 200)
    qtbot.waitUntil(lambda: not area.contains(window.frameGeometry()))
    layout.keep_on_screen(window)
    qtbot.waitUntil(lambda: area.contains(window.frameGeometry()))
    assert _status_bar_on_screen(window)


def test_at_1366x768_frame_status_bar_and_many_lines_fit(tmp_path: Path) -> None:
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}]})
    )
    script = textwrap.dedent(
        """
        import json, sys
        from PySide6.QtCore import QPoint
        from PySide6.QtWidgets import QApplication, QDockWidget
        from demo_helpers import add_plain_demo
        from annotator.ui.app import application, create_main_window
        app = application()
        add_plain_demo(sys.argv[1])
        win = create_main_window(sys.argv[1], "tester")
        win.show()
        for _ in range(50):
            app.processEvents()
        bar = win.statusBar()
        corners = [bar.mapToGlobal(QPoint(0, 0)),
                   bar.mapToGlobal(QPoint(bar.width() - 1, bar.height() - 1))]
        area = win.screen().availableGeometry()
        right = [d for d in win.findChildren(QDockWidget)
                 if win.dockWidgetArea(d).name == "RightDockWidgetArea" and not d.isHidden()]
        print(json.dumps({
            "screen": [area.width(), area.height()],
            "frame_inside": area.contains(win.frameGeometry()),
            "status_inside": bar.isVisible() and all(area.contains(c) for c in corners),
            "lines": win.article.viewport().height() // win.article.fontMetrics().lineSpacing(),
            "article_width": win.article.viewport().width(),
            "right_shown": sum(not d.visibleRegion().isEmpty() for d in right),
        }))
        win.db.dispose()
        """
    )
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "tests")])
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "db.sqlite3")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["screen"] == [1366, 768]
    assert seen["frame_inside"] and seen["status_inside"]
    assert seen["lines"] >= 24  # was about 16 with the docks crowding the article
    assert seen["article_width"] >= 600
    assert seen["right_shown"] == 1  # the right-hand docks share one column of tabs


# Where the user left off --------------------------------------------------------------------
def test_reopens_last_document_at_its_place_with_exact_mode(
    two_documents: tuple[int, int], db_path: Path, start, qtbot
) -> None:
    _, long_id = two_documents
    win = start(db_path)
    win.open_document(long_id)
    place = LONG_TEXT.index("Paragraph 120")
    scroll_to_top(win, place)
    qtbot.waitUntil(lambda: top_offset(win) == place)
    win.actions_by_key["exact_mode"].trigger()
    win.resize(1200, 760)  # smaller than it opened at
    win.close()

    again = start(db_path)
    assert again.editor.document is not None and again.editor.document.id == long_id
    assert again.actions_by_key["exact_mode"].isChecked()
    qtbot.waitUntil(lambda: top_offset(again) == place)
    assert (again.width(), again.height()) == (1200, 760)


def test_another_database_does_not_reopen_the_last_document(
    two_documents: tuple[int, int], db_path: Path, tmp_path: Path, start, qtbot
) -> None:
    _, long_id = two_documents
    win = start(db_path)
    win.open_document(long_id)
    win.close()
    other = tmp_path / "other.sqlite3"
    other_first = add_plain_demo(other)

    again = start(other)
    assert again.editor.document is not None and again.editor.document.id == other_first


def test_a_deleted_last_document_opens_the_first_instead(
    two_documents: tuple[int, int], db_path: Path, start
) -> None:
    first, _ = two_documents
    SettingsFile().save(AppSettings(last_database=str(db_path.resolve()), last_document_id=999))
    win = start(db_path)
    assert win.editor.document is not None and win.editor.document.id == first


def test_dock_tab_chosen_is_kept(window: MainWindow, db_path: Path, start, qtbot) -> None:
    links = window.findChild(QDockWidget, "linksDock")
    assert isinstance(links, QDockWidget)
    qtbot.waitUntil(lambda: window.tabifiedDockWidgets(links) != [])
    links.raise_()
    qtbot.waitUntil(lambda: not links.visibleRegion().isEmpty())
    window.close()

    again = start(db_path)
    links_again = again.findChild(QDockWidget, "linksDock")
    assert isinstance(links_again, QDockWidget)
    qtbot.waitUntil(lambda: not links_again.visibleRegion().isEmpty())


def test_a_broken_settings_file_is_reported_and_kept(
    two_documents: tuple[int, int], db_path: Path, start, qtbot
) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"theme": "dark", "font_size": "big"}', encoding="utf-8")
    win = start(db_path)
    message = win.notice.text()
    assert str(path) in message and "font_size" in message
    assert path.read_text(encoding="utf-8") == '{"theme": "dark", "font_size": "big"}'
    win.close()
    assert (
        (path.parent / "settings.json.broken")
        .read_text(encoding="utf-8")
        .startswith('{"theme": "dark"')
    )
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["theme"] == "dark" and saved["font_size"] == 0


# Settings dialog ----------------------------------------------------------------------------
def test_settings_dialog_applies_and_saves(window: MainWindow, qtbot) -> None:
    def choose(dialog: QWidget) -> None:
        size = dialog.findChild(QSpinBox, "settingsFontSize")
        exact = dialog.findChild(QCheckBox, "settingsExactMode")
        assert isinstance(size, QSpinBox) and isinstance(exact, QCheckBox)
        size.setFocus()
        size.selectAll()
        qtbot.keyClicks(size, "17")
        qtbot.mouseClick(exact, Qt.MouseButton.LeftButton, pos=QPoint(5, exact.height() // 2))
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    seen = _on_modal(qtbot, choose)
    qtbot.keyClick(window.article, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["SettingsDialog"]
    assert window.article.font().pointSize() == 17
    assert window.actions_by_key["exact_mode"].isChecked()
    saved = json.loads(settings_path().read_text(encoding="utf-8"))
    assert saved["font_size"] == 17 and saved["exact_mode"] is True


def test_settings_dialog_cancel_changes_nothing(window: MainWindow, qtbot) -> None:
    before = window.article.font().pointSize()

    def cancel(dialog: QWidget) -> None:
        size = dialog.findChild(QSpinBox, "settingsFontSize")
        assert isinstance(size, QSpinBox)
        size.setValue(30)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    seen = _on_modal(qtbot, cancel)
    window.actions_by_key["settings"].trigger()
    assert seen == ["SettingsDialog"]
    assert window.article.font().pointSize() == before
    assert not settings_path().exists()


# Help -----------------------------------------------------------------------------------------
def _shortcuts_dialog(window: MainWindow) -> ShortcutsDialog | None:
    found = window.findChild(ShortcutsDialog)
    return found if isinstance(found, ShortcutsDialog) and found.isVisible() else None


def test_f1_lists_every_shortcut_by_menu(window: MainWindow, qtbot) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: _shortcuts_dialog(window) is not None)
    dialog = _shortcuts_dialog(window)
    assert dialog is not None
    shown = dialog.entries()
    listed = {(group, action) for group, rows in shown.items() for action, _ in rows}
    for spec in ACTIONS:
        keys = window.actions_by_key[spec.key].shortcuts()
        if any(not k.isEmpty() for k in keys):  # Quit has none on some platforms
            group = spec.menu.replace("&", "")
            assert (group, spec.text.replace("&", "")) in listed, spec.key
    assert ("Undo", "Ctrl+Z") in shown["Edit"]
    assert ("ACTOR", "1") in shown["Label"]
    assert ("Next span", "N") in shown["Go"]
    assert ("Keyboard shortcuts", "F1, ?") in shown["Help"]

    qtbot.keyClicks(dialog.filter, "undo")
    assert dialog.entries() == {"Edit": [("Undo", "Ctrl+Z")]}
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: _shortcuts_dialog(window) is None)


def test_question_mark_opens_shortcuts_but_not_while_typing(window: MainWindow, qtbot) -> None:
    window.library.search.setFocus()
    qtbot.keyClick(window.library.search, "?")
    assert window.library.search.text() == "?"
    assert _shortcuts_dialog(window) is None

    window.article.setFocus()
    qtbot.keyClick(window.article, "?")
    qtbot.waitUntil(lambda: _shortcuts_dialog(window) is not None)


def test_user_guide_shows_the_shipped_guide_and_loads_nothing(window: MainWindow, qtbot) -> None:
    text: list[str] = []
    asked: list[int] = []

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, UserGuideDialog)
        text.append(dialog.view.toPlainText())
        asked.append(dialog.view.resources_asked)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    seen = _on_modal(qtbot, read)
    window.actions_by_key["user_guide"].trigger()
    assert seen == ["UserGuideDialog"]
    assert "User guide" in text[0] and "Annotating" in text[0]
    assert asked == [0]


def test_about_names_version_licence_qt_and_database(
    window: MainWindow, db_path: Path, qtbot
) -> None:
    boxes: list[tuple[str, Qt.TextFormat]] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        boxes.append((box.text(), box.textFormat()))
        box.reject()

    seen = _on_modal(qtbot, read)
    window.actions_by_key["about"].trigger()
    assert seen == ["QMessageBox"]
    text, text_format = boxes[0]
    assert text_format == Qt.TextFormat.PlainText
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    for part in (__version__, "MIT", qVersion(), pyside_version, str(db_path)):
        assert part in text


def test_the_engines_a_user_switches_on_are_theirs_and_come_back(
    two_documents: tuple[int, int], db_path: Path, start, qtbot
) -> None:
    from annotator.services.suggestions import SuggestionSettings, save_suggestion_settings
    from annotator.ui.annotate.suggestion_settings import SuggestionSettingsDialog

    win = start(db_path)
    assert win.suggestions is not None
    win.actions_by_key["suggestion_settings"].trigger()
    dialog = win.suggestions.settings_dialog
    assert isinstance(dialog, SuggestionSettingsDialog)
    dialog.engine_boxes["claims"].setChecked(False)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert win.suggestions.settings.engines == ("actors", "dates")
    saved = json.loads(settings_path().read_text(encoding="utf-8"))
    assert saved["engines"] == ["actors", "dates"]
    win.close()

    # Someone else (or the command line) switches every engine on in the database: this
    # user's own choice still holds in their window.
    db = open_database(db_path)
    save_suggestion_settings(db, SuggestionSettings(engines=("actors", "claims", "dates")))
    db.dispose()
    again = start(db_path)
    assert again.suggestions is not None
    assert again.suggestions.settings.engines == ("actors", "dates")


def test_engines_in_a_hand_edited_settings_file_are_checked() -> None:
    from annotator.ui.common.settings import parse_settings

    settings, problems = parse_settings('{"engines": ["dates", "magic"]}')
    assert settings.engines is None
    assert problems and "engines" in problems[0] and "magic" in problems[0]
    settings, problems = parse_settings('{"engines": ["dates"]}')
    assert settings.engines == ("dates",) and problems == []
