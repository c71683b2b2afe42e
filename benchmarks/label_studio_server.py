"""A local Label Studio server of its own, for the peer benchmark and the interchange tests.

Label Studio lives in an environment of its own (`.venv-label-studio` at the top of the
checkout, made by scripts/test from envs/label-studio/uv.lock: it pins a Django stack that must
not meet ours). `LabelStudio` starts it on a free port of 127.0.0.1 with a throwaway data folder
(SQLite), a user and an API token, waits until its API answers, and always stops it again: on
leaving the `with` block, on an error and on Ctrl+C (the server runs in a session of its own,
so the terminal's Ctrl+C reaches only us, and we stop it). `sigterm_stops()` makes a SIGTERM
to a script stop it the same way. A caller with other work to do while the server starts (its
first start migrates a new database: minutes on a loaded machine) calls `start()` and later
`wait()` instead of the `with` block, and then owes the `stop()` that the block would make.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = ROOT / ".venv-label-studio"
TOKEN = "0123456789abcdef0123456789abcdef01234567"
USER, PASSWORD = "check@example.org", "check-password-1"


@contextlib.contextmanager
def sigterm_stops() -> Iterator[None]:
    """Within: SIGTERM raises SystemExit, so that `with` blocks (a server's) are left."""

    def leave(number: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + number)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class LabelStudioError(RuntimeError):
    """Label Studio is missing, did not start in time, or stopped."""


def executable() -> Path:
    """The `label-studio` command: $ANNOTATOR_LABEL_STUDIO, else the checkout's environment."""
    given = os.environ.get("ANNOTATOR_LABEL_STUDIO")
    return Path(given) if given else ENVIRONMENT / "bin" / "label-studio"


def version(command: Path) -> str | None:
    """The installed Label Studio's version, read from its package metadata (no start)."""
    for info in command.resolve().parent.parent.glob("lib/python*/site-packages/label_studio-*"):
        if info.name.endswith(".dist-info"):
            return info.name.removeprefix("label_studio-").removesuffix(".dist-info")
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_group(process: subprocess.Popen[Any] | None) -> None:
    """Stop a process started in a group of its own and everything it started: asked first
    (SIGTERM), then at once (SIGKILL) if it has not ended within 30 s."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


class LabelStudio:
    """`with LabelStudio(folder) as server:` a running server; `server.call(...)` its API."""

    def __init__(self, folder: Path, *, timeout: float = 600, command: Path | None = None) -> None:
        self.command = command or executable()
        self.folder = folder
        self.timeout = timeout  # the first start migrates a new database: minutes when loaded
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.start_seconds = 0.0
        self._process: subprocess.Popen[bytes] | None = None
        self._launched = 0.0
        self._ready = False

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def fetch(
        self, path: str, timeout: float = 600, *, method: str = "GET", data: bytes | None = None
    ) -> bytes:
        """The body of one API answer. Raises urllib.error.HTTPError on a refusal."""
        request = urllib.request.Request(
            f"{self.base}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read())

    def call(self, method: str, path: str, body: Any = None, timeout: float = 600) -> Any:
        """One API call with `body` as JSON (bytes: sent as they are); the answer's JSON.
        Raises urllib.error.HTTPError on a refusal."""
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        return json.loads(self.fetch(path, timeout, method=method, data=data))

    def start(self) -> None:
        """Launch the server and return at once; `wait()` then waits until its API answers
        (`with LabelStudio(...)` does both). Whoever calls `start` must call `stop`, whatever
        happens: the server runs in a session of its own, which nothing else stops."""
        if self._process is not None:
            raise LabelStudioError("Label Studio is started already")
        if not self.command.is_file():
            raise LabelStudioError(f"no Label Studio at {self.command}: scripts/test installs it")
        self.folder.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "HOME": str(self.folder),
            "LATEST_VERSION_CHECK": "false",  # no look-up of newer releases
            "COLLECT_ANALYTICS": "false",
        }
        self._launched = time.perf_counter()
        self._ready = False
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                [str(self.command), "start", "--no-browser",
                 "--data-dir", str(self.folder / "data"),
                 "--internal-host", "127.0.0.1", "--port", str(self.port), "--host", self.base,
                 "--username", USER, "--password", PASSWORD,
                 "--user-token", TOKEN, "--enable-legacy-api-token"],
                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
                start_new_session=True,
            )  # fmt: skip

    def wait(self) -> None:
        """Return when the started server's API answers, at most `timeout` seconds after its
        start; stop it and raise LabelStudioError when it does not (or has stopped)."""
        if self._ready:
            return
        if self._process is None:
            raise LabelStudioError("Label Studio is not started")
        try:
            self._wait(self._launched + self.timeout)
        except BaseException:
            self.stop()
            raise
        self._ready = True
        self.start_seconds = time.perf_counter() - self._launched

    def __enter__(self) -> LabelStudio:
        self.start()
        try:
            self.wait()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait(self, deadline: float) -> None:
        assert self._process is not None
        while True:
            if self._process.poll() is not None:
                raise LabelStudioError(f"Label Studio stopped at its start:\n{self._tail()}")
            try:
                self.call("GET", "/api/projects", timeout=10)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.perf_counter() > deadline:
                    raise LabelStudioError(
                        f"Label Studio did not answer within {self.timeout:g} s; the end of "
                        f"its log:\n{self._tail()}"
                    ) from None
                time.sleep(0.5)

    def cpu_seconds(self) -> float:
        """CPU time (user + system, every thread) the server process has used so far; NaN
        where /proc does not tell."""
        try:
            assert self._process is not None
            fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (AssertionError, OSError):
            return math.nan
        # After the name: state is field 3 of stat(5), utime and stime are fields 14 and 15.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _tail(self) -> str:
        return self.log.read_text("utf-8", errors="replace")[-3000:]

    def stop(self) -> None:
        """Stop the server (its whole process group), at once if it does not stop by itself."""
        process, self._process = self._process, None
        self._ready = False
        stop_group(process)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
