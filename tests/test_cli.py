"""The `annotator` command, run for real in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from demo_helpers import add_plain_demo

import annotator
from annotator.services.database import ensure_annotator, open_database
from annotator.services.documents import list_documents, list_labels, open_document
from annotator.services.spans import add_span


def run(*args: str, env: dict[str, str] | None = None, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        env=dict(os.environ) if env is None else env,  # conftest already redirected HOME etc.
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def cell(output: str, row_start: str, column: str) -> str:
    """The value in the row beginning with `row_start` under the right-aligned `column`."""
    lines = output.splitlines()
    header = lines[0]
    assert f" {column}" in header, header
    right = header.index(f" {column}") + 1 + len(column)
    (row,) = [
        line
        for line in lines[1:]
        if line.split()[0] == row_start and line.split()[-1].isdigit()  # not "1 document(s)"
    ]
    return row[:right].split()[-1]


def test_version_prints_the_package_version(tmp_path):
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert annotator.__version__ in result.stdout
    assert result.stdout.strip() == f"annotator {annotator.__version__}"


def test_help_lists_the_list_command_and_the_db_option(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "list" in result.stdout.split()
    assert "--db" in result.stdout


def demo_title(db_file: Path) -> tuple[int, str]:
    db = open_database(db_file)
    try:
        (doc,) = list_documents(db)
        return doc.id, doc.title
    finally:
        db.dispose()


@pytest.mark.parametrize("how", ["option after", "option before", "environment"])
def test_list_prints_each_document_with_counts_per_label(tmp_path, how):
    db_file = tmp_path / "news.sqlite3"
    add_plain_demo(db_file)
    env = dict(os.environ)
    if how == "option after":
        args = ["list", "--db", str(db_file)]
    elif how == "option before":
        args = ["--db", str(db_file), "list"]
    else:
        args = ["list"]
        env["ANNOTATOR_DB"] = str(db_file)
    result = run(*args, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert db_file.is_file(), "the database named on the command line was not used"

    doc_id, title = demo_title(db_file)
    out = result.stdout
    assert title[:40] in out
    for label in ("ACTOR", "DATE", "CLAIM", "total"):
        assert cell(out, str(doc_id), label) == "0"
    assert "1 document" in out
    # Nothing went to the default database in the user data folder.
    assert not any(Path(os.environ["XDG_DATA_HOME"]).rglob("*.sqlite3"))


def test_list_counts_a_span_under_its_label(tmp_path):
    db_file = tmp_path / "news.sqlite3"
    add_plain_demo(db_file)
    db = open_database(db_file)
    try:
        (summary,) = list_documents(db)
        document, _ = open_document(db, document_id=summary.id)
        date_label = next(label for label in list_labels(db) if label.name == "DATE")
        add_span(
            db,
            document_id=document.id,
            start=0,
            end=len(document.text.split()[0]),
            label_id=date_label.id,
            annotator_id=ensure_annotator(db, name="tester").id,
        )
    finally:
        db.dispose()

    result = run("list", "--db", str(db_file), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert cell(result.stdout, str(summary.id), "DATE") == "1"
    assert cell(result.stdout, str(summary.id), "ACTOR") == "0"
    assert cell(result.stdout, str(summary.id), "CLAIM") == "0"
    assert cell(result.stdout, str(summary.id), "total") == "1"


def test_list_uses_the_default_database_in_the_user_data_folder(tmp_path):
    result = run("list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    created = list(Path(os.environ["XDG_DATA_HOME"]).rglob("*.sqlite3"))
    assert len(created) == 1
    # A command run from a script gets the schema and no demo article; the window's first
    # start on the default database adds that.
    assert result.stdout.splitlines()[-1] == "0 document(s)"


@pytest.mark.parametrize("target", ["postgresql://u@127.0.0.1:1/x", "a folder"])
def test_a_bad_database_is_a_one_line_error_with_status_2(tmp_path, target):
    if target == "a folder":
        folder = tmp_path / "folder"
        folder.mkdir()
        target = str(folder)
    result = run("--db", target, "list", cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("annotator: error: ")
    assert result.stdout == ""


def test_list_on_a_postgresql_url_seeds_and_counts(tmp_path, pg_database_url):
    add_plain_demo(pg_database_url)
    db = open_database(pg_database_url)
    try:
        (doc,) = list_documents(db)
        labels = {label.name: label.id for label in list_labels(db)}
        me = ensure_annotator(db, name="tester")
        document, _ = open_document(db, document_id=doc.id)
        start = document.text.index("Tomas Reyes")
        add_span(
            db,
            document_id=doc.id,
            start=start,
            end=start + 11,
            label_id=labels["ACTOR"],
            annotator_id=me.id,
        )
    finally:
        db.dispose()
    result = run("list", "--db", pg_database_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert cell(result.stdout, str(doc.id), "ACTOR") == "1"
    assert cell(result.stdout, str(doc.id), "DATE") == "0"


def test_import_prints_a_row_per_file_and_totals_and_exit_status(tmp_path, shared):
    db_file = tmp_path / "corpus.sqlite3"
    edge = shared / "corpus" / "edge"
    result = run(
        "import",
        "--db",
        str(db_file),
        str(edge / "emoji.txt"),
        str(edge / "binary.bin"),
        str(edge / "malformed.jsonl"),
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr  # something was refused
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("imported") and "emoji.txt" in line and "👩🏽\u200d⚖️" in line
        for line in lines
    )
    assert any(line.startswith("refused") and "binary.bin" in line for line in lines)
    assert any(line.startswith("refused") and "malformed.jsonl:2" in line for line in lines)
    assert lines[-1] == "2 imported, 0 duplicate, 4 refused"
    again = run("import", "--db", str(db_file), "--quiet", str(edge / "emoji.txt"), cwd=tmp_path)
    assert again.returncode == 0
    assert again.stdout.strip() == "0 imported, 1 duplicate, 0 refused"
    listed = run("list", "--db", str(db_file), cwd=tmp_path)
    assert "2 document(s)" in listed.stdout


def test_import_of_a_missing_path_is_refused_not_a_traceback(tmp_path):
    result = run(
        "import", "--db", str(tmp_path / "x.sqlite3"), str(tmp_path / "nope.txt"), cwd=tmp_path
    )
    assert result.returncode == 1
    assert "refused" in result.stdout and "nope.txt" in result.stdout
    assert "Traceback" not in result.stderr


def test_import_csv_with_chosen_text_and_metadata_columns(tmp_path):
    table = tmp_path / "stories.csv"
    table.write_text(
        "headline,body,paper,day\n"
        'First story,"Kim Yo Jong said the gift was the best.",KCNA,2024-02-20\n',
        encoding="utf-8",
    )
    db_file = tmp_path / "t.sqlite3"
    result = run(
        "import",
        "--db",
        str(db_file),
        str(table),
        "--text-column",
        "body",
        "--column",
        "headline=title",
        "--column",
        "paper=source",
        "--column",
        "day=published",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    db = open_database(db_file)
    try:
        doc = next(d for d in list_documents(db) if d.title == "First story")
        document, _ = open_document(db, document_id=doc.id)
    finally:
        db.dispose()
    assert document.text == "Kim Yo Jong said the gift was the best."
    assert (document.meta.source, document.meta.published) == ("KCNA", "2024-02-20")
    bad = run(
        "import", "--db", str(db_file), str(table), "--column", "paper=nonsense", cwd=tmp_path
    )
    assert bad.returncode == 2 and bad.stderr.startswith("annotator: error: --column")


def test_formats_lists_every_format_with_what_it_carries(tmp_path):
    from annotator.formats.registry import FORMATS

    result = run("formats", cwd=tmp_path)
    assert result.returncode == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert names == [f.name for f in FORMATS]
    assert "UTF-16 code units" in result.stdout and "loses:" in result.stdout


def test_export_then_import_guessing_the_format(tmp_path):
    source = tmp_path / "source.sqlite3"
    add_plain_demo(source)
    db = open_database(source)
    try:
        (doc,) = list_documents(db)
        labels = {label.name: label.id for label in list_labels(db)}
        me = ensure_annotator(db, name="tester")
        document, _ = open_document(db, document_id=doc.id)
        start = document.text.index("Tomas Reyes")
        add_span(
            db,
            document_id=doc.id,
            start=start,
            end=start + 11,
            label_id=labels["ACTOR"],
            annotator_id=me.id,
        )
    finally:
        db.dispose()
    out = tmp_path / "corpus.jsonl"
    exported = run(
        "export", "--db", str(source), "--format", "native", "--out", str(out), cwd=tmp_path
    )
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.strip().endswith(f"wrote 1 document, 1 span, 0 relations to {out}")
    brat = tmp_path / "brat"
    to_brat = run(
        "export", "--db", str(source), "--format", "brat", "--out", str(brat), cwd=tmp_path
    )
    assert to_brat.returncode == 0, to_brat.stderr
    assert (brat / "annotation.conf").is_file()
    files = len(list(brat.iterdir()))
    assert to_brat.stdout.strip().endswith(f"to {brat} ({files} files)")
    # What doccano does not carry (annotator names) is said about the file where it now is.
    doccano = tmp_path / "doccano.jsonl"
    to_doccano = run(
        "export", "--db", str(source), "--format", "doccano", "--out", str(doccano), cwd=tmp_path
    )
    lost = [line for line in to_doccano.stdout.splitlines() if line.startswith("not carried")]
    assert lost and all(line.startswith(f"not carried: {doccano}: ") for line in lost)
    assert any("annotator" in line for line in lost)

    target = tmp_path / "target.sqlite3"
    imported = run("import", "--db", str(target), str(out), cwd=tmp_path)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "1 spans added" in imported.stdout
    listed = run("list", "--db", str(target), cwd=tmp_path)
    assert cell(listed.stdout, str(doc.id), "ACTOR") == "1"


def test_export_errors_are_one_line(tmp_path):
    result = run(
        "export",
        "--db",
        str(tmp_path / "x.sqlite3"),
        "--format",
        "nope",
        "--out",
        str(tmp_path / "o"),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("annotator: error: no format named 'nope'")
    assert "Traceback" not in result.stderr


def test_schema_export_then_import_into_another_database(tmp_path):
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    schema_file = tmp_path / "schema.json"
    exported = run("schema", "export", str(schema_file), "--db", str(first), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.strip() == (
        f"wrote 3 labels, 3 relation types and the guidelines to {schema_file}"
    )

    data = json.loads(schema_file.read_text(encoding="utf-8"))
    data["labels"].append(
        {"name": "PLACE", "colour": "#009E73", "hotkey": "4", "style": "background"}
    )
    data["relation_types"].append(
        {"name": "TARGET", "from": "CLAIM", "to": "ACTOR", "colour": "#F0E442"}
    )
    assert data["guidelines"].startswith("#")  # the shipped guidelines, in Markdown
    data["guidelines"] = "# Our rules\n\nMark **places** too.\n"
    schema_file.write_text(json.dumps(data), encoding="utf-8")
    imported = run("schema", "import", str(schema_file), "--db", str(second), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "labels added: PLACE" in imported.stdout
    assert "relation types added: TARGET" in imported.stdout
    assert "guidelines replaced" in imported.stdout
    again_file = tmp_path / "again.json"
    again = run("schema", "export", str(again_file), "--db", str(second), cwd=tmp_path)
    assert again.stdout.startswith("wrote 4 labels, 4 relation types and the guidelines")
    again_data = json.loads(again_file.read_text(encoding="utf-8"))
    assert again_data["guidelines"] == "# Our rules\n\nMark **places** too.\n"


def test_schema_import_of_a_broken_file_is_one_line_naming_it(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = run(
        "schema", "import", str(broken), "--db", str(tmp_path / "db.sqlite3"), cwd=tmp_path
    )
    assert result.returncode == 2
    assert str(broken) in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_export_on_a_terminal_shows_progress_against_the_total(tmp_path):
    """On a terminal the export counts up to the number of documents it will write."""
    import pty

    db_path = tmp_path / "t.sqlite3"
    add_plain_demo(db_path)
    db = open_database(db_path)
    try:
        from annotator.domain.model import DocumentMeta
        from annotator.services.documents import add_document

        for i in range(2):
            add_document(db, text=f"Article {i} text.", meta=DocumentMeta(f"A{i}"))
    finally:
        db.dispose()
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "annotator", "export", "--db", str(db_path), "--format",
             "native", "--out", str(tmp_path / "out.jsonl")],
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
            timeout=120,
            check=False,
        )  # fmt: skip
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal is closed once everything was read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0, seen
    assert "3/3 documents written  100%" in seen.decode()
    assert done.stdout.strip().endswith("wrote 3 documents, 0 spans, 0 relations to " + str(
        tmp_path / "out.jsonl"
    ))  # fmt: skip
    # Without a terminal nothing but the result is printed.
    quiet = run("export", "--db", str(db_path), "--format", "native", "--out",
                str(tmp_path / "again.jsonl"), cwd=tmp_path)  # fmt: skip
    assert quiet.returncode == 0 and quiet.stderr == ""


def _demo_with_a_span(path: Path) -> None:
    add_plain_demo(path)
    db = open_database(path)
    try:
        (doc,) = list_documents(db)
        labels = {label.name: label.id for label in list_labels(db)}
        me = ensure_annotator(db, name="tester")
        document, _ = open_document(db, document_id=doc.id)
        start = document.text.index("Tomas Reyes")
        add_span(db, document_id=doc.id, start=start, end=start + 11,
                 label_id=labels["ACTOR"], annotator_id=me.id)  # fmt: skip
    finally:
        db.dispose()


def test_export_writes_the_format_given_whatever_the_file_is_called(tmp_path, capsys):
    from zipfile import is_zipfile

    from annotator.cli import main

    source = tmp_path / "source.sqlite3"
    _demo_with_a_span(source)
    book = tmp_path / "spans"  # no suffix
    assert main(["export", "--db", str(source), "--format", "xlsx", "--out", str(book)]) == 0
    assert is_zipfile(book)  # a workbook, not CSV
    assert f"wrote 1 document, 1 span, 0 relations to {book}" in capsys.readouterr().out
    table = tmp_path / "spans.txt"  # a suffix no format uses
    assert main(["export", "--db", str(source), "--format", "csv", "--out", str(table)]) == 0
    assert table.read_text(encoding="utf-8-sig").startswith("document_id,")

    # Named as another format's file: refused in one line, nothing written.
    named_csv = tmp_path / "spans.csv"
    assert main(["export", "--db", str(source), "--format", "xlsx", "--out", str(named_csv)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "annotator: error: spans.csv ends in .csv, the suffix of csv files, but the xlsx format "
        "writes .xlsx: rename the file or choose that format\n"
    )
    assert not named_csv.exists()


def test_formats_says_what_each_writes(tmp_path):
    result = run("formats", cwd=tmp_path)
    assert result.returncode == 0
    blocks = result.stdout.split("\nlabel-studio")[1].split("\nbrat")[0]
    assert "writes one .json file and beside it the labeling config" in blocks
    assert "writes a folder of a .txt and an .ann file per document" in result.stdout


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("annotator: error: ")
    return lines[0]


def _article(tmp_path: Path, size: int = 100) -> Path:
    article = tmp_path / "article.txt"
    article.write_text("A new article to import. " * size, encoding="utf-8")
    return article


def test_a_database_busy_past_the_timeout_is_one_line_naming_it(tmp_path, capsys, monkeypatch):
    from db_faults import short_busy_timeout, write_lock_held

    from annotator.cli import main

    db_file = tmp_path / "busy.sqlite3"
    add_plain_demo(db_file)
    short_busy_timeout(monkeypatch)
    with write_lock_held(db_file):
        assert main(["import", "--db", str(db_file), str(_article(tmp_path))]) == 2
    message = _one_line_error(capsys)
    assert f"the database file {db_file} is busy" in message
    assert "try again" in message


def test_a_full_disk_refuses_an_import_in_one_line_and_reading_commands_still_work(
    tmp_path, capsys
):
    from db_faults import DISK_FULL, on_every_connection

    from annotator.cli import main

    db_file = tmp_path / "full.sqlite3"
    _demo_with_a_span(db_file)
    with on_every_connection(DISK_FULL):
        big = _article(tmp_path, 80_000)  # 2 MB: needs pages the file cannot get
        assert main(["import", "--db", str(db_file), str(big)]) == 2
        message = _one_line_error(capsys)
        assert f"the database file {db_file} cannot grow: the disk is full" in message

        assert main(["list", "--db", str(db_file)]) == 0
        assert "1 document(s)" in capsys.readouterr().out
        table = tmp_path / "spans.csv"
        assert main(["export", "--db", str(db_file), "--format", "csv", "--out", str(table)]) == 0
        assert "Tomas Reyes" in table.read_text(encoding="utf-8")


def test_a_read_only_database_refuses_an_import_in_one_line_and_still_lists(tmp_path, capsys):
    from db_faults import READ_ONLY, on_every_connection

    from annotator.cli import main

    db_file = tmp_path / "readonly.sqlite3"
    add_plain_demo(db_file)
    with on_every_connection(READ_ONLY):
        assert main(["import", "--db", str(db_file), str(_article(tmp_path))]) == 2
        message = _one_line_error(capsys)
        assert f"the database file {db_file} is read-only" in message
        assert main(["list", "--db", str(db_file)]) == 0
        assert "1 document(s)" in capsys.readouterr().out


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes to any file"
)
def test_a_file_without_write_permission_is_read_only_in_one_line(tmp_path):
    db_file = tmp_path / "locked-down" / "news.sqlite3"
    db_file.parent.mkdir()
    add_plain_demo(db_file)
    article = _article(tmp_path)
    for path in db_file.parent.iterdir():
        path.chmod(0o444)
    db_file.parent.chmod(0o555)
    try:
        result = run("import", "--db", str(db_file), str(article), cwd=tmp_path)
    finally:
        db_file.parent.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert str(db_file) in result.stderr


def test_garbage_at_the_database_path_is_one_line_naming_it(tmp_path):
    db_file = tmp_path / "garbage.sqlite3"
    db_file.write_bytes(b"this is not a database\n" * 200)
    result = run("list", "--db", str(db_file), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("annotator: error: ")
    assert f"{db_file} is damaged" in line
    assert db_file.read_bytes() == b"this is not a database\n" * 200


def test_a_database_from_a_newer_version_is_one_line_naming_it(tmp_path):
    import sqlite3

    db_file = tmp_path / "newer.sqlite3"
    add_plain_demo(db_file)
    plain = sqlite3.connect(db_file)
    plain.execute("UPDATE alembic_version SET version_num = 'abcdef987654'")
    plain.commit()
    plain.close()
    result = run("list", "--db", str(db_file), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert f"the database file {db_file} was made by a newer version of annotator" in line
    assert "update annotator" in line
