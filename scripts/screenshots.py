"""Screenshots of the real window under Xvfb, for docs/ and for looking at what users see.

    python scripts/screenshots.py            # starts Xvfb itself when there is no display

Writes docs/main-window.png (the annotated demo article a new user sees first, with its actors,
dates and claims linked by SOURCE and TIME, one claim selected), docs/hover.png (the tool tip
listing every span under the mouse), docs/edge-scripts.png (right-to-left, emoji and CJK text
with spans), the corpus pictures (import summary, search, export dialog) and, on the KCNA
article with its gold annotation, docs/links-and-details.png, docs/link-popup.png,
docs/claims-table.png, docs/timeline.png and docs/network.png. Last, on a development article
of tests/data/suggest/dev that nobody has annotated yet, the suggestions: docs/suggestions.png
(drawn in the article, the Suggestions dock, a current claim with its proposed links),
docs/suggestion-card.png (the card under the resting mouse) and docs/suggestion-quality.png
(Views > Suggestion quality after a few decisions, with the demo and KCNA articles finished).
Then docs/review.png: a new version of the KCNA article, and the Review dock.
Views > Agreement on the demo article annotated by three people and curated into gold:
docs/curation.png (the curation view, with the other annotators' layers shown over one's own),
docs/agreement-table.png and docs/agreement-heat-map.png (`--agreement` makes only these).

The engines are switched off for the earlier pictures, which show annotations only.

Then the window as it opens on a 1366x768 and a 1920x1080 screen, light and dark:
docs/window-1366x768-light.png, docs/window-1366x768-dark.png, docs/window-1920x1080-light.png
and docs/window-1920x1080-dark.png (one X server per screen size). The pictures use a settings
file of their own, never the user's.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"

EDGE_TEXT = (
    "قال الرئيس عبد الفتاح السيسي يوم 5 مايو إن المحادثات مستمرة.\n"
    "Minister 👩🏽‍⚖️ Ana Souza said on 3 March 2025 that the 🇧🇷 budget is safe.\n"
    "习近平于2023年3月20日抵达莫斯科。普京表示，两国关系“处于历史最高水平”。\n"
)
EDGE_SPANS = [
    ("ACTOR", "عبد الفتاح السيسي"),
    ("DATE", "5 مايو"),
    ("ACTOR", "Ana Souza"),
    ("DATE", "3 March 2025"),
    ("ACTOR", "习近平"),
    ("DATE", "2023年3月20日"),
    ("ACTOR", "普京"),
    ("CLAIM", "两国关系“处于历史最高水平”"),
]


SCREENS = ("1366x768", "1920x1080")
THEMES = ("light", "dark")


def _xvfb() -> str:
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        sys.exit("screenshots: no display and no xvfb-run; install Debian's xvfb (see README)")
    return xvfb


def _reexec_under_xvfb() -> None:
    xvfb = _xvfb()
    os.execv(
        xvfb,
        [xvfb, "-a", "-s", "-screen 0 1400x900x24", sys.executable, __file__, *sys.argv[1:]],
    )


def _window_screenshots() -> None:
    """The window as it first opens on a screen of each size, in each theme: one X server per
    screen size, so the window fits itself to that screen as it would for a user."""
    import subprocess

    for screen in SCREENS:
        for theme in THEMES:
            subprocess.run(
                [
                    _xvfb(),
                    "-a",
                    "-s",
                    f"-screen 0 {screen}x24",
                    sys.executable,
                    __file__,
                    "--window",
                    theme,
                ],
                check=True,
            )


def _window_screenshot(theme: str) -> int:
    """docs/window-WxH-THEME.png: the demo article in a window opened as the app opens it."""
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from annotator.ui.app import application, create_main_window
    from annotator.ui.common.settings import AppSettings, SettingsFile
    from annotator.ui.shell import apply_theme

    with tempfile.TemporaryDirectory() as tmp:
        # A settings file of its own: the user's theme, font and last document stay out of it.
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        app = application()
        SettingsFile().save(AppSettings(theme=theme))  # type: ignore[arg-type]
        win = create_main_window(str(Path(tmp) / "shots.sqlite3"), "demo", demo=True)
        apply_theme(theme)  # type: ignore[arg-type]
        win.show()
        selected = next(s for s in win.editor.spans if s.quote.startswith("work could begin"))
        for _ in range(30):
            app.processEvents()
            time.sleep(0.02)
        win.select_span(selected.id)
        for _ in range(30):
            app.processEvents()
            time.sleep(0.02)
        size = app.primaryScreen().size()
        _save(app, win, DOCS / f"window-{size.width()}x{size.height()}-{theme}.png")
        win.close()
        win.db.dispose()
    return 0


def _agreement_screenshots() -> int:
    """docs/agreement-*.png: the demo article's spans copied for two more annotators (one of
    them leaving out and reshaping a few), what they agree on merged into gold, and the
    Agreement window's table and heat maps of the three."""
    from annotator.services.curation import merge_agreed
    from annotator.services.database import ensure_annotator
    from annotator.services.spans import add_span
    from annotator.ui.app import application, create_main_window
    from annotator.ui.views.agreement_window import AgreementWindow

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        app = application()
        win = create_main_window(str(Path(tmp) / "team.sqlite3"), "demo", demo=True)
        document = win.editor.document
        assert document is not None
        for name, skip, shift in (("ana", 7, 0), ("ben", 3, 2)):
            me = ensure_annotator(win.db, name=name).id
            for n, span in enumerate(win.editor.spans):
                if n % skip == skip - 1:
                    continue
                end = span.end - (shift if n % 4 == 1 and span.end - span.start > 6 else 0)
                add_span(
                    win.db,
                    document_id=document.id,
                    start=span.start,
                    end=end,
                    label_id=span.label_id,
                    annotator_id=me,
                    attributes=dict(span.attributes),
                )
        merge_agreed(win.db, document_id=document.id, annotators=["demo", "ana", "ben"])
        win.resize(1200, 800)
        win.show()
        # The curation view: the other annotators' layers drawn read-only over demo's own
        # (dotted underlines), and what is left to decide.
        from PySide6.QtWidgets import QDockWidget

        for _ in range(20):
            app.processEvents()
            time.sleep(0.02)
        win.actions_by_key["view_curation"].trigger()
        curation = win.findChild(QDockWidget, "curationDock")
        assert curation is not None
        for _ in range(40):
            curation.raise_()
            app.processEvents()
            time.sleep(0.02)
        _save(app, win, DOCS / "curation.png")
        win.actions_by_key["view_agreement"].trigger()
        dialog = win.findChild(AgreementWindow, "agreementWindow")
        assert dialog is not None
        dialog.compute()
        while dialog.report is None and not dialog.last_error:
            app.processEvents()
            time.sleep(0.02)
        if dialog.last_error:
            raise SystemExit(f"screenshots: agreement failed: {dialog.last_error}")
        for tab, name in ((0, "agreement-table.png"), (1, "agreement-heat-map.png")):
            dialog.tabs.setCurrentIndex(tab)
            for _ in range(30):
                app.processEvents()
                time.sleep(0.02)
            _save(app, dialog, DOCS / name)
        dialog.reject()
        win.close()
        win.db.dispose()
    return 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--window":
        return _window_screenshot(sys.argv[2])
    if not os.environ.get("DISPLAY"):
        _reexec_under_xvfb()
    if sys.argv[1:] == ["--agreement"]:
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        return _agreement_screenshots()
    os.environ["QT_QPA_PLATFORM"] = "xcb"

    from annotator.domain.model import DocumentMeta
    from annotator.services.documents import add_document
    from annotator.services.suggestions import SuggestionSettings, save_suggestion_settings
    from annotator.ui.app import application, create_main_window

    app = application()
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # not the user's settings
        # What a new user sees: the window's first start adds the annotated demo article.
        win = create_main_window(str(Path(tmp) / "shots.sqlite3"), "demo", demo=True)
        # Annotations only until the suggestion pictures (before the window proposes any).
        save_suggestion_settings(win.db, SuggestionSettings(engines=()))
        assert win.suggestions is not None
        win.suggestions.settings = SuggestionSettings(engines=())
        win.resize(1400, 860)
        win.show()
        labels = {label.name: label.id for label in win.editor.labels}

        def annotate(spans: list[tuple[str, str]]) -> None:
            for label, needle in spans:
                start = win.article.text.index(needle)
                win.editor.add_span(start, start + len(needle), labels[label], snap=False)

        def settle() -> None:
            for _ in range(20):
                app.processEvents()

        # A claim with its SOURCE and TIME links drawn; the hover lists a date inside it.
        selected = next(s for s in win.editor.spans if s.quote.startswith("work could begin"))
        win.article.select_span(selected)
        win.span_view.selectRow(win.span_model.row_of(selected.id) or 0)
        win.article.scroll_to(0)
        settle()
        _save(app, win, DOCS / "main-window.png")

        nested = next(s for s in win.editor.spans if s.quote == "the spring of 2027")
        _hover_screenshot(app, win, nested)

        doc = add_document(win.db, text=EDGE_TEXT, meta=DocumentMeta("Scripts: Arabic, emoji, CJK"))
        win.reload_documents()
        win.open_document(doc.id)
        annotate(EDGE_SPANS)
        win.article.select_span(None)
        settle()
        _save(app, win, DOCS / "edge-scripts.png")
        _corpus_screenshots(app, win, settle)
        _suggestion_screenshots(app, win, settle)
        _review_screenshot(app, win, settle)
        win.close()
        win.db.dispose()
    import subprocess

    subprocess.run([sys.executable, __file__, "--agreement"], check=True)
    _window_screenshots()
    return 0


