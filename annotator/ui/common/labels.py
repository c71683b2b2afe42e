"""Label choices in filter combo boxes, kept in step with the schema."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from annotator.domain.model import Label


def refresh_label_choices(
    combo: QComboBox, labels: list[Label], first: str | None, text: str
) -> None:
    """A filter combo with one entry per label (its data the label id), kept in schema order."""
    chosen = combo.currentData()
    label_ids = {label.id for label in labels}
    combo.blockSignals(True)
    # Entries for labels are the ones whose data is a positive id.
    for row in reversed(range(combo.count())):
        data = combo.itemData(row)
        if isinstance(data, int) and not isinstance(data, bool) and data > 0:
            combo.removeItem(row)
    for label in labels:
        combo.addItem(text.format(label.name), label.id)
    combo.blockSignals(False)
    if isinstance(chosen, int) and chosen > 0 and chosen not in label_ids:
        combo.setCurrentIndex(0)  # the label is gone: back to "any", and say so to listeners
    elif first is not None or chosen is not None:
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
