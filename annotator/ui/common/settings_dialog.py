"""Edit > Settings: theme, the article's font and size, exact mode."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.common.settings import FONT_SIZES, THEMES, AppSettings, theme_of

DEFAULT_ARTICLE_POINT_SIZE = 12
"""The article's size when the settings leave it to the default."""
_THEME_NAMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


def article_font(settings: AppSettings, base: QFont | None = None) -> QFont:
    """The article's font: the chosen family and size (or the defaults), plus the zoom."""
    font = QFont(base if base is not None else QApplication.font())
    if settings.font_family:
        font.setFamily(settings.font_family)
    size = settings.font_size or DEFAULT_ARTICLE_POINT_SIZE
    font.setPointSize(max(4, size + settings.zoom))
    return font


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self._initial = settings
        self.theme = QComboBox(self)
        self.theme.setObjectName("settingsTheme")
        for theme in THEMES:
            self.theme.addItem(_THEME_NAMES[theme], theme)
        self.theme.setCurrentIndex(THEMES.index(settings.theme))
        self.default_font = QCheckBox("Default font", self)
        self.default_font.setObjectName("settingsDefaultFont")
        self.font_family = QFontComboBox(self)
        self.font_family.setObjectName("settingsFontFamily")
        if settings.font_family:
            self.font_family.setCurrentFont(QFont(settings.font_family))
        self.default_font.setChecked(not settings.font_family)
        self.font_family.setEnabled(bool(settings.font_family))
        self.default_font.toggled.connect(lambda on: self.font_family.setDisabled(on))
        self.font_size = QSpinBox(self)
        self.font_size.setObjectName("settingsFontSize")
        self.font_size.setRange(FONT_SIZES.start, FONT_SIZES.stop - 1)
        self.font_size.setSpecialValueText(f"Default ({DEFAULT_ARTICLE_POINT_SIZE} pt)")
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(settings.font_size)
        self.exact_mode = QCheckBox("Take selections exactly, without snapping to words", self)
        self.exact_mode.setObjectName("settingsExactMode")
        self.exact_mode.setChecked(settings.exact_mode)
        form = QFormLayout()
        form.addRow("&Theme:", self.theme)
        form.addRow("Article &font:", self.default_font)
        form.addRow("", self.font_family)
        form.addRow("Font &size:", self.font_size)
        form.addRow("Selections:", self.exact_mode)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def settings(self) -> AppSettings:
        """The settings as the dialog shows them (the rest as they were)."""
        family = "" if self.default_font.isChecked() else self.font_family.currentFont().family()
        return replace(
            self._initial,
            theme=theme_of(str(self.theme.currentData())),
            font_family=family,
            font_size=self.font_size.value(),
            exact_mode=self.exact_mode.isChecked(),
        )


__all__ = ["DEFAULT_ARTICLE_POINT_SIZE", "SettingsDialog", "article_font"]
