"""Every item model of the window obeys Qt's model contract (pytest-qt's qtmodeltester).

The models are found, not listed: the test walks annotator.ui for every QAbstractItemModel
subclass and fails when one of them was not checked here, so a new model cannot be added
without being held to the contract.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, Qt
from PySide6.QtWidgets import QApplication, QWidget
from test_corpus_views import build

import annotator.ui
from annotator.ui.app import application, create_main_window
from annotator.ui.corpus.actor_registry import open_actor_registry
from annotator.ui.views.claims_view import corpus_views_of


def model_classes() -> set[type]:
    found: set[type] = set()
    for info in pkgutil.walk_packages(annotator.ui.__path__, "annotator.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, QAbstractItemModel)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
                and "Generic" not in str(cls.__bases__)
                and cls.__name__ != "RowsModel"
            ):
                found.add(cls)
    return found


def test_every_model_follows_qts_contract(qtmodeltester, qtbot, db_path: Path, tmp_path: Path):
    ids = build(db_path)
    application()
    win = create_main_window(str(db_path), "tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    try:
        views = corpus_views_of(win)
        assert views is not None
        for name in ("claims", "timeline", "network", "actor"):
            views.show(name)
        views.open_actor(ids.actors["putin"])
        qtbot.waitUntil(lambda: views.claims.model.rowCount() > 0, timeout=20_000)
        win.open_document(ids.doc_a)
        win.select_span(ids.spans["the car the best gift"])  # the Links list has rows
        registry = open_actor_registry(win)
        win.search_panel.query.setText("Kim")
        win.search_panel.run()
        article = tmp_path / "new.txt"
        article.write_text("Observers said on Monday that talks resumed.\n", encoding="utf-8")
        with qtbot.waitSignal(win.import_flow.sig_finished, timeout=60_000):
            win.import_paths([article])
        win.actions_by_key["view_suggestion_quality"].trigger()
        quality = win.suggestions.quality_window if win.suggestions else None
        assert quality is not None
        qtbot.waitUntil(lambda: not quality.busy(), timeout=60_000)
        win.actions_by_key["view_agreement"].trigger()  # the window is built when first opened

        owners: list[QWidget] = [win, registry, quality]
        if win.import_flow.summary_dialog is not None:
            owners.append(win.import_flow.summary_dialog)
        models = {
            id(m): m
            for owner in owners
            for m in owner.findChildren(QAbstractItemModel)
            if type(m).__module__.startswith("annotator.")
        }
        # Models without a parent, held by their views.
        for widget in QApplication.allWidgets():
            model = getattr(widget, "model", None)
            found = model() if callable(model) else None
            if isinstance(found, QAbstractItemModel) and type(found).__module__.startswith(
                "annotator."
            ):
                models[id(found)] = found
        for model in list(models.values()):
            if isinstance(model, QAbstractProxyModel):
                source = model.sourceModel()
                models[id(source)] = source
        checked: set[type] = set()
        for model in models.values():
            qtmodeltester.check(model)
            checked.add(type(model))
            if model.rowCount():
                # Every cell answers the display role with plain data (no exception).
                for column in range(model.columnCount()):
                    model.data(model.index(0, column), Qt.ItemDataRole.DisplayRole)
        missing = {cls.__qualname__ for cls in model_classes() - checked}
        assert not missing, f"models never checked against Qt's contract: {sorted(missing)}"
    finally:
        views = corpus_views_of(win)
        if views is not None:
            views.controller.loader.wait()
        win.db.dispose()
