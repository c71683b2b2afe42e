"""Colour arithmetic for tests: colour-vision deficiency simulation and CIELAB distance.

The simulation uses the matrices of Machado, Oliveira and Fernandes (2009) at full severity,
applied to linear sRGB; the distance is CIE76 ΔE*ab (D65). A ΔE of about 2.3 is just
noticeable; colours meant to tell labels apart should be far beyond that.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtGui import QColor

Vision = Literal["normal", "deuteranopia", "protanopia"]

_MACHADO: dict[str, tuple[tuple[float, float, float], ...]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}


def _to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def linear_rgb(colour: QColor) -> tuple[float, float, float]:
    return (
        _to_linear(colour.redF()),
        _to_linear(colour.greenF()),
        _to_linear(colour.blueF()),
    )


def simulate(colour: QColor, vision: Vision) -> tuple[float, float, float]:
    """The colour as seen with `vision`, in linear sRGB (clipped to the gamut)."""
    rgb = linear_rgb(colour)
    if vision == "normal":
        return rgb
    matrix = _MACHADO[vision]
    r, g, b = (
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix
    )
    return r, g, b


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    """CIE76 distance between two linear sRGB colours."""
    a, b = _lab(one), _lab(two)
    return sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5
