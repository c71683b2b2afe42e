"""Put a finished file or folder at a path so that the path holds either the old one whole or
the new one whole (for a folder, but for the instant between two renames, after which `recover`
puts the old one back), and clean up after a run that was killed half-way.

An export is written into a temporary folder beside its path, named `.NAME.partial-PID-XXXX`.
A file then moves in with one `os.replace`. A folder cannot replace a folder in one step, so it
takes three renames:

    NAME                    -> .NAME.previous-PID    (the old folder, whole, kept aside)
    .NAME.partial-PID-XXXX/NAME -> NAME              (the new folder, whole, in place)
    .NAME.previous-PID      -> .NAME.discard-PID     (then deleted)

A kill between the first two renames leaves no NAME but a whole `.previous` folder: `recover`
(run before each export to NAME) moves it back. The old folder is renamed to `.discard` before it
is deleted, so a half-deleted folder is never taken for a whole one. Each name carries the
process id of the run that made it, and leftovers of a process still running are left alone
(another export to the same path may be under way).

Against a power cut (not only a kill) each step is also made durable: before a rename the new
file, or every file and folder of the new folder, is flushed to the disk (`fsync`), and after it
the folder that holds NAME, which records the rename. So the old export is deleted only once the
new one is on the disk under NAME, and after a power cut NAME is the old export whole or the new
one whole. The flushing is one pass over the finished export, not one per write.

No Qt and no database here: the rules work on paths only.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_PARTIAL = "partial"
_PREVIOUS = "previous"
_DISCARD = "discard"
# What `tempfile` names its folders with: exports before these rules wrote into `.NAME.XXXXXXXX`.
_LEGACY_SUFFIX = re.compile(r"[a-z0-9_]{8}")
# Threads flushing the files of a folder export at once.
_FLUSHERS = 8


def partial_folder(out: Path) -> Path:
    """A new, empty temporary folder beside `out` to write the export into."""
    return Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.{_PARTIAL}-{os.getpid()}-"))


def backup_path(out: Path, pid: int | None = None) -> Path:
    """Where the old folder at `out` waits while the new one moves in."""
    return out.parent / f".{out.name}.{_PREVIOUS}-{os.getpid() if pid is None else pid}"


def _discard_path(out: Path) -> Path:
    return out.parent / f".{out.name}.{_DISCARD}-{os.getpid()}"


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _remove(path: Path) -> None:
    """Delete a file, a link or a folder tree; gone already is fine."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _delete_folder(folder: Path, out: Path) -> None:
    """Rename `folder` to a discard name first, so a kill during the deletion never leaves a
    half-deleted folder under a name `recover` would put back."""
    discard = _discard_path(out)
    _remove(discard)
    folder.rename(discard)
    shutil.rmtree(discard, ignore_errors=True)