def _hover_screenshot(app: object, win: object, span: object) -> None:
    """Hover over a span nested in a claim and capture the tool tip listing both."""
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QCursor, QHelpEvent, QTextCursor
    from PySide6.QtWidgets import QApplication, QToolTip

    from annotator.domain.model import Span
    from annotator.ui.main_window import MainWindow

    assert isinstance(app, QApplication) and isinstance(win, MainWindow)
    assert isinstance(span, Span)
    view = win.article
    view.select_span(None)
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.text_index.to_utf16(span.start + 2))
    local = view.cursorRect(cursor).center() + QPoint(3, 0)
    target = view.viewport().mapToGlobal(local)
    QCursor.setPos(target)
    # Xvfb has no pointer to rest, so deliver the tool-tip event Qt would send after the delay.
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, local, target))
    for _ in range(40):
        app.processEvents()
        time.sleep(0.05)
        if QToolTip.isVisible():
            break
    if not QToolTip.isVisible():
        raise SystemExit("screenshots: the hover tool tip did not appear")
    pixmap = app.primaryScreen().grabWindow(0, win.x(), win.y(), win.width(), 520)
    path = DOCS / "hover.png"
    pixmap.save(str(path))
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    print(f"wrote {shown} ({pixmap.width()}x{pixmap.height()})")
    # The tip hides on a timer; wait for it, or the next screenshot shows it too.
    QToolTip.hideText()
    for _ in range(40):
        app.processEvents()
        if not QToolTip.isVisible():
            break
        time.sleep(0.05)
    if QToolTip.isVisible():
        raise SystemExit("screenshots: the hover tool tip did not go away")


