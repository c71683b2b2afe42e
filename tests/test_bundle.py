"""The one-folder application that scripts/bundle builds with PyInstaller, run as a user runs it:
without Python or the project's environment, offscreen, on every kind of file it imports."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

import early_setups
import pytest


@pytest.fixture(scope="session")
def bundle(request: pytest.FixtureRequest) -> Path:
    # scripts/bundle (a PyInstaller build, minutes) started in the background when the run's
    # tests were known: tests/early_setups.py.
    return early_setups.bundle_program(request.config)


def clean_env(tmp_path: Path) -> dict[str, str]:
    """What a user's shell would hold: no virtual environment, no Python path, no display."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / "config"),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "ANNOTATOR_NAME": "tester",
    }


def run(program: Path, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program), *args],
        env=clean_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def articles(folder: Path) -> list[Path]:
    """One article per reader that loads data at run time: text, HTML, Word and PDF."""
    import docx
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    folder.mkdir()
    text = "Mayor Ines Okafor said on Tuesday that the barrier would be finished by 2030.\n"
    (folder / "plain.txt").write_text(text, encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Barrier vote</title></head><body><article><h1>Barrier vote</h1>"
        + "".join(f"<p>{text} Paragraph {n} of the story goes on.</p>" for n in range(8))
        + "</article></body></html>",
        encoding="utf-8",
    )
    document = docx.Document()
    document.add_paragraph("Council approves the barrier after a long debate.")
    document.save(str(folder / "word.docx"))
    pdf = Canvas(str(folder / "scan.pdf"), pagesize=A4)
    pdf.drawString(72, 760, "Residents said they had not been asked about the plan.")
    pdf.save()
    return sorted(folder.iterdir())


def test_the_bundle_imports_every_kind_of_file_and_exports(bundle: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "bundle.sqlite3")
    files = articles(tmp_path / "in")
    done = run(bundle, "--db", db, "import", *map(str, files), tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "4 imported, 0 duplicate, 0 refused"

    listed = run(bundle, "--db", db, "--demo", "list", tmp_path=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[-1] == "5 document(s)"

    # Formats whose writers read data files or native code at run time.
    for name, out in (("xmi", "out.zip"), ("spacy", "out.spacy"), ("xlsx", "out.xlsx")):
        exported = run(
            bundle, "--db", db, "export", "--format", name, "--out", out, tmp_path=tmp_path
        )
        assert exported.returncode == 0, exported.stdout + exported.stderr
        assert (tmp_path / out).stat().st_size > 0
    # The suggestion engines, with their word lists and the claim rules, run inside it.
    suggested = run(
        bundle, "--db", db, "suggest", "--output", "suggestions.jsonl", tmp_path=tmp_path
    )
    assert suggested.returncode == 0, suggested.stdout + suggested.stderr
    lines = (tmp_path / "suggestions.jsonl").read_text(encoding="utf-8").splitlines()
    assert any('"engine": "claims"' in line for line in lines)
    assert any('"engine": "dates"' in line for line in lines)
    claims = run(bundle, "--db", db, "claims", "--format", "json", tmp_path=tmp_path)
    assert claims.returncode == 0 and "Ines Okafor" in claims.stdout and "2027-SP" in claims.stdout


def test_the_bundle_opens_its_window_offscreen_and_keeps_running(
    bundle: Path, tmp_path: Path
) -> None:
    env = clean_env(tmp_path)
    db = tmp_path / "window.sqlite3"
    process = subprocess.Popen(
        [str(bundle), "--db", str(db), "--demo"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None and not db.exists():
            time.sleep(0.2)
        time.sleep(5)  # the window is built after the database is opened
        assert process.poll() is None, process.communicate()
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert "Traceback" not in err and "Error" not in err, err


def test_the_bundle_installs_its_desktop_entry(bundle: Path, tmp_path: Path) -> None:
    done = run(bundle, "install-desktop", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "home" / "data" / "applications" / "annotator.desktop"
    icon = tmp_path / "home" / "data" / "icons" / "hicolor" / "scalable" / "apps" / "annotator.svg"
    assert f"Exec={bundle}\n" in entry.read_text(encoding="utf-8")
    assert icon.read_text(encoding="utf-8").startswith("<svg")
    validate = shutil.which("desktop-file-validate")
    assert validate, "desktop-file-validate (Debian's desktop-file-utils) is missing"
    checked = subprocess.run([validate, str(entry)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout


def test_the_desktop_entry_of_a_python_install_runs_its_script(tmp_path: Path) -> None:
    from annotator.services.desktop import install_desktop_entry, launch_command

    script = tmp_path / "bin with space" / "annotator"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    assert launch_command(str(script)) == [str(script)]
    assert launch_command("/usr/lib/python3/x.py", "/usr/bin/python3") == [
        "/usr/bin/python3",
        "-m",
        "annotator",
    ]
    files = install_desktop_entry(
        environ={"XDG_DATA_HOME": str(tmp_path / "data")}, command=[str(script)]
    )
    assert f'Exec="{script}"\n' in files.entry.read_text(encoding="utf-8")
