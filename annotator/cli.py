"""The `annotator` command: opens the window, or runs a subcommand over the services."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import TextIO

from annotator import __version__
from annotator.domain.errors import AnnotatorError
from annotator.services.database import DB_ENV, open_database, resolve_database
from annotator.services.documents import list_documents, list_labels


def _common() -> argparse.ArgumentParser:
    # Options every subcommand accepts, before or after its name. SUPPRESS keeps a value given
    # before the subcommand from being overwritten by the subparser's default.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH|URL",
        default=argparse.SUPPRESS,
        help=f"SQLite file or database URL (default: ${DB_ENV}, else the user data folder)",
    )
    common.add_argument(
        "--annotator",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="whose annotations these are (default: $ANNOTATOR_NAME, else the login name)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Annotate news articles: actors, dates, claims; who said what, when.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", parents=[common], help="open the window (the default)")
    sub.add_parser(
        "list", parents=[common], help="print the documents with their span counts per label"
    )
    return parser


def cmd_list(db_target: str, out: TextIO) -> int:
    db = open_database(db_target)
    try:
        labels = [label.name for label in list_labels(db)]
        docs = list_documents(db)
    finally:
        db.dispose()
    header = ["id", "title", *labels, "total"]
    rows = [
        [str(d.id), d.title, *(str(d.span_counts.get(n, 0)) for n in labels), str(d.span_total)]
        for d in docs
    ]
    # Titles are clipped so that one long title cannot push the counts off the screen.
    for row in rows:
        if len(row[1]) > 60:
            row[1] = row[1][:59] + "…"
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [
            c.ljust(w) if i == 1 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip(), file=out)
    print(f"{len(docs)} document(s)", file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    db_target = resolve_database(getattr(args, "db", None))
    try:
        if args.command == "list":
            return cmd_list(db_target, sys.stdout)
        from annotator.ui.app import run_gui

        return run_gui(db_target=db_target, annotator_name=getattr(args, "annotator", None))
    except AnnotatorError as exc:
        # One line: database drivers append hints on further lines ("Is the server running...").
        message = re.sub(r"\s*\n\s*", " ", str(exc).strip())
        print(f"annotator: error: {message}", file=sys.stderr)
        return 2
