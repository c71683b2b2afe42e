"""The Linux desktop entry and icon, so that the app shows in the desktop's menus.

Written into the user's data folder (XDG_DATA_HOME, usually ~/.local/share), pointing at the
command that runs this installation: the bundle's executable, the `annotator` script of a
pipx or virtual-environment install, or `python -m annotator`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from annotator import resources
from annotator.domain.errors import AnnotatorError

APP_ID = "annotator"


@dataclass(frozen=True, slots=True)
class DesktopFiles:
    entry: Path
    icon: Path


def launch_command(argv0: str | None = None, executable: str | None = None) -> list[str]:
    """The command that starts this installation of the app."""
    executable = executable or sys.executable
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: its executable is the app
        return [executable]
    script = Path(argv0 if argv0 is not None else sys.argv[0])
    if script.name == APP_ID and script.exists():
        return [str(script.resolve())]
    return [executable, "-m", APP_ID]


def _exec_value(command: list[str]) -> str:
    # The desktop entry spec quotes arguments with double quotes and escapes ", `, $ and \\.
    def quote(arg: str) -> str:
        if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
            return arg
        escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
        return '"' + escaped.replace("$", "\\$") + '"'

    return " ".join(quote(arg) for arg in command)


def desktop_entry(command: list[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=annotator\n"
        "GenericName=News annotation\n"
        "Comment=Annotate news articles: who said what, when\n"
        f"Exec={_exec_value(command)}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "Categories=Office;\n"
        "Keywords=annotation;news;claims;attribution;corpus;\n"
        f"StartupWMClass={APP_ID}\n"
    )


def install_desktop_entry(
    *, environ: Mapping[str, str] | None = None, command: list[str] | None = None
) -> DesktopFiles:
    """Write the desktop entry and the icon into the user's data folder; their paths."""
    env = os.environ if environ is None else environ
    data_home = Path(
        env.get("XDG_DATA_HOME") or Path(env.get("HOME", "~")).expanduser() / ".local/share"
    )
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    try:
        for path, content in (
            (entry, desktop_entry(command or launch_command())),
            (icon, resources.read_text("icon.svg")),
        ):
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".part")
            partial.write_text(content, encoding="utf-8")
            partial.replace(path)
    except OSError as exc:
        raise AnnotatorError(f"cannot write the desktop entry: {exc.strerror or exc}") from exc
    return DesktopFiles(entry, icon)
