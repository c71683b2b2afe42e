"""The Agreement window, driven by keys and the mouse on a database with two annotators who
worked on the same documents and a gold layer; its numbers, heat maps and saved files are the
agreement service's and the `agree` command's. And the curation dock's line of F1 against gold."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from agreement_data import Built, build
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from annotator.cli import main
from annotator.services.agreement import compute_against, compute_agreement
from annotator.services.curation import merge_agreed
from annotator.store import Database
from annotator.ui.app import application, create_main_window
from annotator.ui.main_window import MainWindow
from annotator.ui.views.agreement_window import AgreementWindow, FigureTable, format_figure
from annotator.ui.views.curation import CurationPanel

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def team(qtbot, tmp_path: Path) -> Iterator[tuple[MainWindow, Built]]:
    """Alice and Bob (and Carol, who only opened a document) with gold holding what Alice and
    Bob agree on in the shared document; the window opened by a curator."""
    application()
    built = build(tmp_path / "team.sqlite3")
    db = Database(built.path)
    try:
        merge_agreed(db, document_id=built.shared, annotators=["alice", "bob"])
    finally:
        db.dispose()
    win = create_main_window(str(built.path), "curator")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win, built
    win.db.dispose()


def open_agreement(qtbot, win: MainWindow) -> AgreementWindow:
    qtbot.keyClick(win, Qt.Key.Key_6, CTRL)
    dialog = win.findChild(AgreementWindow, "agreementWindow")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def ticked(dialog: AgreementWindow) -> list[str]:
    return dialog.chosen_annotators()


def cell(model: FigureTable, scope: str, label: str, header: str) -> str:
    column = FigureTable.HEADERS.index(header)
    for r, row in enumerate(model.rows):
        if (row.scope, row.label) == (scope, label):
            return str(model.data(model.index(r, column)))
    raise AssertionError(f"no row {scope} / {label}")


def compute(qtbot, dialog: AgreementWindow) -> None:
    dialog.report = None
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None or bool(dialog.last_error), timeout=20000)
    assert dialog.last_error == ""
    assert not dialog.busy()


def cli(capsys, built: Built, *args: str) -> str:
    capsys.readouterr()
    assert main(["--db", str(built.path), "agree", *args]) == 0
    return capsys.readouterr().out


def save(qtbot, dialog: AgreementWindow, monkeypatch, path: Path, button: QWidget) -> str:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return path.read_text(encoding="utf-8")


def test_agreement_between_annotators_as_table_heat_map_and_files(
    qtbot, team, tmp_path: Path, monkeypatch, capsys
) -> None:
    win, built = team
    dialog = open_agreement(qtbot, win)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.annotators)
    # Those who worked on a document are ticked; gold and the curator (nothing yet) are not.
    assert ticked(dialog) == ["alice", "bob", "carol"]
    texts = [dialog.annotators.item(i).text() for i in range(dialog.annotators.count())]
    assert "gold (gold layer, 1 document)" in texts
    # Untick Carol with the keyboard: down to her row, Space.
    qtbot.keyClick(dialog.annotators, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.annotators, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.annotators, Qt.Key.Key_Space)
    assert ticked(dialog) == ["alice", "bob"]

    compute(qtbot, dialog)
    expected = compute_agreement(win.db, annotators=["alice", "bob"])
    (pair,) = expected.pairs
    table = dialog.table_model
    assert cell(table, "alice vs bob", "ACTOR", "F1 exact") == "0.500"
    for label in ("all labels", "ACTOR", "DATE", "CLAIM"):
        per = pair.figures if label == "all labels" else pair.per_label[label]
        for key, header in (
            ("span_f1_exact", "F1 exact"),
            ("span_f1_overlap", "F1 overlap"),
            ("cohen_kappa", "Cohen κ"),
            ("krippendorff_alpha", "Krippendorff α"),
            ("unitized_alpha", "unitized α"),
        ):
            assert cell(table, "alice vs bob", label, header) == format_figure(per[key])
    group = expected.group.figures
    assert cell(table, "alice+bob", "all labels", "Fleiss κ") == format_figure(
        group["fleiss_kappa"]
    )
    assert cell(table, "alice vs bob", "all labels", "same quote type") == "0.000"
    assert "alice, bob: 2 documents" in dialog.summary.text()

    # The heat map: alice x bob, the number in each cell; the diagonal has none.
    heat = dialog.heat_model
    assert heat.row_names == heat.column_names == ["alice", "bob"]
    assert heat.data(heat.index(0, 1)) == format_figure(pair.figures["span_f1_exact"])
    assert heat.data(heat.index(1, 0)) == heat.data(heat.index(0, 1))
    assert heat.data(heat.index(0, 0)) == "—"
    assert heat.data(heat.index(0, 1), Qt.ItemDataRole.BackgroundRole) is not None
    # Another label, chosen with the keyboard in the heat map's tab.
    qtbot.keyClick(dialog.table, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert dialog.tabs.currentIndex() == 1
    qtbot.keyClick(dialog.figure, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # La&bel
    assert QApplication.focusWidget() is dialog.heat_label
    qtbot.keyClicks(dialog.heat_label, "ACTOR")
    assert dialog.heat_label.currentText() == "ACTOR"
    assert heat.data(heat.index(0, 1)) == "0.500"
    # The token confusion matrix of the pair.
    confusion = dialog.confusion_model
    categories = list(pair.confusion.categories)
    assert confusion.row_names == [f"alice: {c}" for c in categories]
    assert confusion.column_names == [f"bob: {c}" for c in categories]
    for r, row in enumerate(pair.confusion.counts):
        for c, n in enumerate(row):
            assert confusion.data(confusion.index(r, c)) == f"{n:,}"
    assert dialog.confusion_legend.high.text() == f"{max(max(r) for r in pair.confusion.counts):,}"

    # Saved files: what `annotator agree --format csv|json` prints.
    saved_csv = save(qtbot, dialog, monkeypatch, tmp_path / "a.csv", dialog.save_csv)
    assert saved_csv == cli(capsys, built, "--annotators", "alice", "bob", "--format", "csv")
    saved_json = save(qtbot, dialog, monkeypatch, tmp_path / "a.json", dialog.save_json)
    assert saved_json == cli(capsys, built, "--annotators", "alice", "bob", "--format", "json")

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_each_annotator_against_gold(qtbot, team, tmp_path: Path, monkeypatch, capsys) -> None:
    win, built = team
    dialog = open_agreement(qtbot, win)
    qtbot.mouseClick(dialog.against, Qt.MouseButton.LeftButton)
    assert dialog.against.isChecked() and dialog.reference.isEnabled()
    assert dialog.reference.currentData() == "gold"
    compute(qtbot, dialog)

    expected = compute_against(win.db, against="gold", annotators=["alice", "bob", "carol"])
    table = dialog.table_model
    assert [r.scope for r in table.rows if r.label == "all labels"] == [
        "alice vs gold",
        "bob vs gold",
        "carol vs gold",
    ]
    for each in expected.reports:
        p = each.pairs[0]
        who = " vs ".join(p.annotators)
        assert cell(table, who, "ACTOR", "F1 exact") == format_figure(
            p.per_label["ACTOR"]["span_f1_exact"]
        )
    assert cell(table, "alice vs gold", "ACTOR", "F1 exact") == "0.667"
    heat = dialog.heat_model
    assert heat.row_names == ["alice", "bob", "carol"] and heat.column_names == ["gold"]
    assert [heat.data(heat.index(r, 0)) for r in range(3)] == [
        format_figure(e.pairs[0].figures["span_f1_exact"]) for e in expected.reports
    ]
    saved = save(qtbot, dialog, monkeypatch, tmp_path / "g.json", dialog.save_json)
    assert saved == cli(capsys, built, "--against", "gold", "--format", "json")
    assert json.loads(saved)["against"] == "gold"
    saved = save(qtbot, dialog, monkeypatch, tmp_path / "g.csv", dialog.save_csv)
    assert saved == cli(capsys, built, "--against", "gold", "--format", "csv")


def test_choices_the_figures_cannot_be_computed_for_are_said(qtbot, team) -> None:
    win, _ = team
    dialog = open_agreement(qtbot, win)
    for _ in range(2):  # untick Alice and Bob: Carol alone
        qtbot.keyClick(dialog.annotators, Qt.Key.Key_Space)
        qtbot.keyClick(dialog.annotators, Qt.Key.Key_Down)
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Tick two or more annotators."
    assert dialog.message.textFormat() == Qt.TextFormat.PlainText
    # Bob, Carol and the curator, who has worked on nothing: the service's error is shown.
    qtbot.keyClick(dialog.annotators, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.annotators, Qt.Key.Key_Space)
    row = next(
        i
        for i in range(dialog.annotators.count())
        if dialog.annotators.item(i).text().startswith("curator")
    )
    dialog.annotators.setCurrentRow(row)
    qtbot.keyClick(dialog.annotators, Qt.Key.Key_Space)
    assert ticked(dialog) == ["bob", "carol", "curator"]
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.last_error), timeout=20000)
    assert "no document that they all worked on" in dialog.message.text()
    assert dialog.compute_button.isEnabled() and not dialog.cancel_button.isEnabled()


def test_curation_dock_shows_each_annotators_f1_against_gold(qtbot, team) -> None:
    win, built = team
    win.open_document(built.shared)
    qtbot.keyClick(win, Qt.Key.Key_G, CTRL | Qt.KeyboardModifier.ShiftModifier)
    panel = win.findChild(CurationPanel, "curation")
    assert panel is not None
    expected = compute_against(
        win.db, against="gold", annotators=["alice", "bob"], document_ids=[built.shared]
    )
    f1 = [
        (e.pairs[0].figures["span_f1_exact"], e.pairs[0].figures["span_f1_overlap"])
        for e in expected.reports
    ]
    assert panel.against_gold.text() == (
        "Span F1 against gold (exact / overlap): "
        f"alice {f1[0][0]:.3f} / {f1[0][1]:.3f} · bob {f1[1][0]:.3f} / {f1[1][1]:.3f}"
    )
    assert panel.against_gold.textFormat() == Qt.TextFormat.PlainText
