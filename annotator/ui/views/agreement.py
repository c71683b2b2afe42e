"""Views > Agreement: the menu entry of the Agreement window (agreement_window.py).

The window is built when it is first opened: it and what it computes with (the agreement
figures and their services) would otherwise load and be laid out at every start, for a window
most starts never show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from annotator.ui.common.window import Window
    from annotator.ui.views.agreement_window import AgreementWindow


def install(window: Window) -> None:
    """The Views menu's entry; the window opens with the choices read again each time."""
    built: list[AgreementWindow] = []

    def show() -> None:
        from annotator.ui.views.agreement_window import AgreementWindow, open_agreement

        if not built:
            built.append(AgreementWindow(window.db, window.selected_document_ids, window.widget()))
        open_agreement(built[0])

    action = QAction("&Agreement…", window.widget())
    action.setStatusTip("How far annotators agree, as a table and as heat maps")
    action.triggered.connect(show)
    window.menu("&Views").addAction(action)
    window.actions_by_key["view_agreement"] = action


__all__ = ["install"]
