"""Light and dark themes, and the colours spans are drawn in under each.

`apply_theme` follows the system's colour scheme ("system") or overrides it ("light", "dark").
Qt 6.8's `QStyleHints.setColorScheme` asks the platform for the scheme; where the platform does
not follow (older Qt, platforms without dark support, offscreen), the Fusion style with a palette
of our own gives the scheme instead.

Span colours are worked out from the label colour, the view's background and text colours, so
that text over any highlight keeps a WCAG contrast ratio of at least `TEXT_CONTRAST`.
"""

from __future__ import annotations

from typing import Literal, get_args

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

ThemeChoice = Literal["system", "light", "dark"]
THEME_CHOICES: tuple[ThemeChoice, ...] = get_args(ThemeChoice)

TEXT_CONTRAST = 4.5
"""WCAG 2 AA for body text: the least contrast of text over a span's highlight."""

_CHOICE_PROPERTY = "annotatorTheme"

# The palettes used where the platform gives no scheme of its own (Fusion style).
LIGHT_COLOURS: dict[QPalette.ColorRole, str] = {
    QPalette.ColorRole.Window: "#efefef",
    QPalette.ColorRole.WindowText: "#1b1b1b",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f5f5f5",
    QPalette.ColorRole.Text: "#1b1b1b",
    QPalette.ColorRole.Button: "#efefef",
    QPalette.ColorRole.ButtonText: "#1b1b1b",
    QPalette.ColorRole.ToolTipBase: "#ffffdc",
    QPalette.ColorRole.ToolTipText: "#1b1b1b",
    QPalette.ColorRole.PlaceholderText: "#6b6b6b",
    QPalette.ColorRole.Highlight: "#0072b2",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#0060a0",
    QPalette.ColorRole.Mid: "#b8b8b8",
    QPalette.ColorRole.Dark: "#9f9f9f",
}
DARK_COLOURS: dict[QPalette.ColorRole, str] = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#e4e4e4",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.Text: "#e4e4e4",
    QPalette.ColorRole.Button: "#35373b",
    QPalette.ColorRole.ButtonText: "#e4e4e4",
    QPalette.ColorRole.ToolTipBase: "#3c3f41",
    QPalette.ColorRole.ToolTipText: "#e4e4e4",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    QPalette.ColorRole.Highlight: "#3d8fd1",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#7cc0f5",
    QPalette.ColorRole.Mid: "#4a4d52",
    QPalette.ColorRole.Dark: "#151617",
    QPalette.ColorRole.Light: "#505358",
    QPalette.ColorRole.Midlight: "#404246",
    QPalette.ColorRole.Shadow: "#0c0c0c",
    QPalette.ColorRole.BrightText: "#ff6b6b",
}
_DISABLED_TEXT = {False: "#9a9a9a", True: "#6f7277"}


def fusion_palette(dark: bool) -> QPalette:
    """The whole palette of the light or dark theme, for the Fusion style."""
    palette = QPalette()
    for role, colour in (DARK_COLOURS if dark else LIGHT_COLOURS).items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DISABLED_TEXT[dark]))
    return palette


def is_dark(palette: QPalette) -> bool:
    """Whether a palette draws light text on a dark background."""
    return (
        palette.color(QPalette.ColorRole.Base).lightnessF()
        < palette.color(QPalette.ColorRole.Text).lightnessF()
    )


def apply_theme(app: QApplication, choice: ThemeChoice) -> None:
    """Follow the system's colour scheme, or override it with light or dark.

    Asked again with "system", it undoes an earlier override; while "system" is in force, a
    change of the system's scheme is followed as it happens.
    """
    if choice not in THEME_CHOICES:
        raise ValueError(f"unknown theme {choice!r}")
    app.setProperty(_CHOICE_PROPERTY, choice)
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8 and later
        if choice == "system":
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(Qt.ColorScheme.Dark if choice == "dark" else Qt.ColorScheme.Light)
    _follow_system(app)
    # Start from the platform's own palette, then check that it gives the scheme asked for.
    app.setPalette(QPalette())
    if choice == "system":
        want_dark = hints.colorScheme() == Qt.ColorScheme.Dark
    else:
        want_dark = choice == "dark"
    if is_dark(app.palette()) != want_dark:
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(fusion_palette(want_dark))


def current_choice(app: QApplication) -> ThemeChoice:
    """The choice last given to `apply_theme` ("system" before any)."""
    value = app.property(_CHOICE_PROPERTY)
    return value if value in THEME_CHOICES else "system"


_followers: set[int] = set()


def _follow_system(app: QApplication) -> None:
    """Re-apply "system" when the system's scheme changes (connected once per application)."""
    if id(app) in _followers:
        return
    _followers.add(id(app))
    hints = app.styleHints()

    def changed(_scheme: object = None, app: QObject = app) -> None:
        if isinstance(app, QApplication) and current_choice(app) == "system":
            apply_theme(app, "system")

    hints.colorSchemeChanged.connect(changed)


# Colour arithmetic ------------------------------------------------------------------------------
def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 black .. 1 white)."""
    r, g, b = (_linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one: QColor, two: QColor) -> float:
    """WCAG 2 contrast ratio between two opaque colours (1 .. 21)."""
    a, b = sorted((relative_luminance(one), relative_luminance(two)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def mix(colour: QColor, towards: QColor, amount: float) -> QColor:
    """`colour` taken `amount` (0..1) of the way towards `towards`."""
    t = max(0.0, min(1.0, amount))
    return QColor(
        round(colour.red() + (towards.red() - colour.red()) * t),
        round(colour.green() + (towards.green() - colour.green()) * t),
        round(colour.blue() + (towards.blue() - colour.blue()) * t),
    )


# Span colours ------------------------------------------------------------------------------------
_STRENGTH = {False: (0.35, 0.6, 0.85), True: (0.32, 0.44, 0.54)}
"""How much of the label colour shows, by nesting depth (1, 2, 3+), in light and dark."""


def highlight_background(label_colour: str, depth: int, base: QColor, text: QColor) -> QColor:
    """A background span's fill: the label colour over the view's `base`, deeper when spans of
    the same kind nest, weakened as far as needed for `text` to stay readable on it."""
    dark = relative_luminance(base) < relative_luminance(text)
    strengths = _STRENGTH[dark]
    strength = strengths[max(1, min(depth, len(strengths))) - 1]
    label = QColor(label_colour)
    fill = mix(base, label, strength)
    while strength > 0 and contrast_ratio(fill, text) < TEXT_CONTRAST:
        strength = max(0.0, strength - 0.05)
        fill = mix(base, label, strength)
    return fill


def underline_colour(label_colour: str, base: QColor) -> QColor:
    """An underline span's line: the label colour moved away from the background (a pastel
    line vanishes on white, a dark one on black)."""
    colour = QColor(label_colour)
    dark_base = base.lightnessF() < 0.5
    return colour.lighter(130) if dark_base else colour.darker(150)


def strong_span_colours(label_colour: str, base: QColor) -> tuple[QColor, QColor]:
    """The selected span's (background, text): the label colour made strong, with black or
    white text, whichever reads better on it."""
    colour = QColor(label_colour)
    fill = colour.lighter(115) if base.lightnessF() < 0.5 else colour.darker(130)
    black, white = QColor("#000000"), QColor("#ffffff")
    text = white if contrast_ratio(fill, white) >= contrast_ratio(fill, black) else black
    return fill, text
