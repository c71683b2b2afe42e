"""The window's size, place and dock layout: fitted to the screen, kept between sessions.

Geometry and dock state are Qt's own bytes (`saveGeometry`, `saveState`) and are kept in a
QSettings file beside the settings file; everything else the user chooses is in `settings`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow

from annotator.ui.common.settings import config_dir

LAYOUT_NAME = "window.ini"
DEFAULT_SIZE = QSize(1440, 900)
"""The size the window opens at on a screen with room for it."""
SMALL_SCREEN = QSize(1600, 900)
"""Below this (available) size the docks start narrower, so the article keeps its width."""
_STATE_VERSION = 1


def layout_path() -> Path:
    return config_dir() / LAYOUT_NAME


def _layout_settings(path: Path | None) -> QSettings:
    # A file named outright: Qt's default location is decided once per process, and tests
    # (and a user's second config folder) must each get their own.
    return QSettings(str(path or layout_path()), QSettings.Format.IniFormat)


def available_geometry(window: QMainWindow) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QMainWindow, available: QRect | None = None) -> None:
    """Size the window to fit the available screen area, frame included, and centre it."""
    area = available or available_geometry(window)
    # The frame is not known before the window is shown: leave room for a title bar and
    # borders as most window managers draw them.
    frame = window.frameGeometry().size() - window.geometry().size()
    extra_w = max(frame.width(), 16)
    extra_h = max(frame.height(), 40)
    width = min(DEFAULT_SIZE.width(), area.width() - extra_w)
    height = min(DEFAULT_SIZE.height(), area.height() - extra_h)
    window.resize(max(width, 320), max(height, 240))
    x = area.x() + (area.width() - window.width() - extra_w) // 2
    y = area.y() + (area.height() - window.height() - extra_h) // 2
    window.move(max(area.x(), x), max(area.y(), y))


def keep_on_screen(window: QMainWindow) -> None:
    """Move and shrink a shown window whose frame reaches past the available screen area."""
    area = available_geometry(window)
    frame = window.frameGeometry()
    if area.contains(frame):
        return
    border = frame.size() - window.geometry().size()
    width = min(window.width(), area.width() - border.width())
    height = min(window.height(), area.height() - border.height())
    window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
    window.move(x, y)


def arrange_docks(window: QMainWindow, available: QRect | None = None) -> None:
    """The default dock layout: on a small screen the side docks start narrower, and the
    right-hand docks share one column of tabs, so the article keeps its width and height."""
    area = available or available_geometry(window)
    small = area.width() < SMALL_SCREEN.width() or area.height() < SMALL_SCREEN.height()
    docks = [d for d in window.findChildren(QDockWidget) if not d.isFloating()]
    left = [d for d in docks if window.dockWidgetArea(d) == Qt.DockWidgetArea.LeftDockWidgetArea]
    right = [d for d in docks if window.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea]
    first = _preferred(right, "annotationsDock")
    if small and first is not None:
        for dock in right:
            if dock is not first and dock not in window.tabifiedDockWidgets(first):
                hidden = not dock.isVisible()
                window.tabifyDockWidget(first, dock)
                dock.setHidden(hidden)
        first.raise_()
    side = max(240, min(400, area.width() // 5)) if small else 400
    # One dock of each side: the others share its column (tabs) or follow its width.
    sized = [_preferred(docks, name) for docks, name in ((left, "documentsDock"), (right, ""))]
    chosen = [d for d in sized if d is not None]
    if chosen:
        window.resizeDocks(chosen, [side] * len(chosen), Qt.Orientation.Horizontal)


def _preferred(docks: list[QDockWidget], name: str) -> QDockWidget | None:
    """The dock named `name`, else the first shown one, else the first; None if no docks."""
    named = [d for d in docks if d.objectName() == name]
    shown = [d for d in docks if not d.isHidden()]
    return next(iter(named or shown or docks), None)


def save_layout(window: QMainWindow, path: Path | None = None) -> None:
    store = _layout_settings(path)
    store.setValue("window/geometry", window.saveGeometry())
    store.setValue("window/state", window.saveState(_STATE_VERSION))
    store.sync()


def restore_layout(window: QMainWindow, path: Path | None = None) -> bool:
    """Put back the saved geometry and dock layout; False when there is none to put back."""
    store = _layout_settings(path)
    geometry = store.value("window/geometry")
    state = store.value("window/state")
    restored = False
    if geometry is not None:
        restored = window.restoreGeometry(geometry)
    if state is not None:
        restored = window.restoreState(state, _STATE_VERSION) and restored
    return restored


__all__ = [
    "arrange_docks",
    "available_geometry",
    "fit_to_screen",
    "keep_on_screen",
    "layout_path",
    "restore_layout",
    "save_layout",
]
