"""The composition root: builds the application and its main window."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import __version__, resources
from annotator.domain.errors import AnnotatorError
from annotator.services.database import (
    ANNOTATOR_ENV,
    default_annotator_name,
    default_database_path,
    ensure_annotator,
    open_database,
)
from annotator.services.documents import list_annotators, list_labels
from annotator.ui import shell
from annotator.ui.common.settings import SettingsFile
from annotator.ui.common.text import message_box
from annotator.ui.common.theme import apply_theme
from annotator.ui.corpus.annotators import ask_first_annotator
from annotator.ui.main_window import MainWindow


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The one QApplication, created on first use."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    previous = qInstallMessageHandler(_startup_message)
    try:
        app = QApplication(list(argv or sys.argv[:1]))
    finally:
        qInstallMessageHandler(previous)
    for message in _startup_messages:
        print(message, file=sys.stderr)
    _startup_messages.clear()
    app.setApplicationName("annotator")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("annotator")  # the installed desktop entry (annotator.desktop)
    icon = QPixmap()
    icon.loadFromData(resources.read_text("icon.svg").encode("utf-8"), "SVG")
    app.setWindowIcon(QIcon(icon))
    app.setStyleSheet(resources.read_text("style.qss"))
    apply_theme(app, "system")
    return app


_startup_messages: list[str] = []


def _startup_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages while the platform plugin loads. A fatal one ends the process with one
    clear line and status 2, instead of Qt's abort with its advice to reinstall."""
    if kind != QtMsgType.QtFatalMsg:
        # Held back: when the start fails they are explained by one line; when it succeeds
        # `application` prints the warnings as Qt would have.
        _startup_messages.append(message)
        return
    print(f"annotator: error: {startup_failure(_startup_messages, message)}", file=sys.stderr)
    sys.stderr.flush()
    os._exit(2)  # Qt aborts right after this handler returns


def startup_failure(earlier: Sequence[str], fatal: str) -> str:
    """What to tell the user when Qt cannot start its platform plugin."""
    for message in earlier:
        if message.startswith("could not connect to display"):
            display = message.rpartition(" ")[2] or "(none)"
            return (
                f"the window cannot connect to the display {display}; run it in a desktop "
                "session or set DISPLAY, or use a subcommand (`annotator --help`)"
            )
    if "xcb" in fatal:
        missing = _missing_xcb_libraries()
        if missing:
            return (
                "the window cannot start: Qt's X11 plugin needs these libraries: "
                f"{', '.join(missing)} (on Debian or Ubuntu: sudo apt-get install "
                f"{' '.join(sorted({_DEBIAN_PACKAGE.get(m, m) for m in missing}))})"
            )
    plugin = next((m for m in earlier if m.startswith("Could not ") and "plugin" in m), "")
    reason = (plugin or fatal.splitlines()[0]).replace(' in ""', "").rstrip(".")
    available = re.search(r"Available platform plugins are: ([^\n]*?)\.?$", fatal, re.M)
    if available:
        reason += f" (available: {available[1]})"
    return f"the window cannot start: {reason}"


# The libraries Qt's xcb plugin loads that a minimal Debian lacks, and their packages.
_DEBIAN_PACKAGE = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def _missing_xcb_libraries() -> list[str]:
    """Shared libraries that Qt's xcb plugin needs and the system lacks (by ldd)."""
    import PySide6

    plugins = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms"
    libraries = [
        *plugins.glob("libqxcb.so"),
        *Path(PySide6.__file__).parent.glob("Qt/lib/libQt6XcbQpa.so*"),
    ]
    missing: list[str] = []
    for library in libraries:
        try:
            done = subprocess.run(
                ["ldd", str(library)], capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return []
        for line in done.stdout.splitlines():
            name, _, where = line.strip().partition(" => ")
            if where.startswith("not found") and name not in missing:
                missing.append(name)
    return missing


def create_main_window(
    db_target: str,
    annotator_name: str | None = None,
    *,
    demo: bool = False,
    demo_if_new: bool = False,
) -> MainWindow:
    """Open the database (upgrading and seeding it as needed) and build the window on it.

    `demo` adds the annotated demo article; `demo_if_new` adds it only to a database created
    now (the window's first start on its default database). The window opens as the user's
    settings file says, on the document last open on this database.
    """
    db = open_database(db_target, demo=demo, demo_if_new=demo_if_new)
    store = SettingsFile()
    store.load()
    name: str | None = (
        annotator_name or os.environ.get(ANNOTATOR_ENV) or store.settings.annotator_name
    )
    if not name:
        # The first start: ask who annotates here, and remember it.
        known = [a.name for a in list_annotators(db)]
        name = ask_first_annotator(default_annotator_name(), known)
        if name:
            with suppress(OSError):  # the shell says so when it cannot save either
                store.save(replace(store.settings, annotator_name=name))
    annotator = ensure_annotator(db, name=name or default_annotator_name())
    window = MainWindow(db, annotator, list_labels(db))
    # Settings, the saved layout and the last document's place, Edit > Settings and Help.
    shell.install(window, db_target, store)
    window.assign_feature_shortcuts()
    return window


def run_gui(
    *,
    db_target: str,
    annotator_name: str | None = None,
    demo: bool = False,
    exec_: bool = True,
) -> int:
    """Show the window and run the event loop; errors the user can act on go to a dialog.

    The demo article is added with `demo`, and on the first start on the default database.
    """
    app = application()
    try:
        window = create_main_window(
            db_target,
            annotator_name,
            demo=demo,
            demo_if_new=Path(db_target) == default_database_path(),
        )
    except AnnotatorError as exc:
        box = message_box(QMessageBox.Icon.Critical, "annotator", str(exc))
        if exec_:
            box.exec()
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 2
    window.show()
    if not exec_:
        return 0
    try:
        return app.exec()
    finally:
        window.db.dispose()
