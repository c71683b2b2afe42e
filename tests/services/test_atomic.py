"""Putting an export in place: the path holds the old export or the new one, whole, at every
step, and `recover` cleans up what a killed run left."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.services import atomic
from annotator.services.atomic import (
    backup_path,
    partial_folder,
    process_alive,
    recover,
    replace_file,
    replace_folder,
)

OLD = {"a.txt": "old a", "a.ann": "T1\tACTOR 0 3\told", "annotation.conf": "[entities]\nOLD"}
NEW = {"b.txt": "new b", "b.ann": "T1\tDATE 0 3\tnew", "annotation.conf": "[entities]\nNEW"}

DEAD = 2**22 + 12345  # above Linux's largest process id: never running


def dead(pid: int) -> bool:
    return False


def write_tree(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def tree(folder: Path) -> dict[str, str] | None:
    if not folder.is_dir():
        return None
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}


def beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p != out)


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no `except Exception` catches it."""


def kill_at(step: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the `step`-th rename or folder deletion in `atomic` the last thing that happens;
    a deletion is cut half-way, as a kill would cut it."""
    count = 0
    rename = Path.rename
    rmtree = shutil.rmtree

    def tick() -> bool:
        nonlocal count
        count += 1
        return count == step

    def killing_rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if tick():
            raise Killed
        return rename(self, target)

    def killing_rmtree(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        if tick():
            files = sorted(Path(path).iterdir())
            for f in files[: len(files) // 2 + 1]:
                f.unlink()
            raise Killed
        rmtree(path, ignore_errors=True)

    monkeypatch.setattr(Path, "rename", killing_rename)
    monkeypatch.setattr(atomic.shutil, "rmtree", killing_rmtree)


@pytest.mark.parametrize("step", range(1, 6))
def test_a_folder_replaced_whole_at_every_step_and_recovered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    out = tmp_path / "export"
    write_tree(out, OLD)
    new = partial_folder(out)
    write_tree(new / "export", NEW)
    kill_at(step, monkeypatch)
    with contextlib.suppress(Killed):
        replace_folder(new / "export", out)
    monkeypatch.undo()
    # Right after the kill the path may be empty for a moment only between two renames: the
    # old folder then waits whole under the backup name, and recover puts it back.
    assert tree(out) in (OLD, NEW, None)
    if tree(out) is None:
        assert tree(backup_path(out)) == OLD
    recover(out, alive=dead)
    assert tree(out) in (OLD, NEW)
    assert beside(out) == []


def test_recover_puts_a_whole_backup_back_when_the_path_is_missing(tmp_path: Path) -> None:
    out = tmp_path / "export"
    write_tree(backup_path(out, DEAD), OLD)
    assert recover(out) == [backup_path(out, DEAD)]
    assert tree(out) == OLD
    assert beside(out) == []


def test_recover_removes_a_backup_when_the_new_folder_is_in_place(tmp_path: Path) -> None:
    out = tmp_path / "export"
    write_tree(out, NEW)
    write_tree(backup_path(out, DEAD), OLD)
    recover(out)
    assert tree(out) == NEW
    assert beside(out) == []


def test_recover_never_puts_back_a_half_deleted_folder(tmp_path: Path) -> None:
    out = tmp_path / "export"
    write_tree(out.parent / f".export.discard-{DEAD}", {"a.txt": "old a"})
    recover(out)
    assert not out.exists()
    assert beside(out) == []


def test_recover_removes_temporary_folders_of_dead_runs_only(tmp_path: Path) -> None:
    out = tmp_path / "export"
    write_tree(out, OLD)
    stale = out.parent / f".export.partial-{DEAD}-x1y2"
    write_tree(stale / "export", NEW)
    running = partial_folder(out)  # this process's: an export under way
    recover(out)
    assert not stale.exists()
    assert running.is_dir()
    assert tree(out) == OLD


def test_recover_leaves_a_running_exports_backup_alone(tmp_path: Path) -> None:
    """Between its two renames an export still running has no folder at the path: its backup
    is not taken back from under it."""
    out = tmp_path / "export"
    write_tree(backup_path(out), OLD)  # this process's
    recover(out)
    assert not out.exists()
    assert tree(backup_path(out)) == OLD


def test_recover_cleans_what_earlier_versions_left(tmp_path: Path) -> None:
    """Exports before these rules wrote into `.NAME.` and eight random characters."""
    out = tmp_path / "export"
    write_tree(out, OLD)
    write_tree(tmp_path / ".export.k3_9qz0a" / "export", NEW)
    (tmp_path / ".export.ab12cd34").mkdir()
    # Not an export's: other contents, other names, another export's leftovers.
    write_tree(tmp_path / ".export.notes123", {"mine.txt": "keep"})
    write_tree(tmp_path / ".export.settings", {"config.ini": "keep"})
    write_tree(tmp_path / ".export.backup01", {"export.old": "keep"})
    write_tree(tmp_path / f".other.previous-{DEAD}", OLD)
    (tmp_path / "export.zip").write_text("keep", encoding="utf-8")
    recover(out)
    assert beside(out) == sorted(
        [
            ".export.backup01",
            ".export.notes123",
            ".export.settings",
            f".other.previous-{DEAD}",
            "export.zip",
        ]
    )
    assert tree(out) == OLD


def test_a_new_folder_that_cannot_move_in_puts_the_old_one_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "export"
    write_tree(out, OLD)
    new = tmp_path / "new"
    write_tree(new, NEW)
    rename = Path.rename

    def refuse_new(self: Path, target: str | os.PathLike[str]) -> Path:
        if self == new:
            raise PermissionError("in use")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_new)
    with pytest.raises(PermissionError):
        replace_folder(new, out)
    assert tree(out) == OLD
    assert beside(out) == ["new"]


def test_a_folder_export_to_a_new_path_and_a_file_over_a_file(tmp_path: Path) -> None:
    out = tmp_path / "export"
    new = tmp_path / "new"
    write_tree(new, NEW)
    replace_folder(new, out)
    assert tree(out) == NEW
    file = tmp_path / "tasks.json"
    file.write_text("old", encoding="utf-8")
    (tmp_path / "tasks.new").write_text("new", encoding="utf-8")
    replace_file(tmp_path / "tasks.new", file)
    assert file.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export", "tasks.json"]


def test_process_alive_tells_running_from_finished(tmp_path: Path) -> None:
    assert process_alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert process_alive(child.pid)
    finally:
        child.kill()
        child.wait()
    assert not process_alive(child.pid)
    assert not process_alive(DEAD)


class DiskLog:
    """What reached the disk and in which order: each fsync (by the path of its descriptor)
    and each rename."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: list[tuple[str, str]] = []
        real_rename, real_replace = os.rename, os.replace

        def fsync(fd: int) -> None:
            self.events.append(("fsync", str(Path(f"/proc/self/fd/{fd}").readlink())))

        def rename(src: object, dst: object) -> None:
            self.events.append(("rename", f"{src} -> {dst}"))
            real_rename(src, dst)  # type: ignore[arg-type]

        def replace(src: object, dst: object) -> None:
            self.events.append(("rename", f"{src} -> {dst}"))
            real_replace(src, dst)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "rename", rename)
        monkeypatch.setattr(os, "replace", replace)

    def index(self, kind: str, what: str | Path) -> int:
        return self.events.index((kind, str(what)))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name descriptors")