def _corpus_screenshots(app: object, win: object, settle: object) -> None:
    """The library after importing the shared corpus, a search, and the import summary."""
    from PySide6.QtWidgets import QApplication

    from annotator.ui.main_window import MainWindow

    assert isinstance(app, QApplication) and isinstance(win, MainWindow) and callable(settle)
    corpus = REPO.parent / "shared" / "corpus"
    if not corpus.is_dir():
        print("screenshots: no shared corpus beside the repository; corpus views skipped")
        return
    done: list[object] = []
    win.import_flow.sig_finished.connect(done.append)
    # Import a copy through relative paths, so the summary shows `corpus/...` and no folder of
    # the machine the screenshots were taken on.
    work = Path(tempfile.mkdtemp())
    shutil.copytree(corpus, work / "corpus")
    os.chdir(work)
    win.import_paths([Path("corpus/edge"), Path("corpus/kcna-car-gift.txt")])
    while not done:
        settle()
    dialog = win.import_flow.summary_dialog
    assert dialog is not None
    dialog.resize(1000, 560)
    settle()
    _save(app, dialog, DOCS / "import-summary.png")
    dialog.close()
    win.search_panel.query.setText("Kim Jong-un OR Putin")
    win.search_panel.run()
    # What an import stored is indexed in the background; the search runs again once it is.
    for _ in range(500):
        if win.search_panel.model.rowCount():
            break
        settle()
        time.sleep(0.02)
    win._search_dock.raise_()
    win.open_document(win.search_panel.model.hit(0).document_id)
    settle()
    _save(app, win, DOCS / "search.png")

    from annotator.ui.corpus.export_dialog import ExportDialog

    dialog = ExportDialog(
        win.editor.labels,
        [],
        selected_ids=[1, 2],
        open_id=1,
        tags=["politics"],
        me="demo",
        parent=win,
    )
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    dialog.path.setText("corpus.conll")
    dialog.show()
    settle()
    _save(app, dialog, DOCS / "export.png")
    dialog.close()
    os.chdir(REPO)
    shutil.rmtree(work, ignore_errors=True)
    _who_said_what_screenshots(app, win, settle, corpus)


