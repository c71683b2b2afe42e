"""The `annotator` command: opens the window, or runs a subcommand over the services."""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from annotator import __version__
from annotator.domain.errors import AnnotatorError
from annotator.domain.model import META_FIELDS, DocumentStatus
from annotator.domain.origins import ENGINES, MANUAL
from annotator.services.database import (
    DB_ENV,
    default_annotator_name,
    open_database,
    resolve_database,
)

# Each command imports the services it uses: `annotator list` should not pay for loading the
# import, export and suggestion machinery at every start.
if TYPE_CHECKING:
    from annotator.formats.sources import SourceOptions
    from annotator.services import Database
    from annotator.services.agreement import AgainstReport
    from annotator.services.importing import ImportProgress


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
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="add the annotated demo article to the database (the window's first start on "
        "the default database adds it by itself)",
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
    search = sub.add_parser("search", parents=[common], help="find documents by their words")
    search.add_argument("query", metavar="QUERY", help='words, "a phrase", OR, -word, word*')
    search.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="show at most N (default 20)"
    )
    imp = sub.add_parser(
        "import",
        parents=[common],
        help="import articles from files, folders and zip archives",
        description=(
            "Import articles: plain text in any common encoding, HTML pages, .docx, .pdf, "
            "JSON/JSONL (doccano, Label Studio tasks), CSV/TSV, folders (recursively) and .zip "
            "archives. Exit status: 0 when nothing was refused, 1 when something was, 130 when "
            "cancelled with Ctrl+C (what finished is kept)."
        ),
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument(
        "--format",
        dest="format_name",
        metavar="NAME",
        help="read annotated files in this format (see `annotator formats`); without it, "
        "annotation files are recognised where possible and anything else is read as articles",
    )
    imp.add_argument("--text-column", metavar="NAME", help="CSV/TSV column or JSON key of the text")
    imp.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help=f"a CSV/TSV column holding metadata; FIELD is one of {', '.join(META_FIELDS)} "
        "(repeat for each; default: columns named like the fields)",
    )
    imp.add_argument(
        "--quiet", action="store_true", help="print only the totals, not a row per file"
    )
    imp.add_argument(
        "--as-new",
        action="store_true",
        help="store an article whose URL is a stored document's as a new document, not as a "
        "new version (revision) of that document",
    )
    review = sub.add_parser(
        "review",
        parents=[common],
        help="list the spans new versions of articles left for review",
        description="One line per open review entry: document, entry, reason, label, the old "
        "quote and, for a changed span, the new one. With --annotator NAME only the entries "
        "of NAME's spans (default: everyone's). Settle them in the window (Review dock).",
    )
    review.add_argument("--document", type=int, metavar="ID", help="only this document")
    # --annotator NAME (a common option): only the entries of NAME's spans (default: all).
    sub.add_parser(
        "formats", parents=[common], help="list the interchange formats and what each carries"
    )
    exp = sub.add_parser(
        "export",
        parents=[common],
        help="write documents and their annotations in an interchange format",
    )
    exp.add_argument("--format", dest="format_name", required=True, metavar="NAME")
    exp.add_argument("--out", required=True, type=Path, metavar="PATH")
    exp.add_argument(
        "--document",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="only this document (repeat for more; default: all)",
    )
    exp.add_argument(
        "--label",
        action="append",
        default=[],
        metavar="NAME",
        help="only spans with this label (repeat for more; default: all)",
    )
    exp.add_argument("--tag", metavar="TAG", help="only documents with this tag")
    exp.add_argument(
        "--status",
        choices=[s.value for s in DocumentStatus],
        help="only documents with this status for the annotator (--annotator, else you)",
    )
    exp.add_argument(
        "--origin",
        action="append",
        default=[],
        choices=(MANUAL, *ENGINES),
        help="only spans made by hand (manual) or accepted from this engine's suggestions "
        "(repeat for more; default: all)",
    )
    exp.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="ANNOTATOR",
        help="only spans by this annotator (repeat for more; default: all)",
    )
    claims = sub.add_parser(
        "claims",
        parents=[common],
        help="print the claims table: who claimed what, when, according to whom",
        description=(
            "Print one row per claim: document, outlet, actor (SOURCE), claim text, date "
            "(TIME), quote type, stance, reporting verb, hedged, check-worthy, according to "
            "(the source of the claim it is REPORTED_IN) and targets. CSV on standard output "
            "keeps every value as stored; a CSV file (--output) is written for spreadsheets "
            "(UTF-8 with BOM, formula-like cells prefixed with an apostrophe)."
        ),
    )
    claims.add_argument(
        "--format",
        dest="table_format",
        choices=("csv", "json", "xlsx"),
        default="csv",
        help="csv (the default), json (an array of objects) or xlsx (needs --output)",
    )
    claims.add_argument("--output", type=Path, metavar="FILE", help="write to FILE, not stdout")
    claims.add_argument(
        "--document",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="only claims in this document (repeat for more; default: all)",
    )
    claims.add_argument(
        "--actor", metavar="KEY", help="only claims whose SOURCE is the actor with this key"
    )
    suggest = sub.add_parser(
        "suggest",
        parents=[common],
        help="run the suggestion engines and store what they propose",
        description=(
            "Run the suggestion engines (actors, dates, claims with their SOURCE and TIME) over "
            "documents and store their suggestions, replacing earlier ones of the same engines; "
            "what the database's annotations teach them is used. Ctrl+C cancels and keeps what "
            "finished (status 130). --output also writes the suggestions as JSON Lines, one a "
            "line, with offsets of the stored text in code points, end exclusive."
        ),
    )
    suggest.add_argument(
        "--document",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="only this document (repeat for more; default: all)",
    )
    suggest.add_argument(
        "--engine",
        action="append",
        default=[],
        choices=ENGINES,
        help="only this engine (repeat for more; default: those switched on for the database)",
    )
    suggest.add_argument("--output", type=Path, metavar="FILE", help="also write JSON Lines")
    sub.add_parser(
        "install-desktop",
        parents=[common],
        help="add the app to the desktop's menus (a desktop entry and an icon, Linux)",
        description=(
            "Write annotator.desktop and the icon into the user's data folder "
            "($XDG_DATA_HOME, usually ~/.local/share), starting this installation of the app."
        ),
    )
    schema = sub.add_parser(
        "schema",
        parents=[common],
        help="write the schema (labels, attributes, relation types) to a file, or read one",
        description=(
            "export FILE writes the labels with their colours, hotkeys and attributes, the "
            "relation types and the annotation guidelines as JSON; import FILE merges such a "
            "file into the database by name (labels and relation types it does not name are "
            "kept; its guidelines replace the database's)."
        ),
    )
    schema.add_argument("action", choices=("export", "import"))
    schema.add_argument("file", type=Path, metavar="FILE")
    agree = sub.add_parser(
        "agree",
        parents=[common],
        help="measure how far annotators agree on the documents they all worked on",
        description=(
            "Inter-annotator agreement over the documents that every chosen annotator worked "
            "on (a span of theirs, or a status other than new): span F1 (exact and overlap), "
            "token kappas (Cohen per pair, Fleiss for the group) and Krippendorff's alpha, "
            "Krippendorff's unitized alpha on characters, and agreement on attribution: the "
            "SOURCE actor, TIME value and quote type of claims both marked, the registry actor "
            "of ACTOR spans and the value of DATE spans. A figure that cannot be defined (no "
            "data, or a single category) is shown as '-' (empty in CSV, null in JSON)."
        ),
    )
    agree.add_argument(
        "--annotators",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME",
        help="two or more annotators (default: everyone who worked on a document in scope)",
    )
    agree.add_argument(
        "--document",
        type=int,
        nargs="+",
        action="extend",
        default=[],
        metavar="ID",
        help="only these documents (default: all that the annotators share)",
    )
    agree.add_argument(
        "--label",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME",
        help="only these labels (default: every label of the schema)",
    )
    agree.add_argument(
        "--against",
        metavar="NAME",
        help=(
            "compare each annotator with this layer (gold, say) instead of with each other: "
            "the figures of each annotator against it, over the documents the two share "
            "(default annotators: every layer that is not a gold layer)"
        ),
    )
    agree.add_argument(
        "--format",
        dest="agree_format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (the default), csv (one figure a row) or json",
    )
    backup = sub.add_parser(
        "backup",
        parents=[common],
        help="list the database's backups, or restore one",
        description=(
            "The window backs an SQLite database up when it opens it and every few minutes "
            "while something changes, into FILE.backups/ beside it (the newest few, then one an "
            "hour for a day, one a day for a week, one a week for two months). list prints "
            "them; restore WHEN|PATH puts one back (WHEN: `latest`, or a time as list prints "
            "it), after keeping the current file as a backup so that the restore can be undone."
        ),
    )
    backup.add_argument("action", choices=("list", "restore"))
    backup.add_argument("when", nargs="?", metavar="WHEN|PATH", help="the backup to restore")
    curate = sub.add_parser(
        "curate",
        parents=[common],
        help="compare annotators' layers of a document, merge what they agree on into gold",
        description=(
            "Compare the annotators' spans and links on a document (default: everyone with "
            "spans there). With --auto, what all of them agree on (same label, offsets, "
            "attributes and actor; links between such spans) is copied into the gold layer, "
            "never twice. Prints the disagreements still to decide, one a line; decide them in "
            "the window's curation view. Export gold with `annotator export --by gold`."
        ),
    )
    curate.add_argument("--document", type=int, required=True, metavar="ID")
    curate.add_argument(
        "--annotators", nargs="+", metavar="NAME", help="the layers to compare (default: all)"
    )
    curate.add_argument("--gold", default="gold", metavar="NAME", help="the gold layer's name")
    curate.add_argument(
        "--auto", action="store_true", help="merge the agreed spans and links into gold"
    )
    bundle = sub.add_parser(
        "bundle",
        parents=[common],
        help="carry one annotator's layer to another database (export, import)",
        description=(
            "export writes the layer of --annotator (documents with their text and SHA-256, "
            "spans, links, statuses, the actors named) to --out; import FILE reads such a "
            "bundle: documents are matched by SHA-256 (missing ones are added), the layer goes "
            "under the same name (or --as NAME), and a document where that annotator already "
            "has a different layer is reported and left alone. Importing twice changes nothing."
        ),
    )
    bundle.add_argument("action", choices=("export", "import"))
    bundle.add_argument("file", nargs="?", type=Path, metavar="FILE", help="the bundle to import")
    bundle.add_argument("--out", type=Path, metavar="FILE", help="where export writes")
    bundle.add_argument(
        "--document",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="only this document (repeat for more; default: every one the layer touches)",
    )
    bundle.add_argument("--as", dest="as_name", metavar="NAME", help="import under this name")
    assign = sub.add_parser(
        "assign",
        parents=[common],
        help="give documents to an annotator to annotate, or list who has which",
        description=(
            "With --annotator NAME: assign the documents given with --document, or the first "
            "N documents nobody has yet (--all-unassigned --count N). The window's library then "
            "shows that annotator what is theirs. --list prints every assignment."
        ),
    )
    what = assign.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--document",
        type=int,
        nargs="+",
        metavar="ID",
        help="document ids to assign (see `annotator list`)",
    )
    what.add_argument(
        "--all-unassigned",
        action="store_true",
        help="assign documents that nobody has yet (with --count)",
    )
    what.add_argument("--list", action="store_true", help="print who has which document")
    assign.add_argument("--count", type=int, metavar="N", help="how many (with --all-unassigned)")
    return parser