def test_a_new_file_is_on_the_disk_before_and_after_it_moves_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "export.json"
    out.write_text("old", encoding="utf-8")
    tmp = partial_folder(out)
    new = tmp / out.name
    new.write_text("new", encoding="utf-8")
    disk = DiskLog(monkeypatch)
    replace_file(new, out)
    moved = disk.index("rename", f"{new} -> {out}")
    assert disk.index("fsync", new) < moved  # its data
    assert disk.index("fsync", tmp) < moved  # the folder it was written in
    assert disk.index("fsync", tmp_path) > moved  # the rename itself
    assert out.read_text(encoding="utf-8") == "new"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name descriptors")
def test_a_new_folder_is_on_the_disk_before_the_old_one_is_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "brat"
    write_tree(out, OLD)
    tmp = partial_folder(out)
    new = tmp / out.name
    write_tree(new, NEW)
    (new / "sub").mkdir()
    (new / "sub" / "c.txt").write_text("deep", encoding="utf-8")
    disk = DiskLog(monkeypatch)
    replace_folder(new, out)
    moved = disk.index("rename", f"{new} -> {out}")
    # Every file and folder of the new export, then the folder it was written in, before it
    # moves in; files before the folder that names them.
    for name in [*NEW, "sub/c.txt"]:
        assert disk.index("fsync", new / name) < disk.index("fsync", new / Path(name).parent)
    for folder in (new / "sub", new, tmp):
        assert disk.index("fsync", folder) < moved
    # The renames reach the disk before the old folder is renamed away to be deleted.
    synced = disk.index("fsync", tmp_path)
    discarded = next(i for i, (kind, what) in enumerate(disk.events) if ".brat.discard-" in what)
    assert moved < synced < discarded
    assert (out / "sub" / "c.txt").read_text(encoding="utf-8") == "deep"
    # One pass at the end: each file and folder flushed once.
    flushed = [what for kind, what in disk.events if kind == "fsync"]
    assert len(flushed) == len(set(flushed)) == len(NEW) + 5  # c.txt, sub, new, tmp, tmp_path
