"""The setup wizard: shown at the first start (no settings file yet) and, for a supervisor,
from File ▸ Setup wizard…. The steps and what gets written live in
:class:`app.services.first_run.FirstRunSetup`; the pages (``ui/setup_pages/``) drive it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QEvent, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget, QWizard

from app.services.first_run import FirstRunSetup, SetupResult
from app.settings import Settings
from ui.i18n import install_translators
from ui.setup_pages import (
    BranchPage,
    DatabasePage,
    LanguagePage,
    PrintersPage,
    SummaryPage,
    SupervisorPage,
    WorkstationPage,
)


class PageId(IntEnum):
    LANGUAGE = 0
    DATABASE = 1
    BRANCH = 2
    WORKSTATION = 3
    PRINTERS = 4
    SUPERVISOR = 5
    SUMMARY = 6


class SetupWizard(QWizard):
    """``switch_language`` (optional) is called when the user picks a language, so the wizard
    speaks it at once; without it the choice applies from the next start."""

    def __init__(self, flow: FirstRunSetup, parent: QWidget | None = None, *,
                 switch_language: Callable[[str], None] | None = None,
                 printer_names: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self._switch_language = switch_language
        self.setObjectName("setupWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(640, 480)
        self.language_page = LanguagePage(flow)
        self.database_page = DatabasePage(flow)
        self.branch_page = BranchPage(flow)
        self.workstation_page = WorkstationPage(flow)
        self.printers_page = PrintersPage(flow, printer_names=printer_names)
        self.supervisor_page = SupervisorPage(flow)
        self.summary_page = SummaryPage(flow)
        for page_id, page in ((PageId.LANGUAGE, self.language_page), (PageId.DATABASE, self.database_page),
                              (PageId.BRANCH, self.branch_page), (PageId.WORKSTATION, self.workstation_page),
                              (PageId.PRINTERS, self.printers_page), (PageId.SUPERVISOR, self.supervisor_page),
                              (PageId.SUMMARY, self.summary_page)):
            self.setPage(page_id, page)
        self.setStartId(PageId.LANGUAGE)
        self.language_page.language_chosen.connect(self._language_chosen)
        self.retranslate()

    @property
    def result_of_setup(self) -> SetupResult | None:
        """What :meth:`FirstRunSetup.apply` did, once the wizard was finished."""
        return self.summary_page.result

    def nextId(self) -> int:
        current = self.currentId()
        if current == PageId.PRINTERS and not self.flow.needs_supervisor:
            return PageId.SUMMARY
        if current == PageId.SUMMARY:
            return -1
        return current + 1

    def retranslate(self) -> None:
        # The Back/Next/Finish/Cancel buttons keep Qt's own (qtbase) texts, refreshed at each page change.
        self.setWindowTitle(self.tr("BranchDesk setup"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _language_chosen(self, language: str) -> None:
        if self._switch_language is not None:
            self._switch_language(language)


class LanguageSwitcher:
    """Swaps the application's translators; keeps the installed ones alive."""

    def __init__(self, app: QApplication, translators: list[QTranslator]) -> None:
        self.app = app
        self.translators = translators

    def __call__(self, language: str) -> None:
        for translator in self.translators:
            self.app.removeTranslator(translator)
        self.translators = install_translators(self.app, language)


def run_first_run(app: QApplication, translators: list[QTranslator],
                  language_override: str | None = None) -> tuple[list[QTranslator], bool]:
    """Run the wizard before the first sign-in. Returns the translators now installed (for the
    language the app will use) and whether setup was completed; cancelled, nothing is written."""
    flow = FirstRunSetup(Settings())
    if language_override:
        flow.choices.language = language_override
    switcher = LanguageSwitcher(app, translators)
    wizard = SetupWizard(flow, switch_language=switcher)
    accepted = wizard.exec() == QWizard.DialogCode.Accepted and wizard.result_of_setup is not None
    wanted = language_override or flow.choices.language
    switcher(wanted)
    wizard.deleteLater()
    return switcher.translators, accepted


def open_setup_wizard(parent: QWidget, settings: Settings) -> SetupResult | None:
    """Re-run the wizard on a configured workstation (supervisors). Existing data is kept."""
    # A settings object of its own: the running app keeps the values it started with.
    wizard = SetupWizard(FirstRunSetup(Settings(settings.path)), parent)
    if wizard.exec() != QWizard.DialogCode.Accepted or wizard.result_of_setup is None:
        return None
    # Spelled out with the class's context: lupdate would file ``wizard.tr(…)`` under "wizard".
    QMessageBox.information(parent, QCoreApplication.translate("SetupWizard", "BranchDesk setup"),
                            QCoreApplication.translate(
                                "SetupWizard", "The settings are saved. Changes to the language, database or "
                                               "branch take effect when BranchDesk starts again."))
    return wizard.result_of_setup
