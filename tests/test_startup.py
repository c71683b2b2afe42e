"""Starting the app as a user does: without a display, on a new database, with --demo."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.cli import display_problem
from annotator.services.database import open_database
from annotator.services.documents import list_documents


def run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def no_display_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


def test_the_window_without_a_display_says_what_to_do_in_one_line(tmp_path: Path) -> None:
    done = run("--db", str(tmp_path / "a.sqlite3"), env=no_display_env(), cwd=tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("annotator: error: the window needs a display")
    assert "DISPLAY" in line and "annotator list" in line
    assert not (tmp_path / "a.sqlite3").exists()  # nothing was opened


def test_an_unreachable_display_is_named(tmp_path: Path) -> None:
    env = no_display_env() | {"DISPLAY": ":87"}
    done = run("gui", env=env, cwd=tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "':87'" in line and "Traceback" not in line


@pytest.fixture
def silent_x_server() -> Iterator[str]:
    """A socket where an X server would be, that hangs up at once: the display looks present,
    and Qt's own connection fails."""
    number = 60 + os.getpid() % 300
    path = f"\0/tmp/.X11-unix/X{number}"  # abstract: nothing on disk to clean up
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen()
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f":{number}"
    stop.set()
    thread.join()
    server.close()


def test_when_qt_cannot_start_its_platform_the_user_gets_one_line_not_an_abort(
    tmp_path: Path, silent_x_server: str
) -> None:
    env = no_display_env() | {"DISPLAY": silent_x_server, "QT_QPA_PLATFORM": "xcb"}
    done = run("--db", str(tmp_path / "a.sqlite3"), env=env, cwd=tmp_path)
    assert done.returncode == 2  # not -6 (SIGABRT)
    (line,) = done.stderr.splitlines()
    assert line.startswith("annotator: error: the window cannot connect to the display")
    assert "Reinstalling" not in done.stderr


def test_an_unknown_qt_platform_is_reported_in_one_line(tmp_path: Path) -> None:
    env = no_display_env() | {"QT_QPA_PLATFORM": "no-such-platform"}
    done = run("--db", str(tmp_path / "a.sqlite3"), env=env, cwd=tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("annotator: error: the window cannot start: ")
    assert "no-such-platform" in line


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", "none is set"),
        ({"DISPLAY": ":0"}, "win32", None),
        ({}, "darwin", None),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
        ({"QT_QPA_PLATFORM": "vnc"}, "linux", None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, "linux", "none is set"),
        ({"DISPLAY": "localhost:91"}, "linux", "cannot reach"),
    ],
)
def test_which_environments_can_open_the_window(
    environ: dict[str, str], platform: str, expected: str | None
) -> None:
    problem = display_problem(environ, platform)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem


SUBCOMMANDS = [
    ["list"],
    ["formats"],
    ["search", "barrier"],
    ["claims", "--format", "json"],
    ["export", "--format", "native", "--out", "out.jsonl"],
    ["schema", "export", "schema.json"],
    ["import", "article.txt"],
]


@pytest.mark.parametrize("args", SUBCOMMANDS, ids=lambda a: a[0])
def test_subcommands_need_no_display_and_never_load_qt(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "article.txt").write_text("Ana Souza said on Monday that the budget is safe.\n")
    code = (
        "import sys\n"
        "from annotator.cli import main\n"
        f"status = main({['--db', str(tmp_path / 'a.sqlite3'), '--demo', *args]!r})\n"
        "assert not any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules), 'Qt'\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=no_display_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_a_new_database_opened_by_a_subcommand_gets_the_schema_and_no_demo(
    tmp_path: Path,
) -> None:
    db_file = tmp_path / "new.sqlite3"
    done = run("--db", str(db_file), "list", env=no_display_env(), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split() == ["id", "title", "ACTOR", "DATE", "CLAIM", "total"]
    assert done.stdout.splitlines()[-1] == "0 document(s)"


def test_demo_adds_the_annotated_demo_article_once(tmp_path: Path) -> None:
    db_file = tmp_path / "new.sqlite3"
    for _ in range(2):
        done = run("--db", str(db_file), "--demo", "list", env=no_display_env(), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "1 document(s)"
    row = done.stdout.splitlines()[1].split()
    actors, dates, claims, total = (int(n) for n in row[-4:])
    assert actors >= 8 and dates >= 6 and claims >= 8 and total == actors + dates + claims


def test_the_demo_shows_what_the_app_is_for(tmp_path: Path) -> None:
    """Actors with identities, dates with values, claims with SOURCE and TIME links."""
    from annotator.services.claims import claim_rows

    db = open_database(tmp_path / "demo.sqlite3", demo=True)
    try:
        (doc,) = list_documents(db)
        rows = claim_rows(db, document_ids=[doc.id])
    finally:
        db.dispose()
    assert len(rows) >= 8
    assert all(r.sources for r in rows)
    assert {"Ines Okafor", "Tomas Reyes", "Marta Lindqvist"} <= {r.actor for r in rows}
    assert any("2027-SP" in r.dates for r in rows)
    assert any(r.quote_type == "direct" for r in rows)


def test_a_missing_system_library_of_qt_is_named_in_one_line(tmp_path: Path) -> None:
    """As on a minimal Debian without GLib: Qt's libraries fail to load at import."""
    code = (
        "import sys\n"
        "class Missing:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'PySide6.QtCore':\n"
        "            raise ImportError('libglib-2.0.so.0: cannot open shared object file: "
        "No such file or directory')\n"
        "sys.meta_path.insert(0, Missing())\n"
        "from annotator.cli import main\n"
        f"sys.exit(main(['--db', {str(tmp_path / 'a.sqlite3')!r}]))\n"
    )
    env = no_display_env() | {"QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "libglib-2.0.so.0 is missing" in line and "scripts/start" in line
