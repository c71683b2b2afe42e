"""The suite's two long external set-ups, started in the background once the run's tests are known.

Loaded as a pytest plugin from tests/conftest.py. Two set-ups take minutes and spend them in a
process of their own: the PyInstaller build of tests/test_bundle.py (scripts/bundle) and the
Label Studio server of tests/interchange/test_label_studio_server.py (its first start migrates a
new database). pytest itself runs on one core; so when a run selects tests of those files, the
files run last, their set-ups start as soon as collection ends, one after the other (the build
first, then the server: with pytest they fill two cores without crowding them), and their
fixtures wait for them, or start them at once when they have not started yet. Nothing starts
when no selected test uses those fixtures, or when pytest only collects or plans.

Whatever started is stopped when the session ends, on a failure and on Ctrl+C or SIGTERM too
(both run in a session of their own, so the terminal's Ctrl+C reaches only pytest, which stops
them); the server is stopped as soon as its tests are done.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
BUNDLE_TESTS = REPO / "tests" / "test_bundle.py"
LABEL_STUDIO_TESTS = REPO / "tests" / "interchange" / "test_label_studio_server.py"
BUNDLE_TIMEOUT = 900.0
LABEL_STUDIO_TIMEOUT = 600.0  # the first start migrates a new database: minutes when loaded


def _load_label_studio_server() -> ModuleType:
    # How to start Label Studio is known in one place, which the peer benchmark uses too.
    spec = importlib.util.spec_from_file_location(
        "label_studio_server", REPO / "benchmarks" / "label_studio_server.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


label_studio_server = _load_label_studio_server()


class BundleBuild:
    """scripts/bundle building the one-folder application into `folder/dist`, its output (not a
    pipe, which a long build could fill) in `folder/build.log`."""

    def __init__(self, folder: Path, timeout: float = BUNDLE_TIMEOUT) -> None:
        self.dist = folder / "dist"
        self.log = folder / "build.log"
        self.timeout = timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._launched = 0.0

    def start(self) -> None:
        self._launched = time.monotonic()
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                ["bash", str(REPO / "scripts" / "bundle"), str(self.dist)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def started(self) -> bool:
        return self._process is not None

    def busy(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def program(self) -> Path:
        """The built program, once the build is done (started now if it has not been); fails
        the test with the build's output when the build fails or outlasts its timeout."""
        if self._process is None:
            self.start()
        assert self._process is not None
        left = self._launched + self.timeout - time.monotonic()
        try:
            code = self._process.wait(timeout=max(left, 0.0))
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"scripts/bundle took over {self.timeout:g} s:\n{self.output()}")
        assert code == 0, self.output()
        program = self.dist / "annotator" / "annotator"
        assert program.is_file() and os.access(program, os.X_OK)
        return program

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def stop(self) -> None:
        """Stop the build (its whole process group) if it still runs."""
        label_studio_server.stop_group(self._process)


class EarlySetups:
    """The set-ups a session needs, started one at a time by `advance`."""

    def __init__(self, factory: pytest.TempPathFactory, paths: set[Path]) -> None:
        self.factory = factory
        self.bundle: BundleBuild | None = None
        self.label_studio: Any = None  # a label_studio_server.LabelStudio, started once
        self.label_studio_started = False
        self.label_studio_error: Exception | None = None
        if BUNDLE_TESTS in paths:
            self.bundle = BundleBuild(factory.mktemp("bundle"))
        if LABEL_STUDIO_TESTS in paths:
            self._new_label_studio()

    def _new_label_studio(self) -> None:
        self.label_studio = label_studio_server.LabelStudio(
            self.factory.mktemp("label-studio"), timeout=LABEL_STUDIO_TIMEOUT
        )

    def advance(self) -> None:
        """Start the build if it has not started; once it has ended, the server."""
        if self.bundle is not None and not self.bundle.started:
            self.bundle.start()
        if self.bundle is None or not self.bundle.busy():
            self.start_label_studio()

    def start_label_studio(self) -> None:
        if self.label_studio is None or self.label_studio_started:
            return
        self.label_studio_started = True
        try:
            self.label_studio.start()
        except label_studio_server.LabelStudioError as error:
            self.label_studio_error = error  # raised to the tests by `running_label_studio`

    def stop(self) -> None:
        try:
            if self.bundle is not None:
                self.bundle.stop()
        finally:
            if self.label_studio is not None:
                self.label_studio.stop()


_SETUPS = pytest.StashKey[EarlySetups]()
_PREVIOUS_SIGTERM = pytest.StashKey[Any]()


def _setups(config: pytest.Config) -> EarlySetups:
    if _SETUPS not in config.stash:  # a run whose collection started nothing
        config.stash[_SETUPS] = EarlySetups(config._tmp_path_factory, set())
    return config.stash[_SETUPS]


def bundle_program(config: pytest.Config) -> Path:
    """The program scripts/bundle builds, waited for (built now if it did not start early)."""
    setups = _setups(config)
    if setups.bundle is None:
        setups.bundle = BundleBuild(setups.factory.mktemp("bundle"))
    return setups.bundle.program()


@contextlib.contextmanager
def running_label_studio(config: pytest.Config) -> Iterator[Any]:
    """Within: a Label Studio server whose API answers (started now if it did not start early);
    stopped on leaving. Raises label_studio_server.LabelStudioError when it cannot start."""
    setups = _setups(config)
    if setups.label_studio is None:
        setups._new_label_studio()
    server = setups.label_studio
    try:
        setups.start_label_studio()
        if setups.label_studio_error is not None:
            raise setups.label_studio_error
        server.wait()
        yield server
    finally:
        server.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files with long set-ups run last (every other test keeps its place), so that the
    rest of the suite runs while their set-ups are made."""
    late = (LABEL_STUDIO_TESTS, BUNDLE_TESTS)
    items[:] = sorted(items, key=lambda item: late.index(item.path) + 1 if item.path in late else 0)


# The fixture by which a test of each file waits for its set-up.
_FIXTURES = {BUNDLE_TESTS: "bundle", LABEL_STUDIO_TESTS: "server"}


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    option = session.config.option
    if option.collectonly or getattr(option, "setupplan", False):
        return
    needed = {
        item.path
        for item in session.items
        if _FIXTURES.get(item.path) in getattr(item, "fixturenames", ())
    }
    if not needed:
        return
    setups = EarlySetups(session.config._tmp_path_factory, needed)
    session.config.stash[_SETUPS] = setups
    # A SIGTERM (a CI job cancelled, `timeout`) then ends the run as Ctrl+C does, so that the
    # session's end stops what started; by default it would leave both running.
    session.config.stash[_PREVIOUS_SIGTERM] = signal.signal(signal.SIGTERM, _interrupt)
    setups.advance()


def _interrupt(number: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {number}")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _SETUPS in item.config.stash:
        item.config.stash[_SETUPS].advance()


def pytest_sessionfinish(session: pytest.Session) -> None:
    stash = session.config.stash
    if _SETUPS in stash:
        stash[_SETUPS].stop()
    if _PREVIOUS_SIGTERM in stash:
        signal.signal(signal.SIGTERM, stash[_PREVIOUS_SIGTERM])
