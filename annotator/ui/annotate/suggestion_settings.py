"""Annotate > Suggestion settings…: which engines run on this database, a spaCy pipeline for
actors, a gazetteer of names, and the actor model learned from finished documents.

Everything is plain text: a gazetteer's error names its file and line as the service says it.
Training runs in the background through the window's one trainer, so the dialog never blocks
and never starts a second training.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.assist.base import ACTORS, CLAIMS, DATES, ENGINES
from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions import StoredModel
from annotator.services import Database
from annotator.services.suggestions import (
    SuggestionSettings,
    actor_model_info,
    gazetteer_size,
    import_gazetteer,
    save_suggestion_settings,
    suggestion_settings,
)
from annotator.ui.annotate.suggestion_runs import ActorTrainer, model_description
from annotator.ui.common.text import message_box

ENGINE_TEXTS = {
    ACTORS: "Actors: people, organisations, states, media and groups, with their kind",
    DATES: "Dates: with the value the guideline asks for, from the publication date",
    CLAIMS: "Claims: what is reported as said, with its SOURCE and TIME",
}


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class SuggestionSettingsDialog(QDialog):
    """The settings of the open database; OK saves the engines and the pipeline name."""

    def __init__(
        self,
        db: Database,
        trainer: ActorTrainer,
        parent: QWidget | None = None,
        *,
        user_engines: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionSettings")
        self.setWindowTitle("Suggestion settings")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._db = db
        self._trainer = trainer
        self.message_box: QMessageBox | None = None
        settings = suggestion_settings(db)
        if user_engines is not None:  # the user's own choice, from their settings file
            settings = replace(settings, engines=user_engines)

        engines = QGroupBox("Engines that suggest for you", self)
        engines_layout = QVBoxLayout(engines)
        self.engine_boxes: dict[str, QCheckBox] = {}
        for engine in ENGINES:
            box = QCheckBox(ENGINE_TEXTS.get(engine, engine), engines)
            box.setObjectName(f"engine_{engine}")
            box.setChecked(engine in settings.engines)
            engines_layout.addWidget(box)
            self.engine_boxes[engine] = box

        actors = QGroupBox("Actors", self)
        actors_layout = QVBoxLayout(actors)
        self.pipeline = QLineEdit(settings.pipeline or "", actors)
        self.pipeline.setObjectName("spacyPipeline")
        self.pipeline.setPlaceholderText("none: the rules and the model learned here")
        self.pipeline.setToolTip(
            "The name of an installed spaCy pipeline (en_core_web_sm) or a folder: it judges "
            "new names instead of the learned model"
        )
        pipeline_row = QHBoxLayout()
        pipeline_row.addWidget(_plain("spaCy pipeline:"))
        pipeline_row.addWidget(self.pipeline, 1)
        actors_layout.addLayout(pipeline_row)

        self.gazetteer_info = _plain()
        self.gazetteer_button = QPushButton("Import gazetteer…", actors)
        self.gazetteer_button.setObjectName("importGazetteer")
        self.gazetteer_button.setToolTip(
            "A UTF-8 text file with a name per line, a tab and a kind (person, organization, "
            "state, media, group) or nothing"
        )
        gazetteer_row = QHBoxLayout()
        gazetteer_row.addWidget(self.gazetteer_info, 1)
        gazetteer_row.addWidget(self.gazetteer_button)
        actors_layout.addLayout(gazetteer_row)

        self.model_info = _plain()
        self.model_info.setObjectName("actorModelInfo")
        self.train_button = QPushButton("Train the actor model now", actors)
        self.train_button.setObjectName("trainActorModel")
        self.train_button.setToolTip(
            "Learn actors from the documents marked done (it also happens after each Ctrl+D)"
        )
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_info, 1)
        model_row.addWidget(self.train_button)
        actors_layout.addLayout(model_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(engines)
        layout.addWidget(actors)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.gazetteer_button.clicked.connect(self.choose_gazetteer)
        self.train_button.clicked.connect(self._trainer.request)
        trainer.sig_started.connect(self._on_training)
        trainer.sig_done.connect(self._on_trained)
        trainer.sig_failed.connect(self._on_training_failed)
        self._show_gazetteer()
        self._show_model(actor_model_info(db))
        if trainer.busy():
            self._on_training()
        # Wrapped labels ask for their height only once their text and width are known.
        self.model_info.setMinimumHeight(2 * self.fontMetrics().lineSpacing() + 4)
        self.resize(640, layout.totalHeightForWidth(640) if layout.hasHeightForWidth() else 340)

    def chosen(self) -> SuggestionSettings:
        return SuggestionSettings(
            engines=tuple(e for e in ENGINES if self.engine_boxes[e].isChecked()),
            pipeline=self.pipeline.text().strip() or None,
        )

    def accept(self) -> None:
        try:
            save_suggestion_settings(self._db, self.chosen())
        except AnnotatorError as exc:
            self._tell("Cannot save the suggestion settings", str(exc))
            return
        super().accept()

    def choose_gazetteer(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import a gazetteer",
            "",
            "Gazetteers (*.tsv *.txt *.csv);;All files (*)",
        )
        if path:
            self.import_gazetteer(Path(path))

    def import_gazetteer(self, path: Path) -> None:
        try:
            added = import_gazetteer(self._db, path=path)
        except AnnotatorError as exc:
            self._tell("Cannot import the gazetteer", str(exc))
            return
        self._show_gazetteer(f"Added {added} name{'s' if added != 1 else ''} from {path.name}. ")

    def _tell(self, title: str, message: str) -> None:
        box = message_box(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setObjectName("suggestionSettingsMessage")
        self.message_box = box
        box.open()

    def _show_gazetteer(self, before: str = "") -> None:
        n = gazetteer_size(self._db)
        self.gazetteer_info.setText(
            f"{before}The gazetteer holds {n} name{'s' if n != 1 else ''}."
            if n or before
            else "No gazetteer imported."
        )

    def _show_model(self, model: StoredModel | None) -> None:
        text = model_description(model)
        if self.pipeline.text().strip():
            text += " The spaCy pipeline named above is used instead."
        self.model_info.setText(text)
        self.train_button.setEnabled(True)

    def _on_training(self) -> None:
        self.model_info.setText("Training the actor model in the background…")
        self.train_button.setEnabled(False)

    def _on_trained(self, model: StoredModel | None) -> None:
        self._show_model(model if model is not None else actor_model_info(self._db))

    def _on_training_failed(self, message: str) -> None:
        self.model_info.setText(f"Training stopped: {message}")
        self.train_button.setEnabled(True)