def _fsync_path(path: Path, *, folder: bool) -> None:
    if folder and sys.platform == "win32":
        return  # Windows cannot open a folder to flush it; its renames are journaled
    flags = os.O_RDONLY if sys.platform != "win32" else os.O_RDWR | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems (network shares, a few FUSE ones) cannot flush a folder: they say
        # so with EINVAL. A file that cannot be flushed is an error (its data may be lost).
        if not folder or exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (names made, renamed or removed in it) to the disk."""
    _fsync_path(folder, folder=True)


def sync_tree(path: Path) -> None:
    """Flush a written file, or a folder with everything in it, to the disk: the files first,
    then each folder after what it holds. Links are not followed.

    The files of a folder are flushed by several threads at once: one at a time, a brat export
    of 10,000 documents waited for 20,000 flushes in a row, while the file system can commit
    many in one go."""
    if path.is_symlink():
        return
    if not path.is_dir():
        _fsync_path(path, folder=False)
        return
    with ThreadPoolExecutor(max_workers=_FLUSHERS) as pool:
        for root, folders, files in os.walk(path, topdown=False):
            here = Path(root)
            written = [here / name for name in files if not (here / name).is_symlink()]
            # list(): wait for every file of the folder, and raise what a flush raised.
            list(pool.map(_fsync_file, written))
            for name in folders:
                if not (here / name).is_symlink():
                    sync_folder(here / name)
    sync_folder(path)


def _fsync_file(path: Path) -> None:
    _fsync_path(path, folder=False)


def replace_file(new: Path, out: Path) -> None:
    """Move the finished file `new` to `out` in one step, replacing what is there, on the disk
    before and after."""
    sync_tree(new)
    sync_folder(new.parent)
    new.replace(out)  # os.replace: atomic, on Windows too
    sync_folder(out.parent)


def replace_folder(new: Path, out: Path) -> None:
    """Move the finished folder `new` to `out`, the old folder at `out` aside and then away."""
    if _exists(out) and not out.is_dir():
        raise NotADirectoryError(f"{out} is a file, not a folder")  # checked before writing
    sync_tree(new)
    sync_folder(new.parent)
    if not _exists(out):
        new.rename(out)
        sync_folder(out.parent)
        return
    backup = backup_path(out)
    _remove(backup)  # from an earlier run of a process that had this id
    out.rename(backup)
    try:
        new.rename(out)
    except OSError:
        backup.rename(out)  # the new folder could not move in: the old one goes back
        raise
    sync_folder(out.parent)  # both renames on the disk before the old folder goes
    _delete_folder(backup, out)


def process_alive(pid: int) -> bool:
    """Whether a process of this id is running (this one is)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _leftover(out: Path, entry: Path) -> tuple[str, int] | None:
    """The kind (partial, previous, discard) and process id of a name these rules make for
    `out`, or None for any other name."""
    prefix = f".{out.name}."
    if not entry.name.startswith(prefix):
        return None
    rest = entry.name[len(prefix) :]
    match = re.fullmatch(rf"({_PARTIAL})-(\d+)-.+|({_PREVIOUS}|{_DISCARD})-(\d+)", rest)
    if match is None:
        return None
    if match.group(1):
        return match.group(1), int(match.group(2))
    return match.group(3), int(match.group(4))


def _legacy_partial(out: Path, entry: Path) -> bool:
    """A temporary folder of an export from before these rules (`.NAME.` and eight random
    characters) that holds nothing but that export's own files: NAME, and for a file format
    the files it writes beside NAME (named from its stem). An empty one too."""
    prefix = f".{out.name}."
    if not entry.name.startswith(prefix) or not _LEGACY_SUFFIX.fullmatch(entry.name[len(prefix) :]):
        return False
    if not entry.is_dir() or entry.is_symlink():
        return False
    names = [child.name for child in entry.iterdir()]
    return (not names or out.name in names) and all(n.startswith(out.stem) for n in names)


def _changed(path: Path) -> float:
    """When `path` was last renamed or changed (a rename sets the status-change time)."""
    try:
        return path.lstat().st_ctime
    except OSError:
        return 0.0


def recover(out: Path, *, alive: Callable[[int], bool] = process_alive) -> list[Path]:
    """Clean up what killed exports to `out` left beside it; returns the paths removed or
    moved back. A whole old folder kept aside while `out` is missing goes back to `out`;
    temporary folders, old folders no longer needed and half-deleted ones go. Leftovers of a
    process that is still running stay."""
    parent = out.parent
    if not parent.is_dir():
        return []
    found: list[tuple[str, int, Path]] = []
    legacy: list[Path] = []
    for entry in parent.iterdir():
        if (leftover := _leftover(out, entry)) is not None:
            found.append((leftover[0], leftover[1], entry))
        elif _legacy_partial(out, entry):
            legacy.append(entry)
    handled: list[Path] = []
    # Backups first, the one set aside last first: one may have to go back to `out`.
    order = {_PREVIOUS: 0, _PARTIAL: 1, _DISCARD: 2}
    for kind, pid, entry in sorted(found, key=lambda f: (order[f[0]], -_changed(f[2]))):
        if alive(pid):
            continue
        if kind == _PREVIOUS and not _exists(out):
            entry.rename(out)
        elif kind == _PREVIOUS and entry.is_dir() and not entry.is_symlink():
            _delete_folder(entry, out)
        else:
            _remove(entry)
        handled.append(entry)
    for entry in legacy:
        _remove(entry)
        handled.append(entry)
    return handled