def cmd_curate(db_target: str, args: argparse.Namespace, out: TextIO) -> int:
    from annotator.services.curation import curation_state, merge_agreed
    from annotator.services.schema import get_schema

    db = open_database(db_target)
    try:
        if args.auto:
            step = merge_agreed(
                db, document_id=args.document, annotators=args.annotators, gold=args.gold
            )
            print(
                f"merged into {args.gold!r}: {_count(len(step.added.spans), 'span')}, "
                f"{_count(len(step.added.relations) + len(step.links_added), 'link')}",
                file=out,
            )
        state = curation_state(
            db, document_id=args.document, annotators=args.annotators, gold=args.gold
        )
        schema = get_schema(db)
    finally:
        db.dispose()
    names = ", ".join(a.name for a in state.annotators) or "nobody"
    agreed = state.comparison
    print(
        f"document {args.document}: {names}; agreed: "
        f"{_count(len(agreed.agreed_spans), 'span')}, {_count(len(agreed.agreed_links), 'link')}; "
        f"{_count(len(state.open), 'disagreement')} to decide",
        file=out,
    )
    for d in state.open:
        sides = []
        for side in d.sides:
            if d.kind == "span":
                shown = [
                    f"{schema.label(s.label_id).name} {s.start}-{s.end} {_clip(s.quote)!r}"
                    for s in side.spans
                ]
            else:
                shown = [
                    f"{schema.relation_type(r.type_id).name} -> {_clip(t.quote)!r}"
                    for r, _, t in side.links
                ]
            sides.append(f"{state.name_of(side.annotator_id)}: {'; '.join(shown) or '(none)'}")
        where = _clip(state.text[d.start : d.end])
        print(f"{d.kind} {d.start}-{d.end} {where!r}  " + "  |  ".join(sides), file=out)
    return 0