# The registry names of the gold file's actor keys.
GOLD_ACTORS = {
    "kcna": "Korean Central News Agency",
    "putin": "Vladimir Putin",
    "kim-jong-un": "Kim Jong-un",
    "kim-yo-jong": "Kim Yo Jong",
    "russia": "Russia",
    "north-korea": "North Korea",
    "wpk": "Workers’ Party of Korea",
    "park-chong-chon": "Park Chong Chon",
    "wpk-cc": "WPK Central Committee",
    "analysts": "analysts",
    "observers": "observers",
}


def _who_said_what_screenshots(app: object, win: object, settle: object, corpus: Path) -> None:
    """The KCNA article with its gold annotation: links and details, the link popup, and the
    corpus views (claims table, timeline, network)."""
    import json

    from PySide6.QtWidgets import QApplication

    from annotator.services.actors import create_actor, link_mentions
    from annotator.services.documents import list_documents
    from annotator.services.relations import add_relation
    from annotator.services.spans import add_span
    from annotator.ui.annotate.linking import LinkPopup
    from annotator.ui.main_window import MainWindow
    from annotator.ui.views.claims_view import corpus_views_of

    assert isinstance(app, QApplication) and isinstance(win, MainWindow) and callable(settle)
    gold = json.loads((corpus / "kcna-car-gift.gold.json").read_text(encoding="utf-8"))
    doc = next(d for d in list_documents(win.db) if d.title.startswith("Reports from the"))
    schema = win.editor.schema
    me = win.editor.annotator.id
    actors: dict[str, int] = {}
    ids: dict[str, int] = {}
    for s in gold["spans"]:
        attrs = {k: v for k, v in s.get("attrs", {}).items() if k != "actor"}
        span = add_span(
            win.db,
            document_id=doc.id,
            start=s["start"],
            end=s["end"],
            label_id=schema.label_named(s["label"]).id,
            annotator_id=me,
            attributes=attrs,
        )
        ids[s["id"]] = span.id
        key = s.get("attrs", {}).get("actor")
        if key:
            if key not in actors:
                actors[key] = create_actor(
                    win.db, name=GOLD_ACTORS[key], key=key, kind=attrs.get("kind")
                ).id
            link_mentions(win.db, span_ids=[span.id], actor_id=actors[key])
    for r in gold["relations"]:
        add_relation(
            win.db,
            type_id=schema.relation_type_named(r["type"]).id,
            source_id=ids[r["from"]],
            target_id=ids[r["to"]],
            annotator_id=me,
        )
    win.editor.reload_actors()
    win.reload_documents()
    win.open_document(doc.id)
    win.editor.open(doc.id)  # it may be open already: read the new spans and links
    claim = ids["T37"]  # "The gift was received on February 18 by Kim Yo Jong": SOURCE and TIME
    win.article.scroll_to(win.editor.span(claim).start - 200)  # type: ignore[union-attr]
    win.select_span(claim)
    settle()
    _save(app, win, DOCS / "links-and-details.png")

    win.article.setFocus()
    win.select_span(ids["T38"])
    win.actions_by_key["link"].trigger()
    settle()
    popup = win.findChild(LinkPopup)
    assert popup is not None
    _save(app, win, DOCS / "link-popup.png")
    popup.close()

    views = corpus_views_of(win)
    assert views is not None
    for key, name in (
        ("view_claims", "claims-table"),
        ("view_timeline", "timeline"),
        ("view_network", "network"),
    ):
        win.actions_by_key[key].trigger()
        settle()
        while views.controller.loader.busy() or views.controller.snapshot is None:
            settle()
        settle()
        _save(app, win, DOCS / f"{name}.png")
    views.controller.loader.wait()


