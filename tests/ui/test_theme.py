"""Light and dark themes, and label colours that stay readable and distinguishable in both."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

import pytest
from colour_vision import Vision, delta_e, simulate
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from annotator.domain.model import HighlightStyle
from annotator.domain.schema import DEFAULT_LABELS, DEFAULT_RELATION_TYPES
from annotator.ui.annotate.suggestion_marks import outline_colour
from annotator.ui.app import application
from annotator.ui.common.theme import (
    TEXT_CONTRAST,
    apply_theme,
    contrast_ratio,
    current_choice,
    fusion_palette,
    highlight_background,
    is_dark,
    strong_span_colours,
    underline_colour,
)
from annotator.ui.main_window import MainWindow

THEMES = {"light": fusion_palette(dark=False), "dark": fusion_palette(dark=True)}
VISIONS: tuple[Vision, ...] = ("normal", "deuteranopia", "protanopia")


@pytest.fixture
def app() -> Iterator[QApplication]:
    """The application, put back on the system's theme afterwards."""
    application()
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    yield instance
    apply_theme(instance, "system")


def colours(theme: str) -> tuple[QColor, QColor]:
    palette = THEMES[theme]
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


def test_the_dark_override_gives_a_dark_window_and_system_undoes_it(qtbot, app, window: MainWindow):
    view = window.article
    apply_theme(app, "dark")
    assert current_choice(app) == "dark" and is_dark(app.palette())
    qtbot.waitUntil(lambda: is_dark(view.palette()))  # widgets hear of it through events
    apply_theme(app, "light")
    qtbot.waitUntil(lambda: not is_dark(view.palette()))
    apply_theme(app, "dark")
    qtbot.waitUntil(lambda: is_dark(view.palette()))
    apply_theme(app, "system")  # the offscreen platform's own scheme is light
    assert current_choice(app) == "system"
    qtbot.waitUntil(lambda: not is_dark(view.palette()))
    with pytest.raises(ValueError, match="unknown theme"):
        apply_theme(app, "sepia")  # type: ignore[arg-type]


def test_span_highlights_follow_the_theme_in_the_open_article(qtbot, app, window: MainWindow):
    view = window.article
    at = view.text.index("Port Aldren council")
    view.select_range(at, at + len("Port Aldren council"))
    qtbot.keyClick(view, Qt.Key.Key_1)  # ACTOR
    assert [s.quote for s in window.editor.spans] == ["Port Aldren council"]

    def fill() -> QColor:
        block = view.document().findBlock(view.text_index.to_utf16(at))
        ranges = block.layout().formats()
        filled = [QColor(r.format.background().color()) for r in ranges if r.start == 0]
        assert filled, "the span is not highlighted"
        return filled[0]

    light = fill()
    apply_theme(app, "dark")
    qtbot.waitUntil(lambda: fill().lightnessF() < 0.5)
    dark = fill()
    text = view.palette().color(QPalette.ColorRole.Text)
    assert dark != light
    assert dark.lightnessF() < 0.5 < light.lightnessF()
    assert contrast_ratio(dark, text) >= TEXT_CONTRAST


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_over_every_default_highlight_has_aa_contrast(theme):
    base, text = colours(theme)
    for label in DEFAULT_LABELS:
        for depth in (1, 2, 3):
            fill = highlight_background(label.colour, depth, base, text)
            ratio = contrast_ratio(fill, text)
            assert ratio >= TEXT_CONTRAST, (theme, label.name, depth, round(ratio, 2))
        # The selected span: the label colour made strong, its text black or white.
        fill, ink = strong_span_colours(label.colour, base)
        assert contrast_ratio(fill, ink) >= TEXT_CONTRAST, (theme, label.name, "selected")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_nested_spans_deepen_and_lines_stand_out_from_the_page(theme):
    base, text = colours(theme)
    for label in DEFAULT_LABELS:
        shades = [highlight_background(label.colour, d, base, text) for d in (1, 2, 3)]
        # Each level of nesting is a visible step further from the page.
        distances = [contrast_ratio(shade, base) for shade in shades]
        assert distances[0] < distances[1] < distances[2], (theme, label.name)
        # Thin lines (claim underlines, suggestion outlines) need 3:1 against the page (WCAG
        # non-text contrast).
        assert contrast_ratio(underline_colour(label.colour, base), base) >= 3.0
        assert contrast_ratio(outline_colour(label.colour, base), base) >= 3.0


@pytest.mark.parametrize("vision", VISIONS)
def test_default_labels_stay_apart_with_colour_vision_deficiencies(vision):
    """ΔE*ab of 20 or more between every two label colours (2.3 is just noticeable), also as
    seen with deuteranopia and protanopia; highlights of background labels further apart."""
    for one, two in combinations(DEFAULT_LABELS, 2):
        distance = delta_e(
            simulate(QColor(one.colour), vision), simulate(QColor(two.colour), vision)
        )
        assert distance >= 20, (vision, one.name, two.name, round(distance, 1))
    for one, two in combinations(DEFAULT_RELATION_TYPES, 2):
        distance = delta_e(
            simulate(QColor(one.colour), vision), simulate(QColor(two.colour), vision)
        )
        assert distance >= 30, (vision, one.name, two.name, round(distance, 1))
    filled = [label for label in DEFAULT_LABELS if label.style is HighlightStyle.BACKGROUND]
    for theme in THEMES:
        base, text = colours(theme)
        for one, two in combinations(filled, 2):
            a = highlight_background(one.colour, 1, base, text)
            b = highlight_background(two.colour, 1, base, text)
            distance = delta_e(simulate(a, vision), simulate(b, vision))
            assert distance >= 30, (vision, theme, one.name, two.name, round(distance, 1))


def test_colour_vision_simulation_confuses_red_and_green():
    """The simulation itself: a red and a green that differ plainly look alike to a deuteranope,
    so the distance tests above can fail."""
    red, green = QColor("#d62728"), QColor("#7f9f00")
    assert delta_e(simulate(red, "normal"), simulate(green, "normal")) > 60
    assert delta_e(simulate(red, "deuteranopia"), simulate(green, "deuteranopia")) < 20
