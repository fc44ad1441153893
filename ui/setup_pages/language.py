"""The wizard's first page: the language of BranchDesk on this workstation."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout, QWidget

from app.services.first_run import FirstRunSetup
from ui.setup_pages.base import SetupPage


class LanguagePage(SetupPage):
    language_chosen = Signal(str)

    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        # Each language is named in itself, so it can be found whatever the current language.
        self.chinese = QRadioButton("简体中文")
        self.chinese.setObjectName("languageZh")
        self.english = QRadioButton("English")
        self.english.setObjectName("languageEn")
        self.group = QButtonGroup(self)
        self.group.addButton(self.chinese)
        self.group.addButton(self.english)
        (self.english if flow.choices.language == "en" else self.chinese).setChecked(True)
        self.chinese.toggled.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chinese)
        layout.addWidget(self.english)
        layout.addStretch()
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Language"))
        self.setSubTitle(self.tr("The language of BranchDesk on this workstation."))

    def _chosen(self) -> None:
        self.flow.choices.language = "zh_CN" if self.chinese.isChecked() else "en"
        self.language_chosen.emit(self.flow.choices.language)
