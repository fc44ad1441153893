"""The pages of the setup wizard, one module per page (or a few close ones). Each page shows one
step of :class:`FirstRunSetup` and checks it through the flow before the wizard moves on; nothing
here decides what is valid or written."""

from __future__ import annotations

from ui.setup_pages.base import SetupPage
from ui.setup_pages.database import DatabasePage
from ui.setup_pages.language import LanguagePage
from ui.setup_pages.summary import SummaryPage
from ui.setup_pages.supervisor import SupervisorPage
from ui.setup_pages.workstation import BranchPage, PrintersPage, WorkstationPage

__all__ = ["BranchPage", "DatabasePage", "LanguagePage", "PrintersPage", "SetupPage", "SummaryPage",
           "SupervisorPage", "WorkstationPage"]