def _clip(text: str, limit: int = 40) -> str:
    text = _terminal_safe(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cmd_bundle(db_target: str, args: argparse.Namespace, out: TextIO) -> int:
    from annotator.services.bundles import export_bundle, import_bundle

    db = open_database(db_target)
    try:
        if args.action == "export":
            if args.out is None:
                raise AnnotatorError("bundle export needs --out FILE")
            name = getattr(args, "annotator", None) or default_annotator_name()
            done = export_bundle(db, annotator=name, out=args.out, document_ids=args.document)
            print(
                f"wrote the layer of {done.annotator!r}: {_count(done.documents, 'document')}, "
                f"{_count(done.spans, 'span')}, {_count(done.relations, 'link')} to {args.out}",
                file=out,
            )
            return 0
        if args.file is None:
            raise AnnotatorError("bundle import needs the FILE to read")
        report = import_bundle(db, path=args.file, as_name=args.as_name)
    finally:
        db.dispose()
    for conflict in report.conflicts:
        print(f"conflict: {_terminal_safe(conflict.describe(report.annotator))}", file=out)
    print(_terminal_safe(report.summary()), file=out)
    return 1 if report.conflicts else 0


def cmd_assign(db_target: str, args: argparse.Namespace, out: TextIO) -> int:
    from annotator.services.assignments import (
        assign_documents,
        assign_unassigned,
        list_assignments,
    )

    db = open_database(db_target)
    try:
        if args.list:
            for a in list_assignments(db):
                title = _terminal_safe(" ".join(a.title.split()))
                out.write(f"{a.annotator}\t{a.document_id}\t{title}\n")
            return 0
        name = getattr(args, "annotator", None)
        if not name:
            raise AnnotatorError("assign needs --annotator NAME: whom to give the documents to")
        if args.all_unassigned:
            if args.count is None:
                raise AnnotatorError("--all-unassigned needs --count N: how many documents")
            added = assign_unassigned(db, annotator=name, count=args.count)
        else:
            if args.count is not None:
                raise AnnotatorError("--count goes with --all-unassigned")
            added = assign_documents(db, annotator=name, document_ids=args.document)
        out.write(f"assigned {len(added)} document{'s' if len(added) != 1 else ''} to {name}\n")
        return 0
    finally:
        db.dispose()


def cmd_backup(db_target: str, args: argparse.Namespace, out: TextIO) -> int:
    from annotator.services import backups

    db_file = backups.sqlite_file(db_target)
    if db_file is None:
        said = (
            "the app backs up only SQLite files, not this database; back a PostgreSQL "
            "database up with its server's tools (pg_dump)"
        )
        if args.action == "list":
            print(said, file=out)
            return 0
        raise AnnotatorError(said)
    if args.action == "list":
        found = backups.list_backups(db_file)
        for item in found:
            print(f"{item.when:%Y-%m-%d %H:%M:%S} UTC  {item.size:>12,}  {item.path}", file=out)
        where = backups.backup_folder(db_file)
        print(f"{_count(len(found), 'backup')} of {db_file} in {where}", file=out)
        return 0
    if not args.when:
        raise AnnotatorError("backup restore needs WHEN or PATH: see `annotator backup list`")
    chosen = backups.find_backup(db_file, args.when)
    kept = backups.restore_backup(db_file, chosen.path)
    print(f"restored {db_file} from {chosen.path}", file=out)
    if kept is not None:
        print(f"the replaced file is kept as the backup {kept.path}", file=out)
    return 0


def cmd_schema(db_target: str, args: argparse.Namespace, out: TextIO) -> int:
    from annotator.services.schema import export_schema, import_schema

    db = open_database(db_target)
    try:
        if args.action == "export":
            schema = export_schema(db, path=args.file)
            print(
                f"wrote {len(schema.labels)} labels, {len(schema.relation_types)} relation "
                f"types and the guidelines to {args.file}",
                file=out,
            )
            return 0
        result = import_schema(db, path=args.file)
    finally:
        db.dispose()
    parts = [
        ("labels added", result.labels_added),
        ("labels updated", result.labels_changed),
        ("relation types added", result.relation_types_added),
        ("relation types updated", result.relation_types_changed),
    ]
    said = [f"{what}: {', '.join(names)}" for what, names in parts if names]
    print(
        f"{args.file}: " + "; ".join(said + (["guidelines replaced"] if result.guidelines else [])),
        file=out,
    )
    return 0


def cmd_claims(db_target: str, args: argparse.Namespace, out: TextIO) -> int:
    from annotator.services.claims import (
        actor_id_for_key,
        claim_rows,
        claims_json,
        write_claims_csv,
        write_claims_xlsx,
    )

    if args.table_format == "xlsx" and args.output is None:
        raise AnnotatorError("--format xlsx writes a workbook: give --output FILE")
    db = open_database(db_target)
    try:
        actor_id = actor_id_for_key(db, key=args.actor) if args.actor else None
        rows = claim_rows(db, document_ids=args.document or None, actor_id=actor_id)
    finally:
        db.dispose()
    if args.table_format == "xlsx":
        write_claims_xlsx(rows, args.output)
    elif args.table_format == "csv" and args.output is not None:
        write_claims_csv(rows, args.output)
    elif args.table_format == "csv":
        write_claims_csv(rows, out)
    elif args.output is not None:
        try:
            args.output.write_text(claims_json(rows) + "\n", encoding="utf-8")
        except OSError as exc:
            raise AnnotatorError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    else:
        print(claims_json(rows), file=out)
    if args.output is not None:
        print(f"wrote {len(rows)} claims to {args.output}", file=sys.stderr)
    return 0


def cmd_agree(db_target: str, args: argparse.Namespace, out: TextIO) -> int:
    from annotator.domain.agreement import AgreementReport
    from annotator.services.agreement import (
        AgainstReport,
        compute_against,
        compute_agreement,
        report_csv,
        report_json,
    )

    db = open_database(db_target)
    report: AgreementReport | AgainstReport
    try:
        if args.against is not None:
            report = compute_against(
                db,
                against=args.against,
                annotators=args.annotators,
                document_ids=args.document,
                labels=args.label,
            )
        else:
            report = compute_agreement(
                db, annotators=args.annotators, document_ids=args.document, labels=args.label
            )
    finally:
        db.dispose()
    if args.agree_format == "json":
        out.write(report_json(report))
        return 0
    if args.agree_format == "csv":
        out.write(report_csv(report))
        return 0
    if isinstance(report, AgainstReport):
        _print_against(report, out)
    else:
        _print_agreement(report.to_dict(), out)
    return 0


def _figure(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


_AGREE_COLUMNS = (
    ("span_f1_exact", "F1 exact"),
    ("span_f1_overlap", "F1 overlap"),
    ("cohen_kappa", "Cohen k"),
    ("fleiss_kappa", "Fleiss k"),
    ("krippendorff_alpha", "alpha"),
    ("unitized_alpha", "u-alpha"),
)
_ATTRIBUTION = (
    ("source", "claims", "same SOURCE actor"),
    ("time", "claims", "same TIME value"),
    ("quote_type", "claims", "same quote type"),
    ("actor_identity", "actors", "same registry actor"),
    ("date_value", "dates", "same date value"),
)


def _agree_table(rows: list[tuple[str, dict[str, Any]]], out: TextIO) -> None:
    columns = [(k, t) for k, t in _AGREE_COLUMNS if any(k in figures for _, figures in rows)]
    width = max(len(name) for name, _ in rows)
    print(f"  {'':<{width}}" + "".join(f"{t:>12}" for _, t in columns), file=out)
    for name, figures in rows:
        cells = "".join(f"{_figure(figures.get(k)):>12}" for k, _ in columns)
        print(f"  {_terminal_safe(name):<{width}}{cells}", file=out)


def _print_agreement(data: dict[str, Any], out: TextIO) -> None:
    names = ", ".join(_terminal_safe(n) for n in data["annotators"])
    print(
        f"{names}: {_count(data['documents'], 'document')}, {data['tokens']:,} tokens, "
        f"{data['characters']:,} characters",
        file=out,
    )
    overall = data["overall"]
    print("\nall annotators", file=out)
    _agree_table([("all labels", overall), *overall["per_label"].items()], out)
    for pair in data["pairs"]:
        print(f"\n{_terminal_safe(' vs '.join(pair['annotators']))}", file=out)
        _print_pair(pair, out)


def _print_pair(pair: dict[str, Any], out: TextIO) -> None:
    _agree_table([("all labels", pair), *pair["per_label"].items()], out)
    for key, what, said in _ATTRIBUTION:
        compared = pair[f"{key}_compared"]
        share = pair[f"{key}_agreement"]
        if compared:
            print(f"  {said}: {_figure(share)} of {_count(compared, what[:-1])}", file=out)
    matrix = pair["confusion"]
    if matrix["categories"]:
        print("  tokens (rows: first annotator, columns: second)", file=out)
        categories = [_terminal_safe(c) for c in matrix["categories"]]
        width = max(10, *(len(c) + 1 for c in categories))
        print("  " + " " * width + "".join(f"{c:>{width}}" for c in categories), file=out)
        for category, row in zip(categories, matrix["counts"], strict=True):
            print(f"  {category:<{width}}" + "".join(f"{n:>{width},}" for n in row), file=out)


def _print_against(report: AgainstReport, out: TextIO) -> None:
    reference = _terminal_safe(report.reference)
    names = ", ".join(_terminal_safe(r.annotators[0]) for r in report.reports)
    print(f"against {reference}: {names}", file=out)
    rows = [(" vs ".join(r.annotators), r.to_dict()["pairs"][0]) for r in report.reports]
    print("\nall labels", file=out)
    _agree_table(rows, out)
    for each, (who, pair) in zip(report.reports, rows, strict=True):
        print(
            f"\n{_terminal_safe(who)}: {_count(each.documents, 'document')}, "
            f"{each.tokens:,} tokens",
            file=out,
        )
        _print_pair(pair, out)
    for name in report.without_shared:
        print(f"\n{_terminal_safe(name)}: no document shared with {reference}", file=out)


def cmd_formats(out: TextIO) -> int:
    from annotator.formats.registry import FORMATS

    for info in FORMATS:
        modes = "/".join(m for m, ok in (("read", info.can_read), ("write", info.can_write)) if ok)
        print(f"{info.name:<13} {info.title} [{modes}]", file=out)
        if info.can_write:
            print(f"{'':<13} writes {info.writes()}", file=out)
        print(f"{'':<13} carries {info.carries()}", file=out)
        print(f"{'':<13} loses: {info.loses}", file=out)
    return 0


@contextmanager
def _long_work(
    db_target: str, progress: _Counter | _ProgressLine
) -> Iterator[tuple[Database, threading.Event]]:
    """The database and a cancel flag that Ctrl+C sets (the work stops at its next checkpoint
    and keeps what finished); on the way out the progress line is cleared and the database
    closed."""
    from annotator.services.backups import BackupError, backup_if_changed

    db = open_database(db_target)
    try:
        backup_if_changed(db)  # long work changes much: keep what was there before it
    except BackupError as exc:
        print(f"annotator: warning: {exc}", file=sys.stderr)
    try:
        with _ctrl_c_cancels(progress) as cancel:
            yield db, cancel
    finally:
        db.dispose()


@contextmanager
def _ctrl_c_cancels(progress: _Counter | _ProgressLine) -> Iterator[threading.Event]:
    """A cancel flag that Ctrl+C sets instead of stopping the program, for the block; on the
    way out Ctrl+C stops it again and the progress line is cleared."""
    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)
        progress.clear()


def cmd_export(db_target: str, args: argparse.Namespace, out: TextIO) -> int:
    from annotator.services.interchange import (
        ExportSelection,
        count_export_documents,
        export_corpus,
    )

    counter = _Counter(sys.stderr, "documents written")
    selection = ExportSelection(
        tuple(args.document),
        tuple(args.label),
        tuple(args.by),
        tag=args.tag,
        origins=tuple(args.origin),
        status=DocumentStatus(args.status) if args.status else None,
        status_of=getattr(args, "annotator", None) or default_annotator_name(),
    )
    with _long_work(db_target, counter) as (db, cancel):
        counter.total = count_export_documents(db, selection)
        report = export_corpus(
            db,
            format_name=args.format_name,
            out=args.out,
            selection=selection,
            progress=counter.update,
            cancelled=cancel.is_set,
        )
    for problem in report.problems[:50]:
        print(f"not carried: {_terminal_safe(problem.origin)}: {problem.message}", file=out)
    if len(report.problems) > 50:
        print(f"... and {len(report.problems) - 50} more not carried", file=out)
    where = report.destination(args.out)
    print(
        f"wrote {_count(report.documents, 'document')}, {_count(report.spans, 'span')}, "
        f"{_count(report.relations, 'relation')} to {where}"
        + (f"; {len(report.problems)} not carried" if report.problems else ""),
        file=out,
    )
    return 0


def cmd_suggest(db_target: str, args: argparse.Namespace, out: TextIO) -> int:
    from annotator.services.suggestions import run_suggestions, write_suggestions_jsonl

    counter = _Counter(sys.stderr, "documents")

    def progress(done: int, total: int) -> None:
        counter.total = total
        counter.update(done)

    with _long_work(db_target, counter) as (db, cancel):
        report = run_suggestions(
            db,
            document_ids=args.document or None,
            engines=args.engine or None,
            progress=progress,
            cancelled=cancel.is_set,
        )
        if args.output is not None:
            written = write_suggestions_jsonl(
                db,
                path=args.output,
                document_ids=args.document or None,
                engines=args.engine or report.by_engine.keys() or ENGINES,
            )
    print(report.summary(), file=out)
    if args.output is not None:
        print(f"wrote {_count(written, 'suggestion')} to {args.output}", file=out)
    return 130 if report.cancelled else 0


class _Counter:
    """A running count on a terminal ("120/4000 documents written  3%" when the total is
    known); silent when output goes to a file or pipe."""

    def __init__(self, stream: TextIO, what: str) -> None:
        self._stream, self._what, self._live = stream, what, stream.isatty()
        self.total: int | None = None

    def update(self, n: int) -> None:
        if self._live and (n < 100 or n % 100 == 0 or n == self.total):
            if self.total:
                shown = f"{n}/{self.total} {self._what}  {n * 100 // self.total}%"
            else:
                shown = f"{n} {self._what}"
            self._stream.write(f"\r{shown}")
            self._stream.flush()

    def clear(self) -> None:
        if self._live:
            self._stream.write("\r" + " " * 60 + "\r")
            self._stream.flush()


def _source_options(text_column: str | None, columns: list[str]) -> SourceOptions:
    from annotator.formats.sources import SourceOptions

    mapping: dict[str, str] = {}
    for pair in columns:
        column, sep, field = pair.rpartition("=")
        if not sep or not column or field not in META_FIELDS:
            raise AnnotatorError(
                f"--column {pair!r}: write COLUMN=FIELD with FIELD one of {', '.join(META_FIELDS)}"
            )
        mapping[column] = field
    return SourceOptions(text_column=text_column, metadata_columns=mapping or None)


def cmd_import(db_target: str, args: argparse.Namespace, out: TextIO) -> int:
    from annotator.services.importing import Outcome, import_files

    options = _source_options(args.text_column, args.column)
    bar = _ProgressLine(sys.stderr)
    counter = _Counter(sys.stderr, "annotated documents read")
    with _long_work(db_target, bar) as (db, cancel):
        report = import_files(
            db,
            paths=args.paths,
            annotator_name=getattr(args, "annotator", None) or default_annotator_name(),
            # --annotator NAME: everything imported is NAME's, whatever the files say.
            annotator_overrides=bool(getattr(args, "annotator", None)),
            options=options,
            format_name=args.format_name,
            progress=bar.update,
            annotation_progress=counter.update,
            cancelled=cancel.is_set,
            as_new=args.as_new,
        )
        counter.clear()
    annotations = report.annotation_report
    if annotations is not None and annotations.labels_added:
        print(f"labels added to the schema: {', '.join(annotations.labels_added)}", file=out)
    if not args.quiet and report.results:
        width = max(len(r.outcome.value) for r in report.results)
        for r in report.results:
            detail = _terminal_safe(r.detail)
            detail = detail if len(detail) <= 70 else detail[:69] + "…"
            print(f"{r.outcome.value:<{width}}  {_terminal_safe(r.origin)}  {detail}", file=out)
    print(report.summary(), file=out)
    if report.cancelled:
        return 130
    return 1 if report.count(Outcome.REFUSED) else 0


class _ProgressLine:
    """A one-line progress bar on a terminal; silent when output goes to a file or pipe."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._last = 0.0

    def update(self, progress: ImportProgress) -> None:
        now = time.monotonic()
        if not self._live or (now - self._last < 0.1 and progress.current):
            return
        self._last = now
        share = progress.done_bytes / progress.total_bytes if progress.total_bytes else 1.0
        filled = int(share * 30)
        name = _terminal_safe(Path(progress.current).name)[:40]
        line = (
            f"[{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} "
            f"{progress.done_files}/{progress.total_files} files  {name}"
        )
        self._stream.write("\r" + line.ljust(100)[:100])
        self._stream.flush()

    def clear(self) -> None:
        if self._live:
            self._stream.write("\r" + " " * 100 + "\r")
            self._stream.flush()


def cmd_list(db_target: str, out: TextIO) -> int:
    from annotator.services.documents import list_documents, list_label_names

    db = open_database(db_target)
    try:
        labels = list_label_names(db)
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


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {value!r}")
    return number


def _count(n: int, noun: str) -> str:
    """ "1 span", "2 spans"."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _terminal_safe(text: str) -> str:
    """One line without control characters: article text must not move the cursor or
    recolour the terminal (ESC sequences) when printed."""
    # Only control characters go: format characters such as the zero-width joiner hold emoji
    # sequences together and are harmless to a terminal.
    return "".join(" " if ch.isspace() or unicodedata.category(ch) == "Cc" else ch for ch in text)


def cmd_review(db_target: str, document_id: int | None, annotator: str | None, out: TextIO) -> int:
    from annotator.services.documents import list_annotators, list_labels
    from annotator.services.revisions import open_reviews

    db = open_database(db_target)
    try:
        names = {a.id: a.name for a in list_annotators(db)}
        annotator_id = None
        if annotator is not None:
            annotator_id = next((i for i, n in names.items() if n == annotator), None)
            if annotator_id is None:
                raise AnnotatorError(f"no annotator is named {annotator!r}")
        entries = open_reviews(db, document_id=document_id, annotator_id=annotator_id)
        labels = {label.id: label.name for label in list_labels(db)}
    finally:
        db.dispose()
    for entry in entries:
        line = (
            f"document {entry.document_id}  entry {entry.id}  "
            f"{names.get(entry.annotator_id, entry.annotator_id)}  {entry.reason.value}  "
            f"{labels.get(entry.label_id, entry.label_id)}  {entry.old_quote!r}"
        )
        if entry.quote is not None and entry.span_id is not None:
            line += f" -> {entry.quote!r}"
        elif entry.prefix or entry.suffix:
            line += f"  (was in: …{entry.prefix}[{entry.old_quote}]{entry.suffix}…)"
        print(_terminal_safe(line), file=out)
    print(f"{len(entries)} to review", file=out)
    return 0


def cmd_search(db_target: str, query: str, limit: int, out: TextIO) -> int:
    from annotator.services.search import (
        count_search_matches,
        index_for_search,
        pending_search_count,
        search_documents,
    )

    db = open_database(db_target)
    try:
        # What an import left unindexed is indexed first, with progress; Ctrl+C searches
        # what is indexed so far and says how much was left out.
        counter = _Counter(sys.stderr, "documents indexed for search")

        def indexed(done: int, total: int) -> None:
            counter.total = total
            counter.update(done)

        with _ctrl_c_cancels(counter) as cancel:
            index_for_search(db, progress=indexed, cancelled=cancel.is_set)
        left_out = pending_search_count(db) if cancel.is_set() else 0
        hits = search_documents(db, query=query, limit=limit, index_first=False)
        total = count_search_matches(db, query=query, index_first=False) if hits else 0
    finally:
        db.dispose()
    for hit in hits:
        marked, last = [], 0
        for start, end in hit.hits:
            marked += [hit.snippet[last:start], "[", hit.snippet[start:end], "]"]
            last = end
        marked.append(hit.snippet[last:])
        print(f"{hit.document_id}  {_terminal_safe(hit.title)}", file=out)
        print(f"    {_terminal_safe(''.join(marked)).strip()}", file=out)
    shown = f" (showing {len(hits)})" if total > len(hits) else ""
    print(f"{total} {'match' if total == 1 else 'matches'}{shown}", file=out)
    if left_out:
        print(f"not searched: {_count(left_out, 'document')} not indexed yet", file=out)
    return 0


def display_problem(environ: Mapping[str, str], platform: str) -> str | None:
    """Why the window cannot open here, in one line, or None when it may.

    Checked before Qt is loaded: without a display Qt's xcb plugin aborts the process with advice
    to reinstall. Only X11 and Wayland sessions need this; Windows, macOS and an explicit
    QT_QPA_PLATFORM other than xcb or wayland (offscreen, vnc, eglfs...) are left to Qt.
    """
    if platform in ("win32", "darwin", "cygwin"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith(("xcb", "wayland")):
        return None
    if environ.get("WAYLAND_DISPLAY") and not chosen.startswith("xcb"):
        return None
    display = environ.get("DISPLAY", "")
    advice = (
        "run it in a desktop session, set DISPLAY (or QT_QPA_PLATFORM=offscreen), or use a "
        "subcommand, which needs no display (`annotator list`, `annotator --help`)"
    )
    if not display:
        return f"the window needs a display and none is set (DISPLAY is empty); {advice}"
    if not _x_display_reachable(display):
        return f"the window cannot reach the display {display!r}; {advice}"
    return None


def _x_display_reachable(display: str) -> bool:
    """Whether an X server answers at DISPLAY (a local socket, or TCP for host:N)."""
    import socket

    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return True  # a form we do not know: let Qt say what it thinks
    if host.startswith("/"):  # a launchd socket path (XQuartz)
        return Path(display).exists()
    if host in ("", "unix"):
        # Linux X servers listen on an abstract socket (leading NUL) and on a file socket.
        for address in (f"\0/tmp/.X11-unix/X{number}", f"/tmp/.X11-unix/X{number}"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(1)
                try:
                    sock.connect(address)
                    return True
                except OSError:
                    continue
        return False
    try:
        with socket.create_connection((host, 6000 + int(number)), timeout=2):
            return True
    except OSError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    db_target = resolve_database(getattr(args, "db", None))
    demo = bool(getattr(args, "demo", False))
    window = args.command in (None, "gui")
    if window and (problem := display_problem(os.environ, sys.platform)):
        print(f"annotator: error: {problem}", file=sys.stderr)
        return 2
    try:
        if demo and not window:
            open_database(db_target, demo=True).dispose()
        if args.command == "list":
            return cmd_list(db_target, sys.stdout)
        if args.command == "formats":
            return cmd_formats(sys.stdout)
        if args.command == "export":
            return cmd_export(db_target, args, sys.stdout)
        if args.command == "import":
            return cmd_import(db_target, args, sys.stdout)
        if args.command == "review":
            return cmd_review(
                db_target, args.document, getattr(args, "annotator", None), sys.stdout
            )
        if args.command == "search":
            return cmd_search(db_target, args.query, args.limit, sys.stdout)
        if args.command == "schema":
            return cmd_schema(db_target, args, sys.stdout)
        if args.command == "backup":
            return cmd_backup(db_target, args, sys.stdout)
        if args.command == "assign":
            return cmd_assign(db_target, args, sys.stdout)
        if args.command == "claims":
            return cmd_claims(db_target, args, sys.stdout)
        if args.command == "curate":
            return cmd_curate(db_target, args, sys.stdout)
        if args.command == "bundle":
            return cmd_bundle(db_target, args, sys.stdout)
        if args.command == "suggest":
            return cmd_suggest(db_target, args, sys.stdout)
        if args.command == "agree":
            return cmd_agree(db_target, args, sys.stdout)
        if args.command == "install-desktop":
            from annotator.services.desktop import install_desktop_entry

            files = install_desktop_entry()
            print(f"wrote {files.entry} and {files.icon}", file=sys.stdout)
            return 0
        try:
            from annotator.ui.app import run_gui
        except ImportError as exc:
            # Qt's libraries load here; a system library they need may be missing.
            if ".so" not in str(exc):
                raise
            library = str(exc).split(":")[0]
            print(
                f"annotator: error: the window cannot start: the system library {library} is "
                "missing (on Debian or Ubuntu, scripts/start installs what the window needs; "
                "`annotator list` and the other subcommands work without it)",
                file=sys.stderr,
            )
            return 2

        return run_gui(
            db_target=db_target, annotator_name=getattr(args, "annotator", None), demo=demo
        )
    except BrokenPipeError:
        # The reader went away (`annotator list | head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except AnnotatorError as exc:
        # One line: database drivers append hints on further lines ("Is the server running...").
        message = re.sub(r"\s*\n\s*", " ", str(exc).strip())
        print(f"annotator: error: {message}", file=sys.stderr)
        return 2
