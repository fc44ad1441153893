"""The UI's language for a test, as ui.i18n.install_translators sets it: the catalogue (none for
English, whose texts are the sources) and the default locale; both restored afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

CATALOGUES = Path(__file__).resolve().parents[1] / "resources" / "translations"


@contextmanager
def ui_language(language: str) -> Iterator[None]:
    translator = QTranslator()
    if language != "en":
        assert translator.load(str(CATALOGUES / f"branchdesk_{language}.qm"))
        QCoreApplication.installTranslator(translator)
    before = QLocale()
    QLocale.setDefault(QLocale(language))
    try:
        yield
    finally:
        QLocale.setDefault(before)
        QCoreApplication.removeTranslator(translator)
