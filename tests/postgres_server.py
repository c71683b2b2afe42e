"""A throwaway PostgreSQL server for the suite, started and stopped by the tests themselves.

Loaded as a pytest plugin from tests/conftest.py. `postgres_url` starts one server per session
(initdb into a temporary folder, pg_ctl on a free port of 127.0.0.1, the unix socket in the same
folder); `pg_database_url` gives each test a fresh empty database and drops it afterwards.

Debian's initdb refuses to run as root, so as root the cluster belongs to the `postgres` system
user and its commands run through `runuser`. Without PostgreSQL binaries the tests fail (they are
never skipped): install Debian's `postgresql` package.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

PG_ROOT = Path("/usr/lib/postgresql")
SYSTEM_USER = "postgres"
SUPERUSER = "postgres"
DATABASE = "annotator_test"
START_ATTEMPTS = 3
# Durability is worthless for a server that is deleted after the run; these make it start fast.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)


def find_postgres_bin() -> Path:
    """The `bin` folder of the newest PostgreSQL under /usr/lib/postgresql, or fail the test."""
    candidates = [
        b
        for b in PG_ROOT.glob("*/bin")
        if (b / "initdb").is_file() and (b / "pg_ctl").is_file() and (b / "postgres").is_file()
    ]
    if not candidates:
        pytest.fail(
            f"no PostgreSQL server binaries under {PG_ROOT}/*/bin (initdb, pg_ctl, postgres): "
            "the store tests need a real PostgreSQL server. Install Debian's `postgresql` package "
            "(apt-get install postgresql).",
            pytrace=False,
        )
    return max(candidates, key=_version_key)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Runner:
    """Runs PostgreSQL commands as the current user, or as `postgres` when we are root."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                entry = pwd.getpwnam(SYSTEM_USER)
            except KeyError:
                pytest.fail(
                    f"running as root but there is no `{SYSTEM_USER}` system user to own the test "
                    "cluster (initdb refuses root). Install Debian's `postgresql` package, which "
                    "creates it.",
                    pytrace=False,
                )
            os.chown(workdir, entry.pw_uid, entry.pw_gid)
            runuser = shutil.which("runuser")
            self.prefix = [runuser, "-u", SYSTEM_USER, "--"] if runuser else None
        else:
            self.prefix = []

    def run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        if self.prefix is None:  # root without runuser: fall back to su
            cmd = ["su", SYSTEM_USER, "-s", "/bin/sh", "-c", " ".join(_quote(a) for a in argv)]
        else:
            cmd = [*self.prefix, *argv]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        return subprocess.run(
            cmd,
            cwd=self.workdir,  # postgres must be able to enter the working folder
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\"'\"'") + "'"


def _check(result: subprocess.CompletedProcess[str], what: str, log: Path | None = None) -> None:
    if result.returncode == 0:
        return
    detail = (result.stdout + result.stderr).strip()
    if log is not None and log.is_file():
        detail += "\n--- server log ---\n" + log.read_text(errors="replace")[-4000:]
    pytest.fail(f"{what} failed (exit {result.returncode}):\n{detail}", pytrace=False)


def _url(port: int, database: str) -> str:
    return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/{database}"


def _admin_conninfo(port: int) -> str:
    return f"host=127.0.0.1 port={port} user={SUPERUSER} dbname=postgres connect_timeout=10"


class Cluster:
    """A private PostgreSQL cluster in its own temporary folder, on a free port of 127.0.0.1;
    `stop` and `start` again keep its data and its port (a server restart under a client)."""

    def __init__(self, *, durable: bool = False) -> None:
        # A cluster that is stopped under a client must keep what it acknowledged, as a real
        # server does: synchronous_commit=off loses the last commits at an immediate stop (the
        # page cache survives the server process, so fsync stays off).
        self.settings = (
            tuple(s for s in FAST_SETTINGS if not s.startswith("synchronous_commit"))
            if durable
            else FAST_SETTINGS
        )
        self.bindir = find_postgres_bin()
        # Not pytest's tmp_path: its parents are private to root, and the server runs as
        # `postgres`.
        self.workdir = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
        self.datadir = self.workdir / "data"
        self.log = self.workdir / "server.log"
        self.port = 0
        self.running = False
        self.runner = _Runner(self.workdir)
        _check(
            self.runner.run(
                [
                    str(self.bindir / "initdb"),
                    "--pgdata",
                    str(self.datadir),
                    "--username",
                    SUPERUSER,
                    "--auth",
                    "trust",
                    "--encoding",
                    "UTF8",
                    "--locale",
                    "C",
                    "--no-sync",
                ]
            ),
            "initdb",
        )

    def _pg_ctl_start(self, port: int) -> subprocess.CompletedProcess[str]:
        options = [
            "-c listen_addresses=127.0.0.1",
            f"-p {port}",
            f"-c unix_socket_directories={self.workdir}",
            *(f"-c {setting}" for setting in self.settings),
        ]
        return self.runner.run(
            [
                str(self.bindir / "pg_ctl"),
                "start",
                "--pgdata",
                str(self.datadir),
                "--log",
                str(self.log),
                "--wait",
                "--timeout",
                "60",
                "-o",
                " ".join(options),
            ]
        )

    def start(self) -> None:
        """Start on a free port the first time, on the same port afterwards."""
        if self.port:
            _check(self._pg_ctl_start(self.port), "pg_ctl start", self.log)
            self.running = True
            return
        for attempt in range(START_ATTEMPTS):
            port = _free_port()
            result = self._pg_ctl_start(port)
            if result.returncode == 0:
                self.port, self.running = port, True
                return
            # Another process may have taken the port between our probe and the start: retry.
            if attempt == START_ATTEMPTS - 1:
                _check(result, "pg_ctl start", self.log)

    def stop(self, mode: str = "immediate") -> None:
        if self.running:
            self.runner.run(
                [
                    str(self.bindir / "pg_ctl"),
                    *("stop", "--pgdata", str(self.datadir), "-m", mode, "-w"),
                ]
            )
            self.running = False

    def create_database(self, name: str) -> str:
        """A new database on this cluster; its SQLAlchemy URL."""
        with psycopg.connect(_admin_conninfo(self.port), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return _url(self.port, name)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[int]:
    """Start a private PostgreSQL cluster; yields its TCP port on 127.0.0.1."""
    cluster = Cluster()
    try:
        cluster.start()
        cluster.create_database(DATABASE)
        yield cluster.port
    finally:
        cluster.remove()


@pytest.fixture
def private_postgres() -> Iterator[Cluster]:
    """A cluster of the test's own, started, with the database `annotator_test`: for tests
    that stop and restart the server under a client without disturbing the others."""
    cluster = Cluster(durable=True)
    try:
        cluster.start()
        cluster.create_database(DATABASE)
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: int) -> str:
    """A SQLAlchemy URL (`postgresql+psycopg://...`) of a database on the session's server."""
    return _url(postgres_server, DATABASE)


@pytest.fixture
def pg_database_url(postgres_server: int) -> Iterator[str]:
    """A fresh, empty database for one test, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex}"
    with psycopg.connect(_admin_conninfo(postgres_server), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _url(postgres_server, name)
    finally:
        with psycopg.connect(_admin_conninfo(postgres_server), autocommit=True) as conn:
            # FORCE ends connections a test left open, so one leak cannot break the next test.
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
