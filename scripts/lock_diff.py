"""What moved between two versions of a uv.lock: one line per package that changed.

    python3 scripts/lock_diff.py OLD_LOCK NEW_LOCK

Prints "name old -> new" (or "+name new" / "-name old"), for commit messages of dependency bumps.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path


def versions(path: Path) -> dict[str, set[str]]:
    if not path.exists() or not path.stat().st_size:
        return {}
    found: dict[str, set[str]] = {}
    for package in tomllib.loads(path.read_text(encoding="utf-8")).get("package", []):
        if "registry" in package.get("source", {}):
            found.setdefault(package["name"], set()).add(str(package.get("version")))
    return found


def changes(old: dict[str, set[str]], new: dict[str, set[str]]) -> list[str]:
    lines = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name, set()), new.get(name, set())
        if before == after:
            continue
        if not before:
            lines.append(f"+{name} {', '.join(sorted(after))}")
        elif not after:
            lines.append(f"-{name} {', '.join(sorted(before))}")
        else:
            lines.append(f"{name} {', '.join(sorted(before))} -> {', '.join(sorted(after))}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    for line in changes(versions(Path(argv[0])), versions(Path(argv[1]))):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
