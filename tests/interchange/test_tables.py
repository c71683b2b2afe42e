"""CSV and XLSX span tables: columns, context, formula neutralisation, streaming."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import cast

import pytest
from helpers import INNER_CLAIM, OUTER_CLAIM, claim_doc, make_doc
from openpyxl import load_workbook  # type: ignore[import-untyped]

from annotator.domain.interchange import AnnotatedDocument
from annotator.domain.model import DocumentMeta
from annotator.formats import tables
from annotator.formats.registry import get_format

TEXT = "Ana 👩‍👩‍👧 met Bo\non 1 May 2024 in Zu\u0308rich, and said the talks went well."


def sample() -> list[AnnotatedDocument]:
    meta = DocumentMeta(title="Talks", source="The Daily", published="2024-05-02")
    start = TEXT.index("1 May")
    return [
        make_doc(
            TEXT,
            [
                (0, 3, "ACTOR", {"role": "host", "n": 2}, "first name only"),
                (start, start + 10, "DATE"),
                (4, 9, "ACTOR"),
            ],
            meta=meta,
            doc_id=7,
        )
    ]


def formula_docs(shared: Path) -> list[AnnotatedDocument]:
    docs = []
    lines = (shared / "corpus/edge/formula.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, start=1):
        record = json.loads(line)
        text = record["text"]
        said = text.index(" said") if " said" in text else text.index(" was")
        docs.append(
            make_doc(
                text,
                [(0, said, "CLAIM", {}, "=1+1"), (0, 4, "ACTOR")],
                meta=DocumentMeta(title=record["title"], source="@outlet"),
                doc_id=n,
            )
        )
    return docs


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_registry_entries_point_here() -> None:
    assert cast(object, get_format("csv").load()) is tables
    assert cast(object, get_format("xlsx").load()) is tables
    assert not tables.sniff(Path("x.csv"))


def test_csv_columns_and_context(tmp_path: Path) -> None:
    out = tmp_path / "spans.csv"
    seen: list[int] = []
    report = tables.write(sample(), out, progress=seen.append)
    assert (report.documents, report.spans, report.problems, seen) == (1, 3, [], [1])
    assert b"\r\n" in out.read_bytes()  # RFC 4180 record separators
    header, first, date, family = read_csv(out)
    assert tuple(header) == tables.COLUMNS
    assert first == [
        "7",
        "Talks",
        "The Daily",
        "2024-05-02",
        "ACTOR",
        "Ana",
        "0",
        "3",
        "",
        TEXT[3:63],
        "tester",
        "first name only",
        '{"n": 2, "role": "host"}',
        "1",
        "",
        "",
        "",
    ]
    assert date[5] == "1 May 2024"
    start = TEXT.index("1 May")
    assert date[8] == TEXT[max(0, start - 60) : start] and date[9] == TEXT[start + 10 : start + 70]
    assert "\n" in date[8]  # line breaks stay inside the quoted cell
    assert family[5] == "👩‍👩‍👧" and (family[6], family[7]) == ("4", "9")  # code points


def test_csv_neutralises_formulas(tmp_path: Path, shared: Path) -> None:
    out = tmp_path / "spans.csv"
    report = tables.write(formula_docs(shared), out)
    rows = read_csv(out)[1:]
    assert len(rows) == 4
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    first = rows[0]
    assert first[1] == '\'=HYPERLINK("http://127.0.0.1/x","click")'
    assert first[2] == "'@outlet"
    assert first[5] == "'+cmd|' /C calc'!A0"
    assert first[11] == "'=1+1"
    assert rows[2][1] == "'@SUM(1+1)" and rows[2][5] == "'-2+3"
    (problem,) = report.problems
    assert problem.message.startswith("14 cells")  # title, outlet, quote on both rows; one note


def test_xlsx_keeps_formulas_as_text(tmp_path: Path, shared: Path) -> None:
    out = tmp_path / "spans.xlsx"
    report = tables.write(formula_docs(shared), out)
    assert report.problems == [] and report.spans == 4
    sheet_xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and 't="inlineStr"' in sheet_xml
    assert 'state="frozen"' in sheet_xml and "<col " in sheet_xml
    ws = load_workbook(out).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert tuple(rows[0]) == tables.COLUMNS
    first = rows[1]
    assert first[1] == '=HYPERLINK("http://127.0.0.1/x","click")'
    assert first[5] == "+cmd|' /C calc'!A0"
    assert ws.cell(row=2, column=2).data_type == "s"
    assert ws.cell(row=2, column=2).quotePrefix
    assert ws.cell(row=2, column=7).value == 0  # offsets stay numbers


def test_xlsx_columns_and_control_characters(tmp_path: Path) -> None:
    text = "Ana\x07 met Bo."
    docs = [*sample(), make_doc(text, [(0, 4, "ACTOR")], doc_id=8)]
    out = tmp_path / "spans.xlsx"
    report = tables.write(docs, out)
    assert report.documents == 2 and report.spans == 4
    assert [p.message.split(" ")[0] for p in report.problems] == ["1"]  # the quote
    ws = load_workbook(out).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][5] == "Ana" and rows[1][12] == '{"n": 2, "role": "host"}'
    assert rows[3][5] == "👩‍👩‍👧"
    assert rows[4][5] == "Ana\ufffd"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_empty_export_has_a_header(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"spans{suffix}"
    report = tables.write([], out)
    assert report.documents == 0 and out.stat().st_size > 0


# --- the claim model: actor and links columns, the relations sheet -----------------------------


def test_csv_actor_and_links_columns(tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    report = tables.write([claim_doc()], out)
    assert (report.spans, report.relations, report.problems) == (7, 5, [])
    header, *rows = read_csv(out)
    by_quote = {row[5]: dict(zip(header, row, strict=True)) for row in rows}
    kcna = by_quote["KCNA"]
    assert (kcna["actor"], kcna["actor_name"]) == ("kcna", "Korean Central News Agency")
    assert by_quote["Observers"]["actor"] == ""
    assert by_quote[OUTER_CLAIM]["links"] == "SOURCE: KCNA [#11]; TIME: 20 February 2024 [#12]"
    assert by_quote[INNER_CLAIM]["links"] == (
        "SOURCE: Kim Yo Jong [#14]; REPORTED_IN: Kim Yo Jong said the car was a 👍 gift... [#13]; "
        "TIME: 20 February 2024 [#12]"
    )
    assert json.loads(by_quote[INNER_CLAIM]["attributes"])["hedged"] is True


def test_xlsx_relations_sheet(tmp_path: Path) -> None:
    out = tmp_path / "claims.xlsx"
    report = tables.write([claim_doc()], out)
    assert (report.spans, report.relations, report.problems) == (7, 5, [])
    wb = load_workbook(out)
    assert wb.sheetnames == ["spans", "relations"]
    rows = list(wb["relations"].iter_rows(values_only=True))
    assert tuple(rows[0]) == tables.RELATION_COLUMNS
    assert (3, "REPORTED_IN", 15, "CLAIM", INNER_CLAIM, 13, "CLAIM", OUTER_CLAIM, "tester") in [
        tuple(r) for r in rows[1:]
    ]
    assert len(rows) == 6
    spans = list(wb["spans"].iter_rows(values_only=True))
    assert spans[0][-4:] == ("span_id", "actor", "actor_name", "links")


def test_xlsx_continues_on_further_sheets_and_cuts_long_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.formats import _xlsx

    # Excel's limits, made small: 4 rows a sheet (header included), 20 characters a cell.
    monkeypatch.setattr(tables, "XLSX_MAX_ROWS", 4)
    monkeypatch.setattr(_xlsx, "MAX_ROWS", 4)
    monkeypatch.setattr(_xlsx, "MAX_CHARS", 20)
    text = "Ana met Bo and Cy and Di and Ed and Flo."
    names = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo", "met"]
    doc = make_doc(text, [(text.index(n), text.index(n) + len(n), "ACTOR") for n in names])
    out = tmp_path / "many.xlsx"
    report = tables.write([doc], out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["spans", "relations", "spans 2", "spans 3"]  # 3 + 3 + 1
    quotes = [
        row[5] for name in ("spans", "spans 2", "spans 3")
        for row in list(wb[name].iter_rows(values_only=True))[1:]
    ]  # fmt: skip
    assert quotes == names  # every span, in order, each sheet with its header
    assert all(
        next(wb[n].iter_rows(values_only=True))[:2] == ("document_id", "document_title")
        for n in ("spans 2", "spans 3")
    )
    messages = " | ".join(p.message for p in report.problems)
    assert "continue on 3 sheets" in messages
    assert "longer than Excel's" in messages  # the contexts, cut at 20
    assert max(len(str(c)) for row in wb["spans"].iter_rows(values_only=True) for c in row) == 20


def test_xlsx_to_a_folder_that_does_not_exist_is_a_clear_error(tmp_path: Path) -> None:
    from annotator.domain.errors import AnnotatorError

    with pytest.raises(AnnotatorError, match=r"cannot write .*missing/t\.xlsx"):
        tables.write(sample(), tmp_path / "missing" / "t.xlsx")


def test_xlsx_writer_holds_excels_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.formats import _xlsx

    monkeypatch.setattr(_xlsx, "MAX_ROWS", 3)  # header and two rows
    formulas = ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "＝1", "＋1", "－1", "＠x"]
    out = tmp_path / "limits.xlsx"
    with _xlsx.Workbook(out) as book:
        sheet = book.sheet("limits", ["a", "b"], [10, 10])
        sheet.append(
            [*formulas, "a\x01b\x1fc", "x" * 40_000, "😀" * 20_000, "_x0041_", "a<b&c>", 7, 2.5,
             True, None, ""]
        )  # fmt: skip
        sheet.append(["\rx", "a\r\nb", "\ufffe"])
        with pytest.raises(ValueError, match="full"):
            sheet.append(["one row too many"])
        book.sheet("more", ["a"], [10]).append(["next"])
    assert (book.cleaned, book.cut) == (1, 2)
    wb = load_workbook(out)
    assert wb.sheetnames == ["limits", "more"]
    ws = wb["limits"]
    header, first, second = ws.iter_rows()
    assert [c.value for c in header] == ["a", "b", *[None] * 15] and header[0].font.b
    assert [c.value for c in first[:9]] == formulas  # the values unchanged, formulas never
    assert all(c.data_type == "s" and c.quotePrefix for c in first[:9])
    assert first[9].value == "a\ufffdb\ufffdc" and not first[9].quotePrefix
    assert first[10].value == "x" * 32_767
    assert first[11].value == "😀" * 16_383  # 32,766 UTF-16 units: the next one would split
    assert first[13].value == "a<b&c>"
    assert [c.value for c in first[14:]] == [7, 2.5, True]  # None and "" leave no cell
    assert first[14].data_type == "n" and first[16].data_type == "b"
    assert [c.value for c in wb["more"]["A"]] == ["a", "next"]
    # Excel's escapes, as Excel reads them (openpyxl leaves these as written).
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and 'state="frozen"' in xml
    assert ">_x005F_x0041_<" in xml and ">_x000D_x<" in xml and ">a_x000D_\nb<" in xml
    assert ">_xFFFE_<" in xml and "\r" not in xml
    assert second[0].quotePrefix and not second[1].quotePrefix  # a leading CR is a formula start
