"""Loading the UI language: Qt's own translations plus BranchDesk's compiled .qm catalogue."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.resources import resources_dir

log = logging.getLogger(__name__)


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Install translators for ``language`` (e.g. ``zh_CN``); English needs none.

    The translators are returned and must be kept alive as long as the application."""
    QLocale.setDefault(QLocale(language))
    installed: list[QTranslator] = []
    if language.startswith("en"):
        return installed
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    ours = QTranslator(app)
    catalogue = resources_dir() / "translations" / f"branchdesk_{language}.qm"
    if _load_copy(ours, catalogue):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("No translation catalogue at %s; the UI shows English", catalogue)
    return installed


def _load_copy(translator: QTranslator, catalogue: Path) -> bool:
    """Load the catalogue from a copy in memory. ``QTranslator.load(path)`` maps the file into
    memory: a catalogue rewritten while the app runs (an update of an installation, a rebuild of
    the translations in a source checkout) then crashed every running window at its next
    translated text (SIGBUS/SIGSEGV, seen in a soak). The copy stays alive with the translator."""
    try:
        data = catalogue.read_bytes()
    except OSError:
        return False
    if not translator.load(data):
        return False
    translator.catalogue_bytes = data  # type: ignore[attr-defined] - Qt reads these bytes, never copies them
    return True
