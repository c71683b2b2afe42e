"""The install scripts: locks that match pyproject.toml, installs only when something changed,
apt-get that waits for another package manager, one list of Debian packages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PROJECTS = [REPO, REPO / "envs" / "label-studio"]

# Environments the markers are read in: the locks are universal, so every supported Python
# must see the same requirements in pyproject.toml and in the lock.
_PYTHONS = ["3.11.2", "3.11.7", "3.12.3", "3.13.1", "3.14.0"]


def _marker_truth(marker: str | None) -> tuple[bool, ...]:
    if not marker:
        return (True,) * len(_PYTHONS)
    parsed = Marker(marker)
    return tuple(
        parsed.evaluate({"python_version": v.rsplit(".", 1)[0], "python_full_version": v})
        for v in _PYTHONS
    )


def _from_pyproject(items: list[str]) -> set[tuple[object, ...]]:
    out = set()
    for item in items:
        req = Requirement(item)
        out.add(
            (
                canonicalize_name(req.name),
                str(req.specifier),
                tuple(sorted(req.extras)),
                _marker_truth(str(req.marker) if req.marker else None),
            )
        )
    return out


def _from_lock(items: list[dict[str, object]]) -> set[tuple[object, ...]]:
    out = set()
    for item in items:
        spec = Requirement(f"x{item.get('specifier', '')}").specifier
        extras = item.get("extras") or []
        assert isinstance(extras, list)
        marker = item.get("marker")
        out.add(
            (
                canonicalize_name(str(item["name"])),
                str(spec),
                tuple(sorted(str(e) for e in extras)),
                _marker_truth(str(marker) if marker else None),
            )
        )
    return out


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.relative_to(REPO).as_posix() or ".")
def test_each_lock_holds_exactly_what_its_pyproject_asks_for(project: Path) -> None:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    lock = tomllib.loads((project / "uv.lock").read_text(encoding="utf-8"))
    name = canonicalize_name(pyproject["project"]["name"])
    root = next(p for p in lock["package"] if canonicalize_name(p["name"]) == name)
    metadata = root["metadata"]
    assert _from_lock(metadata.get("requires-dist", [])) == _from_pyproject(
        pyproject["project"].get("dependencies", [])
    ), f"{project / 'uv.lock'} is stale: run scripts/update-deps"
    groups = pyproject.get("dependency-groups", {})
    locked_groups = metadata.get("requires-dev", {})
    assert set(locked_groups) == set(groups)
    for group, items in groups.items():
        assert _from_lock(locked_groups[group]) == _from_pyproject(items), group
    assert lock["requires-python"] == pyproject["project"]["requires-python"]


def test_the_locks_name_the_uv_the_scripts_install() -> None:
    wanted = (REPO / "scripts" / "uv-requirements.txt").read_text(encoding="utf-8")
    version = next(line for line in wanted.splitlines() if line.startswith("uv=="))
    version = version.split("==")[1].split()[0]
    for project in PROJECTS:
        pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
        assert pyproject["tool"]["uv"]["required-version"] == f"=={version}"


def test_every_locked_package_is_pinned_with_hashes() -> None:
    for project in PROJECTS:
        lock = tomllib.loads((project / "uv.lock").read_text(encoding="utf-8"))
        for package in lock["package"]:
            if "registry" not in package["source"]:
                continue  # the project itself
            assert package.get("version"), package["name"]
            files = [package.get("sdist"), *package.get("wheels", [])]
            assert any(f and str(f.get("hash", "")).startswith("sha256:") for f in files), package[
                "name"
            ]


# --- the shell library -----------------------------------------------------------------------


def _bash(script: str, env: dict[str, str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f"source scripts/lib.sh\n{script}"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _env(bin_dir: Path) -> dict[str, str]:
    return {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "HOME": str(bin_dir.parent),
        "PYTHON": sys.executable,
        "LC_ALL": "C.UTF-8",
    }


def test_sync_runs_uv_only_when_the_lock_or_pyproject_changed(tmp_path: Path) -> None:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    calls = tmp_path / "calls"
    version = (REPO / "scripts" / "uv-requirements.txt").read_text().split("uv==")[1].split()[0]
    _fake(
        fake_bin,
        "uv",
        f'if [ "$1" = --version ]; then echo "uv {version}"; exit 0; fi\n'
        f'echo "$@" >> {calls}\nmkdir -p "$UV_PROJECT_ENVIRONMENT/bin"\n'
        'ln -sf /bin/true "$UV_PROJECT_ENVIRONMENT/bin/python"',
    )
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname='p'\n")
    (project / "uv.lock").write_text("version = 1\n")
    env = _env(fake_bin)
    sync = f"sync_env {tmp_path / 'venv'} {project} --group test"

    for _ in range(3):
        assert _bash(sync, env).returncode == 0
    assert calls.read_text().splitlines() == [
        f"sync --quiet --locked --project {project} --group test"
    ]

    (project / "uv.lock").write_text("version = 1\n# bumped\n")
    assert _bash(sync, env).returncode == 0
    assert len(calls.read_text().splitlines()) == 2
    # Other options (another group) are another install too.
    assert _bash(f"sync_env {tmp_path / 'venv'} {project} --group bundle", env).returncode == 0
    assert len(calls.read_text().splitlines()) == 3


def test_a_failed_sync_leaves_no_stamp_so_the_next_start_tries_again(tmp_path: Path) -> None:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    version = (REPO / "scripts" / "uv-requirements.txt").read_text().split("uv==")[1].split()[0]
    _fake(fake_bin, "uv", f'[ "$1" = --version ] && echo "uv {version}" && exit 0; exit 2')
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("")
    (project / "uv.lock").write_text("")
    done = _bash(f"sync_env {tmp_path / 'venv'} {project}", _env(fake_bin))
    assert done.returncode != 0
    assert not list((tmp_path / "venv").glob(".annotator-sync-*"))


def test_apt_get_waits_for_another_package_manager_instead_of_failing(tmp_path: Path) -> None:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    tries = tmp_path / "tries"
    tries.write_text("")
    # Fails twice the way apt-get does while another apt-get runs, then succeeds.
    _fake(
        fake_bin,
        "apt-get",
        f'echo x >> {tries}\nif [ "$(wc -l < {tries})" -le 2 ]; then\n'
        '  echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 '
        '(apt-get)" >&2; exit 100; fi\necho "$@" > ' + str(tmp_path / "args"),
    )
    _fake(fake_bin, "sleep", "exit 0")
    done = _bash("apt_get update -qq", _env(fake_bin))
    assert done.returncode == 0, done.stderr
    assert tries.read_text().count("x") == 3
    assert done.stderr.count("waiting for it") == 1
    assert "Could not get lock" not in done.stderr  # the retries are quiet
    assert "DPkg::Lock::Timeout=" in (tmp_path / "args").read_text()


def test_apt_get_does_not_retry_a_real_error(tmp_path: Path) -> None:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    tries = tmp_path / "tries"
    tries.write_text("")
    _fake(
        fake_bin,
        "apt-get",
        f'echo x >> {tries}; echo "E: Unable to locate package libnothing" >&2; exit 100',
    )
    done = _bash("apt_get install -y libnothing", _env(fake_bin))
    assert done.returncode == 100
    assert tries.read_text().count("x") == 1
    assert "Unable to locate package libnothing" in done.stderr


def test_without_root_the_exact_apt_get_line_is_printed(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # As root the function installs; run it as an unprivileged user instead.
        runner = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    else:
        runner = []
    # Outside pytest's tmp_path, whose parents only root may enter.
    fake_bin = Path(tempfile.mkdtemp(prefix="annotator-fake-bin-"))
    fake_bin.chmod(0o755)
    _fake(fake_bin, "dpkg-query", "exit 1")  # nothing is installed
    _fake(fake_bin, "sudo", "exit 1")  # sudo would ask for a password
    env = _env(fake_bin)
    done = subprocess.run(
        [*runner, "bash", "-c",
         "source scripts/lib.sh; install_debs scripts/start libxcb-cursor0 libegl1"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    shutil.rmtree(fake_bin)
    assert done.returncode == 1
    assert "sudo apt-get install -y --no-install-recommends libxcb-cursor0 libegl1" in done.stderr


def test_start_and_test_read_one_list_of_debian_packages() -> None:
    window = _bash("deb_packages window", {"PATH": os.environ["PATH"], "PYTHON": sys.executable})
    both = _bash("deb_packages window test", {"PATH": os.environ["PATH"], "PYTHON": sys.executable})
    assert "libxcb-cursor0" in window.stdout.split()
    assert "postgresql" not in window.stdout.split()
    assert set(window.stdout.split()) < set(both.stdout.split())
    assert "postgresql" in both.stdout.split()
    start = (REPO / "scripts" / "start").read_text()
    test = (REPO / "scripts" / "test").read_text()
    assert "deb_packages window" in start
    assert "deb_packages window test bundle" in test
    code = [ln for ln in (start + test).splitlines() if not ln.lstrip().startswith("#")]
    assert not any("apt-get" in ln for ln in code)  # only through lib.sh, which waits


def test_lock_diff_names_what_moved_for_the_commit_message(tmp_path: Path) -> None:
    def lock(path: Path, packages: dict[str, str]) -> Path:
        body = "version = 1\n" + "".join(
            f'\n[[package]]\nname = "{name}"\nversion = "{version}"\n'
            'source = { registry = "https://pypi.org/simple" }\n'
            for name, version in packages.items()
        )
        body += '\n[[package]]\nname = "annotator"\nsource = { editable = "." }\n'
        path.write_text(body, encoding="utf-8")
        return path

    old = lock(tmp_path / "old.lock", {"sentry-sdk": "2.40.0", "six": "1.16.0", "gone": "1"})
    new = lock(tmp_path / "new.lock", {"sentry-sdk": "2.41.0", "six": "1.16.0", "added": "2"})
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "lock_diff.py"), str(old), str(new)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == ["+added 2", "-gone 1", "sentry-sdk 2.40.0 -> 2.41.0"]