def _suggestion_screenshots(app: object, win: object, settle: object) -> None:
    """Suggestions on a development article nobody has annotated, the hover card, and the
    quality view after some decisions and three finished gold articles."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QApplication, QDockWidget

    from annotator.domain.library import DocumentStatus
    from annotator.domain.model import DocumentMeta
    from annotator.services.documents import add_document, list_documents
    from annotator.services.library import set_status
    from annotator.services.suggestions import SuggestionSettings, save_suggestion_settings
    from annotator.ui.main_window import MainWindow

    assert isinstance(app, QApplication) and isinstance(win, MainWindow) and callable(settle)
    controller = win.suggestions
    assert controller is not None
    dev = REPO / "tests" / "data" / "suggest" / "dev"

    def wait(busy: object) -> None:
        assert callable(busy)
        for _ in range(3000):
            settle()
            if not busy():
                break
            time.sleep(0.01)
        settle()

    save_suggestion_settings(win.db, SuggestionSettings())
    controller.settings = SuggestionSettings()
    storm = add_document(
        win.db,
        text=(dev / "storm-hallie-flood.txt").read_text(encoding="utf-8"),
        meta=DocumentMeta(
            "Storm Hallie floods Port Aldren as River Rivna bursts its banks",
            published="2024-10-28",
        ),
    ).id
    for dock in win.findChildren(QDockWidget):
        if win.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
            dock.hide()
    documents = win.findChild(QDockWidget, "documentsDock")
    if isinstance(documents, QDockWidget):
        documents.raise_()
    win.reload_documents()
    win.open_document(storm)
    wait(controller.busy)
    controller.dock.show()
    controller.dock.raise_()
    win.article.scroll_to(0)
    # Step to a claim that names its source and time, as J does.
    step = win.actions_by_key["next_suggestion"]
    for _ in range(len(controller.shown())):
        step.trigger()
        current = win.article.current_suggestion
        if current is not None and len(current.links) >= 2 and current.start > 300:
            break
    settle()
    _save(app, win, DOCS / "suggestions.png")

    # The card: the mouse rests on a date suggestion in view, away from the current claim.
    view = win.article
    low, high = view.visible_range()
    date = next(
        s
        for s in controller.shown()
        if win.editor.label(s.label_id).name == "DATE" and low < s.start < high - 400
    )
    rect = view.range_rects(date.start, date.end)[0]
    QCursor.setPos(
        view.viewport().mapToGlobal(QPoint(int(rect.left()) + 6, int(rect.center().y())))
    )
    for _ in range(100):
        settle()
        if controller.card.isVisible():
            break
        time.sleep(0.02)
    if not controller.card.isVisible():
        raise SystemExit("screenshots: the suggestion card did not appear")
    card = controller.card.geometry()
    top_left = view.viewport().mapTo(win, card.topLeft())
    x = max(0, top_left.x() - 260)
    y = max(0, top_left.y() - 160)
    pixmap = win.grab().copy(x, y, min(card.width() + 520, win.width() - x), card.height() + 220)
    pixmap.save(str(DOCS / "suggestion-card.png"))
    print(f"wrote docs/suggestion-card.png ({pixmap.width()}x{pixmap.height()})")
    QCursor.setPos(win.mapToGlobal(QPoint(win.width() - 20, win.height() - 10)))
    controller.card.dismiss()

    # Some decisions here, and the two annotated articles (the demo and KCNA's) finished.
    a = win.actions_by_key
    for key in ("accept_suggestion", "accept_suggestion", "reject_suggestion"):
        a[key].trigger()
        a["next_suggestion"].trigger()
    labels = {label.name: label.id for label in win.editor.labels}
    controller.accept_all(labels["DATE"])
    me = win.editor.annotator.id
    for document in list_documents(win.db):
        if document.title.startswith(("Port Aldren council", "Reports from the")):
            set_status(win.db, document_id=document.id, annotator_id=me, status=DocumentStatus.DONE)
    a["view_suggestion_quality"].trigger()
    quality = controller.quality_window
    assert quality is not None
    quality.resize(820, 760)
    wait(quality.busy)
    settle()
    _save(app, quality, DOCS / "suggestion-quality.png")
    quality.close()


REVISED_AWAY = (
    "The gift was received on February 18 by Kim Yo Jong, who serves as a high-ranking official "
    "in the Workers’ Party of Korea and who acts as a key liaison within the North Korean "
    "leadership. "
)


def _review_screenshot(app: object, win: object, settle: object) -> None:
    """docs/review.png: a new version of the KCNA article (a sentence deleted, a name spelled
    out) stored as a revision; the Review dock lists the changed and unplaced spans."""
    from PySide6.QtWidgets import QApplication

    from annotator.services.documents import list_documents
    from annotator.services.revisions import store_revision
    from annotator.ui.annotate.revision_review import ReviewPanel
    from annotator.ui.main_window import MainWindow

    assert isinstance(app, QApplication) and isinstance(win, MainWindow) and callable(settle)
    doc = next(d for d in list_documents(win.db) if d.title.startswith("Reports from the"))
    with win.db.reading() as repo:
        old = repo.document(doc.id).text
    new = old.replace(REVISED_AWAY, "").replace("Kim Jong-un", "Kim Jong Un", 1)
    store_revision(win.db, document_id=doc.id, text=new)
    win.reload_documents()
    win.open_document(doc.id)
    win.editor.open(doc.id)
    settle()
    win.article.setFocus()
    win.actions_by_key["review_changes"].trigger()
    settle()
    panel = win.findChild(ReviewPanel)
    assert panel is not None
    row = next(
        i
        for i in range(panel.model.rowCount())
        if panel.model.item(i).entry.old_quote.startswith("The gift")
    )
    panel.view.selectRow(row)
    settle()
    _save(app, win, DOCS / "review.png")


def _save(app: object, win: object, path: Path) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(app, QApplication) and isinstance(win, QWidget)
    screen = app.primaryScreen()
    # Grab the real window from the X server, frame and all, as a user would see it.
    pixmap = screen.grabWindow(
        0, win.x(), win.y(), win.frameGeometry().width(), win.frameGeometry().height()
    )
    if not pixmap.save(str(path)):
        raise SystemExit(f"screenshots: could not write {path}")
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    print(f"wrote {shown} ({pixmap.width()}x{pixmap.height()})")


if __name__ == "__main__":
    raise SystemExit(main())
